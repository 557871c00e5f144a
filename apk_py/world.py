"""etc/apk/world: the constraints the user asked for, one atom per line."""

from __future__ import annotations


from apk_py import dependency
from apk_py.errors import FormatError


def read(path: str) -> list[dependency.Dependency]:
    """The world's atoms; a missing file is an empty world (a fresh root)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise FormatError(path, exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(path, "not valid UTF-8") from None
    atoms = []
    for word in text.split():
        try:
            atoms.append(dependency.parse(word, allow_tag=True))
        except dependency.DependencyError as exc:
            raise FormatError(path, str(exc)) from None
    return atoms


def sort_key(dep: dependency.Dependency):
    return dep.name


def format(atoms) -> bytes:
    """World file contents: one atom per line, sorted by name as apk writes it."""
    return "".join(f"{dep}\n" for dep in sorted(atoms, key=sort_key)).encode("utf-8", "surrogateescape")


def write(path: str, atoms) -> None:
    """Replace the world file atomically."""
    from apk_py.fsutil import atomic_write

    atomic_write(path, format(atoms))
