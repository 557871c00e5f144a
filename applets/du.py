"""du: summarize disk usage of files and directory trees."""

import os
import stat

from applets.common import Fail, getopt, stdout, warn
from applets._fileutil import human_size, join

USAGE = """du [-aHLdclsxhmkb] [FILE]...

Summarize disk space used for FILEs (or directories)

\t-a\tShow file sizes too
\t-b\tApparent size (including holes)
\t-L\tFollow all symlinks
\t-H\tFollow symlinks on command line
\t-d N\tLimit output to directories (and files with -a) of depth < N
\t-c\tShow grand total
\t-l\tCount sizes many times if hard linked
\t-s\tDisplay only a total for each argument
\t-x\tSkip directories on different filesystems
\t-h\tSizes in human readable format (e.g., 1K 243M 2G)
\t-m\tSizes in megabytes
\t-k\tSizes in kilobytes (default)"""


class DiskUsage:
    def __init__(self, flags: set, max_depth: int):
        self.flags = flags
        self.max_depth = max_depth
        self.apparent = "-b" in flags
        self.unit = 1024
        self.seen: set[tuple[int, int]] = set()
        self.root_dev = None
        self.status = 0
        self.out = []

    def show(self, size: int, name: str) -> None:
        """Print size (512-byte blocks, or bytes under -b) in the chosen unit."""
        if self.apparent:
            text = human_size(size) if self.unit == 0 else str(-(-size // self.unit))
        elif self.unit == 0:
            text = human_size(size, 512)
        else:
            size += (self.unit - 1) // 1024  # round up to whole units, as coreutils does
            text = human_size(size, 512, self.unit)
        self.out.append(f"{text}\t{name}\n")
        if len(self.out) > 1024:
            self.flush()

    def flush(self) -> None:
        stdout().write("".join(self.out).encode("utf-8", "surrogateescape"))
        self.out = []

    def measure(self, path: str, depth: int) -> int:
        follow = "-L" in self.flags or (depth == 0 and "-H" in self.flags)
        try:
            st = os.stat(path) if follow else os.lstat(path)
        except OSError as exc:
            self.flush()
            warn(f"{path}: {exc.strerror}")
            self.status = 1
            return 0
        if depth == 0:
            self.root_dev = st.st_dev
        elif "-x" in self.flags and st.st_dev != self.root_dev:
            return 0
        if "-l" not in self.flags and st.st_nlink > 1:
            key = (st.st_dev, st.st_ino)
            if key in self.seen:
                return 0
            self.seen.add(key)
        size = st.st_size if self.apparent else st.st_blocks
        is_dir = stat.S_ISDIR(st.st_mode)
        if is_dir:
            try:
                names = os.listdir(path)
            except OSError as exc:
                self.flush()
                warn(f"{path}: {exc.strerror}")
                self.status = 1
                names = []
            for name in names:
                size += self.measure(join(path, name), depth + 1)
        if depth <= self.max_depth and (is_dir or depth == 0 or "-a" in self.flags):
            self.show(size, path)
        return size


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "aHkLsxd:lchmb", ["apparent-size", "max-depth="])
    flags = set()
    max_depth = 1 << 30
    usage = None
    for opt, value in options:
        if opt in ("-d", "--max-depth"):
            try:
                max_depth = int(value)
            except ValueError:
                raise Fail(f"invalid number '{value}'") from None
        elif opt in ("-h", "-m", "-k", "-b", "--apparent-size"):
            opt = "-b" if opt == "--apparent-size" else opt
            flags.add(opt)
            usage = opt
        else:
            flags.add(opt)
    if "-s" in flags:
        max_depth = 0
    counter = DiskUsage(flags, max_depth)
    counter.unit = {"-h": 0, "-m": 1024 * 1024, "-k": 1024, "-b": 1}.get(usage, 1024)
    total = 0
    for path in paths or ["."]:
        total += counter.measure(path, 0)
    if "-c" in flags:
        counter.show(total, "total")
    counter.flush()
    return counter.status
