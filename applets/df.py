"""df: report filesystem space (or inode) usage for mounted filesystems."""

import os

from applets.common import Fail, getopt, stdout, warn
from applets._fileutil import human_size

USAGE = """df [-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]...

Print filesystem usage statistics

\t-P\tPOSIX output format
\t-k\t1024-byte blocks (default)
\t-m\t1M-byte blocks
\t-h\tHuman readable (e.g. 1K 243M 2G)
\t-T\tPrint filesystem type
\t-t TYPE\tPrint only mounts of this type
\t-a\tShow all filesystems
\t-i\tInodes
\t-B SIZE\tBlocksize"""

SIZE_SUFFIXES = {
    "k": 1024, "K": 1024, "KiB": 1024, "m": 1024**2, "M": 1024**2, "MiB": 1024**2,
    "g": 1024**3, "G": 1024**3, "GiB": 1024**3, "T": 1024**4, "TiB": 1024**4,
    "kB": 1000, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4,
}


def _unescape(field: str) -> str:
    """Undo the octal escapes (\\040 for space...) /proc/mounts uses in names."""
    if "\\" not in field:
        return field
    import re

    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def read_mounts() -> list[tuple[str, str, str]]:
    """(device, mount point, type) for every line of /proc/mounts, in order."""
    try:
        with open("/proc/mounts", "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise Fail(f"/proc/mounts: {exc.strerror}") from None
    mounts = []
    for line in data.decode("utf-8", "surrogateescape").splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((_unescape(fields[0]), _unescape(fields[1]), fields[2]))
    return mounts


def find_mount(path: str, mounts):
    """The mount that holds path: a name match, else the first whose device matches."""
    import stat

    try:
        st = os.stat(path)
    except OSError:
        return None
    device = st.st_dev
    if stat.S_ISBLK(st.st_mode) or stat.S_ISCHR(st.st_mode):
        device = st.st_rdev
    for mount in mounts:
        name, directory, _ = mount
        if name == "rootfs":
            continue
        if path in (directory, name):
            return mount
        try:
            if name.startswith("/") and os.stat(name).st_rdev == device:
                return mount
            if os.stat(directory).st_dev == device:
                return mount
        except OSError:
            continue
    return None


def _block_size(text: str) -> int:
    body, multiplier = text, 1
    for suffix in sorted(SIZE_SUFFIXES, key=len, reverse=True):
        if body.endswith(suffix) and len(body) > len(suffix):
            body, multiplier = body[: -len(suffix)], SIZE_SUFFIXES[suffix]
            break
    if not body.isdigit() or int(body) == 0:
        raise Fail(f"invalid number '{text}'")
    return int(body) * multiplier


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "kPmhTaiB:t:")
    flags = set()
    unit = 1024
    only_type = None
    for opt, value in options:
        if opt == "-B":
            unit = _block_size(value)
        elif opt == "-t":
            only_type = value
        elif opt == "-m":
            unit = 1024 * 1024
        elif opt == "-k":
            unit = 1024
        flags.add(opt)
    posix = "-P" in flags
    human = "-h" in flags
    inodes = "-i" in flags
    if human:
        header = "     Size"
    elif inodes:
        header = "   Inodes"
    elif posix:
        header = f"{unit}-blocks"
    else:
        header = human_size(unit, 0) + "-blocks"
    out = ["Filesystem           " + ("Type       " if "-T" in flags else "")
           + f"{header:<15}Used Available {'Capacity' if posix else 'Use%'} Mounted on\n"]
    mounts = read_mounts()
    status = 0
    if paths:
        chosen = []
        for path in paths:
            mount = find_mount(path, mounts)
            if mount is None:
                stdout().write("".join(out).encode("utf-8", "surrogateescape"))
                out = []
                warn(f"{path}: can't find mount point")
                status = 1
                continue
            chosen.append(mount)
    else:
        chosen = mounts
    for device, directory, fstype in chosen:
        if only_type is not None and fstype != only_type:
            continue
        if device == "rootfs":
            continue
        try:
            fs = os.statvfs(directory)
        except OSError as exc:
            warn(f"{directory}: {exc.strerror}")
            status = 1
            continue
        block = fs.f_frsize or fs.f_bsize
        total, free, available = fs.f_blocks, fs.f_bfree, fs.f_bavail
        if inodes:
            total, free, available, block = fs.f_files, fs.f_ffree, fs.f_ffree, 1
        if total == 0 and "-a" not in flags and not paths:
            continue
        used = total - free
        percent = (used * 100 + (used + available) // 2) // (used + available) if used + available else 0
        line = f"{device:<20}"
        if len(device) > 20 and not posix:
            line += "\n" + " " * 20
        if "-T" in flags:
            line += f" {fstype:<10}"
        if human:
            line += "".join(f" {human_size(value, block):>9}" for value in (total, used, available))
        elif inodes:
            line += f" {total:9d} {used:9d} {available:9d}"
        else:
            line += "".join(f" {(value * block + unit // 2) // unit:9d}" for value in (total, used, available))
        out.append(f"{line} {percent:3d}% {directory}\n")
    stdout().write("".join(out).encode("utf-8", "surrogateescape"))
    return status
