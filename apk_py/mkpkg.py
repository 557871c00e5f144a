"""Building v2 packages from a directory tree, the way abuild lays them out.

The tree is walked in sorted order, so the same inputs and SOURCE_DATE_EPOCH give the
same bytes; with SOURCE_DATE_EPOCH set every mtime and the build date are that epoch.
Dependencies are traced from the files (see elftrace) unless turned off.
"""

from __future__ import annotations

import os
import stat

from apk_py import apkfile, dependency, version
from apk_py.errors import PkError
from apk_py.tarfmt import BLOCKDEV, CHARDEV, DIRECTORY, FIFO, HARDLINK, REGULAR, SYMLINK, TarEntry

# --info keys (apk-tools 3 mkpkg names) -> .PKGINFO keys, in the order abuild writes them
INFO_KEYS = {
    "name": "pkgname",
    "version": "pkgver",
    "description": "pkgdesc",
    "url": "url",
    "build-time": "builddate",
    "packager": "packager",
    "arch": "arch",
    "origin": "origin",
    "commit": "commit",
    "maintainer": "maintainer",
    "provider-priority": "provider_priority",
    "replaces-priority": "replaces_priority",
    "license": "license",
    "replaces": "replaces",
    "depends": "depend",
    "provides": "provides",
    "install-if": "install_if",
    "triggers": "triggers",
}
LIST_KEYS = ("replaces", "depend", "provides", "install_if")
SCRIPT_TYPES = ("pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-deinstall", "post-deinstall", "trigger")


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise PkError(f"SOURCE_DATE_EPOCH is not a number: '{value}'") from None


def walk(tree: str) -> list[str]:
    """Root-relative paths of everything under `tree`, parents before children, sorted."""
    paths = []
    for directory, dirnames, filenames in os.walk(tree):
        dirnames.sort()
        relative_dir = os.path.relpath(directory, tree)
        prefix = "" if relative_dir == "." else relative_dir + "/"
        if prefix:
            paths.append(prefix.rstrip("/"))
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(directory, d))]):
            paths.append(prefix + name)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(directory, d))]
    return paths


def _xattrs(path: str) -> dict[str, str]:
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return {}
    return {f"SCHILY.xattr.{name}": os.getxattr(path, name, follow_symlinks=False).decode("utf-8", "surrogateescape") for name in sorted(names)}


def tree_members(tree: str, paths: list[str], epoch: int | None) -> tuple[list[tuple[TarEntry, bytes]], int]:
    """Tar members for the tree and the installed size (sum of regular file sizes)."""
    keep_owners = os.geteuid() == 0
    members, size = [], 0
    first_link: dict[tuple[int, int], str] = {}
    for relative in paths:
        host = os.path.join(tree, relative)
        info = os.lstat(host)
        uid, gid = (info.st_uid, info.st_gid) if keep_owners else (0, 0)
        entry = TarEntry(relative, REGULAR, stat.S_IMODE(info.st_mode), uid, gid, 0,
                         epoch if epoch is not None else int(info.st_mtime),
                         uname="root" if uid == 0 else "", gname="root" if gid == 0 else "", pax=_xattrs(host))
        data = b""
        if stat.S_ISDIR(info.st_mode):
            entry.type, entry.name = DIRECTORY, relative + "/"
        elif stat.S_ISLNK(info.st_mode):
            entry.type, entry.linkname = SYMLINK, os.readlink(host)
        elif stat.S_ISREG(info.st_mode):
            inode = (info.st_dev, info.st_ino)
            if info.st_nlink > 1 and inode in first_link:
                entry.type, entry.linkname = HARDLINK, first_link[inode]
            else:
                first_link[inode] = relative
                with open(host, "rb") as handle:
                    data = handle.read()
                entry.size = len(data)
                size += len(data)
        elif stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            entry.type = CHARDEV if stat.S_ISCHR(info.st_mode) else BLOCKDEV
            entry.devmajor, entry.devminor = os.major(info.st_rdev), os.minor(info.st_rdev)
        elif stat.S_ISFIFO(info.st_mode):
            entry.type = FIFO
        else:
            continue
        members.append((entry, data))
    return members, size


def parse_info(pairs: list[str]) -> dict[str, list[str]]:
    """`--info KEY:VALUE` options into .PKGINFO keys; list keys accumulate."""
    info: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition(":")
        if not sep:
            raise PkError(f"--info '{pair}': expected KEY:VALUE")
        field = INFO_KEYS.get(key.strip())
        if field is None:
            raise PkError(f"--info '{pair}': unknown key '{key}' (known: {', '.join(INFO_KEYS)})")
        value = value.strip()
        if field in LIST_KEYS or field == "triggers":
            info.setdefault(field, []).extend(value.split())
        else:
            info[field] = [value]
    return info


def _check(info: dict[str, list[str]]) -> None:
    for required in ("pkgname", "pkgver"):
        if not info.get(required, [""])[0]:
            raise PkError(f"mkpkg: missing --info {'name' if required == 'pkgname' else 'version'}:VALUE")
    if not version.is_valid(info["pkgver"][0]):
        raise PkError(f"mkpkg: invalid version '{info['pkgver'][0]}'")
    for key in LIST_KEYS:
        for atom in info.get(key, []):
            try:
                dependency.parse(atom, allow_tag=False)
            except dependency.DependencyError as exc:
                raise PkError(f"mkpkg: {exc}") from None


def make(info: dict[str, list[str]], tree: str | None, scripts: dict[str, bytes], trace_deps: bool = True,
         signer: tuple[str, str, str] | None = None) -> bytes:
    """The bytes of a package built from `info`, the files under `tree` and `scripts`."""
    _check(info)
    epoch = source_date_epoch()
    paths = walk(tree) if tree else []
    members, size = tree_members(tree, paths, epoch) if tree else ([], 0)
    info = {key: list(values) for key, values in info.items()}
    if trace_deps and tree:
        from apk_py import elftrace

        found = elftrace.trace(tree, paths, info["pkgver"][0])
        declared = {dependency.parse(atom).name for key in ("provides", "depend") for atom in info.get(key, [])}
        info.setdefault("provides", []).extend(atom for atom in found.provides if atom.split("=")[0] not in declared)
        provided = {dependency.parse(atom).name for atom in info.get("provides", [])}
        info.setdefault("depend", []).extend(
            atom for atom in found.depends if dependency.parse(atom).name not in declared | provided)
    info.setdefault("builddate", [str(epoch if epoch is not None else _now())])
    info.setdefault("arch", ["noarch"])
    info["size"] = [str(size)]
    lines = []
    for key in ("pkgname", "pkgver", "pkgdesc", "url", "builddate", "packager", "size", "arch", "origin", "commit",
                "maintainer", "provider_priority", "replaces_priority", "license"):
        if key in info and (info[key][0] or key in ("pkgdesc",)):
            lines.append((key, info[key][0]))
    for key in LIST_KEYS:
        lines.extend((key, atom) for atom in info.get(key, []))
    if info.get("triggers"):
        lines.append(("triggers", " ".join(info["triggers"])))
    control_scripts = {f".{kind}": body for kind, body in scripts.items()}
    return apkfile.build(lines, members, control_scripts, signer, epoch or 0)


def _now() -> int:
    import time

    return int(time.time())
