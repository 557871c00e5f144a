"""Dependency atoms as apk writes them in indexes, .PKGINFO and the world file.

`[!]name[@tag][op version]`, where op is one of = < <= > >= ~ >~ <~ (version
constraints) or >< (pin to a package identity checksum). Names may be virtual:
`so:libc.musl-x86_64.so.1`, `cmd:sh`, `pc:zlib`, `/bin/sh`.
"""

from __future__ import annotations

import re

from apk_py import version as V


class Dependency:
    """One atom. `op` is a mask of apk_py.version flags; ANY means unversioned."""

    __slots__ = ("name", "op", "version", "tag", "broken")

    def __init__(self, name: str, op: int = V.ANY, version: str | None = None, tag: str | None = None, broken: bool = False):
        self.name = name
        self.op = op
        self.version = version
        self.tag = tag
        self.broken = broken

    @property
    def conflict(self) -> bool:
        return bool(self.op & V.CONFLICT)

    def matches_version(self, version: str) -> bool:
        """Does a provider at `version` satisfy the version part (ignoring the conflict flag)."""
        op = self.op & ~V.CONFLICT
        if op == V.ANY or self.version is None:
            return True
        if op == V.CHECKSUM:
            return False
        return bool(V.compare(version, self.version, bool(op & V.FUZZY)) & op)

    def __str__(self) -> str:
        text = ("!" if self.conflict else "") + self.name
        if self.tag:
            text += "@" + self.tag
        if self.version is not None and (self.op & ~V.CONFLICT) != V.ANY:
            text += V.op_text(self.op) + self.version
        return text

    def __repr__(self) -> str:
        return f"Dependency({str(self)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Dependency) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class DependencyError(ValueError):
    """An atom apk would refuse to parse."""


# [!]name[op version]: the operator is every comparer character after the name.
ATOM = re.compile(r"(!?)([^<>=~]*)(?:([<>=~]+)(.*))?", re.S)


def split(text: str, allow_tag: bool = True) -> tuple[str, int, str | None, str | None, bool]:
    """(name, op mask, version, tag, broken) of an atom, as apk_blob_pull_dep reads it.

    `broken` marks a version apk cannot parse (the atom still parses; the package using it
    is then uninstallable). Raises DependencyError where apk refuses the atom outright.
    """
    conflict, name, operator, version = ATOM.match(text).groups()
    if operator is None:
        op, version = V.ANY, None
    else:
        op = V.op_mask(operator)
        if not version:
            raise DependencyError(f"invalid dependency '{text}'")
    if conflict:
        op |= V.CONFLICT
    tag = None
    if "@" in name:
        if not allow_tag:
            raise DependencyError(f"invalid dependency '{text}': repository tags are not allowed here")
        name, _, tag = name.partition("@")
    broken = (op & V.CHECKSUM) != V.CHECKSUM and not V.is_valid(version)
    return name, op, version, tag, broken


def parse(text: str, allow_tag: bool = True) -> Dependency:
    """Parse one atom; raises DependencyError for malformed ones."""
    name, op, version, tag, broken = split(text, allow_tag)
    if not name or any(c in name for c in " \t\n"):
        raise DependencyError(f"invalid dependency '{text}'")
    return Dependency(name, op, version, tag, broken)


def parse_list(text: str, allow_tag: bool = False) -> list[Dependency]:
    """Parse a space-separated list of atoms (D:, p:, i:, r: index fields)."""
    return [parse(word, allow_tag) for word in text.split()]
