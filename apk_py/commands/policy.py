"""pk policy: where each version of a package comes from, like `apk policy`."""

from __future__ import annotations

from apk_py import commit, database
from apk_py.changeset import version_order
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PACKAGES..."
OPTIONS: tuple[Option, ...] = ()


def run(ctx, opts, args) -> int:
    db = database.open_database(ctx)
    packages = []
    for _, name in commit.matching_names(db, [arg for arg in args if arg]):
        if name is not None:
            packages.extend(pkg for pkg, _ in name.providers if pkg.name is name and pkg not in packages)
    packages.sort(key=lambda pkg: _display_key(pkg))
    out = ctx.out.stdout
    current = None
    for pkg in packages:
        if pkg.name is not current:
            current = pkg.name
            out.write(f"{current.name} policy:\n")
        out.write(f"  {pkg.version}:\n")
        if pkg.installed is not None:
            out.write("    lib/apk/db/installed\n")
        for bit in range(1, len(db.repos)):
            if not pkg.repos & (1 << bit):
                continue
            for number, tag in enumerate(db.repo_tags):
                if tag.allowed_repos & pkg.repos:
                    out.write(f"    {tag.tag}{' ' if number else ''}{_url_base(db.repos[bit])}\n")
    out.flush()
    return 0


class _DisplayOrder:
    """apk_pkg_cmp_display: by name, then by version."""

    __slots__ = ("pkg",)

    def __init__(self, pkg):
        self.pkg = pkg

    def __lt__(self, other) -> bool:
        a, b = self.pkg, other.pkg
        if a.name is not b.name:
            return (a.name.name.lower(), a.name.name) < (b.name.name.lower(), b.name.name)
        return version_order(a, b) == 2


def _display_key(pkg):
    return _DisplayOrder(pkg)


def _url_base(repo) -> str:
    """The repository as apk shows it: its base URL (the index's directory for an index URL)."""
    url = repo.url
    if url.startswith("test:") or url.endswith(".tar.gz"):
        return url.rsplit("/", 1)[0] if "/" in url else "."
    return url.rstrip("/")
