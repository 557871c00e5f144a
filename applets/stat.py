"""stat: show file or filesystem status, in BusyBox's default, terse or -c FORMAT layouts."""

import os
import stat
import time

from applets.common import UsageError, getopt, stdout, warn
from applets._fileutil import group_name, mode_string, user_name

USAGE = """stat [-ltf] [-c FMT] FILE...

Display file (default) or filesystem status

\t-c FMT\tUse the specified format
\t-f\tDisplay filesystem status
\t-L\tFollow links
\t-t\tTerse display

FMT sequences for files:
 %a\tAccess rights in octal
 %A\tAccess rights in human readable form
 %b\tNumber of blocks allocated (see %B)
 %B\tSize in bytes of each block reported by %b
 %d\tDevice number in decimal
 %D\tDevice number in hex
 %f\tRaw mode in hex
 %F\tFile type
 %g\tGroup ID
 %G\tGroup name
 %h\tNumber of hard links
 %i\tInode number
 %n\tFile name
 %N\tFile name, with -> TARGET if symlink
 %o\tI/O block size
 %s\tTotal size in bytes
 %t\tMajor device type in hex
 %T\tMinor device type in hex
 %u\tUser ID
 %U\tUser name
 %x\tTime of last access
 %X\tTime of last access as seconds since Epoch
 %y\tTime of last modification
 %Y\tTime of last modification as seconds since Epoch
 %z\tTime of last change
 %Z\tTime of last change as seconds since Epoch

FMT sequences for file systems:
 %a\tFree blocks available to non-superuser
 %b\tTotal data blocks
 %c\tTotal file nodes
 %d\tFree file nodes
 %f\tFree blocks
 %i\tFile System ID in hex
 %l\tMaximum length of filenames
 %n\tFile name
 %s\tBlock size (for faster transfer)
 %S\tFundamental block size (for block counts)
 %t\tType in hex
 %T\tType in human readable form"""

FILE_FORMAT = (
    "  File: %N\n"
    "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
    "Device: %Dh/%dd\tInode: %-10i  Links: %h\n"
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
    "Access: %x\n"
    "Modify: %y\n"
    "Change: %z"
)
DEVICE_FORMAT = FILE_FORMAT.replace("Links: %h\n", "Links: %-5h Device type: %t,%T\n")
TERSE_FORMAT = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o"
FS_FORMAT = (
    '  File: "%n"\n'
    "    ID: %-8i Namelen: %-7l Type: %T\n"
    "Block size: %-10s\n"
    "Blocks: Total: %-10b Free: %-10f Available: %a\n"
    "Inodes: Total: %-10c Free: %d"
)
FS_TERSE_FORMAT = "%n %i %l %t %s %b %f %a %c %d"

FS_TYPES = {
    0xADFF: "affs", 0x1CD1: "devpts", 0x137D: "ext", 0xEF51: "ext2", 0xEF53: "ext2/ext3",
    0x3153464A: "jfs", 0x58465342: "xfs", 0xF995E849: "hpfs", 0x9660: "isofs", 0x4000: "isofs",
    0x4004: "isofs", 0x137F: "minix", 0x138F: "minix (30 char.)", 0x2468: "minix v2",
    0x2478: "minix v2 (30 char.)", 0x4D44: "msdos", 0x4006: "fat", 0x564C: "novell",
    0x6969: "nfs", 0x9FA0: "proc", 0x517B: "smb", 0x012FF7B4: "xenix", 0x012FF7B5: "sysv4",
    0x012FF7B6: "sysv2", 0x012FF7B7: "coh", 0x00011954: "ufs", 0x012FD16D: "xia",
    0x5346544E: "ntfs", 0x1021994: "tmpfs", 0x52654973: "reiserfs", 0x28CD3D45: "cramfs",
    0x7275: "romfs", 0x858458F6: "romfs", 0x73717368: "squashfs", 0x62656572: "sysfs",
}
FLAG_CHARS = "#-+ 0123456789.'I"


def file_type(mode: int, size: int) -> str:
    if stat.S_ISREG(mode):
        return "regular file" if size else "regular empty file"
    return {
        stat.S_IFDIR: "directory",
        stat.S_IFLNK: "symbolic link",
        stat.S_IFCHR: "character special file",
        stat.S_IFBLK: "block special file",
        stat.S_IFIFO: "fifo",
        stat.S_IFSOCK: "socket",
    }.get(stat.S_IFMT(mode), "weird file")


def human_time(seconds: int, nanoseconds: int) -> str:
    local = time.localtime(seconds)
    return time.strftime("%Y-%m-%d %H:%M:%S", local) + f".{nanoseconds:09d}" + time.strftime(" %z", local)


def _statfs(path: str):
    """statfs(2) through ctypes: statvfs lacks the filesystem type. None (errno set) on failure."""
    import ctypes

    class StatFs(ctypes.Structure):
        _fields_ = [
            ("f_type", ctypes.c_long), ("f_bsize", ctypes.c_long),
            ("f_blocks", ctypes.c_ulong), ("f_bfree", ctypes.c_ulong), ("f_bavail", ctypes.c_ulong),
            ("f_files", ctypes.c_ulong), ("f_ffree", ctypes.c_ulong),
            ("f_fsid", ctypes.c_int * 2), ("f_namelen", ctypes.c_long), ("f_frsize", ctypes.c_long),
            ("f_flags", ctypes.c_long), ("f_spare", ctypes.c_long * 4),
        ]

    libc = ctypes.CDLL(None, use_errno=True)
    buf = StatFs()
    if libc.statfs(os.fsencode(path), ctypes.byref(buf)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return buf


def _file_value(conv: str, path: str, st):
    """(printf type, value) for one file directive; type 's' string, 'd' decimal, 'x', 'o'."""
    mode = st.st_mode
    if conv == "a":
        return "o", mode & 0o7777
    if conv == "A":
        return "s", mode_string(mode)
    if conv == "b":
        return "d", st.st_blocks
    if conv == "B":
        return "d", 512
    if conv == "d":
        return "d", st.st_dev
    if conv == "D":
        return "x", st.st_dev
    if conv == "f":
        return "x", mode
    if conv == "F":
        return "s", file_type(mode, st.st_size)
    if conv == "g":
        return "d", st.st_gid
    if conv == "G":
        return "s", group_name(st.st_gid) or "UNKNOWN"
    if conv == "h":
        return "d", st.st_nlink
    if conv == "i":
        return "d", st.st_ino
    if conv == "n":
        return "s", path
    if conv == "N":
        if stat.S_ISLNK(mode):
            try:
                return "s", f"'{path}' -> '{os.readlink(path)}'"
            except OSError:
                pass
        return "s", path
    if conv == "o":
        return "d", st.st_blksize
    if conv == "s":
        return "d", st.st_size
    if conv == "t":
        return "x", os.major(st.st_rdev)
    if conv == "T":
        return "x", os.minor(st.st_rdev)
    if conv == "u":
        return "d", st.st_uid
    if conv == "U":
        return "s", user_name(st.st_uid) or "UNKNOWN"
    for letter, field in (("x", "st_atime"), ("y", "st_mtime"), ("z", "st_ctime")):
        if conv == letter:
            return "s", human_time(int(getattr(st, field)), getattr(st, field + "_ns") % 10**9)
        if conv == letter.upper():
            return "d", int(getattr(st, field))
    return "s", conv


def _fs_value(conv: str, path: str, fs):
    if conv == "a":
        return "d", fs.f_bavail
    if conv == "b":
        return "d", fs.f_blocks
    if conv == "c":
        return "d", fs.f_files
    if conv == "d":
        return "d", fs.f_ffree
    if conv == "f":
        return "d", fs.f_bfree
    if conv == "i":
        low, high = (value & 0xFFFFFFFF for value in fs.f_fsid)
        return "x", (low << 32) | high
    if conv == "l":
        return "d", fs.f_namelen
    if conv == "n":
        return "s", path
    if conv == "s":
        return "d", fs.f_bsize
    if conv == "S":
        return "d", fs.f_frsize or fs.f_bsize
    if conv == "t":
        return "x", fs.f_type & 0xFFFFFFFF
    if conv == "T":
        return "s", FS_TYPES.get(fs.f_type & 0xFFFFFFFF, "UNKNOWN")
    return "s", conv


def render(fmt: str, value_of) -> str:
    """Expand %[flags][width][.precision]X directives the way BusyBox hands them to printf."""
    out = []
    i, n = 0, len(fmt)
    while i < n:
        percent = fmt.find("%", i)
        if percent < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:percent])
        j = percent + 1
        while j < n and fmt[j] in FLAG_CHARS:
            j += 1
        if j >= n:
            out.append(fmt[percent:])
            break
        conv = fmt[j]
        spec = fmt[percent + 1 : j].replace("'", "").replace("I", "")
        if conv == "%":
            out.append("%")
        else:
            kind, value = value_of(conv)
            try:
                out.append(("%" + spec + kind) % value)
            except (TypeError, ValueError):
                out.append(str(value))
        i = j + 1
    return "".join(out)


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "c:fLt", ["format=", "file-system", "dereference", "terse"])
    fmt = None
    flags = set()
    for opt, value in options:
        if opt in ("-c", "--format"):
            fmt = value
        else:
            flags.add({"--file-system": "-f", "--dereference": "-L", "--terse": "-t"}.get(opt, opt))
    if not paths:
        raise UsageError()
    out = stdout()
    status = 0
    for path in paths:
        if "-f" in flags:
            try:
                fs = _statfs(path)
            except OSError as exc:
                warn(f"can't read file system information for '{path}': {exc.strerror}")
                status = 1
                continue
            layout = fmt if fmt is not None else FS_TERSE_FORMAT if "-t" in flags else FS_FORMAT
            text = render(layout, lambda conv: _fs_value(conv, path, fs))
        else:
            try:
                st = os.stat(path) if "-L" in flags else os.lstat(path)
            except OSError as exc:
                warn(f"can't stat '{path}': {exc.strerror}")
                status = 1
                continue
            if fmt is not None:
                layout = fmt
            elif "-t" in flags:
                layout = TERSE_FORMAT
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                layout = DEVICE_FORMAT
            else:
                layout = FILE_FORMAT
            text = render(layout, lambda conv: _file_value(conv, path, st))
        out.write((text + "\n").encode("utf-8", "surrogateescape"))
    return status
