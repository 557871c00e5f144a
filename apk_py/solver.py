"""The dependency solver: apk-tools' up- and down-propagating, deductive solver.

Given the world (the user's constraints) it picks at most one provider for each name
reachable from it, then turns the choice into an ordered change set. The algorithm is
apk's, step for step, because users compare its choices (and their order) with apk's:

- discovery walks the names reachable from the world and gives each an order id;
- constraints flow down from the world and from every selected package, disqualifying
  providers that cannot satisfy them; names whose every candidate shares a dependency
  pass it down early ("merging");
- names wait in three queues: resolve-now (one choice left), auto-selectable, the rest;
  the next name is taken from the first non-empty queue, highest order id first, and
  its best provider (compare_providers) is chosen;
- install_if packages are pulled in when every condition is met by a chosen package.

Solver state lives in `ss` objects on names and packages, created when first touched
and dropped after each run, like apk's per-run union.
"""

from __future__ import annotations

import bisect
import sys
from collections import deque

from apk_py import version as V
from apk_py.changeset import Change, Changeset
from apk_py.database import ROW_DEPENDS, ROW_INSTALL_IF, ROW_NAME, ROW_PROVIDES, BuildingObjects
from apk_py.database import name_order as _name_order
from apk_py.package import identity

UPGRADE = 0x0001
AVAILABLE = 0x0002
REINSTALL = 0x0004
LATEST = 0x0008
IGNORE_CONFLICT = 0x0010
INSTALLED = 0x0020
REMOVE = 0x0040

DEFAULT_PINNING = 1  # tag 0, the untagged repositories

DEP_IRRELEVANT = 1
DEP_SATISFIES = 2
DEP_CONFLICTS = 4

_QUEUE_RESOLVENOW, _QUEUE_SELECTABLE, _QUEUE_UNRESOLVED = 1, 2, 3


class NameState:
    __slots__ = ("chosen_pkg", "chosen_version", "locked", "requirers", "merge_depends", "merge_provides", "seen",
                 "reevaluate_deps", "reevaluate_iif", "has_iif", "iif_needed", "no_iif", "has_options",
                 "reverse_deps_done", "has_virtual_provides", "has_auto_selectable", "resolvenow", "order_id",
                 "queue", "dirty", "changeset_processed", "changeset_removed", "installed_pkg", "installed_name")

    def __init__(self):
        self.chosen_pkg = None
        self.chosen_version = None
        self.locked = False
        self.requirers = 0
        self.merge_depends = 0
        self.merge_provides = 0
        self.seen = False
        self.reevaluate_deps = False
        self.reevaluate_iif = False
        self.has_iif = False
        self.iif_needed = False
        self.no_iif = False
        self.has_options = False
        self.reverse_deps_done = False
        self.has_virtual_provides = False
        self.has_auto_selectable = False
        self.resolvenow = False
        self.order_id = 0
        self.queue = 0
        self.dirty = False
        self.changeset_processed = False
        self.changeset_removed = False
        self.installed_pkg = None
        self.installed_name = None


class PkgState:
    __slots__ = ("solver_flags", "solver_flags_inheritable", "pinning_allowed", "pinning_preferred", "seen",
                 "pkg_available", "pkg_selectable", "iif_triggered", "iif_failed", "tag_ok", "tag_preferred",
                 "conflicts", "dependencies_merged", "dependencies_used", "in_changeset", "error", "initialized")

    def __init__(self):
        self.initialized = False
        self.solver_flags = 0
        self.solver_flags_inheritable = 0
        self.pinning_allowed = 0
        self.pinning_preferred = 0
        self.seen = False
        self.pkg_available = False
        self.pkg_selectable = False
        self.iif_triggered = False
        self.iif_failed = False
        self.tag_ok = False
        self.tag_preferred = False
        self.conflicts = 0
        self.dependencies_merged = False
        self.dependencies_used = False
        self.in_changeset = False
        self.error = False


# --- matching (apk_dep_is_provided and friends) -----------------------------------------------

def version_match(have: str | None, op: int, want: str | None) -> bool:
    """apk_version_match, where None is apk's null version (which compares as anything)."""
    if (op & V.ANY) == V.ANY:
        ok = True
    elif have is None or want is None:
        ok = bool(op & (V.ANY if (have is None) != (want is None) else V.EQUAL))
    else:
        ok = bool(V.compare(have, want, bool(op & V.FUZZY)) & op)
    return not ok if op & V.CONFLICT else ok


def dep_is_provided(deppkg, dep, pkg, version) -> bool:
    """Does provider (pkg, version) satisfy `dep` as required by `deppkg`?"""
    if pkg is None:
        return bool(dep.op & V.CONFLICT)
    if dep.op & V.CONFLICT and deppkg is pkg:
        return True
    if dep.op == V.CHECKSUM:
        return identity(dep.version) == identity(pkg.checksum)
    return version_match(version, dep.op, dep.version)


def dep_is_materialized(dep, pkg) -> bool:
    """Is `dep` satisfied by `pkg` itself (by name, not through provides)?"""
    if pkg is None or dep.name is not pkg.name:
        return bool(dep.op & V.CONFLICT)
    if dep.op == V.CHECKSUM:
        return identity(dep.version) == identity(pkg.checksum)
    return version_match(pkg.version, dep.op, dep.version)


def dep_analyze(deppkg, dep, pkg) -> int:
    """How `dep` relates to `pkg`: irrelevant, satisfied or broken by it."""
    if pkg is None:
        return DEP_IRRELEVANT
    if dep.name is pkg.name:
        return DEP_SATISFIES if dep_is_materialized(dep, pkg) else DEP_CONFLICTS
    for provided in pkg.provides:
        if provided.name is dep.name:
            return DEP_SATISFIES if dep_is_provided(deppkg, dep, pkg, provided.version) else DEP_CONFLICTS
    return DEP_IRRELEVANT


def reverse_dependencies(pkg, match: int, installed_only: bool = False, marked=None, once=None):
    """(package, dependency) pairs of packages whose dependency `match`es `pkg`.

    `marked` limits the search to those packages, `once` (a set) visits each at most once.
    """
    found = []
    names = [pkg.name] + [dep.name for dep in pkg.provides]
    for target in names:
        for name0 in target.rdepends:
            for pkg0, _ in name0.providers:
                if installed_only and pkg0.installed is None:
                    continue
                if marked is not None and pkg0 not in marked:
                    continue
                if once is not None:
                    if pkg0 in once:
                        continue
                    once.add(pkg0)
                for dep0 in pkg0.depends:
                    if dep_analyze(pkg0, dep0, pkg) & match:
                        found.append((pkg0, dep0))
    return found


def name_display_key(name: str):
    """apk_name_cmp_display: case-insensitive first, then byte order."""
    return name.lower(), name


def set_name_flags(db, name, solver_flags: int, inheritable: int) -> None:
    """apk_solver_set_name_flags: flags for every provider of `name` in the next solve."""
    name.solver_flags_set = True
    for pkg, _ in name.providers:
        ps = _pkg_state(db, pkg)
        ps.solver_flags |= solver_flags
        ps.solver_flags_inheritable |= inheritable


def _pkg_state(db, pkg) -> PkgState:
    ps = pkg.ss
    if ps is None:
        ps = pkg.ss = PkgState()
        db.solver_touched.append(pkg)
    return ps


def reset_solver_state(db) -> None:
    for item in db.solver_touched:
        item.ss = None
    db.solver_touched.clear()


class Discovery:
    """What one solver run's discovery walk reached: the names (each with its order id, 0
    while its walk is under way) and the packages (by identity)."""

    __slots__ = ("run", "order", "packages")

    def __init__(self, run: int):
        self.run = run
        self.order: dict[str, int] = {}
        self.packages: set[bytes] = set()


def _discovery_walk(db, walk: Discovery):
    """apk's discovery: a function marking a name (by its text) and all it can lead to as
    seen, numbering each name when its walk ends.

    From a name it walks its providers' dependencies, the names whose install_if
    mentions it or its providers, and their provided names, then (after numbering it)
    their install_if conditions. That reaches a large part of an index (install_if
    conditions such as "docs" lead to most packages), so it runs over the database's
    tables (name texts, package identities) and makes no objects; solver states are
    made later, for the names the solve touches. A loop that once ran to its end in
    this walk has marked all it walks as seen, so it is not walked again (apk does, but
    a second pass can only find nothing new).
    """
    rows = db.rows
    providers_of = db.providers_of
    rinstall_if_of = db.rinstall_if_of
    order = walk.order
    reached = walk.packages
    flagged = {text for text, node in db.name_nodes.items() if node.solver_flags_set}
    rinstall_if_walked: set[str] = set()
    install_if_walked: set[bytes] = set()
    provides_cursor: dict[bytes, int] = {}
    counter = 0

    def discover(text: str) -> None:
        nonlocal counter
        order[text] = 0
        providers = providers_of.get(text, ())
        real = False
        for key in providers:
            row = rows[key]
            if key not in reached:
                reached.add(key)
                for target in row[ROW_DEPENDS]:
                    if target not in order:
                        discover(target)
            if row[ROW_NAME] == text:
                real = True
        others = rinstall_if_of.get(text)
        if others and text not in rinstall_if_walked:
            for other in others:
                if other not in order:
                    discover(other)
            rinstall_if_walked.add(text)
        for key in providers:
            row = rows[key]
            owner = row[ROW_NAME]
            others = rinstall_if_of.get(owner)
            if others and owner not in rinstall_if_walked:
                for other in others:
                    if other not in order:
                        discover(other)
                rinstall_if_walked.add(owner)
            provided = row[ROW_PROVIDES]
            if provided:
                # Discovering one provided name walks the others from within (apk nests
                # these loops), so each loop starts after the names already known seen.
                count = len(provided)
                position = provides_cursor.get(key, 0)
                while position < count:
                    other = provided[position]
                    position += 1
                    if other not in order:
                        provides_cursor[key] = position
                        discover(other)
                        if provides_cursor[key] > position:
                            position = provides_cursor[key]
                provides_cursor[key] = count
        # apk keeps this in a signed int: names nobody set flags on get the sign bit, so
        # they queue behind the ones the command asked for.
        counter += 1
        order_id = counter | (1 << 30) if real else counter
        if text not in flagged:
            order_id -= 1 << 31
        order[text] = order_id
        for key in providers:
            conditions = rows[key][ROW_INSTALL_IF]
            if conditions and key not in install_if_walked:
                for target in conditions:
                    if target not in order:
                        discover(target)
                install_if_walked.add(key)

    return discover


class Solver:
    """One run of the solver over a database."""

    def __init__(self, db, solver_flags: int):
        self.db = db
        self.flags = solver_flags
        self.ignore_conflict = bool(solver_flags & IGNORE_CONFLICT)
        self.dirty = deque()
        self.resolvenow: list = []
        self.selectable: list = []
        self.unresolved: list = []
        self.errors = 0
        self.solver_flags_inherit = 0
        self.pinning_inherit = 0
        self.default_repos = db.pinning_mask_repos(DEFAULT_PINNING)
        self.changeset = Changeset()
        db.solver_runs += 1
        self.run = db.solver_runs
        self.walk = db.discovered = Discovery(self.run)
        self.discover_text = _discovery_walk(db, self.walk)
        self.reevaluated: set[str] = set()  # names whose reverse dependencies were marked for a re-check

    def ns(self, name) -> NameState:
        """The name's state, created on first use from what discovery recorded."""
        ns = name.ss
        if ns is None:
            ns = name.ss = NameState()
            self.db.solver_touched.append(name)
            order_id = self.walk.order.get(name.name)
            if order_id is not None:
                ns.seen = True  # discovery saw all its providers: no_iif is what it found
                ns.no_iif = all(self.iif_failed(pkg) for pkg, _ in name.providers)
                ns.order_id = order_id
                ns.reevaluate_deps = self.depends_on_reevaluated(name)
        return ns

    def depends_on_reevaluated(self, name) -> bool:
        """Was the name marked for a dependency re-check before it had a state, as a
        reverse dependency (a provider depends on it) of a name re-evaluated then?"""
        reevaluated = self.reevaluated
        if not reevaluated:
            return False
        rows = self.db.rows
        providers = self.db.providers_of.get(name.name, ())
        return any(not reevaluated.isdisjoint(rows[key][ROW_DEPENDS]) for key in providers)

    def ps(self, pkg) -> PkgState:
        """The package's state; a discovered package starts as apk's discovery leaves it."""
        ps = pkg.ss
        if ps is None:
            ps = pkg.ss = PkgState()
            self.db.solver_touched.append(pkg)
        if not ps.initialized:
            ps.initialized = True
            if pkg.key in self.walk.packages:
                db = self.db
                ps.seen = True
                ps.pinning_allowed = DEFAULT_PINNING
                ps.pinning_preferred = DEFAULT_PINNING
                ps.pkg_available = db.pkg_available(pkg)
                installed_size = pkg.installed_size
                ps.pkg_selectable = not pkg.uninstallable and (
                    ps.pkg_available or pkg.cached or pkg.cached_non_repository or installed_size == 0
                    or pkg.installed is not None)
                ps.iif_failed = self.iif_failed(pkg)
                ps.tag_preferred = installed_size == 0 or bool(db.pkg_repos(pkg) & self.default_repos)
                ps.tag_ok = ps.tag_preferred or pkg.cached_non_repository or pkg.installed is not None
        return ps

    def iif_failed(self, pkg) -> bool:
        """Can the package's install_if never fire in this run (as discovery finds it)?"""
        return not pkg.install_if or bool(self.flags & AVAILABLE and not self.db.pkg_available(pkg))

    def mark_error(self, pkg) -> None:
        if pkg is None:
            return
        ps = self.ps(pkg)
        if ps.error:
            return
        ps.error = True
        self.errors += 1

    # --- queues ------------------------------------------------------------------------

    def queue_dirty(self, name) -> None:
        ns = self.ns(name)
        if ns.dirty or ns.locked or (ns.requirers == 0 and not ns.reevaluate_iif):
            return
        ns.dirty = True
        self.dirty.append(name)

    def queue_resolvenow(self, ns) -> bool:
        return ns.reverse_deps_done and ns.requirers > 0 and ns.has_auto_selectable and not ns.has_options

    def _queue_list(self, which: int) -> list:
        return self.resolvenow if which == _QUEUE_RESOLVENOW else self.selectable if which == _QUEUE_SELECTABLE else self.unresolved

    def _unqueue(self, name, ns) -> None:
        self._queue_list(ns.queue).remove(name)
        ns.queue = 0

    def queue_unresolved(self, name, reevaluate: bool) -> None:
        ns = self.ns(name)
        if ns.locked:
            return
        if ns.queue:
            if ns.resolvenow:
                return
            if self.queue_resolvenow(ns):
                ns.resolvenow = True
            elif not reevaluate:
                return
            self._unqueue(name, ns)
        else:
            if ns.requirers == 0 and not ns.has_iif and not ns.iif_needed:
                return
            ns.resolvenow = self.queue_resolvenow(ns)
        if ns.resolvenow:
            self.resolvenow.append(name)
            ns.queue = _QUEUE_RESOLVENOW
            return
        ns.queue = _QUEUE_SELECTABLE if ns.has_auto_selectable else _QUEUE_UNRESOLVED
        bisect.insort(self._queue_list(ns.queue), name, key=_descending_order)

    def dequeue_next_name(self):
        for queue in (self.resolvenow, self.selectable, self.unresolved):
            if queue:
                name = queue.pop(0)
                name.ss.queue = 0
                return name
        return None

    # --- propagation -------------------------------------------------------------------

    def reevaluate_reverse_deps(self, text: str) -> None:
        """Mark the seen reverse dependencies of a name for a dependency re-check, queueing
        those that can act on it in apk's order. Those without a state yet get the mark
        with their state (see depends_on_reevaluated)."""
        texts = self.db.reverse_dependencies(text)
        if not texts:
            return
        self.reevaluated.add(text)
        nodes = self.db.name_nodes
        queued = []
        for text0 in nodes.keys() & texts:  # a name with a state has a Name object
            name0 = nodes[text0]
            ns0 = name0.ss
            if ns0 is None or not ns0.seen:
                continue
            ns0.reevaluate_deps = True
            if not (ns0.dirty or ns0.locked or (ns0.requirers == 0 and not ns0.reevaluate_iif)):
                queued.append(name0)
        if len(queued) > 1:
            queued.sort(key=_name_order)
        for name0 in queued:
            self.queue_dirty(name0)

    def reevaluate_reverse_installif(self, text: str) -> None:
        """Mark the seen names whose install_if mentions the name for an install_if re-check."""
        seen = self.walk.order
        db = self.db
        for other in db.rinstall_if_of.get(text, ()):
            if other not in seen:
                continue
            name0 = db.name(other)
            ns0 = name0.ss or self.ns(name0)
            if ns0.no_iif:
                continue
            ns0.reevaluate_iif = True
            self.queue_dirty(name0)

    def reevaluate_reverse_installif_pkg(self, pkg) -> None:
        """reevaluate_reverse_installif for the package's own and provided names (few are in an install_if)."""
        rinstall_if_of = self.db.rinstall_if_of
        for text in (pkg.name.name,) + self.db.rows[pkg.key][ROW_PROVIDES]:
            if text in rinstall_if_of:
                self.reevaluate_reverse_installif(text)

    def disqualify_package(self, pkg) -> None:
        self.ps(pkg).pkg_selectable = False
        dependents_of = self.db.dependents_of
        for text in (pkg.name.name,) + self.db.rows[pkg.key][ROW_PROVIDES]:
            if text in dependents_of:
                self.reevaluate_reverse_deps(text)
        self.reevaluate_reverse_installif_pkg(pkg)

    def dependency_satisfiable(self, dpkg, dep) -> bool:
        if dep.op & V.CONFLICT and self.ignore_conflict:
            return True
        ns = self.ns(dep.name)
        if ns.locked:
            return dep_is_provided(dpkg, dep, ns.chosen_pkg, ns.chosen_version)
        if ns.requirers == 0 and dep_is_provided(dpkg, dep, None, None):
            return True
        for pkg, version in dep.name.providers:
            if self.ps(pkg).pkg_selectable and dep_is_provided(dpkg, dep, pkg, version):
                return True
        return False

    def discover_name(self, name) -> None:
        """Mark `name` and all it can lead to as seen and give it its order id (see _discovery_walk)."""
        self.discover_text(name.name)

    def name_requirers_changed(self, name) -> None:
        self.queue_unresolved(name, False)
        self.reevaluate_reverse_installif(name.name)
        self.queue_dirty(name)

    def inherit_pinning_and_flags(self, pkg, ppkg) -> None:
        db = self.db
        ps = self.ps(pkg)
        repos = db.pkg_repos(pkg)
        if ppkg is not None:
            pps = self.ps(ppkg)
            ps.solver_flags |= pps.solver_flags_inheritable
            ps.solver_flags_inheritable |= pps.solver_flags_inheritable
            ps.pinning_allowed |= pps.pinning_allowed
        else:
            ps.solver_flags |= self.solver_flags_inherit
            ps.solver_flags_inheritable |= self.solver_flags_inherit
            ps.pinning_allowed |= self.pinning_inherit
            ps.pinning_preferred = self.pinning_inherit
            ps.tag_preferred = bool(repos & db.pinning_mask_repos(ps.pinning_preferred))
        if repos & db.pinning_mask_repos(ps.pinning_allowed):
            ps.tag_ok = True

    def apply_constraint(self, ppkg, dep) -> None:
        name = dep.name
        conflict = dep.op & V.CONFLICT
        if conflict and self.ignore_conflict:
            return
        ns = self.ns(name)
        if not conflict:
            ns.requirers += 1
            if ns.requirers == 1:
                self.name_requirers_changed(name)
        for pkg0, version in name.providers:
            ps0 = self.ps(pkg0)
            provided = dep_is_provided(ppkg, dep, pkg0, version)
            if not provided:
                ps0.conflicts += 1
            if ps0.pkg_selectable and ps0.conflicts:
                self.disqualify_package(pkg0)
            if provided:
                self.inherit_pinning_and_flags(pkg0, ppkg)

    def exclude_non_providers(self, name, must_provide, skip_virtuals: bool) -> None:
        if name is must_provide or self.ignore_conflict:
            return
        for pkg, version in name.providers:
            if pkg.name is must_provide or not self.ps(pkg).pkg_selectable or (skip_virtuals and version is None):
                continue
            if any(dep.name is must_provide or (skip_virtuals and dep.version is None) for dep in pkg.provides):
                continue
            self.disqualify_package(pkg)

    def is_provider_auto_selectable(self, pkg, version) -> bool:
        """Virtual providers without provider_priority are not picked on their own."""
        if version is not None or pkg.provider_priority:
            return True
        return self.ns(pkg.name).requirers > 0

    def reconsider_name(self, name) -> None:
        ns = self.ns(name)
        reevaluate_deps = ns.reevaluate_deps
        reevaluate_iif = ns.reevaluate_iif
        ns.reevaluate_deps = False
        ns.reevaluate_iif = False
        first_candidate = None
        num_options = num_tag_not_ok = 0
        has_iif = False
        no_iif = True
        has_auto_selectable = False
        reevaluate = False
        for pkg, version in name.providers:
            ps = self.ps(pkg)
            ps.dependencies_merged = False
            if reevaluate_deps:
                if not ps.pkg_selectable:
                    continue
                for dep in pkg.depends:
                    if not self.dependency_satisfiable(pkg, dep):
                        self.disqualify_package(pkg)
                        break
            if not ps.pkg_selectable:
                continue
            if reevaluate_iif and not ps.iif_triggered and not ps.iif_failed:
                ps.iif_triggered = True
                ps.iif_failed = False
                for dep in pkg.install_if:
                    dns = self.ns(dep.name)
                    if not dns.locked:
                        if dep.op & V.CONFLICT:
                            dns.iif_needed = True
                            self.queue_unresolved(dep.name, False)
                        ps.iif_triggered = False
                        ps.iif_failed = False
                        break
                    if not dep_is_provided(pkg, dep, dns.chosen_pkg, dns.chosen_version):
                        ps.iif_triggered = False
                        ps.iif_failed = True
                        break
            if reevaluate_iif and ps.iif_triggered:
                for dep in pkg.install_if:
                    self.inherit_pinning_and_flags(pkg, self.ns(dep.name).chosen_pkg)
            has_iif |= ps.iif_triggered
            no_iif &= ps.iif_failed
            has_auto_selectable |= ps.iif_triggered
            if ns.requirers == 0:
                continue
            ps.dependencies_merged = True
            if first_candidate is None:
                first_candidate = pkg
            for dep in pkg.depends:
                if not dep.op & V.CONFLICT:
                    dns = self.ns(dep.name)
                    if dns.merge_depends == num_options:
                        dns.merge_depends = num_options + 1
            pns = self.ns(pkg.name)
            if pns.merge_provides == num_options:
                pns.merge_provides = num_options + 1
                pns.has_virtual_provides |= version is None
            for dep in pkg.provides:
                dns = self.ns(dep.name)
                if dns.merge_provides == num_options:
                    dns.merge_provides = num_options + 1
                    dns.has_virtual_provides |= dep.version is None
            num_tag_not_ok += not ps.tag_ok
            num_options += 1
            if not has_auto_selectable and self.is_provider_auto_selectable(pkg, version):
                has_auto_selectable = True
        ns.has_options = num_options > 1 or num_tag_not_ok > 0
        ns.has_iif = has_iif
        ns.no_iif = no_iif
        if has_auto_selectable != ns.has_auto_selectable:
            ns.has_auto_selectable = has_auto_selectable
            reevaluate = True

        if first_candidate is not None:
            pkg = first_candidate
            for pkg0, _ in name.providers:
                ps0 = self.ps(pkg0)
                ps0.dependencies_used = ps0.dependencies_merged
            if num_options == 1:
                for dep in pkg.depends:
                    dns = self.ns(dep.name)
                    complete = dns.merge_depends == num_options
                    dns.merge_depends = 0
                    if complete:
                        self.apply_constraint(pkg, dep)
            else:
                for dep in pkg.depends:
                    name0 = dep.name
                    dns = self.ns(name0)
                    complete = dns.merge_depends == num_options
                    dns.merge_depends = 0
                    if complete and dns.requirers == 0:
                        dns.requirers += 1
                        self.name_requirers_changed(name0)
                        for pkg0, _ in name0.providers:
                            self.inherit_pinning_and_flags(pkg0, pkg)
            pns = self.ns(pkg.name)
            complete = pns.merge_provides == num_options
            pns.merge_provides = 0
            if complete:
                self.exclude_non_providers(pkg.name, name, pns.has_virtual_provides)
            for dep in pkg.provides:
                dns = self.ns(dep.name)
                complete = dns.merge_provides == num_options
                dns.merge_provides = 0
                if complete:
                    self.exclude_non_providers(dep.name, name, dns.has_virtual_provides)
            pns.has_virtual_provides = False
            for dep in pkg.provides:
                self.ns(dep.name).has_virtual_provides = False

        ns.reverse_deps_done = True
        seen = self.walk.order
        nodes = self.db.name_nodes
        for text in self.db.reverse_dependencies(name.name):
            if text in seen:
                name0 = nodes.get(text)
                if name0 is None or name0.ss is None or not name0.ss.locked:
                    ns.reverse_deps_done = False
                    break
        self.queue_unresolved(name, reevaluate)

    # --- choosing ------------------------------------------------------------------------

    def compare_providers(self, pkg_a, version_a, pkg_b, version_b) -> int:
        """apk's preference between two providers: positive when A is better."""
        if pkg_a is None or pkg_b is None:
            return (pkg_a is not None) - (pkg_b is not None)
        a = self.ps(pkg_a)
        b = self.ps(pkg_b)
        flags = a.solver_flags | b.solver_flags
        if flags & LATEST and a.pinning_allowed == DEFAULT_PINNING and b.pinning_allowed == DEFAULT_PINNING:
            r = a.tag_ok - b.tag_ok
            if r:
                return r
            if flags & AVAILABLE:
                r = a.pkg_available - b.pkg_available
                if r:
                    return r
            elif flags & REINSTALL:
                r = a.pkg_selectable - b.pkg_selectable
                if r:
                    return r
        else:
            r = a.pkg_selectable - b.pkg_selectable
            if r:
                return r
            r = a.dependencies_used - b.dependencies_used
            if r:
                return r
            r = b.conflicts - a.conflicts
            if r:
                return r
            if (self.db.performing_preupgrade and not flags & UPGRADE) or flags & INSTALLED:
                r = (pkg_a.installed is not None) - (pkg_b.installed is not None)
                if r:
                    return r
            r = a.tag_ok - b.tag_ok
            if r:
                return r
            if flags & AVAILABLE:
                r = a.pkg_available - b.pkg_available
                if r:
                    return r
            r = a.tag_preferred - b.tag_preferred
            if r:
                return r
            if not flags & (REMOVE | UPGRADE) and (pkg_a.name is pkg_b.name or version_a is not None
                                                   or version_b is not None):
                r = (pkg_a.installed is not None) - (pkg_b.installed is not None)
                if r:
                    return r
        order = _compare_versions(version_a, version_b)
        if order == V.LESS:
            return -1
        if order == V.GREATER:
            return 1
        if pkg_a.name is pkg_b.name:
            order = _compare_versions(pkg_a.version, pkg_b.version)
            if order == V.LESS:
                return -1
            if order == V.GREATER:
                return 1
        r = pkg_a.provider_priority - pkg_b.provider_priority
        if r:
            return r
        if not flags & REMOVE:
            r = (pkg_a.installed is not None) - (pkg_b.installed is not None)
            if r:
                return r
        r = a.pkg_selectable - b.pkg_selectable
        if r:
            return r
        return _first_bit(pkg_b.repos) - _first_bit(pkg_a.repos)

    def assign_name(self, name, pkg, version) -> None:
        ns = self.ns(name)
        if ns.locked:
            if version is None and ns.chosen_version is None:
                return
            if self.ignore_conflict:
                return
            self.mark_error(pkg)
            self.mark_error(ns.chosen_pkg)
            return
        ns.locked = True
        ns.chosen_pkg = pkg
        ns.chosen_version = version
        if ns.queue:
            self._unqueue(name, ns)
        ns.dirty = False
        if pkg is not None and not ns.requirers and self.ps(pkg).iif_triggered:
            for dep in pkg.install_if:
                if not self.ns(dep.name).locked:
                    self.apply_constraint(pkg, dep)
        if not self.ignore_conflict:
            for pkg0, version0 in name.providers:
                if pkg0 is pkg:
                    continue
                if version is None and version0 is None:
                    continue
                self.disqualify_package(pkg0)
        self.reevaluate_reverse_deps(name.name)
        if pkg is not None:
            self.reevaluate_reverse_installif_pkg(pkg)
        else:
            self.reevaluate_reverse_installif(name.name)

    def select_package(self, name) -> None:
        ns = self.ns(name)
        chosen_pkg = chosen_version = None
        if ns.requirers or ns.has_iif:
            for pkg, version in name.providers:
                ps = self.ps(pkg)
                if ns.requirers == 0 and (not ps.iif_triggered or not ps.tag_ok or not ps.pkg_selectable):
                    continue
                if not self.is_provider_auto_selectable(pkg, version):
                    continue
                if self.compare_providers(pkg, version, chosen_pkg, chosen_version) > 0:
                    chosen_pkg, chosen_version = pkg, version
        pkg = chosen_pkg
        if pkg is not None:
            ps = self.ps(pkg)
            if not ps.pkg_selectable or not ps.tag_ok:
                self.mark_error(pkg)
            self.assign_name(pkg.name, pkg, pkg.version)
            for dep in pkg.provides:
                self.assign_name(dep.name, pkg, dep.version)
            for dep in pkg.depends:
                self.apply_constraint(pkg, dep)
        else:
            self.assign_name(name, None, None)
            if ns.requirers > 0:
                self.errors += 1

    # --- the change set --------------------------------------------------------------------

    def record_change(self, old, new) -> None:
        db = self.db
        change = Change(old, new,
                        old.repository_tag if old is not None else 0,
                        _get_tag(db, self.ps(new).pinning_allowed, db.pkg_repos(new)) if new is not None else 0,
                        bool(new is not None and self.ps(new).solver_flags & REINSTALL))
        self.changeset.changes.append(change)

    def cset_track_deps_added(self, pkg) -> None:
        for dep in pkg.depends:
            if dep.op & V.CONFLICT:
                continue
            installed_name = self.ns(dep.name).installed_name
            if installed_name is not None:
                self.ns(installed_name).requirers += 1

    def cset_track_deps_removed(self, pkg) -> None:
        for dep in pkg.depends:
            if dep.op & V.CONFLICT:
                continue
            dns = self.ns(dep.name)
            installed_name = dns.installed_name
            if installed_name is None:
                continue
            ins = self.ns(installed_name)
            ins.requirers -= 1
            if ins.requirers > 0:
                continue
            if dns.installed_pkg is not None:
                self.cset_gen_name_remove(dns.installed_pkg)

    def cset_check_removal_by_deps(self, pkg) -> None:
        ns = self.ns(pkg.name)
        if ns.requirers == 0 and ns.chosen_pkg is None:
            self.cset_gen_name_remove(pkg)

    def cset_check_install_by_iif(self, name) -> None:
        ns = self.ns(name)
        pkg = ns.chosen_pkg
        if pkg is None or not ns.seen or ns.changeset_processed:
            return
        for dep in pkg.install_if:
            dns = self.ns(dep.name)
            if not dep.op & V.CONFLICT and not dns.changeset_processed:
                return
            if not dep_is_provided(pkg, dep, dns.chosen_pkg, dns.chosen_version):
                return
        self.cset_gen_name_change(name)

    def cset_check_removal_by_iif(self, name) -> None:
        ns = self.ns(name)
        pkg = ns.installed_pkg
        if pkg is None or ns.chosen_pkg is not None:
            return
        if ns.changeset_processed or ns.changeset_removed:
            return
        for dep in pkg.install_if:
            dns = self.ns(dep.name)
            if dns.changeset_removed and dns.chosen_pkg is None:
                self.cset_check_removal_by_deps(pkg)
                return

    def cset_check_by_reverse_iif(self, pkg, check) -> None:
        if pkg is None:
            return
        for name in self.db.rinstall_if(pkg.name):
            check(name)
        for dep in pkg.provides:
            for name in self.db.rinstall_if(dep.name):
                check(name)

    def cset_gen_name_preprocess(self, name) -> None:
        ns = self.ns(name)
        if ns.changeset_processed:
            return
        ns.changeset_processed = True
        if ns.installed_pkg is not None and (ns.chosen_pkg is None or ns.chosen_pkg.name is not name):
            self.cset_gen_name_remove(ns.installed_pkg)
        for pkg0, _ in name.providers:
            ns0 = self.ns(pkg0.name)
            if ns0.installed_pkg is pkg0 and ns0.chosen_pkg is None:
                self.cset_gen_name_remove(pkg0)

    def cset_gen_name_change(self, name) -> None:
        ns = self.ns(name)
        if ns.changeset_processed:
            return
        self.cset_gen_name_preprocess(name)
        pkg = ns.chosen_pkg
        if pkg is None:
            return
        ps = self.ps(pkg)
        if ps.in_changeset:
            return
        ps.in_changeset = True
        self.cset_gen_name_preprocess(pkg.name)
        for dep in pkg.provides:
            self.cset_gen_name_preprocess(dep.name)
        old = self.ns(pkg.name).installed_pkg
        self.cset_check_by_reverse_iif(old, self.cset_check_removal_by_iif)
        for dep in pkg.depends:
            self.cset_gen_dep(pkg, dep)
        self.record_change(old, pkg)
        self.cset_check_by_reverse_iif(pkg, self.cset_check_install_by_iif)
        self.cset_track_deps_added(pkg)
        if old is not None:
            self.cset_track_deps_removed(old)

    def cset_gen_name_remove(self, pkg) -> None:
        name = pkg.name
        ns = self.ns(name)
        ps = self.ps(pkg)
        if ps.in_changeset or (ns.chosen_pkg is not None and ns.chosen_pkg.name is name):
            return
        ns.changeset_removed = True
        ps.in_changeset = True
        for pkg0, _ in reverse_dependencies(pkg, DEP_SATISFIES, installed_only=True):
            self.cset_gen_name_remove(pkg0)
        self.cset_check_by_reverse_iif(pkg, self.cset_check_removal_by_iif)
        self.record_change(pkg, None)
        self.cset_track_deps_removed(pkg)

    def cset_gen_dep(self, ppkg, dep) -> None:
        if dep.op & V.CONFLICT and self.ignore_conflict:
            return
        ns = self.ns(dep.name)
        pkg = ns.chosen_pkg
        if not dep_is_provided(ppkg, dep, pkg, ns.chosen_version):
            self.mark_error(ppkg)
        self.cset_gen_name_change(dep.name)
        if pkg is not None and self.ps(pkg).error:
            self.mark_error(ppkg)

    def generate_changeset(self, world) -> None:
        db = self.db
        for item in db.solver_touched:
            ss = item.ss
            if isinstance(ss, NameState):
                ss.installed_pkg = ss.installed_name = None
                ss.requirers = 0
        installed = db.installed_pkgs
        for pkg in installed:
            ns = self.ns(pkg.name)
            ns.installed_pkg = pkg
            ns.installed_name = pkg.name
            for dep in pkg.provides:
                if dep.version is not None:
                    self.ns(dep.name).installed_name = pkg.name
        for pkg in installed:
            self.cset_track_deps_added(pkg)
        for pkg in installed:
            self.cset_check_removal_by_deps(pkg)
        for dep in world:
            self.cset_gen_dep(None, dep)
        for pkg in installed:
            self.cset_gen_name_change(pkg.name)

    # --- the run -------------------------------------------------------------------------

    def solve(self, world) -> None:
        self.solver_flags_inherit = self.flags
        for dep in world:
            if not dep.broken and dep.name.name not in self.walk.order:
                self.discover_name(dep.name)
        for dep in world:
            if not dep.broken:
                self.pinning_inherit = 1 << dep.tag
                self.apply_constraint(None, dep)
        self.solver_flags_inherit = 0
        self.pinning_inherit = 0
        dirty = self.dirty
        while True:
            while dirty:
                name = dirty.popleft()
                ns = name.ss
                if not ns.dirty:
                    continue
                ns.dirty = False
                self.reconsider_name(name)
            name = self.dequeue_next_name()
            if name is None:
                break
            self.select_package(name)
        self.generate_changeset(world)


def solve(db, solver_flags: int, world: list) -> tuple[Changeset, int]:
    """apk_solver_solve: the change set that makes the root match `world` (sorted in place).

    Returns (changeset, number of errors). With --force-broken-world, world entries that
    cannot be satisfied are marked broken and the solve starts over without them.
    """
    world.sort(key=lambda dep: name_display_key(dep.name.name))
    # Discovery nests as deep as chains of dependencies and provided names go (a package
    # providing a thousand commands nests a thousand deep); these are plain Python calls.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100000))
    while True:
        solver = Solver(db, solver_flags)
        with BuildingObjects():
            solver.solve(world)
        if solver.errors and db.ctx.forced("broken_world"):
            for dep in world:
                ns = dep.name.ss
                pkg = ns.chosen_pkg if ns is not None else None
                if pkg is None or pkg.ss.error:
                    dep.broken = True
            reset_solver_state(db)
            continue
        reset_solver_state(db)
        return solver.changeset, solver.errors


def _descending_order(name) -> int:
    return -name.ss.order_id


def _first_bit(mask: int) -> int:
    """ffs(): 1-based index of the lowest set bit, 0 for none."""
    return (mask & -mask).bit_length()


def _compare_versions(a: str | None, b: str | None) -> int:
    if a is None or b is None:
        return V.EQUAL if a is None and b is None else V.ANY
    return V.compare(a, b)


def _get_tag(db, pinning_mask: int, repos: int) -> int:
    for number, tag in enumerate(db.repo_tags):
        if pinning_mask & (1 << number) and tag.allowed_repos & repos:
            return number
    return 0
