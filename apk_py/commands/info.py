"""pk info: what is known about packages, like `apk info`.

This module also holds the package query that apk-tools 3 shares between its query
commands (info, list, search, fetch): which packages an argument matches, by name,
provided name, description, origin or dependency, exactly or with shell wildcards, with
the installed/available/upgradable/orphaned filters, and the display order results come
out in. The other query commands import it from here.
"""

from __future__ import annotations

import fnmatch
import os
import re

from apk_py import database
from apk_py import solver as S
from apk_py import version as V
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PACKAGES...\n       pk info -W FILE..."
OPTIONS = (
    Option("all", "a", help="List all information known about the package"),
    Option("contents", "L", help="List the files the package installed"),
    Option("depends", "R", help="List the dependencies of the package"),
    Option("description", "d", help="Print the package description"),
    Option("exists", "e", help="Print the installed packages among PACKAGES; exit status is the number missing"),
    Option("install-if", help="List the package's install_if rule"),
    Option("installed", help="Same as --exists (deprecated)"),
    Option("license", help="Print the package license"),
    Option("provides", "P", help="List what the package provides"),
    Option("rdepends", "r", help="List the installed packages depending on the package"),
    Option("replaces", help="List the packages this package replaces"),
    Option("rinstall-if", help="List the installed packages whose install_if rule names the package"),
    Option("size", "s", help="Print the package's installed size"),
    Option("triggers", "t", help="Print the package's active triggers"),
    Option("webpage", "w", help="Print the URL of the package's upstream webpage"),
    Option("who-owns", "W", help="Print the package owning each FILE"),
)

# --- the shared query -------------------------------------------------------------------------

NAME, DESCRIPTION, ORIGIN, DEPENDS, PROVIDES = "name", "description", "origin", "depends", "provides"
# The order apk serializes a package's fields in, which is the order they are matched in.
_FIELD_ORDER = (DESCRIPTION, ORIGIN, DEPENDS, PROVIDES)
_FIELD_KEYS = {DESCRIPTION: "T", ORIGIN: "o"}
_ATOM = re.compile(r"([^<>=~]*)([<>=~]+)(.+)", re.S)


class Query:
    """What a query command asks for (apk's query spec).

    `match` names the fields an argument is compared with; `all_matches` reports every
    matching package instead of the best one per name; `search` turns each argument into
    `*ARG*`; `empty_matches_all` makes no arguments mean every package. The remaining
    flags filter the packages considered.
    """

    def __init__(self, match=(NAME,), all_matches=False, search=False, empty_matches_all=False,
                 installed=False, available=False, upgradable=False, orphaned=False):
        self.match = frozenset(match)
        self.all_matches = all_matches
        self.search = search
        self.empty_matches_all = empty_matches_all
        self.installed = installed
        self.available = available
        self.upgradable = upgradable
        self.orphaned = orphaned


class _Term:
    """One argument as a matcher: exact or a case-insensitive shell pattern, with an
    optional version constraint (`name>=1.0`) that packages must satisfy."""

    def __init__(self, arg: str, search: bool):
        self.query, self.op, self.version = arg, V.ANY, None
        if search:
            self.pattern = wildcard(f"*{arg}*")
            return
        parsed = _ATOM.fullmatch(arg)
        if parsed is not None and V.op_mask(parsed.group(2)):
            self.query, self.op, self.version = parsed.group(1), V.op_mask(parsed.group(2)), parsed.group(3)
        self.pattern = wildcard(self.query) if "*" in self.query or "?" in self.query else None

    @property
    def exact(self) -> bool:
        return self.pattern is None

    def matches(self, text: str) -> bool:
        return text == self.query if self.pattern is None else self.pattern.fullmatch(text) is not None

    def accepts_version(self, version: str | None) -> bool:
        return S.version_match(version, self.op, self.version)


def wildcard(pattern: str):
    """A compiled shell pattern matching whole strings case-insensitively (FNM_CASEFOLD)."""
    return re.compile(fnmatch.translate(pattern), re.IGNORECASE | re.DOTALL)


def upgradable_from(db, pkg):
    """The installed package `pkg` would upgrade (apk_db_pkg_upgradable), or None."""
    installed = installed_package(pkg.name)
    if installed is None or not pkg.repos & db.repo_tags[installed.repository_tag].allowed_repos:
        return None
    return installed if V.compare(installed.version, pkg.version) == V.LESS else None


def installed_package(name):
    """The installed package carrying this name itself, if any."""
    for pkg, _ in name.providers:
        if pkg.name is name and pkg.installed is not None:
            return pkg
    return None


def _names_with_packages(db) -> list:
    """Every name some package carries as its own name: the only names a query can match."""
    return list({pkg.name: None for pkg in db.packages.values()})


def query_matches(db, query: Query, args: list[str], report) -> int:
    """apk_query_matches: call report(name, pkg, query_text) for each match.

    `name` is the name the package matched through (None when that is its own name), and
    an argument that matched nothing is reported once with pkg None. Returns how many
    exact (wildcard-free) arguments matched nothing.
    """
    if query.empty_matches_all and not args:
        everything = Query(match=(), all_matches=True, installed=query.installed, available=query.available,
                           upgradable=query.upgradable, orphaned=query.orphaned)
        for name in _names_with_packages(db):
            _match_name(db, everything, None, name, lambda name, pkg: report(name, pkg, None))
        return 0
    missing = 0
    names = None
    for arg in args:
        term = _Term(arg, query.search)
        best = {}
        found = False

        def hit(name, pkg):
            nonlocal found
            found = True
            if query.all_matches:
                report(name, pkg, term.query)
                return
            chosen = best.get(pkg.name)
            if chosen is None or (chosen is not pkg and (pkg.installed is not None
                                                         or V.compare(pkg.version, chosen.version) == V.GREATER)):
                best[pkg.name] = pkg

        if query.match == {NAME} and term.exact:
            name = db.query_name(term.query)
            candidates = [name] if name is not None else []
        else:
            if names is None:
                names = _names_with_packages(db)
            candidates = names
        for name in candidates:
            _match_name(db, query, term, name, hit)
        for pkg in best.values():
            report(None, pkg, term.query)
        if not found:
            report(None, None, term.query)
            if term.exact:
                missing += 1
    return missing


def _match_name(db, query: Query, term, name, hit) -> None:
    """apk's match_name: the packages of one name that pass the filters and match."""
    if query.orphaned and name.has_repository_providers:
        return
    name_match = NAME in query.match and term.matches(name.name)
    other_fields = [field for field in _FIELD_ORDER if field in query.match]
    if query.match and not name_match and not other_fields:
        return
    for pkg, _ in name.providers:
        if pkg.name is not name:
            continue
        if query.installed and pkg.installed is None:
            continue
        if query.available and not db.pkg_available(pkg):
            continue
        if query.upgradable and upgradable_from(db, pkg) is None:
            continue
        if not query.match or (name_match and term.accepts_version(pkg.version)):
            hit(name, pkg)
            if not query.all_matches:
                continue
        _match_fields(query, term, pkg, other_fields, hit)


def _match_fields(query: Query, term, pkg, fields: list[str], hit) -> None:
    """Compare the other requested fields, in apk's order; without all_matches the first
    matching field ends it (a matching list still reports each matching entry)."""
    for field in fields:
        if field in _FIELD_KEYS:
            value = pkg.get(_FIELD_KEYS[field])
            if value and term.matches(value):
                hit(None, pkg)
                if not query.all_matches:
                    return
            continue
        matched = False
        deps = pkg.depends if field == DEPENDS else pkg.provides
        for dep in deps:
            if not term.matches(dep.name.name):
                continue
            if field == PROVIDES and not term.accepts_version(dep.version):
                continue
            hit(dep.name, pkg)
            matched = True
        if matched and not query.all_matches:
            return


def query_packages(db, query: Query, args: list[str]) -> tuple[list, int]:
    """The distinct matching packages in display order, and the count of exact arguments
    that matched nothing (apk_query_packages)."""
    found = {}

    def report(_name, pkg, _text):
        if pkg is not None:
            found[pkg] = None

    missing = query_matches(db, query, args, report)
    return sort_packages(list(found)), missing


# --- display order ----------------------------------------------------------------------------


def name_key(text: str) -> tuple[bytes, bytes]:
    """apk_name_cmp_display: ASCII case-insensitive first, then byte order."""
    raw = text.encode("utf-8", "surrogateescape")
    return raw.lower(), raw


class DisplayOrder:
    """apk_pkg_cmp_display as a sort key: by name, then by version."""

    __slots__ = ("pkg", "key")

    def __init__(self, pkg):
        self.pkg = pkg
        self.key = name_key(pkg.name.name)

    def __lt__(self, other) -> bool:
        if self.key != other.key:
            return self.key < other.key
        a, b = self.pkg.version, other.pkg.version
        return a != b and V.compare(a, b) == V.LESS


def sort_packages(packages: list) -> list:
    packages.sort(key=DisplayOrder)
    return packages


def sorted_matching_names(db, patterns: list[str]) -> list:
    """apk_db_foreach_sorted_name: (pattern, Name or None) pairs. Unknown exact names come
    first as (pattern, None), in argument order; then the matching names in display order.
    A `*` in any pattern compares every name with every pattern (case-insensitively)."""
    if not patterns:
        names = db.known_names()
        names.sort(key=lambda name: name_key(name.name))
        return [(None, name) for name in names]
    result = []
    found = []
    walk_all = False
    for pattern in patterns:
        if "*" in pattern:
            walk_all = True
            continue
        name = db.query_name(pattern)
        if name is None:
            result.append((pattern, None))
        else:
            found.append(name)
    if walk_all:
        compiled = [(pattern, wildcard(pattern)) for pattern in patterns]
        found = []
        for name in db.known_names():
            for pattern, regex in compiled:
                if regex.fullmatch(name.name):
                    found.append((pattern, name))
                    break
    else:
        found = [(name.name, name) for name in dict.fromkeys(found)]
    found.sort(key=lambda item: name_key(item[1].name))
    return result + found


# --- shared helpers -----------------------------------------------------------------------------


def open_repositories(ctx, with_world: bool = False):
    """The database as apk opens it without state: repositories only, no installed
    packages (and the world only when asked), so queries see what repositories offer."""
    if not os.path.isdir(ctx.root):
        raise PkError("Unable to open root: No such file or directory", 99)
    with database.BuildingObjects():
        db = database.Database(ctx)
        if with_world:
            db.load_world()
        db.load_repositories()
        db.finish_loading()
    return db


def reverse_dependents(pkg, installed_only: bool, seen: set) -> list:
    """apk_pkg_foreach_reverse_dependency(SATISFIES | NO_CONFLICTS, one generation): the
    packages with a dependency that `pkg` satisfies, each visited once across calls
    sharing `seen`, in apk's order."""
    found = []
    for target in [pkg.name] + [dep.name for dep in pkg.provides]:
        for name0 in target.rdepends:
            for pkg0, _ in name0.providers:
                if installed_only and pkg0.installed is None:
                    continue
                if pkg0 in seen:
                    continue
                seen.add(pkg0)
                for dep in pkg0.depends:
                    if not dep.conflict and S.dep_analyze(pkg0, dep, pkg) & S.DEP_SATISFIES:
                        found.append(pkg0)
                        break
    return found


def human_size(size: int) -> tuple[int, str]:
    """apk_get_human_size: whole units, dividing by 1024 while the number has 5 digits."""
    unit = 0
    while size >= 10000 and unit < 4:
        size //= 1024
        unit += 1
    return size, ("B", "KiB", "MiB", "GiB", "TiB")[unit]


def write(ctx, text: str) -> None:
    """Write to stdout as bytes, so names and paths that are not UTF-8 come out as read."""
    stream = ctx.out.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def say(ctx, text: str) -> None:
    """A message line on stdout unless quiet (apk_msg), written as bytes like `write`."""
    if ctx.verbosity >= 1:
        write(ctx, text + "\n")


def apk_reason(exc: PkError) -> str:
    """The reason part of a library error, cut to apk's words for signature failures."""
    reason = getattr(exc, "reason", exc.message)
    if reason.startswith(("UNTRUSTED signature", "BAD signature")):
        return reason.split(":", 1)[0]
    return reason


def nvr(pkg) -> str:
    return f"{pkg.name.name}-{pkg.version}"


def exit_count(count: int) -> int:
    """apk caps a count returned as exit status at 99."""
    return min(count, 99)


# --- the info command ---------------------------------------------------------------------------

# The fields in the order apk prints them, with whether they need the installed database.
_FIELDS = ("description", "webpage", "size", "depends", "provides", "rdepends", "contents", "triggers",
           "install_if", "rinstall_if", "replaces", "license")
_INSTALLED_ONLY = frozenset(("rdepends", "contents", "triggers", "rinstall_if", "replaces"))
_DEFAULT_FIELDS = ("description", "webpage", "size")


def run(ctx, opts, args) -> int:
    if opts.get("who_owns"):
        return _who_owns(ctx, database.open_database(ctx, repositories_too=False), args)
    if opts.get("exists") or opts.get("installed"):
        return _exists(ctx, database.open_database(ctx, repositories_too=False), args)
    db = database.open_database(ctx)
    if not args:
        installed = sort_packages(list(db.installed_pkgs))
        write(ctx, "".join(_oneline(pkg, max(ctx.verbosity, 1)) for pkg in installed))
        return 0
    fields = _FIELDS if opts.get("all") else [field for field in _FIELDS if opts.get(field)] or _DEFAULT_FIELDS
    packages, missing = query_packages(db, Query(match=(NAME, PROVIDES), all_matches=True), args)
    printer = _FieldPrinter(ctx, db)
    partial = False
    out = []
    for pkg in packages:
        for field in fields:
            if field in _INSTALLED_ONLY and pkg.installed is None:
                partial = True
                continue
            out.append(printer.field(field, pkg))
    write(ctx, "".join(out))
    if not missing and partial and opts.get("all"):
        return 1
    return exit_count(missing)


def _oneline(pkg, verbosity: int) -> str:
    """A package on one line: its name, then its version (-v), then its description (-vv)."""
    if verbosity < 1:
        return ""
    text = pkg.name.name
    if verbosity > 1:
        text += f"-{pkg.version}"
    if verbosity > 2:
        text += f" - {pkg.get('T')}"
    return text + "\n"


def _exists(ctx, db, args) -> int:
    """-e: print each argument's installed provider; the exit status counts the others."""
    errors = 0
    out = []
    for arg in args:
        try:
            dep = db.parse_atom(arg, allow_tag=True)
        except database.DepFormatError:
            continue
        ok = dep.conflict
        for pkg, version in dep.name.providers:
            if pkg.installed is None:
                continue
            ok = S.dep_is_provided(None, dep, pkg, version)
            if ok:
                out.append(_oneline(pkg, ctx.verbosity))
            break
        if not ok:
            errors += 1
    write(ctx, "".join(out))
    return exit_count(errors)


class _Owners:
    """Which installed package owns a directory or a file (the first to list it)."""

    def __init__(self, db):
        self.dirs = {}
        self.files = {}
        for pkg in db.installed_pkgs:
            for directory in pkg.installed.dirs:
                self.dirs.setdefault(directory.path, pkg)
                prefix = directory.path + "/" if directory.path else ""
                for record in directory.files:
                    self.files.setdefault(prefix + record.name, pkg)

    def owner(self, path: str):
        if path.startswith("/"):
            path = path[1:]
        path = path.rstrip("/")
        return self.dirs.get(path) or self.files.get(path)


def _who_owns(ctx, db, args) -> int:
    """-W: the package owning each file (or, for a symlink, its absolute target)."""
    owners = _Owners(db)
    errors = 0
    quiet_names = {}
    for arg in args:
        path = arg
        if not arg.startswith("/"):
            try:
                path = os.path.realpath(arg, strict=True)
            except OSError:
                pass
        pkg = owners.owner(path)
        via = ""
        if pkg is None:
            try:
                target = os.readlink(ctx.path(path.lstrip("/")))
            except OSError:
                target = ""
            if target.startswith("/"):
                pkg = owners.owner(target)
                via = "symlink target "
        if pkg is None:
            ctx.out.error(f"{path}: Could not find owner package")
            errors += 1
        elif ctx.verbosity >= 1:
            write(ctx, f"{path} {via}is owned by {nvr(pkg)}\n")
        else:
            quiet_names[pkg] = None
    if quiet_names:
        write(ctx, "".join(f"{pkg.name.name}\n" for pkg in sort_packages(list(quiet_names))))
    return exit_count(errors)


class _FieldPrinter:
    """One field of one package, laid out as apk prints it at the current verbosity."""

    def __init__(self, ctx, db):
        self.db = db
        self.verbosity = ctx.verbosity
        self.root = ctx.root
        self._triggers = None

    def field(self, field: str, pkg) -> str:
        if field == "description":
            return self._text(pkg, "description", pkg.get("T"))
        if field == "webpage":
            return self._text(pkg, "webpage", pkg.get("U"))
        if field == "license":
            return self._text(pkg, "license", pkg.get("L"))
        if field == "size":
            size, unit = human_size(pkg.installed_size)
            if self.verbosity > 1:
                return f"{pkg.name.name}: {size} {unit}\n"
            return f"{nvr(pkg)} installed size:\n{size} {unit}\n\n"
        if field == "depends":
            return self._items(pkg, "depends on", [str(dep) for dep in pkg.depends])
        if field == "provides":
            return self._items(pkg, "provides", [str(dep) for dep in pkg.provides])
        if field == "install_if":
            return self._items(pkg, "has auto-install rule", [str(dep) for dep in pkg.install_if])
        if field == "replaces":
            return self._items(pkg, "replaces", [str(dep) for dep in self.db.parse_deps(pkg.get("r"))[0]])
        if field == "rdepends":
            return self._items(pkg, "is required by", [nvr(pkg0) for pkg0 in reverse_dependents(pkg, True, set())])
        if field == "rinstall_if":
            return self._items(pkg, "affects auto-installation of", self._rinstall_if(pkg))
        if field == "contents":
            return self._lines(pkg, "contains", "", list(pkg.installed.paths()))
        return self._lines(pkg, "triggers", "trigger ", self.triggers().get(pkg.checksum, []))

    def _text(self, pkg, label: str, value: str) -> str:
        if self.verbosity > 1:
            return f"{pkg.name.name}: {value}\n"
        return f"{nvr(pkg)} {label}:\n{value}\n\n"

    def _items(self, pkg, label: str, items: list[str]) -> str:
        separator = " " if self.verbosity > 1 else "\n"
        head = f"{nvr(pkg)} {label}:\n" if self.verbosity == 1 else f"{pkg.name.name}: " if self.verbosity > 1 else ""
        return head + "".join(item + separator for item in items) + "\n"

    def _lines(self, pkg, label: str, verbose_prefix: str, items: list[str]) -> str:
        head = f"{nvr(pkg)} {label}:\n" if self.verbosity == 1 else ""
        prefix = f"{pkg.name.name}: {verbose_prefix}" if self.verbosity > 1 else ""
        return head + "".join(f"{prefix}{item}\n" for item in items) + "\n"

    def _rinstall_if(self, pkg) -> list[str]:
        """Installed packages whose install_if names this package's name."""
        found = []
        for name0 in self.db.rinstall_if(pkg.name):
            pkg0 = installed_package(name0)
            if pkg0 is not None and any(dep.name is pkg.name and not dep.conflict for dep in pkg0.install_if):
                found.append(nvr(pkg0))
        return found

    def triggers(self) -> dict:
        if self._triggers is None:
            from apk_py import scripts

            self._triggers = scripts.read_triggers(self.root)
        return self._triggers
