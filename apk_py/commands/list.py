"""pk list: packages matching patterns or criteria, one line each, like `apk list`."""

from __future__ import annotations

from apk_py import database
from apk_py.commands.info import (DEPENDS, NAME, ORIGIN, PROVIDES, DisplayOrder, Query, name_key, nvr,
                                  query_matches, upgradable_from, write)
from apk_py.options import Option

USAGE = "[<OPTIONS>...] [PATTERNS...]"
OPTIONS = (
    Option("available", "a", help="Consider only packages available from the repositories"),
    Option("depends", "d", help="List the packages depending on PATTERNS"),
    Option("installed", "I", help="Consider only installed packages"),
    Option("manifest", help="List installed packages as 'name version' lines"),
    Option("origin", "o", help="List the packages built from the origins PATTERNS"),
    Option("orphaned", "O", help="Consider only packages no repository offers"),
    Option("providers", "P", help="List the providers of PATTERNS, each prefixed by the name it provides"),
    Option("upgradable", "u", help="Consider only packages that would upgrade an installed one"),
    Option("upgradeable", help="Same as --upgradable"),
)


def run(ctx, opts, args) -> int:
    installed = bool(opts.get("installed") or opts.get("manifest"))
    if opts.get("origin"):
        match = (ORIGIN,)
    elif opts.get("depends"):
        match = (DEPENDS,)
    elif opts.get("providers"):
        match = (NAME, PROVIDES)
    else:
        match = (NAME,)
    query = Query(match=match, all_matches=True, empty_matches_all=True, installed=installed,
                  available=bool(opts.get("available")), orphaned=bool(opts.get("orphaned")),
                  upgradable=bool(opts.get("upgradable") or opts.get("upgradeable")))
    # --installed reads no system repositories (apk's NO_SYS_REPOS); -X ones still count.
    db = database.open_database(ctx, repositories_too=not installed or bool(ctx.repositories))
    matches = {}

    def report(name, pkg, _text):
        if pkg is not None:
            matches[(name or pkg.name, pkg)] = None

    query_matches(db, query, args, report)
    ordered = sorted(matches, key=lambda match: (name_key(match[0].name), DisplayOrder(match[1])))
    printer = _LinePrinter(db, ctx.verbosity, bool(opts.get("providers")), bool(opts.get("manifest")))
    write(ctx, "".join(printer.line(name, pkg) for name, pkg in ordered))
    return 0


class _LinePrinter:
    """apk's list line: `name-version arch {origin} (license) [status]`, more with -v."""

    def __init__(self, db, verbosity: int, providers: bool, manifest: bool):
        self.db = db
        self.verbosity = verbosity
        self.providers = providers
        self.manifest = manifest

    def line(self, name, pkg) -> str:
        text = f"<{name.name}> " if self.providers else ""
        if self.manifest:
            return f"{text}{pkg.name.name} {pkg.version}\n"
        if self.verbosity <= 0:
            return f"{text}{pkg.name.name}\n"
        origin = pkg.get("o") or pkg.name.name
        text += f"{nvr(pkg)} {pkg.get('A')} {{{origin}}} ({pkg.get('L')})"
        if pkg.installed is not None:
            text += " [installed]"
        else:
            older = upgradable_from(self.db, pkg)
            if older is not None:
                text += f" [upgradable from: {nvr(older)}]"
        if self.verbosity > 1:
            text += f"\n  {pkg.get('T')}\n"
            if self.verbosity > 2:
                text += f"  <{pkg.get('U')}>\n"
        return text + "\n"
