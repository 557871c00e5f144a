"""grep, egrep, fgrep: print lines that match patterns.

Input is read in blocks of whole lines and each block is searched with one compiled
regular expression, so scanning happens inside `re` and `bytes` methods; Python code runs
only per matching line (or, with -v, per run of non-matching lines). Context output
(-A/-B/-C), -o with -v and `-m 0` go through a line-at-a-time loop that follows
BusyBox's logic, quirks included (its `--` separator rules, -o printing context lines
whole, -ov printing only the prefixes).

Lines are the bytes as read, NULs included (BusyBox built with EXTRA_COMPAT, as Debian's
is); like BusyBox there is no binary-file detection.
"""

import os
import re
import stat
from collections import deque

from applets import _regex
from applets._lineblocks import blocks
from applets.common import Fail, UsageError, getopt, show_usage, stdout, warn

USAGE = """grep [-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...

Search for PATTERN in FILEs (or stdin)

\t-H\tAdd 'filename:' prefix
\t-h\tDo not add 'filename:' prefix
\t-n\tAdd 'line_no:' prefix
\t-l\tShow only names of files that match
\t-L\tShow only names of files that don't match
\t-c\tShow only count of matching lines
\t-o\tShow only the matching part of line
\t-q\tQuiet. Return 0 if PATTERN is found, 1 otherwise
\t-v\tSelect non-matching lines
\t-s\tSuppress open and read errors
\t-r\tRecurse
\t-R\tRecurse and dereference symlinks
\t-i\tIgnore case
\t-w\tMatch whole words only
\t-x\tMatch whole lines only
\t-F\tPATTERN is a literal (not regexp)
\t-E\tPATTERN is an extended regexp
\t-z\tNUL terminated input
\t-m N\tMatch up to N times per file
\t-A N\tPrint N lines of trailing context
\t-B N\tPrint N lines of leading context
\t-C N\tSame as '-A N -B N'
\t-e PTRN\tPattern to match
\t-f FILE\tRead pattern from file"""

BLOCK = 1 << 15
STDIN_NAME = "(standard input)"


class Options:
    """The command line, with BusyBox's option interactions applied."""

    def __init__(self, argv: list[str]):
        options, self.operands = getopt(argv[1:], "lnqvscFiHhe:f:LorRm:wxA:B:C:EGzaI", ("color=?",))
        flags = {name for name, _ in options}
        self.patterns_given: list[bytes] = []
        self.pattern_files: list[str] = []
        self.max_count = None
        self.after = self.before = 0
        self.with_filename = None
        applet = os.path.basename(argv[0])
        self.fixed = applet.startswith("f")
        self.extended = applet.startswith("e")
        for name, value in options:
            if name == "-F":
                self.fixed = True  # and it wins over -E, as in BusyBox
            elif name == "-E":
                self.extended = True
            elif name == "-G":  # GNU's explicit "basic regexp"
                self.fixed = self.extended = False
            elif name == "-e":
                self.patterns_given.append(os.fsencode(value))
            elif name == "-f":
                self.pattern_files.append(value)
            elif name == "-m":
                self.max_count = _count_argument(value)
            elif name == "-A":
                self.after = _count_argument(value)
            elif name == "-B":
                self.before = _count_argument(value)
            elif name == "-C":
                self.after = self.before = _count_argument(value)
            elif name in ("-H", "-h"):
                self.with_filename = name == "-H"
        self.eol = b"\0" if "-z" in flags else b"\n"
        self.count = "-c" in flags
        self.quiet = "-q" in flags
        self.list_matching = "-l" in flags
        self.list_nonmatching = "-L" in flags
        self.only_matching = "-o" in flags
        self.invert = "-v" in flags
        self.silent = "-s" in flags
        self.ignore_case = "-i" in flags
        self.words = "-w" in flags
        self.whole_lines = "-x" in flags
        self.recursive = bool(flags & {"-r", "-R"})
        self.follow_links = "-R" in flags
        self.line_numbers = "-n" in flags
        if self.count or self.quiet or self.list_matching or self.list_nonmatching:
            self.line_numbers = False
            self.after = self.before = 0


def _count_argument(text: str) -> int:
    """A -m/-A/-B/-C count: plain decimal digits that fit an int, as BusyBox's xatoi_positive."""
    if not text.isdigit() or not text.isascii() or int(text) > 0x7FFFFFFF:
        raise Fail(f"invalid number '{text}'", 2)
    return int(text)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def load_patterns(opts: Options) -> list[bytes]:
    """All patterns, in BusyBox's order: it builds its list by prepending, so reversed."""
    patterns = []
    for given in opts.patterns_given:
        patterns.extend(given.split(b"\n"))
    for path in opts.pattern_files:
        try:
            if path == "-":
                data = _read_all(0)
            else:
                fd = os.open(path, os.O_RDONLY)
                try:
                    data = _read_all(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            raise Fail(f"{path}: {exc.strerror}", 2) from None
        if data:
            patterns.extend((data[:-1] if data.endswith(b"\n") else data).split(b"\n"))
    if opts.pattern_files and not patterns:
        # -f EMPTY_FILE matches nothing, which BusyBox spells as an inverted match-everything
        patterns.append(b".*" if opts.whole_lines else b"")
        opts.invert = not opts.invert
    if not opts.patterns_given and not opts.pattern_files:
        if not opts.operands:
            raise UsageError("")
        patterns.extend(os.fsencode(opts.operands.pop(0)).split(b"\n"))
    patterns.reverse()
    return patterns


class Matcher:
    """The compiled patterns: one regex that selects lines, and per-pattern searchers for -o."""

    def __init__(self, patterns: list[bytes], opts: Options):
        self.opts = opts
        self.patterns = patterns
        eol = opts.eol
        self.flags = _regex.flags_for(eol, opts.ignore_case)
        if opts.whole_lines:
            start, end = ("^", "$") if eol == b"\n" else ("(?<![^\\x00])", "(?![^\\x00])")
            self.wrap = lambda source: f"{start}(?:{source}){end}"
        elif opts.words:
            self.wrap = lambda source: f"(?<!\\w)(?:{source})(?!\\w)"
        else:
            self.wrap = lambda source: source
        sources = []
        literals = []
        groups = 0
        for pattern in patterns:
            if opts.fixed:
                sources.append(re.escape(pattern).decode("latin-1"))
                literals.append(pattern)
                continue
            translation = self.translate(pattern, groups)
            groups += translation.groups
            sources.append(translation.source)
            literals.append(translation.literal)
        selector = self.wrap("|".join(f"(?:{source})" for source in sources))
        terminator = "\\x00" if eol == b"\0" else "\\n"
        self.line = _regex.compile_source(selector, self.flags)
        # One match per selected line: a match, then the rest of its line and its terminator.
        # Requiring the terminator keeps an empty match after a block's last line from
        # counting as a line (the unterminated last line of an input is a block of its own).
        self.rest_of_line = _regex.compile_source(f"(?:{selector})[^{terminator}]*{terminator}", self.flags)
        # A selected line's terminator before it, and all of it: deleting these from a block
        # (after a leading terminator is added) deletes the selected lines, for -v.
        self.whole_line = _regex.compile_source(f"{terminator}[^{terminator}]*(?:{selector})[^{terminator}]*",
                                                self.flags)
        self.fixed_sources = sources if opts.fixed else None
        self.groups = groups
        # a single plain string is found faster by bytes.find than by the regex engine
        self.literal = None
        if len(patterns) == 1 and not (opts.ignore_case or opts.words or opts.whole_lines):
            self.literal = literals[0]

    def translate(self, pattern: bytes, group_offset: int) -> _regex.Translation:
        try:
            return _regex.translate(pattern, self.opts.extended, gnu=True, eol=self.opts.eol,
                                    group_offset=group_offset)
        except _regex.RegexError:
            raise Fail(f"bad regex '{os.fsdecode(pattern)}'", 2) from None

    def searchers(self) -> list:
        """For -o: each pattern's own leftmost-longest searcher, in BusyBox's order."""
        if self.fixed_sources is not None:
            return [_regex.compile_source(self.wrap(source), self.flags) for source in self.fixed_sources]
        return [_regex.Longest(self.translate(pattern, 0), self.flags, self.wrap) for pattern in self.patterns]


class Grep:
    """Searches files and prints what the options ask for; holds BusyBox's cross-file state."""

    def __init__(self, opts: Options, matcher: Matcher):
        self.opts = opts
        self.matcher = matcher
        self.eol = opts.eol
        self.out = stdout()
        self.print_filename = False
        self.name = ""
        self.open_errors = False
        self.searchers = matcher.searchers() if opts.only_matching else None
        self.context = bool(opts.after or opts.before)
        # the `--` separator state lives across files, as in BusyBox
        self.did_print = False
        self.last_printed = 0
        self.line_at_a_time = self.context or opts.max_count == 0 or (opts.only_matching and opts.invert)
        self.mostly_selected = False  # -v: whether most lines of the last block matched

    # --- files ------------------------------------------------------------------------
    def run(self, operands: list[str]) -> int:
        opts = self.opts
        self.print_filename = len(operands) > 1
        if opts.with_filename is not None:
            self.print_filename = opts.with_filename
        matched = False
        for path in operands or ["-"]:
            if path == "-":
                self.name = STDIN_NAME
                matched |= self.grep_fd(0)
                continue
            if opts.recursive and os.path.isdir(path):
                if opts.with_filename is not False:
                    self.print_filename = True
                matched |= self.grep_tree(path)
                continue
            matched |= self.grep_path(path)
        self.out.flush()
        if self.open_errors:
            return 2
        return 0 if matched else 1

    def report(self, path: str, exc: OSError) -> None:
        if not self.opts.silent:
            warn(f"{path}: {exc.strerror}")

    def grep_path(self, path: str) -> bool:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            self.report(path, exc)
            self.open_errors = True
            return False
        self.name = path
        try:
            return self.grep_fd(fd)
        except OSError as exc:
            self.report(path, exc)
            self.open_errors = True
            return False
        finally:
            os.close(fd)

    def grep_tree(self, directory: str) -> bool:
        """Recurse like BusyBox's recursive_action: directory order, symlinks to
        directories followed only with -R, dangling symlinks reported."""
        matched = False
        try:
            entries = list(os.scandir(directory))
        except OSError as exc:
            self.report(directory, exc)
            return False
        for entry in entries:
            path = directory + entry.name if directory.endswith("/") else f"{directory}/{entry.name}"
            if entry.is_dir(follow_symlinks=self.opts.follow_links):
                matched |= self.grep_tree(path)
                continue
            if entry.is_symlink():  # -r: skip links to directories, report dangling ones
                try:
                    target = os.stat(path)
                except OSError as exc:
                    self.report(path, exc)
                    continue
                if stat.S_ISDIR(target.st_mode):
                    continue
            matched |= self.grep_path(path)
        return matched

    # --- output helpers ---------------------------------------------------------------
    def prefix(self, line_number: int, separator: bytes) -> bytes:
        prefix = os.fsencode(self.name) + separator if self.print_filename else b""
        if self.opts.line_numbers:
            prefix += b"%d" % line_number + separator
        return prefix

    def print_line(self, line: bytes, line_number: int, separator: bytes) -> None:
        """BusyBox's print_line: the `--` separator, the prefixes, then the line."""
        if self.context:
            if self.did_print and self.last_printed != line_number - 1:
                self.out.write(b"--\n")
            self.did_print = True
            self.last_printed = line_number
        text = self.prefix(line_number, separator)
        if not (self.opts.only_matching and self.opts.invert):
            text += line + self.eol
        self.out.write(text)

    def print_matches(self, line: bytes, line_number: int) -> None:
        """-o: every non-empty match of the first pattern (in BusyBox's order) that matches."""
        for index, searcher in enumerate(self.searchers):
            found = searcher.search(line)
            if found is None:
                continue
            if self.opts.fixed:
                self.print_line(self.matcher.patterns[index], line_number, b":")
                return
            while found is not None:
                start, end = found.span()
                if end > start:
                    self.print_line(line[start:end], line_number, b":")
                else:
                    end += 1
                if end > len(line):
                    return
                found = searcher.search(line, end)
            return

    def finish(self, selected: int) -> bool:
        """The per-file tail: -c prints its count, -L the name of a file without matches."""
        opts = self.opts
        if opts.count:
            name = os.fsencode(self.name) + b":" if self.print_filename else b""
            self.out.write(name + b"%d\n" % selected)
        if opts.list_nonmatching:
            self.out.write(os.fsencode(self.name) + b"\n")
            return True
        return selected != 0

    def found_one(self) -> bool:
        """A selected line under -q/-l/-L: quit, print the name, or rule the file out."""
        if self.opts.quiet:
            self.out.flush()
            raise SystemExit(0)
        if self.opts.list_matching:
            self.out.write(os.fsencode(self.name) + b"\n")
            return True
        return False

    # --- searching --------------------------------------------------------------------
    def grep_fd(self, fd: int) -> bool:
        opts = self.opts
        if self.line_at_a_time:
            return self.grep_lines(fd)
        if opts.quiet or opts.list_matching or opts.list_nonmatching:
            for buf, start, end in blocks(fd, self.eol, BLOCK):
                if self.count_selected(buf, start, end):
                    return self.found_one()
            return self.finish(0)
        if opts.count:
            total = 0
            for buf, start, end in blocks(fd, self.eol, BLOCK):
                total += self.count_selected(buf, start, end)
                if opts.max_count is not None and total >= opts.max_count:
                    total = opts.max_count
                    break
            return self.finish(total)
        state = _Progress(opts.max_count)
        plain = not (self.print_filename or opts.line_numbers or opts.only_matching or opts.max_count is not None)
        for buf, start, end in blocks(fd, self.eol, BLOCK):
            if plain and buf[end - 1] == self.eol[0]:
                selected = self.plain_block(buf, start, end)
                if selected:
                    self.out.write(selected)
                    state.selected = 1
            elif self.print_block(buf, start, end, state):
                break
        return state.selected != 0

    def plain_block(self, buf: bytes, start: int, end: int) -> bytes:
        """The selected lines of a block of terminated lines, as they are: the common case,
        kept to a few C-level calls per matching line."""
        eol = self.eol
        invert = self.opts.invert
        if invert and (self.mostly_selected or not self.matcher.groups):
            return self.unmatched_lines(buf[start:end] if start or end != len(buf) else buf)
        # buf[start - 1] is a terminator (or start is 0), so rfind finds each line's start,
        # and buf[end - 1] is one, so find finds each line's end within the block.
        find = buf.find
        rfind = buf.rfind
        pieces = []
        append = pieces.append
        previous = start
        literal = self.matcher.literal
        if literal and not invert:
            while (at := find(literal, previous, end)) >= 0:
                previous = find(eol, at) + 1
                append(buf[rfind(eol, 0, at) + 1 : previous])
        elif invert:  # the pattern has groups, which split would return too
            for found in self.matcher.rest_of_line.finditer(buf, start, end):
                append(buf[previous : rfind(eol, 0, found.start()) + 1])
                previous = found.end()
            append(buf[previous:end])
        else:
            for found in self.matcher.rest_of_line.finditer(buf, start, end):
                append(buf[rfind(eol, 0, found.start()) + 1 : found.end()])
        return b"".join(pieces)

    def unmatched_lines(self, block: bytes) -> bytes:
        """-v on a block of terminated lines. When few lines match, the block is split at each
        match-to-end-of-line (what precedes a match on its line is the tail of the piece
        before it, after that piece's last terminator): Python works per matching line. When
        most do, one re.sub deletes the matching lines whole. Each block takes the way that
        would have suited the block before it."""
        eol = self.eol
        lines = block.count(eol)
        if self.mostly_selected:
            kept = self.matcher.whole_line.sub(b"", eol + block)[1:]
            matching = lines - kept.count(eol)
        else:
            parts = self.matcher.rest_of_line.split(block)
            last = parts.pop()
            kept = b"".join([part[: part.rfind(eol) + 1] for part in parts]) + last
            matching = len(parts)
        self.mostly_selected = 2 * matching > lines
        return kept

    def count_selected(self, buf: bytes, start: int, end: int) -> int:
        if buf[end - 1] != self.eol[0]:  # the unterminated last line
            return int((self.matcher.line.search(buf, start, end) is not None) != self.opts.invert)
        matching = len(self.matcher.rest_of_line.findall(buf, start, end))
        if not self.opts.invert:
            return matching
        return buf.count(self.eol, start, end) - matching

    def print_block(self, buf: bytes, start: int, end: int, state: "_Progress") -> bool:
        """Print the selected lines of one block; True once -m is satisfied."""
        eol = self.eol
        plain = not (self.print_filename or self.opts.line_numbers or self.opts.only_matching)
        pieces = []
        state.block_start(start)
        if buf[end - 1] != eol[0]:  # the unterminated last line
            stop = False
            if (self.matcher.line.search(buf, start, end) is not None) != self.opts.invert:
                stop = self.emit(buf, start, end, state, pieces, plain)
                if pieces and not pieces[-1].endswith(eol):
                    pieces.append(eol)
            self.out.write(b"".join(pieces))
            return stop
        rfind = buf.rfind
        previous = start
        stop = False
        for found in self.matcher.rest_of_line.finditer(buf, start, end):
            match_start, line_end = found.span()
            line_start = rfind(eol, start, match_start) + 1 or start
            if self.opts.invert:
                if line_start > previous:
                    stop = self.emit(buf, previous, line_start, state, pieces, plain)
            else:
                stop = self.emit(buf, line_start, line_end, state, pieces, plain)
            previous = line_end
            if stop:
                break
        else:
            if self.opts.invert and previous < end:
                stop = self.emit(buf, previous, end, state, pieces, plain)
        if pieces:
            self.out.write(b"".join(pieces))
        state.block_end(buf, end, eol)
        return stop

    def emit(self, buf: bytes, start: int, end: int, state: "_Progress", pieces: list, plain: bool) -> bool:
        """Output the selected lines in buf[start:end]; True once -m is satisfied."""
        eol = self.eol
        if plain and state.remaining is None:
            pieces.append(buf[start:end])
            state.selected += 1
            return False
        lines = buf[start:end].split(eol)
        if lines[-1] == b"":
            lines.pop()
        number = state.line_number(buf, start, eol) if self.opts.line_numbers else 0
        stop = False
        if state.remaining is not None and len(lines) >= state.remaining:
            del lines[state.remaining :]
            stop = True
        if state.remaining is not None:
            state.remaining -= len(lines)
        state.selected += len(lines)
        if self.opts.only_matching:
            if pieces:
                self.out.write(b"".join(pieces))
                pieces.clear()
            for offset, line in enumerate(lines):
                self.print_matches(line, number + offset)
        elif plain:
            pieces.extend(line + eol for line in lines)
        else:
            name = os.fsencode(self.name) + b":" if self.print_filename else b""
            if self.opts.line_numbers:
                pieces.extend(b"%s%d:%s%s" % (name, number + offset, line, eol) for offset, line in enumerate(lines))
            else:
                pieces.extend(name + line + eol for line in lines)
        return stop

    def lines(self, fd: int):
        eol = self.eol
        for buf, start, end in blocks(fd, eol, BLOCK):
            lines = buf[start:end].split(eol)
            if lines[-1] == b"":
                lines.pop()
            yield from lines

    def which(self, line: bytes):
        """Index of the first pattern (BusyBox order) matching line, or None."""
        if self.searchers is None:
            return 0 if self.matcher.line.search(line) else None
        for index, searcher in enumerate(self.searchers):
            if searcher.search(line) is not None:
                return index
        return None

    def grep_lines(self, fd: int) -> bool:
        """BusyBox's grep_file loop, one line at a time: context, -m 0, -ov."""
        opts = self.opts
        invert = opts.invert
        max_count = opts.max_count
        before = deque(maxlen=opts.before) if opts.before else None
        selected = 0
        line_number = 0
        after_left = 0
        for line in self.lines(fd):
            line_number += 1
            if (self.which(line) is not None) != invert:
                selected += 1
                if opts.quiet or opts.list_matching or opts.list_nonmatching:
                    return self.found_one()
                if max_count is not None and selected > max_count:
                    break
                if not opts.count:
                    if before:
                        for number, text in before:
                            self.print_line(text, number, b"-")
                        before.clear()
                    after_left = opts.after
                    if opts.only_matching and not invert:
                        self.print_matches(line, line_number)
                    else:
                        self.print_line(line, line_number, b":")
            elif after_left:
                self.print_line(line, line_number, b"-")
                after_left -= 1
            elif before is not None:
                before.append((line_number, line))
            if max_count is not None and not after_left and selected == max_count:
                break
        return self.finish(selected)


class _Progress:
    """Per-file counters for block printing: lines selected, -m budget, line numbers."""

    def __init__(self, max_count):
        self.selected = 0
        self.remaining = max_count
        self.lines_before = 0  # lines in earlier blocks
        self.counted_to = 0  # position in this block up to which lines_here is known
        self.lines_here = 0

    def block_start(self, start: int) -> None:
        self.counted_to = start
        self.lines_here = 0

    def line_number(self, buf: bytes, position: int, eol: bytes) -> int:
        self.lines_here += buf.count(eol, self.counted_to, position)
        self.counted_to = position
        return self.lines_before + self.lines_here + 1

    def block_end(self, buf: bytes, end: int, eol: bytes) -> None:
        self.lines_before += self.lines_here + buf.count(eol, self.counted_to, end)


def main(argv: list[str]) -> int:
    try:
        opts = Options(argv)
        patterns = load_patterns(opts)
    except UsageError as exc:
        if str(exc):
            warn(str(exc))
        show_usage(USAGE, status=2)
    grep = Grep(opts, Matcher(patterns, opts))
    return grep.run(opts.operands)
