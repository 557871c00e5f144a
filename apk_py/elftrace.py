"""Dependency tracing for package builds, as abuild does it.

- shared libraries with a SONAME provide `so:SONAME=VERSION` (VERSION from the file name
  after `.so.`, else 0); an ELF shared object without a SONAME in a library directory is
  provided under its file name;
- every DT_NEEDED library not provided inside the package becomes a `so:` dependency;
- executables in bin/ and sbin/ directories provide `cmd:NAME=PKGVER`;
- pkg-config files provide `pc:NAME=VERSION` and depend on what they require.
"""

from __future__ import annotations

import os
import re
import stat

LIBRARY_DIRS = ("lib", "usr/lib", "usr/local/lib", "lib64", "usr/lib64", "lib32", "usr/lib32")
COMMAND_DIRS = ("bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin")
PKGCONFIG_DIRS = ("usr/lib/pkgconfig", "usr/share/pkgconfig", "usr/local/lib/pkgconfig", "lib/pkgconfig")
ELF_MAGIC = b"\x7fELF"


class Trace:
    """What tracing found: provides and depends, as atoms in the order found (deduplicated)."""

    def __init__(self):
        self.provides: list[str] = []
        self.depends: list[str] = []
        self.provided_names: set[str] = set()
        self.needed: list[str] = []
        self.pc_requires: list[tuple[str, str]] = []

    def provide(self, name: str, version: str) -> None:
        if name not in self.provided_names:
            self.provided_names.add(name)
            self.provides.append(f"{name}={version}")


def _so_version(filename: str) -> str:
    """abuild's rule: what follows `.so.` in the file name, else 0."""
    _, sep, tail = filename.partition(".so.")
    return tail if sep and tail else "0"


def _elf_dynamic(path: str) -> tuple[bool, str | None, list[str]] | None:
    """(is shared object, SONAME, DT_NEEDED list) of an ELF file, None when not a dynamic ELF."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.dynamic import DynamicSection
    from elftools.elf.elffile import ELFFile

    try:
        with open(path, "rb") as handle:
            if handle.read(4) != ELF_MAGIC:
                return None
            handle.seek(0)
            elf = ELFFile(handle)
            shared = elf.header["e_type"] == "ET_DYN"
            soname, needed = None, []
            for section in elf.iter_sections():
                if not isinstance(section, DynamicSection):
                    continue
                for tag in section.iter_tags():
                    if tag.entry.d_tag == "DT_SONAME":
                        soname = tag.soname
                    elif tag.entry.d_tag == "DT_NEEDED":
                        needed.append(tag.needed)
            interpreted = any(seg["p_type"] == "PT_INTERP" for seg in elf.iter_segments())
            return shared and not interpreted, soname, needed
    except (ELFError, OSError, ValueError, KeyError):
        return None


def _in_dirs(relative: str, dirs) -> bool:
    parent = relative.rpartition("/")[0]
    return parent in dirs


_PC_FIELD = re.compile(r"^(Version|Requires|Requires\.private)\s*:\s*(.*)$")
_PC_ATOM = re.compile(r"([^\s,<>=!]+)\s*(?:(<=|>=|=|<|>|!=)\s*([^\s,]+))?")


def _pkgconfig(path: str) -> tuple[str, list[tuple[str, str]]]:
    version, requires = "0", []
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            variables = {}
            for line in handle:
                line = line.strip()
                if "=" in line and ":" not in line.split("=", 1)[0]:
                    key, _, value = line.partition("=")
                    variables[key.strip()] = value.strip()
                    continue
                match = _PC_FIELD.match(line)
                if not match:
                    continue
                value = re.sub(r"\$\{(\w+)\}", lambda m: variables.get(m.group(1), ""), match.group(2))
                if match.group(1) == "Version":
                    version = value or "0"
                else:
                    for atom in _PC_ATOM.finditer(value):
                        operator, wanted = atom.group(2), atom.group(3)
                        constraint = operator + wanted if operator in ("<=", ">=", "=", "<", ">") else ""
                        requires.append((atom.group(1), constraint))
    except OSError:
        pass
    return version, requires


def trace(tree: str, paths: list[str], pkgver: str) -> Trace:
    """Trace the files of a package tree; `paths` are root-relative, in package order."""
    result = Trace()
    for relative in paths:
        host = os.path.join(tree, relative)
        info = os.lstat(host)
        name = relative.rpartition("/")[2]
        if _in_dirs(relative, COMMAND_DIRS) and (stat.S_ISLNK(info.st_mode) or (stat.S_ISREG(info.st_mode) and info.st_mode & 0o111)):
            result.provide(f"cmd:{name}", pkgver)
        if not stat.S_ISREG(info.st_mode):
            continue
        if name.endswith(".pc") and _in_dirs(relative, PKGCONFIG_DIRS):
            version, requires = _pkgconfig(host)
            result.provide(f"pc:{name[:-3]}", version)
            result.pc_requires.extend(requires)
            continue
        dynamic = _elf_dynamic(host)
        if dynamic is None:
            continue
        shared, soname, needed = dynamic
        if soname:
            result.provide(f"so:{soname}", _so_version(name))
        elif shared and _in_dirs(relative, LIBRARY_DIRS):
            result.provide(f"so:{name}", _so_version(name))
        result.needed.extend(needed)
    wanted = [(f"so:{library}", "") for library in result.needed] + [(f"pc:{name}", c) for name, c in result.pc_requires]
    seen = set()
    for atom, constraint in wanted:
        if atom not in result.provided_names and atom not in seen:
            seen.add(atom)
            result.depends.append(atom + constraint)
    return result
