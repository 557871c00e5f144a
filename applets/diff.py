"""diff: compare files or directory trees and print the differences as a unified diff.

Hunks are chosen the way BusyBox (and the OpenBSD diff it comes from) chooses them:
a longest common subsequence found with Stone's candidate-list method over lines
grouped into equivalence classes, then changes grouped into hunks when they are
at most 2*context+1 lines apart.  Lines are compared as bytes after the -b/-w/-i
normalisation; the hunk context is printed from the old file, as BusyBox does.
Exit status: 0 same, 1 different, 2 trouble.
"""

import os
import stat as statmod
import sys

from applets.common import Fail, UsageError, getopt, stdout, warn

USAGE = """diff [-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] FILE1 FILE2

Compare files line by line and output the differences between them.
This implementation supports unified diffs only.

\t-a\tTreat all files as text
\t-b\tIgnore changes in the amount of whitespace
\t-B\tIgnore changes whose lines are all blank
\t-d\tTry hard to find a smaller set of changes
\t-i\tIgnore case differences
\t-L\tUse LABEL instead of the filename in the unified header
\t-N\tTreat absent files as empty
\t-q\tOutput only whether files differ
\t-r\tRecurse
\t-S\tStart with FILE when comparing directories
\t-T\tMake tabs line up by prefixing a tab when necessary
\t-s\tReport when two files are the same
\t-t\tExpand tabs to spaces in output
\t-U\tOutput LINES lines of context
\t-w\tIgnore all whitespace"""

LONG_OPTIONS = (
    "ignore-case", "ignore-tab-expansion", "ignore-space-change", "ignore-all-space",
    "ignore-blank-lines", "text", "unified=", "label=", "show-c-function", "brief",
    "expand-tabs", "initial-tab", "recursive", "new-file", "report-identical-files",
    "starting-file=", "minimal",
)
LONG_TO_SHORT = {
    "--ignore-case": "-i", "--ignore-tab-expansion": "-E", "--ignore-space-change": "-b",
    "--ignore-all-space": "-w", "--ignore-blank-lines": "-B", "--text": "-a", "--unified": "-U",
    "--label": "-L", "--show-c-function": "-p", "--brief": "-q", "--expand-tabs": "-t",
    "--initial-tab": "-T", "--recursive": "-r", "--new-file": "-N",
    "--report-identical-files": "-s", "--starting-file": "-S", "--minimal": "-d",
}

SAME, DIFFER, BINARY = 0, 1, 2


class Options:
    """The command-line switches that shape comparison and output."""

    def __init__(self, flags: set, context: int, labels: list):
        self.flags = flags
        self.context = context
        self.labels = labels
        self.normalizing = bool(flags & {"b", "w", "i"})


class Differ:
    """One diff run: compares files and directories, prints, tracks the exit status."""

    def __init__(self, options: Options):
        self.options = options
        self.flags = options.flags
        self.status = 0
        self.out = stdout()

    # ---- files ----

    def _read(self, path: str):
        """The file's bytes, or None after a warning when it cannot be opened or read."""
        if path == "-":
            return sys.stdin.buffer.read()
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except FileNotFoundError as exc:
            if "N" in self.flags:
                return b""
            warn(f"can't open '{path}': {exc.strerror}")
        except OSError as exc:
            warn(f"can't open '{path}': {exc.strerror}")
        return None

    def compare_files(self, paths: list[str]) -> int:
        """BusyBox diffreg: SAME, DIFFER or BINARY, printing the unified diff if any."""
        old = self._read(paths[0])
        if old is None:
            return SAME
        new = self._read(paths[1])
        if new is None:
            return SAME
        if old == new:
            return SAME
        shorter = min(len(old), len(new))
        binary = b"\0" in old[:shorter] or b"\0" in new[:shorter]
        if binary and "a" not in self.flags:
            status = BINARY
        elif "q" in self.flags and not (self.options.normalizing or "B" in self.flags):
            status = DIFFER
        else:
            status = DIFFER if self._unified(old, new, paths) else SAME
        if status != SAME:
            self.status |= 1
        return status

    def report(self, status: int, names: list[str]) -> None:
        first, second = os.fsencode(names[0]), os.fsencode(names[1])
        if status == BINARY or (status == DIFFER and "q" in self.flags):
            self.out.write(b"Files %s and %s differ\n" % (first, second))
        elif status == SAME and "s" in self.flags:
            self.out.write(b"Files %s and %s are identical\n" % (first, second))

    # ---- the algorithm ----

    def _keys(self, lines: list[bytes]) -> list[bytes]:
        """Each line as it is compared: -i folds ASCII case, -w drops and -b squeezes blanks.

        A missing final newline counts as whitespace for -b/-w, and as a difference otherwise.
        """
        flags = self.flags
        if not self.options.normalizing:
            return lines
        import re

        keys = lines
        if "i" in flags:
            keys = [line.lower() for line in keys]
        if "w" in flags:
            drop = re.compile(rb"[ \t\n\v\f\r]+").sub
            keys = [drop(b"", line) for line in keys]
        elif "b" in flags:
            squeeze = re.compile(rb"[ \t\n\v\f\r]+").sub
            keys = [squeeze(b" ", line if line.endswith(b"\n") else line + b"\n") for line in keys]
        return keys

    def _unified(self, old: bytes, new: bytes, paths: list[str]) -> bool:
        """Print the unified diff of two buffers; True when any hunk was printed (or was due)."""
        old_lines, new_lines = _split(old), _split(new)
        match = match_lines(self._keys(old_lines), self._keys(new_lines), "d" in self.flags)
        return self._print_hunks(match, (old_lines, new_lines), paths)

    def _print_hunks(self, match: list[int], files, paths: list[str]) -> bool:
        """Walk the match vector, group changes into hunks and print them (BusyBox diff())."""
        spread = 2 * self.options.context + 1
        old_count = len(files[0])
        blank_only = "B" in self.flags
        quiet = "q" in self.flags
        anychange = False
        i = 1
        while True:
            changes = []
            nonblank = False
            while True:
                a_start = i
                while a_start <= old_count and match[a_start] == match[a_start - 1] + 1:
                    a_start += 1
                b_start = match[a_start - 1] + 1
                a_end = a_start - 1
                while a_end < old_count and not match[a_end + 1]:
                    a_end += 1
                b_end = match[a_end + 1] - 1
                if a_start <= a_end or b_start <= b_end:
                    if changes and a_start > changes[-1][1] + spread and b_start > changes[-1][3] + spread:
                        break
                    if blank_only and not nonblank:
                        nonblank = any(line != b"\n" for line in files[0][a_start - 1 : a_end]) or any(
                            line != b"\n" for line in files[1][b_start - 1 : b_end]
                        )
                    changes.append((a_start, a_end, b_start, b_end))
                i = a_end + 1
                if i > old_count:
                    break
                match[a_end] = b_end
            if changes and not (blank_only and not nonblank):
                if not quiet:
                    self._print_hunk(changes, files, paths, anychange)
                anychange = True
            if i > old_count:
                return anychange

    def _print_hunk(self, changes, files, paths, header_done: bool) -> None:
        context = self.options.context
        out = []
        if not header_done:
            labels = self.options.labels
            out.append(b"--- %s\n" % os.fsencode(labels[0] if labels[0] is not None else paths[0]))
            out.append(b"+++ %s\n" % os.fsencode(labels[1] if labels[1] is not None else paths[1]))
        spans = []
        ranges = []
        for side in (0, 1):
            low = max(1, changes[0][2 * side] - context)
            high = min(len(files[side]), changes[-1][2 * side + 1] + context)
            spans.append((low, high))
            text = b" %c%d" % (b"-+"[side], min(low, high))
            if low != high:
                text += b",%d" % (high - low + 1 if low < high else 0)
            ranges.append(text)
        out.append(b"@@" + ranges[0] + ranges[1] + b" @@\n")
        old_lines, new_lines = files
        emit = self._emit
        low = spans[0][0]
        for a_start, a_end, b_start, b_end in changes:
            emit(out, old_lines, low, a_start - 1, b" ")
            emit(out, old_lines, a_start, a_end, b"-")
            emit(out, new_lines, b_start, b_end, b"+")
            low = a_end + 1
        emit(out, old_lines, low, spans[0][1], b" ")
        self.out.write(b"".join(out))

    def _emit(self, out: list, lines: list[bytes], first: int, last: int, mark: bytes) -> None:
        """Lines first..last (1-based) with their mark; -T, -t, and the no-newline note."""
        if first > last:
            return
        if "T" in self.flags:
            mark += b"\t"
        expand = "t" in self.flags
        for line in lines[first - 1 : last]:
            if expand and b"\t" in line:
                line = line.expandtabs(8)
            out.append(mark + line)
            if not line.endswith(b"\n"):
                out.append(b"\n\\ No newline at end of file\n")

    # ---- directories ----

    def _listing(self, root: str, other: str) -> list[str]:
        """Relative names under root, as BusyBox collects them, sorted bytewise."""
        names = []
        recursive = "r" in self.flags
        stack = [("", 0)]
        while stack:
            relative, depth = stack.pop()
            directory = _join(root, relative) if relative else root
            try:
                with os.scandir(directory) as it:
                    entries = [entry.name for entry in it]
            except OSError as exc:
                warn(f"{directory}: {exc.strerror}")
                continue
            for name in entries:
                child = f"{relative}/{name}" if relative else name
                path = _join(root, child)
                try:
                    st = os.stat(path)
                except OSError as exc:
                    warn(f"{path}: {exc.strerror}")
                    continue
                if not statmod.S_ISDIR(st.st_mode):
                    names.append(child)
                elif not recursive:
                    names.append(child)
                elif "N" not in self.flags and not _is_dir(_join(other, child)):
                    self.status |= 1
                else:
                    stack.append((child, depth + 1))
        names.sort(key=os.fsencode)
        return names

    def compare_dirs(self, roots: list[str], start) -> None:
        lists = [self._listing(roots[0], roots[1]), self._listing(roots[1], roots[0])]
        positions = [0, 0]
        if start is not None:
            key = os.fsencode(start)
            for side in (0, 1):
                while positions[side] < len(lists[side]) and os.fsencode(lists[side][positions[side]]) < key:
                    positions[side] += 1
        while True:
            names = [lists[s][positions[s]] if positions[s] < len(lists[s]) else None for s in (0, 1)]
            if names[0] is None and names[1] is None:
                return
            if names[0] is None:
                order = 1
            elif names[1] is None:
                order = -1
            else:
                first, second = os.fsencode(names[0]), os.fsencode(names[1])
                order = (first > second) - (first < second)
            side = 1 if order > 0 else 0
            if order and "N" not in self.flags:
                self.out.write(b"Only in %s: %s\n" % (os.fsencode(roots[side]), os.fsencode(names[side])))
                self.status |= 1
            else:
                self._compare_entry(roots, names, order, side)
            positions[side] += 1
            if order == 0:
                positions[1 - side] += 1

    def _compare_entry(self, roots, names, order: int, side: int) -> None:
        full = [None, None]
        paths = [None, None]
        stats = [None, None]
        for index in (0, 1):
            if order == 0 or index == side:
                full[index] = paths[index] = _join(roots[index], names[index])
                stats[index] = _stat(full[index])
            else:
                full[index] = _join(roots[index], names[1 - index])
                paths[index] = "/dev/null"
        if order:
            stats[1 - side] = _stat(full[side])
        modes = [st.st_mode if st else 0 for st in stats]
        dirs = [statmod.S_ISDIR(mode) for mode in modes]
        regular = [statmod.S_ISREG(mode) for mode in modes]
        out = self.out
        if dirs[0] and dirs[1]:
            out.write(b"Common subdirectories: %s and %s\n" % (os.fsencode(full[0]), os.fsencode(full[1])))
        elif not regular[0] and not dirs[0]:
            out.write(b"File %s is not a regular file or directory and was skipped\n" % os.fsencode(full[0]))
        elif not regular[1] and not dirs[1]:
            out.write(b"File %s is not a regular file or directory and was skipped\n" % os.fsencode(full[1]))
        elif dirs[0] != dirs[1]:
            kinds = [b"directory" if is_dir else b"regular file" for is_dir in dirs]
            out.write(
                b"File %s is a %s while file %s is a %s\n"
                % (os.fsencode(full[0]), kinds[0], os.fsencode(full[1]), kinds[1])
            )
        else:
            self.report(self.compare_files(paths), full)


def _split(data: bytes) -> list[bytes]:
    """Lines ending in b"\\n" (the last one may lack it); only \\n separates lines."""
    lines = data.split(b"\n")
    last = lines.pop()
    lines = [line + b"\n" for line in lines]
    if last:
        lines.append(last)
    return lines


def _join(directory: str, name: str) -> str:
    """BusyBox concat_path_file: no slash added after a directory that ends in one."""
    return directory + name if directory.endswith("/") else f"{directory}/{name}"


def _stat(path: str):
    try:
        return os.stat(path)
    except OSError:
        return None


def _is_dir(path: str) -> bool:
    st = _stat(path)
    return st is not None and statmod.S_ISDIR(st.st_mode)


def match_lines(old: list[bytes], new: list[bytes], minimal: bool) -> list[int]:
    """The match vector J: J[i] is the line of new matched to old line i (1-based), or 0.

    Common prefix and suffix are matched directly; the middle goes through Stone's
    algorithm: old lines are visited in order, and each one's candidates (equal new
    lines, in increasing order) extend or improve the list of k-candidates.  Without
    -d only max(256, sqrt(n)) candidates are tried per line, as in BusyBox.
    """
    old_count, new_count = len(old), len(new)
    prefix = 0
    limit = min(old_count, new_count)
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < old_count - prefix
        and suffix < new_count - prefix
        and old[old_count - 1 - suffix] == new[new_count - 1 - suffix]
    ):
        suffix += 1
    delta = new_count - old_count
    match = [0] * (old_count + 2)
    for i in range(prefix + 1):
        match[i] = i
    for i in range(old_count - suffix + 1, old_count + 1):
        match[i] = i + delta
    match[old_count + 1] = new_count + 1
    middle_old = old[prefix : old_count - suffix]
    middle_new = new[prefix : new_count - suffix]
    if middle_old and middle_new:
        for x, y in _stone(middle_old, middle_new, minimal):
            match[x + prefix] = y + prefix
    return match


def _stone(old: list[bytes], new: list[bytes], minimal: bool):
    """(old line, new line) pairs (1-based) of a longest common subsequence."""
    from bisect import bisect_left
    from math import isqrt

    positions = {}
    for serial, line in enumerate(new, 1):
        positions.setdefault(line, []).append(serial)
    bound = sys.maxsize if minimal else max(256, isqrt(len(old)))
    # Candidates: parallel lists of x, y and predecessor index; candidate 0 is the sentinel.
    cand_x, cand_y, cand_pred = [0], [0], [0]
    add_x, add_y, add_pred = cand_x.append, cand_y.append, cand_pred.append
    # klist[l]: the length-l candidate with the smallest y; ys[l] is that y (increasing).
    klist, ys = [0], [0]
    get = positions.get
    for x, line in enumerate(old, 1):
        serials = get(line)
        if serials is None:
            continue
        pred = klist[0]
        oldl = 0
        tries = 0
        for y in serials:
            if tries >= bound:
                break
            if y <= cand_y[pred]:
                continue
            found = bisect_left(ys, y)
            if found != oldl + 1:
                pred = klist[found - 1]
            if found < len(ys):
                if ys[found] <= y:
                    continue
                newest = len(cand_x)
                add_x(x)
                add_y(y)
                add_pred(pred)
                pred = klist[found]
                klist[found] = newest
                ys[found] = y
                oldl = found
                tries += 1
            else:
                newest = len(cand_x)
                add_x(x)
                add_y(y)
                add_pred(pred)
                klist.append(newest)
                ys.append(y)
                break
    pairs = []
    index = klist[-1]
    while cand_y[index]:
        pairs.append((cand_x[index], cand_y[index]))
        index = cand_pred[index]
    return pairs


def _parse(argv: list[str]):
    options, operands = getopt(argv[1:], "abdiL:NqrsS:tTU:wupBE", LONG_OPTIONS)
    flags = set()
    labels = []
    context = 3
    start = None
    for option, value in options:
        option = LONG_TO_SHORT.get(option, option)
        letter = option[1]
        if letter == "L":
            labels.append(value)
        elif letter == "U":
            if not value.isdigit() or not value.isascii():
                raise Fail(f"invalid number '{value}'")
            context = int(value)
        elif letter == "S":
            start = value
        else:
            flags.add(letter)
    if len(operands) != 2:
        raise UsageError()
    label_pair = [None, None]
    for label in labels:
        label_pair[0 if label_pair[0] is None else 1] = label
    return Options(flags, context, label_pair), operands, start


def main(argv: list[str]) -> int:
    options, files, start = _parse(argv)
    differ = Differ(options)
    stats = [None, None]
    stdin_count = 0
    for index, name in enumerate(files):
        if name == "-":
            stats[index] = os.fstat(0)
            stdin_count += 1
            continue
        try:
            stats[index] = os.stat(name)
        except OSError as exc:
            if "N" in options.flags:
                stats[index] = os.stat("/dev/null")
            else:
                raise Fail(f"can't stat '{name}': {exc.strerror}", 2) from None
    try:
        return _compare(differ, files, stats, stdin_count, start)
    finally:
        differ.out.flush()


def _compare(differ: Differ, files: list[str], stats: list, stdin_count: int, start) -> int:
    dirs = [statmod.S_ISDIR(st.st_mode) for st in stats]
    if stdin_count and any(dirs):
        raise Fail("can't compare stdin to a directory")
    first, second = stats
    if (first.st_ino, first.st_dev, first.st_size, first.st_mtime_ns, first.st_ctime_ns, first.st_mode,
            first.st_nlink, first.st_uid, first.st_gid) == (
            second.st_ino, second.st_dev, second.st_size, second.st_mtime_ns, second.st_ctime_ns,
            second.st_mode, second.st_nlink, second.st_uid, second.st_gid):
        return 0
    if dirs[0] and dirs[1]:
        differ.compare_dirs(files, start)
    else:
        if dirs[0] or dirs[1]:
            directory = 1 if dirs[1] else 0
            other = files[1 - directory]
            files[directory] = _join(files[directory], other.rpartition("/")[2])
            try:
                os.stat(files[directory])
            except OSError as exc:
                raise Fail(f"can't stat '{files[directory]}': {exc.strerror}") from None
        status = SAME if stdin_count > 1 else differ.compare_files(files)
        differ.report(status, files)
    return differ.status
