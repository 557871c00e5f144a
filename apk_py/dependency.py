"""Dependency atoms as apk writes them in indexes, .PKGINFO and the world file.

`[!]name[@tag][op version]`, where op is one of = < <= > >= ~ >~ <~ (version
constraints) or >< (pin to a package identity checksum). Names may be virtual:
`so:libc.musl-x86_64.so.1`, `cmd:sh`, `pc:zlib`, `/bin/sh`.
"""

from __future__ import annotations

from apk_py import version as V

_COMPARERS = frozenset("<>=~")


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

    @property
    def is_checksum_pin(self) -> bool:
        return (self.op & ~V.CONFLICT) == V.CHECKSUM

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


def parse(text: str, allow_tag: bool = True) -> Dependency:
    """Parse one atom; raises DependencyError for malformed ones (apk_blob_pull_dep)."""
    spec = text
    op = 0
    if spec.startswith("!"):
        op |= V.CONFLICT
        spec = spec[1:]
    cut = 0
    while cut < len(spec) and spec[cut] not in _COMPARERS:
        cut += 1
    name = spec[:cut]
    version = None
    if cut < len(spec):
        end = cut
        while end < len(spec) and spec[end] in _COMPARERS:
            end += 1
        mask = V.op_mask(spec[cut:end])
        version = spec[end:]
        if not mask or not version:
            raise DependencyError(f"invalid dependency '{text}'")
        op |= mask
    else:
        op |= V.ANY
    tag = None
    if "@" in name:
        name, _, tag = name.partition("@")
        if not allow_tag:
            raise DependencyError(f"invalid dependency '{text}': repository tags are not allowed here")
    if not name or any(c in name for c in " \t\n"):
        raise DependencyError(f"invalid dependency '{text}'")
    broken = version is not None and (op & ~V.CONFLICT) != V.CHECKSUM and not V.is_valid(version)
    return Dependency(name, op, version, tag, broken)


def parse_list(text: str, allow_tag: bool = False) -> list[Dependency]:
    """Parse a space-separated list of atoms (D:, p:, i:, r: index fields)."""
    return [parse(word, allow_tag) for word in text.split()]


def format_list(deps) -> str:
    return " ".join(str(dep) for dep in deps)
