"""The change set: what a transaction does, one package at a time, in apk's order.

The solver emits one change per resulting package (including the ones that stay as they
are) and one per removal, depth first from the world, so dependencies come before the
packages needing them and removals come where apk puts them. Only some changes do
anything; those are the ones counted and shown as `(i/N)` progress lines.
"""

from __future__ import annotations

from apk_py import version as V


class Change:
    """old_pkg -> new_pkg (either may be None), with the repository tags involved."""

    __slots__ = ("old_pkg", "new_pkg", "old_repository_tag", "new_repository_tag", "reinstall")

    def __init__(self, old_pkg, new_pkg, old_repository_tag: int = 0, new_repository_tag: int = 0, reinstall: bool = False):
        self.old_pkg = old_pkg
        self.new_pkg = new_pkg
        self.old_repository_tag = old_repository_tag
        self.new_repository_tag = new_repository_tag
        self.reinstall = reinstall

    @property
    def name(self):
        return (self.new_pkg or self.old_pkg).name

    @property
    def changes_package(self) -> bool:
        """Does this change install, remove, replace or reinstall a package?"""
        return self.new_pkg is not self.old_pkg or self.reinstall

    @property
    def counts(self) -> bool:
        """Is it one of the `(i/N)` steps (a package change, or only a new pinning)?"""
        return self.changes_package or self.new_repository_tag != self.old_repository_tag

    def kind(self) -> str:
        """install, remove, reinstall, pinning, upgrade, downgrade or replace (same version)."""
        if self.old_pkg is None:
            return "install"
        if self.new_pkg is None:
            return "remove"
        if self.new_pkg is self.old_pkg:
            return "reinstall" if self.reinstall else "pinning"
        order = version_order(self.new_pkg, self.old_pkg)
        return "downgrade" if order == V.LESS else "upgrade" if order == V.GREATER else "replace"

    def __repr__(self) -> str:
        return f"Change({self.old_pkg} -> {self.new_pkg})"


def version_order(new, old) -> int:
    """apk_pkg_version_compare."""
    if new.version == old.version:
        return V.EQUAL
    return V.compare(new.version, old.version)


class Changeset:
    """The ordered changes of one solution."""

    __slots__ = ("changes",)

    def __init__(self):
        self.changes: list[Change] = []

    @property
    def active(self) -> list[Change]:
        return [change for change in self.changes if change.counts]

    @property
    def num_total_changes(self) -> int:
        return len(self.active)
