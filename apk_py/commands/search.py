"""pk search: find packages in the repositories by name, provided name or description,
like `apk search`. It looks at what the repositories offer, not at what is installed."""

from __future__ import annotations

from apk_py.commands.info import (DESCRIPTION, NAME, ORIGIN, PROVIDES, Query, exit_count, nvr, open_repositories,
                                  query_packages, reverse_dependents, write)
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PATTERNS..."
OPTIONS = (
    Option("all", "a", help="Show every matching version, not only the best one of each name"),
    Option("description", "d", help="Search package descriptions too (implies --all)"),
    Option("exact", "e", help="Match PATTERNS exactly instead of as substrings"),
    Option("exact", "x", help="Same as -e"),
    Option("has-origin", help="List the packages built from the origins PATTERNS"),
    Option("origin", "o", help="Print the origin of each package instead of its name"),
    Option("rdepends", "r", help="Print the packages depending on each match"),
)


def run(ctx, opts, args) -> int:
    match = {NAME, PROVIDES}
    all_matches = bool(opts.get("all"))
    search = True
    if opts.get("description"):
        match.add(DESCRIPTION)
        all_matches = True
    if opts.get("exact"):
        search = False
    if opts.get("has_origin"):
        match.add(ORIGIN)
        all_matches = True
        search = False
    db = open_repositories(ctx)
    packages, missing = query_packages(db, Query(match=match, all_matches=all_matches, search=search,
                                                 empty_matches_all=True), args)
    verbosity = ctx.verbosity
    show = _origin_line if opts.get("origin") else _name_line
    out = []
    if opts.get("rdepends"):
        _read_all_dependencies(db)
        seen = set()
        for pkg in packages:
            if verbosity > 0:
                seen = set()
                out.append(f"{nvr(pkg)} is required by:\n")
            out.extend(show(pkg0, verbosity) for pkg0 in reverse_dependents(pkg, False, seen))
    else:
        out.extend(show(pkg, verbosity) for pkg in packages)
    write(ctx, "".join(out))
    return exit_count(missing)


def _read_all_dependencies(db) -> None:
    """A name's reverse dependencies are known once the depending packages' lists are read."""
    for pkg in db.packages.values():
        pkg.depends


def _name_line(pkg, verbosity: int) -> str:
    text = pkg.name.name
    if verbosity > 0:
        text += f"-{pkg.version}"
    if verbosity > 1:
        text += f" - {pkg.get('T')}"
    return text + "\n"


def _origin_line(pkg, verbosity: int) -> str:
    text = pkg.get("o") or pkg.name.name
    if verbosity > 0:
        text += f"-{pkg.version}"
    return text + "\n"
