"""ls: list directory contents in BusyBox's short, column and long formats."""

import os
import stat
import time

from applets.common import getopt, stdout, warn
from applets._fileutil import group_name, human_size, mode_string, user_name

USAGE = """ls [-1AaCxdLHRFplinshrSXvctuegk] [-w WIDTH] [FILE]...

List directory contents

\t-1\tOne column output
\t-a\tInclude names starting with .
\t-A\tLike -a, but exclude . and ..
\t-C\tList by columns
\t-x\tList by lines
\t-d\tList directory names, not contents
\t-L\tFollow symlinks
\t-H\tFollow symlinks on command line
\t-R\tRecurse
\t-p\tAppend / to directory names
\t-F\tAppend indicator (one of */=@|) to names
\t-l\tLong format
\t-g\tLong format without owner
\t-i\tList inode numbers
\t-n\tList numeric UIDs and GIDs instead of names
\t-s\tList allocated blocks
\t-k\tBlocks in kilobytes (default)
\t-lc\tList ctime
\t-lu\tList atime
\t-e,--full-time\tList full date/time
\t-h\tHuman readable sizes (1K 243M 2G)
\t--group-directories-first
\t-S\tSort by size
\t-X\tSort by extension
\t-v\tSort by version
\t-t\tSort by mtime
\t-tc\tSort by ctime
\t-tu\tSort by atime
\t-r\tReverse sort order
\t-w N\tFormat N columns wide
\t--color[={always,never,auto}]"""

LONG_OPTIONS = [
    "full-time", "group-directories-first", "color=?", "all", "almost-all", "directory",
    "recursive", "reverse", "classify", "human-readable", "inode", "numeric-uid-gid",
    "size", "dereference", "width=",
]
LONG_TO_SHORT = {
    "--all": "-a", "--almost-all": "-A", "--directory": "-d", "--recursive": "-R",
    "--reverse": "-r", "--classify": "-F", "--human-readable": "-h", "--inode": "-i",
    "--numeric-uid-gid": "-n", "--size": "-s", "--dereference": "-L", "--width": "-w",
}
LAST_SUPPORTED_CHAR = 767  # BusyBox's stock unicode limit: anything above shows as '?'
SIX_MONTHS = 365 * 24 * 3600 // 2
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# type bits -> (bold, colour) as BusyBox's --color paints them
COLOURS = {
    stat.S_IFIFO: (0, 35), stat.S_IFCHR: (1, 35), stat.S_IFDIR: (1, 34), stat.S_IFBLK: (1, 35),
    stat.S_IFREG: (0, 0), stat.S_IFLNK: (1, 36), stat.S_IFSOCK: (1, 35),
}


def _decode_one(raw: bytes, i: int) -> tuple[int, int]:
    """One character of BusyBox's own UTF-8 decoder: (code point or -1 if invalid, next index)."""
    lead = raw[i]
    i += 1
    count = 0
    probe = lead
    while True:
        probe <<= 1
        count += 1
        if not (probe & 0x80) or count >= 6:
            break
    if count == 1:
        return -1, i
    value = lead & (0xFF >> count)
    for _ in range(count - 1):
        if i >= len(raw) or raw[i] & 0xC0 != 0x80:
            return -1, i
        value = (value << 6) | (raw[i] & 0x3F)
        i += 1
    return (value if value > 0x7F else -1), i


def printable(name: str) -> str:
    """The name as BusyBox ls shows it: control, invalid and unsupported characters become '?'."""
    if name.isascii() and name.isprintable():
        return name
    raw = os.fsencode(name)
    out = []
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte < 0x80:
            out.append(chr(byte) if 0x20 <= byte < 0x7F else "?")
            i += 1
            continue
        code, i = _decode_one(raw, i)
        if code < 0 or code > LAST_SUPPORTED_CHAR or (code & ~0x80) < 0x20 or code == 0x7F:
            out.append("?")
        else:
            out.append(chr(code))
    return "".join(out)


class Entry:
    """One name to list: what to show, where it lives, its (l)stat (None if not needed)."""

    __slots__ = ("name", "path", "st", "is_dir")

    def __init__(self, name: str, path: str, st, is_dir: bool | None = None):
        self.name = name
        self.path = path
        self.st = st
        self.is_dir = stat.S_ISDIR(st.st_mode) if is_dir is None else is_dir


def _version_key(name: str):
    import re

    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name) if part]


class Lister:
    def __init__(self, options):
        flags = []
        self.width = None
        self.colour = None
        for opt, value in options:
            opt = LONG_TO_SHORT.get(opt, opt)
            if opt == "-w":
                try:
                    self.width = int(value)
                except ValueError:
                    from applets.common import Fail

                    raise Fail(f"invalid number '{value}'") from None
            elif opt == "--color":
                self.colour = value or "always"
            flags.append(opt)
        self.flags = set(flags)
        style = None
        for opt in flags:
            if opt in ("-1", "-C", "-x", "-l", "-g", "-n", "-e", "--full-time"):
                style = opt
        if style in ("-g", "-n", "-e", "--full-time"):
            style = "-l"
        if style is None:
            style = "-C" if os.isatty(1) else "-1"
        self.style = style
        self.long = style == "-l"
        has = self.flags.__contains__
        self.show_all = has("-a")
        self.almost_all = has("-A") and not has("-a")
        self.recursive = has("-R") and not has("-d")
        self.follow_all = has("-L")
        self.follow_args = has("-H") or has("-L") or not (has("-d") or has("-F") or self.long)
        self.classify = "-F" if has("-F") else "-p" if has("-p") else None
        self.human = has("-h")
        self.full_time = has("-e") or has("--full-time")
        self.numeric = has("-n")
        self.no_owner = has("-g")
        self.time_field = "st_mtime"
        for opt in flags:
            if opt == "-c":
                self.time_field = "st_ctime"
            elif opt == "-u":
                self.time_field = "st_atime"
        self.sort = "name"
        for opt in flags:
            if opt in ("-t", "-S", "-X", "-v"):
                self.sort = opt
        if self.sort == "name" and not self.long and self.time_field != "st_mtime":
            self.sort = "-t"
        if self.colour in ("always", "yes", "force"):
            self.colour = True
        elif self.colour in ("auto", "tty", "if-tty"):
            self.colour = os.isatty(1)
        elif self.colour is None:
            lscolors = os.environ.get("LS_COLORS")
            self.colour = os.isatty(1) and (lscolors is None or lscolors not in ("", "none"))
        else:
            self.colour = False
        self.show_inode = has("-i")
        self.show_blocks = has("-s")
        self.owner_cache: dict[tuple[int, int], str] = {}
        self.mode_cache: dict[int, str] = {}
        self.now = time.time()
        # a bare listing needs names only; anything shown or sorted by metadata needs lstat
        self.needs_stat = (
            self.long or self.classify is not None or self.show_inode or self.show_blocks
            or self.sort in ("-t", "-S") or bool(self.colour) or self.follow_all
            or "--group-directories-first" in self.flags
        )
        self.out = []
        self.status = 0

    # output

    def emit(self, text: str) -> None:
        self.out.append(text)
        if len(self.out) > 2048:
            self.flush()

    def flush(self) -> None:
        if self.out:
            stdout().write("".join(self.out).encode("utf-8", "surrogateescape"))
            self.out = []

    # gathering

    def stat_entry(self, name: str, path: str, follow: bool) -> Entry | None:
        try:
            st = os.stat(path) if follow else os.lstat(path)
        except OSError as exc:
            if follow and exc.errno == 2:
                try:
                    st = os.lstat(path)  # a dangling symlink is still listed, as itself
                    return Entry(name, path, st)
                except OSError:
                    pass
            self.flush()
            warn(f"{path}: {exc.strerror}")
            self.status = 1
            return None
        return Entry(name, path, st)

    def read_dir(self, path: str) -> list[Entry]:
        try:
            with os.scandir(path) as listing:
                found = [(item.name, item.path, item) for item in listing]
        except OSError as exc:
            self.flush()
            warn(f"{path}: {exc.strerror}")
            self.status = 1
            return []
        prefix = path if path.endswith("/") else path + "/"
        if self.show_all:
            found += [(".", prefix + ".", None), ("..", prefix + "..", None)]
        elif not self.almost_all:
            found = [item for item in found if not item[0].startswith(".")]
        entries = []
        for name, full, item in found:
            if self.needs_stat or item is None:
                entry = self.stat_entry(name, full, self.follow_all)
                if entry is None:
                    continue
            else:
                try:
                    is_dir = item.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                entry = Entry(name, full, None, is_dir)
            entries.append(entry)
        return entries

    def sort_entries(self, entries: list[Entry]) -> list[Entry]:
        by_name = lambda e: os.fsencode(e.name)  # noqa: E731 - byte order, as strcmp in the C locale
        entries.sort(key=by_name)
        if self.sort == "-t":
            field = self.time_field
            entries.sort(key=lambda e: int(getattr(e.st, field)), reverse=True)
        elif self.sort == "-S":
            entries.sort(key=lambda e: e.st.st_size, reverse=True)
        elif self.sort == "-X":
            entries.sort(key=lambda e: os.fsencode(e.name.rpartition(".")[2] if "." in e.name[1:] else ""))
        elif self.sort == "-v":
            entries.sort(key=lambda e: _version_key(e.name))
        if "-r" in self.flags:
            entries.reverse()
        if "--group-directories-first" in self.flags:
            entries.sort(key=lambda e: not e.is_dir)
        return entries

    # formatting

    def indicator(self, mode: int) -> str:
        if self.classify is None:
            return ""
        if stat.S_ISDIR(mode):
            return "/"
        if self.classify == "-p":
            return ""
        if stat.S_ISLNK(mode):
            return "@"
        if stat.S_ISFIFO(mode):
            return "|"
        if stat.S_ISSOCK(mode):
            return "="
        if stat.S_ISREG(mode) and mode & 0o111:
            return "*"
        return ""

    def painted(self, text: str, mode: int | None) -> str:
        if not self.colour:
            return text
        if mode is None:
            bold, colour = 1, 31
        elif stat.S_ISREG(mode) and mode & 0o111:
            bold, colour = 1, 32
        else:
            bold, colour = COLOURS.get(stat.S_IFMT(mode), (0, 0))
        return f"\033[{bold};{colour}m{text}\033[m"

    def prefix(self, entry: Entry) -> str:
        """Inode and block-count columns that come before the name in every style."""
        text = ""
        if self.show_inode:
            text += f"{entry.st.st_ino:7d} "
        if self.show_blocks:
            text += f"{(entry.st.st_blocks + 1) // 2:6d} "
        return text

    def short(self, entry: Entry) -> str:
        if entry.st is None:
            return printable(entry.name)
        mode = entry.st.st_mode
        return self.prefix(entry) + self.painted(printable(entry.name), mode) + self.indicator(mode)

    def timestamp(self, st) -> str:
        seconds = getattr(st, self.time_field)
        local = time.localtime(seconds)
        if self.full_time:
            return time.strftime("%Y-%m-%d %H:%M:%S %z", local)
        month = MONTHS[local.tm_mon - 1]
        if -15 * 60 < self.now - seconds < SIX_MONTHS:
            return f"{month} {local.tm_mday:2d} {local.tm_hour:02d}:{local.tm_min:02d}"
        return f"{month} {local.tm_mday:2d}  {local.tm_year}"

    def owners(self, st) -> str:
        key = (st.st_uid, st.st_gid)
        text = self.owner_cache.get(key)
        if text is None:
            if self.numeric:
                text = f"{st.st_gid:<8d} " if self.no_owner else f"{st.st_uid:<8d} {st.st_gid:<8d} "
            else:
                group = group_name(st.st_gid) or str(st.st_gid)
                if self.no_owner:
                    text = f"{group[:8]:<8} "
                else:
                    user = user_name(st.st_uid) or str(st.st_uid)
                    text = f"{user[:8]:<8} {group[:8]:<8} "
            self.owner_cache[key] = text
        return text

    def long_line(self, entry: Entry) -> str:
        st = entry.st
        mode = st.st_mode
        bits = self.mode_cache.get(mode)
        if bits is None:
            bits = self.mode_cache[mode] = mode_string(mode)
        if stat.S_ISBLK(mode) or stat.S_ISCHR(mode):
            size = f"{os.major(st.st_rdev):4d}, {os.minor(st.st_rdev):3d}"
        elif self.human:
            size = f"{human_size(st.st_size):>7}"
        else:
            size = f"{st.st_size:9d}"
        prefix = self.prefix(entry) if self.show_inode or self.show_blocks else ""
        line = (
            f"{prefix}{bits:<10} {st.st_nlink:4d} {self.owners(st)}{size} {self.timestamp(st)} "
            + self.painted(printable(entry.name), mode)
        )
        if stat.S_ISLNK(mode):
            try:
                target = os.readlink(entry.path)
            except OSError:
                target = ""
            try:
                target_mode = os.stat(entry.path).st_mode
            except OSError:
                target_mode = None
            line += " -> " + self.painted(printable(target), target_mode)
            if target_mode is not None:
                line += self.indicator(target_mode)
        else:
            line += self.indicator(mode)
        return line + "\n"

    def terminal_width(self) -> int:
        if self.width is not None:
            return self.width if self.width > 0 else 1 << 30
        columns = os.environ.get("COLUMNS")
        width = 0
        if columns is not None:
            try:
                width = int(columns)
            except ValueError:
                width = 0
        else:
            try:
                width = os.get_terminal_size(1).columns
            except OSError:
                width = 0
        return width if 1 < width < 30000 else 80

    def show(self, entries: list[Entry]) -> None:
        if not entries:
            return
        if self.long:
            for entry in entries:
                self.emit(self.long_line(entry))
            return
        cells = [self.short(entry) for entry in entries]
        if self.style == "-1":
            self.emit("".join(cell + "\n" for cell in cells))
            return
        widths = [
            len(printable(entry.name))
            if entry.st is None
            else len(self.prefix(entry)) + len(printable(entry.name)) + len(self.indicator(entry.st.st_mode))
            for entry in entries
        ]
        column_width = max(widths) + 2
        columns = max(self.terminal_width() // column_width, 1)
        rows = -(-len(cells) // columns)
        lines = []
        for row in range(rows):
            pieces = []
            position = 0
            for column in range(columns):
                index = row * columns + column if self.style == "-x" else column * rows + row
                if index >= len(cells):
                    continue
                if pieces:
                    target = column_width * (len(pieces) // 2 + 1)
                    pieces.append(" " * (target - position))
                    position = target
                pieces.append(cells[index])
                position += widths[index]
            lines.append("".join(pieces) + "\n")
        self.emit("".join(lines))

    def total(self, entries: list[Entry]) -> None:
        if self.long or "-s" in self.flags:
            blocks = sum(entry.st.st_blocks for entry in entries)
            kilobytes = (blocks + 1) // 2
            self.emit(f"total {human_size(kilobytes, 1024) if self.human else kilobytes}\n")

    def list_directory(self, entry: Entry, header: bool, first: bool) -> None:
        if header:
            self.emit(("" if first else "\n") + f"{entry.path}:\n")
        entries = self.sort_entries(self.read_dir(entry.path))
        self.total(entries)
        self.show(entries)
        if self.recursive:
            for sub in entries:
                if sub.is_dir and sub.name not in (".", ".."):
                    self.list_directory(sub, True, False)


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "1aACxdLHRFplginsShrtucXvkeZw:", LONG_OPTIONS)
    lister = Lister(options)
    if not operands:
        operands = ["."]
    files, dirs = [], []
    for operand in operands:
        entry = lister.stat_entry(operand, operand, lister.follow_args)
        if entry is None:
            continue
        if entry.is_dir and "-d" not in lister.flags:
            dirs.append(entry)
        else:
            files.append(entry)
    lister.show(lister.sort_entries(files))
    header = lister.recursive or len(operands) > 1
    first = not files
    for entry in lister.sort_entries(dirs):
        lister.list_directory(entry, header, first)
        first = False
    lister.flush()
    return lister.status
