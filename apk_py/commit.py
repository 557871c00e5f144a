"""Committing a solution: progress lines, the closing `OK:` line, and apk's error report.

The wording and layout follow apk-tools' commit.c exactly, since people (and scripts)
read them: `(i/N) Installing name (version)` lines in change-set order, the installed
total after the transaction (`OK: 9184 KiB in 21 packages`), and, when the solver fails,
the `ERROR: unable to select packages:` analysis naming for each problem package what it
breaks, satisfies, conflicts with or is masked by. In --simulate mode nothing is
written; otherwise the changes go to apk_py.install.
"""

from __future__ import annotations

import functools
import os
import struct
import sys

from apk_py import database
from apk_py import solver as S
from apk_py import version as V
from apk_py.changeset import version_order

_SIZE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")

STATE_PRESENT = 0x80000000
STATE_MISSING = 0x40000000
STATE_VIRTUAL_ONLY = 0x20000000
STATE_INSTALLIF = 0x10000000
STATE_COUNT_MASK = 0x0000FFFF


def human_size(value: int) -> str:
    """apk_fmt_human_size: integers up to KiB, one decimal from MiB, in C float precision."""
    scaled = _float32(value)
    unit = 0
    while unit < len(_SIZE_UNITS) - 1 and scaled >= 10000:
        scaled = _float32(scaled / 1024)
        value //= 1024
        unit += 1
    if unit < 2:
        return f"{value} {_SIZE_UNITS[unit]}"
    return f"{scaled:.1f} {_SIZE_UNITS[unit]}"


def _float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def output_width(stream) -> int:
    """apk wraps indented lists at the terminal width, or 50 columns when not on one."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 50
    return columns if columns > 25 else 50


class Indented:
    """apk_print_indented: words laid out after a label, wrapped under it."""

    def __init__(self, stream, width: int):
        self.stream = stream
        self.width = width
        self.x = 0
        self.indent = 0

    def line(self, text: str) -> None:
        self.stream.write(text)
        self.x = self.indent = 0

    def group(self, indent: int, text: str) -> None:
        self.stream.write(text)
        self.x = len(text)
        self.indent = indent or self.x + 1
        if text.endswith("\n"):
            self.x = 0

    def end(self) -> None:
        if self.x:
            self.stream.write("\n")
            self.x = self.indent = 0

    def item(self, text: str) -> None:
        if self.x <= self.indent:
            self.stream.write(" " * (self.indent - self.x) + text)
            self.x = self.indent + len(text)
        elif self.x + len(text) + 1 >= self.width:
            self.stream.write("\n" + " " * self.indent + text)
            self.x = self.indent + len(text)
        else:
            self.stream.write(" " + text)
            self.x += 1 + len(text)

    def words(self, text: str) -> None:
        for word in text.split():
            self.item(word)


def check_world(db, world) -> int:
    """Warn about world entries pinned to a tag no repository has; their count."""
    if db.ctx.forced("broken_world"):
        return 0
    bad = 0
    for dep in world:
        tag = dep.tag
        if tag == 0 or db.repo_tags[tag].allowed_repos:
            continue
        db.ctx.out.warning(f"The repository tag for world dependency '{dep.name.name}{db.repo_tags[tag].tag}' does not exist")
        bad += 1
    return bad


def solve_and_commit(ctx, db, solver_flags: int, world) -> int:
    """apk_solver_commit: solve, then commit or explain why not. Returns apk's status."""
    if check_world(db, world):
        ctx.out.error("Not committing changes due to missing repository tags.")
        return -1
    changeset, errors = S.solve(db, solver_flags, world)
    if errors:
        print_errors(ctx, db, changeset, world)
        return errors
    return commit_changeset(ctx, db, changeset, world)


# --- committing ---------------------------------------------------------------------------

def _pkg_available(db, pkg) -> bool:
    return pkg.cached or db.pkg_available(pkg)


def change_line(db, change, number: int, total: int) -> str | None:
    """The `(i/N) Installing ...` line of a change, None for a change that does nothing."""
    old, new = change.old_pkg, change.new_pkg
    digits = len(str(total))
    name = (new or old).name.name
    tag = db.repo_tags[change.new_repository_tag].tag
    versions = None
    if old is None:
        message, versions = "Installing", new.version
    elif new is None:
        message, versions = "Purging", old.version
    elif new is old:
        versions = new.version
        if change.reinstall:
            message = "Reinstalling" if _pkg_available(db, new) else "[APK unavailable, skipped] Reinstalling"
        elif change.old_repository_tag != change.new_repository_tag:
            message = "Updating pinning"
        else:
            return None
    else:
        order = version_order(new, old)
        message = "Downgrading" if order == V.LESS else "Upgrading" if order == V.GREATER else "Replacing"
    shown = versions if versions is not None else f"{old.version} -> {new.version}"
    return f"({number:>{digits}}/{total}) {message} {name}{tag} ({shown})"


def commit_changeset(ctx, db, changeset, world) -> int:
    """apk_solver_commit_changeset: show (and unless simulating, carry out) the changes."""
    out = ctx.out
    if check_world(db, world):
        out.error("Not committing changes due to missing repository tags.")
        return -1
    changes = changeset.changes
    size_diff = pkg_diff = download_size = 0
    for change in changes:
        new, old = change.new_pkg, change.old_pkg
        if new is not None:
            size_diff += new.installed_size
            pkg_diff += 1
            if new is not old and not new.repos & db.local_repos:
                download_size += new.size
        if old is not None:
            size_diff -= old.installed_size
            pkg_diff -= 1
    active = [change for change in changes if change.counts]
    total = len(active)
    if out.verbosity > 1 or ctx.interactive:
        if not _show_summary(ctx, db, changes, download_size, size_diff):
            return -1
    lines = []
    for number, change in enumerate(active, 1):
        line = change_line(db, change, number, total)
        if line is not None:
            lines.append((change, line))
    errors = 0
    if ctx.simulate:
        for _, line in lines:
            out.msg(line)
    else:
        errors = _apply(ctx, db, lines, world)
    if db.performing_preupgrade:
        return errors
    if ctx.simulate:
        packages, dirs, files, installed_bytes = db.installed_stats()
        packages += pkg_diff
        installed_bytes += size_diff
    else:
        db._installed_stats = None
        packages, dirs, files, installed_bytes = db.installed_stats()
    status = "OK:" if not errors else f"{errors} error{'s' if errors > 1 else ''};"
    if out.verbosity > 1:
        out.msg(f"{status} {packages} packages, {dirs} dirs, {files} files, {human_size(installed_bytes)}")
    else:
        out.msg(f"{status} {human_size(installed_bytes)} in {packages} packages")
    return errors


def _apply(ctx, db, lines, world) -> int:
    """Hand the package changes to the installer, printing each line as its change happens."""
    from apk_py import install
    from apk_py.dependency import Dependency

    pending = list(lines)
    work = []
    for change, _ in lines:
        new, old = change.new_pkg, change.old_pkg
        if new is not old or (change.reinstall and _pkg_available(db, new)):
            work.append((install.Change(old.record if old is not None else None,
                                        new.record if new is not None else None, change.reinstall), change))
    by_step = {id(step): change for step, change in work}

    def announce(_number, step):
        target = by_step[id(step)]
        while pending:
            change, line = pending.pop(0)
            ctx.out.msg(line)
            if change is target:
                return line
        return None

    atoms = [Dependency(dep.name.name, dep.op, dep.version, db.repo_tags[dep.tag].plain or None) for dep in world]
    failed = install.apply(ctx, db, [step for step, _ in work], atoms, announce)
    for _, line in pending:
        ctx.out.msg(line)
    return failed


def _show_summary(ctx, db, changes, download_size: int, size_diff: int) -> bool:
    """The -v / --interactive overview before a transaction; False when the user declines."""
    out = ctx.out
    details = out.verbosity >= 2
    ordered = sorted(changes, key=lambda change: S.name_display_key((change.old_pkg or change.new_pkg).name.name))

    def no_repository(change):
        new = change.new_pkg
        if new is None or new.name.has_repository_providers:
            return False
        return details or not new.name.name.startswith(".")

    _dump(ctx, db, ordered, no_repository, False,
          "NOTE: Consider running apk upgrade with --prune and/or --available.\n"
          "The following packages are no longer available from a repository")
    shown = _dump(ctx, db, ordered, lambda c: c.new_pkg is None, details, "The following packages will be REMOVED")
    shown += _dump(ctx, db, ordered, lambda c: c.new_pkg is not None and c.old_pkg is not None
                   and version_order(c.new_pkg, c.old_pkg) == V.LESS, details, "The following packages will be DOWNGRADED")
    if shown or ctx.interactive or out.verbosity > 2:
        shown += _dump(ctx, db, ordered, lambda c: c.old_pkg is None, details, "The following NEW packages will be installed")
        shown += _dump(ctx, db, ordered, lambda c: c.new_pkg is not None and c.old_pkg is not None and c.new_pkg is not c.old_pkg
                       and version_order(c.new_pkg, c.old_pkg) in (V.GREATER, V.EQUAL), details,
                       "The following packages will be upgraded")
        shown += _dump(ctx, db, ordered, lambda c: c.reinstall, details, "The following packages will be reinstalled")
        if download_size:
            out.msg(f"Need to download {human_size(download_size)} of packages.")
        freed = "disk space will be freed" if size_diff < 0 else "additional disk space will be used"
        out.msg(f"After this operation, {human_size(abs(size_diff))} of {freed}.")
    if shown and ctx.interactive and not ctx.simulate:
        out.stdout.write("Do you want to continue [Y/n]? ")
        out.stdout.flush()
        answer = sys.stdin.read(1)
        if answer not in ("y", "Y", "\n", ""):
            return False
    return True


def _dump(ctx, db, changes, wanted, details: bool, title: str) -> int:
    out = ctx.out
    indent = Indented(out.stdout, output_width(out.stdout))
    matched = 0
    for change in changes:
        if not wanted(change):
            continue
        if not matched:
            indent.group(2, f"{title}:\n")
        name = (change.new_pkg or change.old_pkg).name.name
        tag = db.repo_tags[change.new_repository_tag].tag
        if details:
            if not change.reinstall and change.new_pkg is not None and change.old_pkg is not None:
                out.stdout.write(f"  {name}{tag} ({change.old_pkg.version} -> {change.new_pkg.version})\n")
            else:
                out.stdout.write(f"  {name}{tag} ({(change.old_pkg or change.new_pkg).version})\n")
        else:
            indent.item(name)
        matched += 1
    indent.end()
    out.stdout.flush()
    return matched


# --- explaining a failure ------------------------------------------------------------------

class _ErrorReport:
    """apk_solver_print_errors: what each package of the failed solution breaks or needs."""

    def __init__(self, ctx, db, changeset, world):
        self.db = db
        self.world = world
        self.out = ctx.out
        self.marked = {change.new_pkg for change in changeset.changes if change.new_pkg is not None}
        self.name_state: dict = {}
        self.pkg_state: dict = {}
        self.indent = Indented(ctx.out.stderr, output_width(ctx.out.stdout))
        self.label = None
        self.num_labels = 0

    def label_start(self, text: str) -> None:
        if self.label:
            self.indent.line(f"  {self.label}:\n")
            self.label = None
            self.num_labels += 1
        if not self.indent.x:
            self.indent.group(0, f"    {text}")

    def label_end(self) -> None:
        self.indent.end()

    def print_pinning_errors(self, pkg, tag: int) -> None:
        db = self.db
        if pkg.installed is not None:
            return
        if not db.pkg_available(pkg) and not pkg.cached:
            self.label_start("masked in:")
            self.indent.item("--no-network")
        elif not pkg.repos and pkg.cached:
            self.label_start("masked in:")
            self.indent.item("cache")
        else:
            if pkg.repos & db.pinning_mask_repos(S.DEFAULT_PINNING | (1 << tag)):
                return
            for repo_tag in db.repo_tags:
                if pkg.repos & repo_tag.allowed_repos:
                    self.label_start("masked in:")
                    self.indent.item(repo_tag.tag)
        self.label_end()

    def print_conflicts(self, pkg) -> None:
        for pkg0, _ in pkg.name.providers:
            if pkg0 is pkg or pkg0 not in self.marked:
                continue
            self.label_start("conflicts:")
            self.indent.item(pkg0.nvr())
        for dep in pkg.provides:
            once = True
            for pkg0, version in dep.name.providers:
                if pkg0 not in self.marked:
                    continue
                if dep.version is None and version is None:
                    continue
                if once and pkg0 is pkg and version == dep.version:
                    once = False
                    continue
                self.label_start("conflicts:")
                self.indent.item(f"{pkg0.nvr()}[{dep}]")
        self.label_end()

    def print_mdeps(self, label: str, deps: list) -> None:
        if not deps:
            return
        self.label_start(label)
        for pkg, dep in sorted(deps, key=functools.cmp_to_key(_matched_dep_order)):
            if pkg is None:
                self.indent.item(f"world[{dep}{self.db.repo_tags[dep.tag].tag}]")
            else:
                self.indent.item(f"{pkg.nvr()}[{dep}]")

    def print_deps(self, pkg, match: int) -> None:
        label = "satisfies:" if match & S.DEP_SATISFIES else "breaks:"
        world_deps = [(None, dep) for dep in self.world if S.dep_analyze(None, dep, pkg) & match]
        self.print_mdeps(label, world_deps)
        self.print_mdeps(label, S.reverse_dependencies(pkg, match, marked=self.marked, once=set()))
        self.label_end()

    def print_broken_deps(self, deps, label: str) -> None:
        for dep in deps:
            if dep.broken:
                self.label_start(label)
                self.indent.item(str(dep))
        self.label_end()

    def analyze_package(self, pkg, tag: int) -> None:
        self.label = pkg.nvr()
        if pkg.uninstallable:
            self.label_start("error:")
            self.indent.item("uninstallable")
            self.label_end()
            arch = pkg.arch
            if not (arch is None or arch == "noarch" or arch in self.db.arches):
                self.label_start("arch:")
                self.indent.item(arch)
                self.label_end()
            self.print_broken_deps(pkg.depends, "depends:")
            self.print_broken_deps(pkg.provides, "provides:")
            self.print_broken_deps(pkg.install_if, "install_if:")
        self.print_pinning_errors(pkg, tag)
        self.print_conflicts(pkg)
        self.print_deps(pkg, S.DEP_CONFLICTS)
        if self.label is None:
            self.print_deps(pkg, S.DEP_SATISFIES)

    def analyze_missing_name(self, name) -> None:
        state = self.name_state
        if name.providers:
            self.label = f"{name.name} (virtual)"
            self.label_start("note:")
            self.indent.words("please select one of the 'provided by' packages explicitly")
            self.label_end()
            self.label_start("provided by:")
            for pkg0, _ in name.providers:
                state[pkg0.name] = state.get(pkg0.name, 0) + 1
            for pkg0, _ in name.providers:
                name0 = pkg0.name
                refs = state.get(name0, 0) & STATE_COUNT_MASK
                if refs == len(name0.providers):
                    self.indent.item(name0.name)
                    state[name0] = state.get(name0, 0) & ~STATE_COUNT_MASK
                elif refs > 0:
                    self.indent.item(pkg0.nvr())
                    state[name0] -= 1
            self.label_end()
        else:
            self.label = f"{name.name} (no such package)"
        self.label_start("required by:")
        for dep in self.world:
            if dep.name is not name or dep.op & V.CONFLICT:
                continue
            self.indent.item(f"world[{dep}{self.db.repo_tags[dep.tag].tag}]")
        visited = set()
        for name0 in name.rdepends:
            for pkg0, _ in name0.providers:
                if pkg0 not in self.marked or pkg0 in visited:
                    continue
                visited.add(pkg0)
                found = next((dep for dep in pkg0.depends if dep.name is name and not dep.op & V.CONFLICT), None)
                if found is not None:
                    self.indent.item(f"{pkg0.nvr()}[{found}]")
                    break
        self.label_end()

    def analyze_deps(self, deps) -> None:
        for dep in deps:
            if dep.op & V.CONFLICT:
                continue
            name0 = dep.name
            if self.name_state.get(name0, 0) & (STATE_INSTALLIF | STATE_PRESENT | STATE_MISSING):
                continue
            self.name_state[name0] = self.name_state.get(name0, 0) | STATE_MISSING
            self.analyze_missing_name(name0)

    def discover_reverse_iif(self, name) -> None:
        for name0 in self.db.rinstall_if(name):
            for pkg, _ in name0.providers:
                if pkg not in self.marked or not pkg.install_if:
                    continue
                if any(bool(dep.op & V.CONFLICT) == bool(self.name_state.get(dep.name, 0) & (STATE_PRESENT | STATE_INSTALLIF))
                       for dep in pkg.install_if):
                    continue
                self.discover_name(pkg.name, STATE_INSTALLIF)
                for dep in pkg.provides:
                    self.discover_name(dep.name, STATE_INSTALLIF)

    def discover_name(self, name, pkg_state: int) -> None:
        for pkg, _ in name.providers:
            if pkg not in self.marked:
                continue
            state = pkg_state
            if state in (STATE_PRESENT, STATE_INSTALLIF) and not pkg.provider_priority and not _is_name_concrete(pkg, name):
                state = STATE_VIRTUAL_ONLY
            if self.pkg_state.get(pkg, 0) & state:
                continue
            self.pkg_state[pkg] = self.pkg_state.get(pkg, 0) | state
            self.name_state[pkg.name] = self.name_state.get(pkg.name, 0) | state
            for dep in pkg.provides:
                dep_state = STATE_VIRTUAL_ONLY if state == STATE_INSTALLIF and dep.version is None else state
                self.name_state[dep.name] = self.name_state.get(dep.name, 0) | dep_state
            self.discover_deps(pkg.depends)
            if state in (STATE_PRESENT, STATE_INSTALLIF):
                self.discover_reverse_iif(pkg.name)
                for dep in pkg.provides:
                    self.discover_reverse_iif(dep.name)

    def discover_deps(self, deps) -> None:
        for dep in deps:
            if not dep.op & V.CONFLICT:
                self.discover_name(dep.name, STATE_PRESENT)

    def run(self, changeset) -> None:
        self.discover_deps(self.world)
        self.out.error("unable to select packages:")
        self.analyze_deps(self.world)
        for change in changeset.changes:
            pkg = change.new_pkg
            if pkg is None:
                continue
            self.analyze_package(pkg, change.new_repository_tag)
            self.analyze_deps(pkg.depends)
        if not self.num_labels:
            self.indent.line("Huh? Error reporter did not find the broken constraints.\n")
        self.out.stderr.flush()


def print_errors(ctx, db, changeset, world) -> None:
    """The `ERROR: unable to select packages:` report for a failed solution."""
    _ErrorReport(ctx, db, changeset, world).run(changeset)


def _is_name_concrete(pkg, name) -> bool:
    if pkg.name is name:
        return True
    return any(dep.name is name and dep.version is not None for dep in pkg.provides)


def _matched_dep_order(first, second) -> int:
    """matched_dep_sort: by package (name, then version), then by operator."""
    pkg1, dep1 = first
    pkg2, dep2 = second
    if pkg1 is not None and pkg2 is not None and pkg1 is not pkg2:
        if pkg1.name is not pkg2.name:
            key1, key2 = S.name_display_key(pkg1.name.name), S.name_display_key(pkg2.name.name)
            return -1 if key1 < key2 else 1
        order = version_order(pkg1, pkg2)
        if order == V.LESS:
            return -1
        if order == V.GREATER:
            return 1
    return dep1.op - dep2.op


def exit_status(result: int) -> int:
    """apk's exit status for an applet result: negative becomes 99, counts are capped at 99."""
    if result < 0:
        return 99
    return min(result, 99)


def copy_world(world) -> list:
    """A private copy of world entries (the solver may mark them broken)."""
    from apk_py.database import Dep

    return [Dep(dep.name, dep.op, dep.version, dep.tag, dep.broken) for dep in world]


def deps_add(deps: list, dep) -> None:
    """apk_deps_add: replace the entry for the same name, else append."""
    for number, existing in enumerate(deps):
        if existing.name is dep.name:
            deps[number] = dep
            return
    deps.append(dep)


def deps_del(deps: list, name) -> None:
    """apk_deps_del: drop the entry for `name` (the last entry takes its place)."""
    for number, existing in enumerate(deps):
        if existing.name is name:
            last = deps.pop()
            if number < len(deps):
                deps[number] = last
            return


def installed_package(name):
    """apk_pkg_get_installed: the installed package carrying this name."""
    for pkg, _ in name.providers:
        if pkg.name is name and pkg.installed is not None:
            return pkg
    return None


def matching_names(db, patterns: list[str]):
    """apk_db_foreach_matching_name: (pattern, Name or None) for each argument; with a
    wildcard, every known name matching one of them."""
    import fnmatch

    if not any("*" in pattern for pattern in patterns):
        for pattern in patterns:
            yield pattern, db.query_name(pattern)
        return
    names = db.known_names()
    database.sort_names(names)
    for name in names:
        for pattern in patterns:
            if fnmatch.fnmatchcase(name.name.lower(), pattern.lower()):
                yield pattern, name
                break
