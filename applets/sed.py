"""sed: stream editor.

The script is parsed the way BusyBox's sed parses it (line continuation, `;`-free command
sequences, a/i/c text to the end of the line, the escape rules of s/// and y) and run by
a cycle loop that mirrors BusyBox's process_files: one line of lookahead for `$`, range
state per command, the "missing newline" bookkeeping of the last line of each file.
GNU extensions BusyBox lacks are accepted too: first~step, addr,~N, 0,/re/, /re/I,
q/Q with an exit code, l [width], z, -s and -z.

Scripts made only of unaddressed s commands (the common `sed 's/a/b/g'`) take a fast
path: each s is applied to whole blocks of lines at once (bytes.replace for plain strings,
one re.sub otherwise), which is exact because no such script can look across lines.
"""

import os
import re
from functools import partial
from itertools import repeat

from applets import _regex
from applets.common import Fail, UsageError, getopt, stdout, warn

USAGE = """sed [-i[SFX]] [-nrEsz] [-f FILE]... [-e CMD]... [FILE]...
or: sed [-i[SFX]] [-nrEsz] CMD [FILE]...

\t-e CMD\tAdd CMD to sed commands to be executed
\t-f FILE\tAdd FILE contents to sed commands to be executed
\t-i[SFX]\tEdit files in-place (otherwise write to stdout)
\t\tOptionally back files up, appending SFX
\t-n\tSuppress automatic printing of pattern space
\t-r,-E\tUse extended regex syntax
\t-s\tTreat files as separate ($ and line numbers per file)
\t-z\tLines are separated by NUL bytes

If no -e or -f, the first non-option argument is the sed command string.
Remaining arguments are input files (stdin if none)."""

BLOCK = 1 << 15
SEPARATORS = b"; \n\r\t\v"
SPACES = b" \t\n\r\v\f"
CONTROL_ESCAPES = {0x6E: 10, 0x74: 9, 0x72: 13}  # \n \t \r, which sed text and regexes all understand
LIST_ESCAPES = {7: b"\\a", 8: b"\\b", 9: b"\\t", 10: b"\\n", 11: b"\\v", 12: b"\\f", 13: b"\\r", 92: b"\\\\"}


class Regex:
    """One sed regex: matched against a pattern space, or (fast path) against blocks of lines."""

    def __init__(self, pattern: bytes, extended: bool, icase: bool):
        self.pattern = pattern
        self.extended = extended
        self.icase = icase
        try:
            self.translation = _regex.translate(pattern, extended)
            self.matcher = _regex.Longest(self.translation, _regex.flags_for(None, icase))
        except _regex.RegexError as exc:
            raise Fail(f"bad regex '{os.fsdecode(pattern)}': {exc}") from None
        self.search = self.matcher.search
        self.test = self.matcher.pattern.search
        self.groups = self.translation.groups

    def for_lines(self, eol: bytes):
        """The same regex for a buffer of whole lines (nothing matches across eol)."""
        translation = _regex.translate(self.pattern, self.extended, eol=eol)
        return translation, _regex.flags_for(eol, self.icase)


class Address:
    __slots__ = ("kind", "number", "step", "regex")

    def __init__(self, kind: str, number: int = 0, step: int = 0, regex=None):
        self.kind = kind  # line, last, step, zero, regex; second address only: plus, multiple
        self.number = number
        self.step = step
        self.regex = regex  # for kind "regex"


class Command:
    """One parsed command with its addresses and its run-time range state."""

    __slots__ = ("name", "first", "second", "invert", "in_match", "dead", "end_line", "regex", "replacement",
                 "which", "print", "wfile", "text", "label", "target", "table", "number")

    def __init__(self, name: str, first, second, invert: bool):
        self.name = name
        self.first = first
        self.second = second
        self.invert = invert
        self.in_match = first is not None and first.kind == "zero"
        self.dead = False
        self.end_line = 0
        self.regex = None  # s: a Regex, or None for the last regex used
        self.replacement = None  # s: literal bytes and group numbers
        self.which = 1  # s: which match to replace, 0 for all
        self.print = False  # s///p
        self.wfile = None  # w and s///w: the Output written to
        self.text = None  # a/i/c text; r/w and s///w file name
        self.label = None  # : b t T
        self.target = None  # b t T: index of the label; {: index of its }
        self.table = None  # y: the translation table
        self.number = None  # q Q exit code, l width

    def reset(self) -> None:
        """Forget range progress (a new file under -i or -s)."""
        self.in_match = self.first is not None and self.first.kind == "zero"
        self.dead = False


class Output:
    """A buffered output stream that knows whether its last line lacked a terminator, so
    the next line can supply one first (BusyBox's puts_maybe_newline)."""

    def __init__(self, file, eol: bytes):
        self.file = file
        self.eol = eol
        self.missing = False
        self.pieces: list[bytes] = []
        self.write = self.pieces.append

    def puts(self, data: bytes, terminator: bytes) -> None:
        if self.missing:
            self.write(self.eol)
            self.missing = False
        self.write(data)
        if terminator:
            self.write(terminator)
        elif data:
            self.missing = True

    def flush(self) -> None:
        if self.pieces:
            self.file.write(b"".join(self.pieces))
            self.pieces.clear()


def _parse_replacement(text: bytes, delimiter: int) -> list:
    """s/// replacement: literal bytes and group numbers (0 for &)."""
    parts: list = []
    literal = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == 0x5C and i + 1 < len(text):
            c2 = text[i + 1]
            i += 2
            if c2 == delimiter:
                literal.append(c2)
            elif 0x30 <= c2 <= 0x39:
                if literal:
                    parts.append(bytes(literal))
                    literal = bytearray()
                parts.append(c2 - 0x30)
            else:
                literal.append(CONTROL_ESCAPES.get(c2, c2))
            continue
        if c == 0x26:
            if literal:
                parts.append(bytes(literal))
                literal = bytearray()
            parts.append(0)
        else:
            literal.append(c)
        i += 1
    if literal:
        parts.append(bytes(literal))
    return parts


def _unescape_pattern(text: bytes, delimiter: int, literal_backslash: bool = False) -> bytes:
    """s/// and address regexes: \\DELIM is the delimiter itself, \\n \\t \\r are control characters.

    With `literal_backslash` (y's strings) \\\\ is one backslash too; a regex keeps it escaped.
    """
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == 0x5C and i + 1 < len(text):
            c2 = text[i + 1]
            if c2 == delimiter or (literal_backslash and c2 == 0x5C):
                out.append(c2)
            elif c2 in CONTROL_ESCAPES:
                out.append(CONTROL_ESCAPES[c2])
            else:
                out += text[i : i + 2]
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def _unescape_text(text: bytes) -> bytes:
    """a/i/c text: \\n \\t \\r are control characters, any other \\X is X."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c == 0x5C and i + 1 < len(text):
            c2 = text[i + 1]
            out.append(CONTROL_ESCAPES.get(c2, c2))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


class Script:
    """Parses script text into Commands (BusyBox's add_cmd, plus GNU's extra addresses)."""

    def __init__(self, extended: bool, eol: bytes):
        self.extended = extended
        self.eol = eol
        self.commands: list[Command] = []
        self.pending = None  # a line that ended in a backslash, waiting for its continuation
        self.wfiles: dict[str, Output] = {}
        self.last_address_regex = None
        self.quiet_comment = False
        self.started = False

    # --- lines ------------------------------------------------------------------------
    def add_line(self, line: bytes) -> None:
        if not self.started:
            self.started = True
            self.quiet_comment = line == b"#n"
        if self.pending is not None:
            line = self.pending + b"\n" + line
            self.pending = None
        trailing = len(line) - len(line.rstrip(b"\\"))
        if trailing % 2:
            self.pending = line[:-1]
            return
        self.parse(line)

    def finish(self) -> list[Command]:
        """Flush a dangling continuation, then resolve blocks and labels."""
        if self.pending is not None:
            self.add_line(b"")
        labels = {}
        for index, command in enumerate(self.commands):
            if command.name == ":" and command.label is not None and command.label not in labels:
                labels[command.label] = index
        stack = []
        for index, command in enumerate(self.commands):
            if command.name == "{":
                stack.append(command)
            elif command.name == "}" and stack:
                stack.pop().target = index
            elif command.name in "btT" and command.label is not None:
                if command.label not in labels:
                    raise Fail(f"can't find label for jump to '{os.fsdecode(command.label)}'")
                command.target = labels[command.label]
        return self.commands

    # --- commands ---------------------------------------------------------------------
    def parse(self, line: bytes) -> None:
        i = 0
        n = len(line)
        while i < n:
            while i < n and line[i] in SEPARATORS:
                i += 1
            if i >= n:
                break
            if line[i] == 0x23:  # comment, to the end of the line
                newline = line.find(b"\n", i)
                if newline < 0:
                    break
                i = newline
                continue
            first, i = self.address(line, i, first=True)
            second = None
            if i < n and line[i] == 0x2C:
                i += 1
                second, i = self.second_address(line, i)
            if first is not None and first.kind == "zero" and (second is None or second.kind != "regex"):
                raise Fail("invalid usage of line address 0")
            i = self.skip_spaces(line, i)
            invert = i < n and line[i] == 0x21
            if invert:
                i = self.skip_spaces(line, i + 1)
            if i >= n:
                raise Fail("missing command")
            command = Command(chr(line[i]), first, second, invert)
            i = self.arguments(command, line, i + 1)
            self.commands.append(command)

    @staticmethod
    def skip_spaces(line: bytes, i: int) -> int:
        while i < len(line) and line[i] in SPACES:
            i += 1
        return i

    @staticmethod
    def number(line: bytes, i: int):
        start = i
        while i < len(line) and 0x30 <= line[i] <= 0x39:
            i += 1
        return int(line[start:i]), i

    def address(self, line: bytes, i: int, first: bool):
        n = len(line)
        if i >= n:
            return None, i
        c = line[i]
        if 0x30 <= c <= 0x39:
            value, i = self.number(line, i)
            if i < n and line[i] == 0x7E and i + 1 < n and 0x30 <= line[i + 1] <= 0x39:
                step, i = self.number(line, i + 1)
                return Address("step", value, step), i
            if value == 0 and first:
                return Address("zero"), i
            return Address("line", value), i
        if c == 0x24:
            return Address("last"), i + 1
        if c == 0x2F or c == 0x5C:
            if c == 0x5C:
                i += 1
                if i >= n:
                    raise Fail("unmatched '\\'")
            delimiter = line[i]
            end = self.delimited(line, i + 1, delimiter, brackets=True)
            raw = line[i + 1 : end]
            i = end + 1
            icase = False
            if i < n and line[i] == 0x49:  # GNU /re/I
                icase = True
                i += 1
            if raw:
                self.last_address_regex = Regex(_unescape_pattern(raw, delimiter), self.extended, icase)
            elif self.last_address_regex is None:  # BusyBox: `//` is the address regex parsed last
                raise Fail("no previous regexp")
            return Address("regex", regex=self.last_address_regex), i
        return None, i

    def second_address(self, line: bytes, i: int):
        n = len(line)
        if i < n and line[i] in b"+~" and i + 1 < n and 0x30 <= line[i + 1] <= 0x39:
            value, end = self.number(line, i + 1)
            return Address("plus" if line[i] == 0x2B else "multiple", value), end
        address, end = self.address(line, i, first=False)
        if address is None:
            raise Fail("no address after comma")
        if address.kind == "step":
            raise Fail("unexpected ','")
        return address, end

    @staticmethod
    def delimited(line: bytes, i: int, delimiter: int, brackets: bool) -> int:
        """Index of the next unescaped delimiter; in a regex, `[...]` hides delimiters."""
        bracket = -1
        escaped = False
        n = len(line)
        while i < n:
            c = line[i]
            if bracket >= 0:
                if c == 0x5D and not (bracket == i - 1 or (bracket == i - 2 and line[i - 1] == 0x5E)):
                    bracket = -1
            elif escaped:
                escaped = False
            elif c == 0x5C:
                escaped = True
            elif brackets and c == 0x5B:
                bracket = i
            elif c == delimiter:
                return i
            i += 1
        raise Fail(f"unmatched '{chr(delimiter)}'")

    def filename(self, line: bytes, i: int):
        i = self.skip_spaces(line, i)
        end = line.find(b"\n", i)
        if end < 0:
            end = len(line)
        if end == i:
            raise Fail("empty filename")
        return os.fsdecode(line[i:end]), end

    def open_wfile(self, name: str) -> Output | None:
        """The Output for a w file, shared by every command naming it; None for /dev/stdout,
        which main() points at the real standard output."""
        if name == "/dev/stdout":
            return None
        if name not in self.wfiles:
            try:
                self.wfiles[name] = Output(open(name, "wb"), self.eol)
            except OSError as exc:
                raise Fail(f"can't open '{name}': {exc.strerror}") from None
        return self.wfiles[name]

    def arguments(self, command: Command, line: bytes, i: int) -> int:
        name = command.name
        n = len(line)
        if name == "s":
            return self.substitute(command, line, i)
        if name in "aic":
            while i < n:
                if line[i] in b"\n\\":
                    i += 1
                    break
                if line[i] not in SPACES:
                    break
                i += 1
            command.text = _unescape_text(line[i:])
            return n
        if name in "rw":
            path, i = self.filename(line, i)
            command.text = path
            if name == "w":
                command.wfile = self.open_wfile(path)
            return i
        if name in ":btT":
            i = self.skip_spaces(line, i)
            start = i
            while i < n and line[i] not in SEPARATORS:
                i += 1
            command.label = line[start:i] or None
            return i
        if name == "y":
            return self.transliterate(command, line, i)
        if name in "qQl":
            j = self.skip_spaces(line, i)
            if j < n and 0x30 <= line[j] <= 0x39:
                command.number, i = self.number(line, j)
            return i
        if name in "dDgGhHnNpPxz={}":
            return i
        raise Fail(f"unsupported command {name}")

    def substitute(self, command: Command, line: bytes, i: int) -> int:
        n = len(line)
        if i >= n:
            raise Fail("bad format in substitution expression")
        delimiter = line[i]
        end = self.delimited(line, i + 1, delimiter, brackets=True)
        raw_pattern = line[i + 1 : end]
        i = end + 1
        end = self.delimited(line, i, delimiter, brackets=False)
        command.replacement = _parse_replacement(line[i:end], delimiter)
        i = end + 1
        icase = False
        pattern = _unescape_pattern(raw_pattern, delimiter)
        while i < n:
            c = line[i]
            if 0x30 <= c <= 0x39:
                number, i = self.number(line, i)
                if not pattern.startswith(b"^"):  # BusyBox ignores N for a pattern anchored with ^
                    command.which = number
                continue
            if c in SPACES:
                i += 1
                continue
            if c == 0x67:  # g
                command.which = 0
            elif c == 0x70:  # p
                command.print = True
            elif c in b"iI":
                icase = True
            elif c == 0x77:  # w FILE, to the end of the line
                command.text, i = self.filename(line, i + 1)
                command.wfile = self.open_wfile(command.text)
                break
            elif c == 0x23:  # comment
                i = n
                break
            elif c in b";}":
                break
            else:
                raise Fail("bad option in substitution expression")
            i += 1
        command.regex = Regex(pattern, self.extended, icase) if pattern else None
        return i

    def transliterate(self, command: Command, line: bytes, i: int) -> int:
        if i >= len(line):
            raise Fail("bad format in substitution expression")
        delimiter = line[i]
        end = self.delimited(line, i + 1, delimiter, brackets=False)
        source = _unescape_pattern(line[i + 1 : end], delimiter, literal_backslash=True)
        i = end + 1
        end = self.delimited(line, i, delimiter, brackets=False)
        target = _unescape_pattern(line[i:end], delimiter, literal_backslash=True)
        table = bytearray(range(256))
        seen = set()
        for a, b in zip(source, target):
            if a not in seen:
                seen.add(a)
                table[a] = b
        command.table = bytes(table)
        return end + 1



def _list_line(data: bytes, width: int, eol: bytes) -> bytes:
    """GNU's `l`: escapes and octal for the unprintable, `\\` folding, `$` at the end."""
    pieces = []
    column = 0
    for byte in data:
        text = LIST_ESCAPES.get(byte)
        if text is None:
            text = bytes((byte,)) if 32 <= byte < 127 else b"\\%03o" % byte
        if width > 1 and column + len(text) > width - 1:
            pieces.append(b"\\" + eol)
            column = 0
        pieces.append(text)
        column += len(text)
    pieces.append(b"$")
    return b"".join(pieces)


def _read_lines(fd: int, eol: bytes):
    """(line, terminator) pairs; a last line without terminator gets b""."""
    pending = []
    while True:
        try:
            data = os.read(fd, BLOCK)
        except IsADirectoryError:  # BusyBox reads a directory as an empty file
            data = b""
        if not data:
            break
        if eol not in data:
            pending.append(data)
            continue
        if pending:
            pending.append(data)
            data = b"".join(pending)
            pending = []
        lines = data.split(eol)
        tail = lines.pop()
        if tail:
            pending.append(tail)
        yield from zip(lines, repeat(eol))
    if pending:
        yield b"".join(pending), b""


class Reader:
    """The input lines of a list of files as one stream, with a line of lookahead."""

    def __init__(self, sed: "Sed", paths: list[str]):
        self.sed = sed
        # read() gives the next (line, terminator), or None at the end of the last file
        self.read = partial(next, self.all_lines(paths), None)

    def all_lines(self, paths: list[str]):
        for path in paths:
            if path == "-":
                yield from _read_lines(0, self.sed.eol)
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError as exc:
                warn(f"{path}: {exc.strerror}")
                self.sed.status = 1
                continue
            try:
                yield from _read_lines(fd, self.sed.eol)
            finally:
                os.close(fd)


class Quit(Exception):
    """q or Q ran: stop reading input."""


class Sed:
    """The cycle loop: runs the commands over every line of a stream."""

    def __init__(self, commands: list[Command], quiet: bool, eol: bytes):
        self.commands = commands
        self.quiet = quiet
        self.eol = eol
        self.hold = b""
        self.last_regex = None
        self.status = 0
        self.exit_code = None  # set by q/Q with a number
        self.quitting = False
        self.appends: list[bytes] = []
        self.out = None
        self.linenum = 0

    def selects(self, command: Command, space: bytes, is_last: bool) -> bool:
        """Whether an addressed command applies to this line, updating its range state
        (BusyBox's rules: a numbered start fires once, an end regex is tried from the
        range's second line on)."""
        first = command.first
        linenum = self.linenum
        second = command.second
        was_in_range = command.in_match
        if not was_in_range:
            kind = first.kind
            if kind == "line":
                start = not command.dead and (first.number <= linenum if second else first.number == linenum)
            elif kind == "regex":
                start = first.regex.test(space) is not None
                if start:
                    self.last_regex = first.regex
            elif kind == "last":
                start = is_last
            elif kind == "step":
                start = linenum == first.number if first.step <= 0 else (
                    linenum >= first.number and (linenum - first.number) % first.step == 0)
            else:
                start = False
            command.in_match = start
        if command.in_match:
            if first.kind == "line":
                command.dead = True  # a numbered range never starts again
            if second is None:
                ends = True
            else:
                kind = second.kind
                if not was_in_range and kind in ("plus", "multiple"):
                    if kind == "plus":
                        command.end_line = linenum + second.number
                    elif second.number > 0:
                        command.end_line = -(-linenum // second.number) * second.number
                    else:
                        command.end_line = linenum
                if kind in ("plus", "multiple"):
                    ends = command.end_line <= linenum
                elif kind == "line":
                    ends = second.number <= linenum
                elif kind == "last":
                    ends = is_last
                else:
                    ends = was_in_range and second.regex.test(space) is not None
            command.in_match = not ends
            return not command.invert
        return command.invert

    def substitute(self, command: Command, space: bytes):
        """BusyBox's do_subst_command: the new pattern space, or None if nothing changed."""
        regex = command.regex or self.last_regex
        if regex is None:
            raise Fail("no previous regexp")
        self.last_regex = regex
        found = regex.search(space)
        if found is None:
            return None
        replacement = command.replacement
        which = command.which
        length = len(space)
        pieces = []
        copied = 0
        count = 0
        previous_empty = True
        tried_at_end = False
        altered = False
        while True:
            start, end = found.span()
            count += 1
            if which and which != count:
                pieces.append(space[copied:end])
                copied = end
                if start == end and end < length:
                    pieces.append(space[end : end + 1])
                    copied = end + 1
            else:
                pieces.append(space[copied:start])
                # an empty match right after a non-empty one is not replaced
                if previous_empty or start != copied or start != end:
                    for part in replacement:
                        if part.__class__ is int:
                            if part <= regex.groups:
                                pieces.append(found.group(part) or b"")
                        else:
                            pieces.append(part)
                    altered = True
                previous_empty = start == end
                if previous_empty:
                    if end == length:
                        tried_at_end = True
                    else:
                        pieces.append(space[end : end + 1])
                        end += 1
                copied = end
                if which:
                    break
            if copied == length:
                if tried_at_end:
                    break
                tried_at_end = True
            found = regex.search(space, copied)
            if found is None:
                break
        pieces.append(space[copied:])
        return b"".join(pieces) if altered else None

    def flush_appends(self) -> None:
        for text in self.appends:
            self.out.puts(text, b"\n")
        self.appends.clear()
        if len(self.out.pieces) > 4096:
            self.out.flush()

    def run(self, reader: Reader, out: Output) -> None:
        """Process every line reader gives, writing to out."""
        self.out = out
        self.linenum = 0
        commands = self.commands
        count = len(commands)
        nl = self.eol
        read = reader.read
        selects = self.selects
        pieces = out.pieces
        current = read()
        while current is not None:
            space, terminator = current
            current = read()
            self.linenum += 1
            substituted = False
            autoprint = not self.quiet
            index = 0
            while index < count:
                command = commands[index]
                index += 1
                name = command.name
                if command.first is None:
                    if command.invert:
                        continue
                else:
                    if not selects(command, space, current is None):
                        if name == "{":
                            if command.target is None:  # like BusyBox, only an error once skipped
                                raise Fail("unterminated {")
                            index = command.target + 1
                        continue
                    if command.first.regex is not None:  # what an empty s// regex refers to
                        self.last_regex = command.first.regex
                if name == "s":
                    changed = self.substitute(command, space)
                    if changed is not None:
                        space = changed
                        substituted = True
                        if command.print:
                            out.puts(space, terminator)
                        if command.wfile is not None:
                            command.wfile.puts(space, terminator)
                elif name == "p":
                    if out.missing:
                        out.puts(space, nl)
                    else:
                        pieces.append(space)
                        pieces.append(nl)
                elif name == "d":
                    autoprint = False
                    break
                elif name in "{}:":
                    pass
                elif name == "b" or (name == "t" and substituted) or (name == "T" and not substituted):
                    if name == "t":
                        substituted = False
                    if command.target is None:
                        break
                    index = command.target
                elif name in "tT":
                    pass
                elif name == "n":
                    if not self.quiet:
                        out.puts(space, terminator)
                    if current is None:
                        autoprint = False
                        break
                    self.flush_appends()
                    space, terminator = current
                    current = read()
                    self.linenum += 1
                    substituted = False
                elif name == "N":
                    if current is None:
                        break
                    self.flush_appends()
                    space = space + nl + current[0]
                    terminator = current[1]
                    current = read()
                    self.linenum += 1
                elif name == "D":
                    cut = space.find(nl)
                    if cut < 0:
                        autoprint = False
                        break
                    space = space[cut + 1 :]
                    self.flush_appends()
                    index = 0
                elif name == "P":
                    cut = space.find(nl)
                    out.puts(space if cut < 0 else space[:cut], nl)
                elif name == "a":
                    self.appends.append(command.text)
                elif name == "i":
                    out.puts(command.text, b"\n")
                elif name == "c":
                    if not command.in_match:
                        out.puts(command.text, b"\n")
                    autoprint = False
                    break
                elif name == "=":
                    out.write(b"%d\n" % self.linenum)
                elif name == "r":
                    self.append_file(command.text)
                elif name == "w":
                    command.wfile.puts(space, terminator)
                elif name == "g":
                    space = self.hold
                elif name == "G":
                    space = space + nl + self.hold
                    terminator = nl
                elif name == "h":
                    self.hold = space
                elif name == "H":
                    self.hold = self.hold + nl + space
                elif name == "x":
                    space, self.hold = self.hold, space
                    terminator = nl
                elif name == "y":
                    space = space.translate(command.table)
                elif name == "l":
                    width = 70 if command.number is None else command.number
                    out.puts(_list_line(space, width, nl), nl)
                elif name == "z":
                    space = b""
                elif name == "q":
                    self.exit_code = command.number
                    self.quitting = True
                    current = None
                    break
                elif name == "Q":
                    self.exit_code = command.number
                    self.appends.clear()
                    raise Quit
            if autoprint:
                if terminator and not out.missing:
                    pieces.append(space)
                    pieces.append(terminator)
                else:
                    out.puts(space, terminator)
            if self.appends or len(pieces) > 4096:
                self.flush_appends()
        if self.quitting:
            raise Quit

    def append_file(self, path: str) -> None:
        """r: queue the file's lines (each printed with a newline); unreadable means empty."""
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            return
        if data:
            lines = data.split(b"\n")
            if lines[-1] == b"":
                lines.pop()
            self.appends.extend(lines)


def _substitution_for_blocks(command: Command, eol: bytes, sed: Sed):
    """A function rewriting a block of whole lines exactly as `command` rewrites each line."""
    regex = command.regex
    parts = command.replacement
    translation = regex.translation
    literal = translation.literal
    if command.which == 0 and literal and eol not in literal and not regex.icase and all(
        part.__class__ is bytes for part in parts
    ):
        replacement = b"".join(parts)
        return lambda block: block.replace(literal, replacement)
    line_translation, flags = regex.for_lines(eol)
    lines = _regex.Longest(line_translation, flags)
    if lines.variants:  # leftmost-longest needs per-match care: go line by line
        return lambda block: _per_line(block, eol, command, sed)
    pattern = lines.pattern
    groups = line_translation.groups
    # re.sub also replaces an empty match right after a non-empty one, which sed does not;
    # that only shows when the replacement is not empty
    if command.which == 0 and (not line_translation.nullable or not parts):
        template = b"".join(
            (b"\\g<%d>" % part if part <= groups else b"") if part.__class__ is int else part.replace(b"\\", b"\\\\")
            for part in parts
        )
        return lambda block: pattern.sub(template, block)
    if command.which == 1:
        return lambda block: _first_per_line(block, eol, pattern, parts, groups)
    if command.which == 0 and line_translation.nonempty and all(part.__class__ is bytes for part in parts):
        replace = _EverywhereSubstitution(line_translation.nonempty, flags, b"".join(parts), eol)
        return lambda block: replace(block) or _per_line(block, eol, command, sed)
    return lambda block: _per_line(block, eol, command, sed)


class _EverywhereSubstitution:
    """s/x*/R/g with a plain R, for a pattern that matches (maybe emptily) at every position.

    sed replaces each non-empty match, and the empty match at every other position except
    right after a non-empty match (where re.sub would replace it too). So: a marker byte
    stands in for each non-empty match (`x+`), R is laid before every character and at
    the end by strided slice assignment, the Rs next to a marker are dropped, and the
    markers become R.
    """

    MARKERS = (b"\xff", b"\x00", b"\x01", b"\xfe")

    def __init__(self, nonempty: str, flags: int, replacement: bytes, eol: bytes):
        self.nonempty = _regex.compile_source(nonempty, flags)
        self.replacement = replacement
        self.eol = eol

    def __call__(self, block: bytes) -> bytes | None:
        """The rewritten block, or None when every marker byte occurs in it."""
        eol, replacement = self.eol, self.replacement
        marker = next((m for m in self.MARKERS if m != eol and m not in block and m not in replacement), None)
        if marker is None:
            return None
        terminated = block.endswith(eol)
        body = block[:-1] if terminated else block  # no line starts after the last terminator
        marked = self.nonempty.sub(marker, body)
        count, width = len(marked), len(replacement) + 1
        spread = bytearray(width * count + width - 1)
        for offset in range(width - 1):
            spread[offset::width] = replacement[offset : offset + 1] * (count + 1)
        spread[width - 1 :: width] = marked
        spread = spread.replace(replacement + marker, marker).replace(marker + replacement, marker)
        return bytes(spread.replace(marker, replacement)) + (eol if terminated else b"")


def _first_per_line(block: bytes, eol: bytes, pattern, parts: list, groups: int) -> bytes:
    """s/re/x/ on every line of a block: the first match of each line, found by one search
    over the block, then a jump to the next line."""
    pieces = []
    copied = 0
    position = 0
    search = pattern.search
    find = block.find
    # searching stops short of a final terminator: no line starts after it
    stop = len(block) - 1 if block.endswith(eol) else len(block)
    while (found := search(block, position, stop)) is not None:
        start, end = found.span()
        pieces.append(block[copied:start])
        for part in parts:
            if part.__class__ is int:
                if part <= groups:
                    pieces.append(found.group(part) or b"")
            else:
                pieces.append(part)
        copied = end
        line_end = find(eol, end)
        if line_end < 0:
            break
        position = line_end + 1
    pieces.append(block[copied:])
    return b"".join(pieces)


def _per_line(block: bytes, eol: bytes, command: Command, sed: Sed) -> bytes:
    lines = block.split(eol)
    substitute = sed.substitute
    for index in range(len(lines) - 1 if block.endswith(eol) else len(lines)):
        changed = substitute(command, lines[index])
        if changed is not None:
            lines[index] = changed
    return eol.join(lines)


def _line_filter(command: Command, eol: bytes, print_kept: bool):
    """`sed -n /re/p` and `sed /re/d` (and their `!` forms) as a block rewriter: the lines
    to keep are found grep-style, with one search over the block."""
    translation, flags = command.first.regex.for_lines(eol)
    terminator = re.escape(eol).decode("latin-1")
    single = _regex.compile_source(translation.source, flags)
    rest_of_line = _regex.compile_source(f"(?:{translation.source})[^{terminator}]*{terminator}", flags)
    keep_matching = (command.name == "p") != command.invert

    def rewrite(block: bytes) -> bytes:
        if not block.endswith(eol):  # a last line without terminator comes alone
            if (single.search(block) is not None) != keep_matching:
                return b""
            return block + eol if print_kept else block
        if keep_matching:
            rfind = block.rfind
            return b"".join([block[rfind(eol, 0, found.start()) + 1 : found.end()]
                             for found in rest_of_line.finditer(block)])
        pieces = []
        previous = 0
        rfind = block.rfind
        for found in rest_of_line.finditer(block):
            pieces.append(block[previous : rfind(eol, 0, found.start()) + 1])
            previous = found.end()
        pieces.append(block[previous:])
        return b"".join(pieces)

    return rewrite


class _NumberedLines:
    """`sed 1d`, `sed -n 5,10p`, `sed '$d'` and their `!` forms: the lines of one numbered
    range kept or dropped, a block at a time (a range starts once and ends at its second
    line number or, before it, at once; `$` is the last line of all the input)."""

    def __init__(self, first: int | None, last: float, keep_range: bool, print_kept: bool, eol: bytes):
        self.first = first  # None for `$`
        self.last = last  # inclusive; infinite for `N,$`
        self.keep_range = keep_range
        self.print_kept = print_kept
        self.eol = eol
        self.lines = 0  # lines in the blocks before

    def restart(self) -> None:
        self.lines = 0

    def __call__(self, block: bytes, is_last: bool) -> bytes:
        eol = self.eol
        count = block.count(eol) + (not block.endswith(eol))
        before = self.lines
        self.lines += count
        if self.first is None:
            first = last = self.lines if is_last else 0
        else:
            first, last = self.first, self.last
        start = min(max(first - before - 1, 0), count)  # the range as line offsets in the block
        stop = min(max(last - before, start), count)
        if self.keep_range:
            kept = block[self.offset(block, start, count) : self.offset(block, stop, count)]
        elif start == stop:
            kept = block
        else:
            kept = block[: self.offset(block, start, count)] + block[self.offset(block, stop, count) :]
        if self.print_kept and kept and not kept.endswith(eol):  # p ends the line it prints
            kept += eol
        return kept

    def offset(self, block: bytes, lines: int, count: int) -> int:
        """Where the block's line after the first `lines` ones starts (its end after all `count`)."""
        if lines == 0:
            return 0
        if lines == count:
            return len(block)
        return len(block) - len(block.split(self.eol, lines)[-1])


def _numbered_lines(command: Command, quiet: bool, eol: bytes):
    """A _NumberedLines for a lone `d` (or `p` with -n) addressed by line numbers, else None."""
    first, second = command.first, command.second
    if command.name not in "pd" or (command.name == "p") != quiet:
        return None
    keep_range = command.invert == (command.name == "d")
    if first.kind == "last" and second is None:
        return _NumberedLines(None, float("inf"), keep_range, quiet, eol)
    if first.kind != "line" or first.number < 1:
        return None
    if second is None:
        return _NumberedLines(first.number, first.number, keep_range, quiet, eol)
    if second.kind == "line":
        return _NumberedLines(first.number, max(first.number, second.number), keep_range, quiet, eol)
    if second.kind == "last":
        return _NumberedLines(first.number, float("inf"), keep_range, quiet, eol)
    return None


def _doubled(block: bytes, eol: bytes) -> bytes:
    """`sed p`: every line twice (the first copy of an unterminated last line gets a terminator)."""
    lines = block.split(eol)
    terminated = not lines[-1]
    if terminated:
        lines.pop()
    twice = [b""] * (2 * len(lines))
    twice[0::2] = lines
    twice[1::2] = lines
    return eol.join(twice) + (eol if terminated else b"")


def _block_plan(commands: list[Command], quiet: bool, eol: bytes, sed: Sed):
    """Scripts that never look across lines, as block rewriters (else None): unaddressed
    plain s and y commands (none of them but the last adding a terminator), a lone `p`, a
    single /re/p (with -n) or /re/d, or a lone `d` (`p` with -n) addressed by line numbers.
    Returns the line selector (a _NumberedLines, or None), the rewriters, and whether every
    output line gets a terminator (p adds one)."""
    if len(commands) == 1:
        command = commands[0]
        first = command.first
        if (first is not None and first.kind == "regex" and command.second is None
                and command.name in "pd" and (command.name == "p") == quiet):
            return None, [_line_filter(command, eol, quiet)], quiet
        if first is not None:
            numbered = _numbered_lines(command, quiet, eol)
            return None if numbered is None else (numbered, [], quiet)
        if command.name == "p" and not command.invert:
            if quiet:
                return None, [lambda block: block if block.endswith(eol) else block + eol], True
            return None, [lambda block: _doubled(block, eol)], False
    if quiet:
        return None
    rewriters = []
    for index, command in enumerate(commands):
        if command.first is not None or command.invert:
            return None
        # a terminator put into the pattern space would be seen by the commands after it
        last = index == len(commands) - 1
        if command.name == "y" and command.table[eol[0]] == eol[0] and (last or command.table.count(eol[0]) == 1):
            rewriters.append(lambda block, table=command.table: block.translate(table))
        elif (command.name == "s" and not command.print and command.text is None and command.regex is not None
              and (last or not any(part.__class__ is bytes and eol in part for part in command.replacement))):
            rewriters.append(_substitution_for_blocks(command, eol, sed))
        else:
            return None
    return None, rewriters, False


def _file_blocks(paths: list[str], sed: Sed):
    """Every file's blocks of whole lines in turn (a last line without terminator alone)."""
    from applets._lineblocks import blocks

    for path in paths:
        if path == "-":
            fd = 0
        else:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError as exc:
                warn(f"{path}: {exc.strerror}")
                sed.status = 1
                continue
        try:
            for buf, start, end in blocks(fd, sed.eol, BLOCK):
                yield buf[start:end] if start or end != len(buf) else buf
        finally:
            if fd:
                os.close(fd)


def _with_last_flag(items):
    """(item, whether it is the last one), reading one item ahead."""
    following = next(items, None)
    while following is not None:
        item, following = following, next(items, None)
        yield item, following is None


def _run_blocks(plan: tuple, paths: list[str], sed: Sed, out: Output) -> None:
    """The fast path: rewrite each file block by block, keeping sed's newline bookkeeping
    (a line read without terminator and printed without one leaves it missing). A line
    selector is told which block is the last one, which takes a block of lookahead."""
    eol = sed.eol
    select, rewriters, terminates = plan
    blocks = _file_blocks(paths, sed)
    if select is not None:
        select.restart()
        blocks = _with_last_flag(blocks)
    else:
        blocks = zip(blocks, repeat(False))
    for block, is_last in blocks:
        terminated = block.endswith(eol)
        if select is not None:
            block = select(block, is_last)
        for rewrite in rewriters:
            block = rewrite(block)
        if not block:
            continue
        if out.missing:
            out.write(eol)
        out.write(block)
        out.missing = not terminated and not terminates
        out.flush()


def _edit_in_place(path: str, suffix: str | None, process) -> bool:
    """-i: run process(Output) into a temporary file beside path, then move it over path."""
    try:
        info = os.stat(path)
    except OSError as exc:
        warn(f"{path}: {exc.strerror}")
        return False
    if not os.path.isfile(path):
        warn(f"couldn't edit {path}: not a regular file")
        return False
    import tempfile

    directory, base = os.path.split(path)
    fd, temporary = tempfile.mkstemp(prefix=base, dir=directory or ".")
    try:
        os.fchmod(fd, info.st_mode & 0o7777)
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            pass
        quitting = False
        with open(fd, "wb") as file:
            try:
                process(file)
            except Quit:  # q still saves what was written so far
                quitting = True
        if suffix:
            os.rename(path, path + suffix)
        os.rename(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    if quitting:
        raise Quit
    return True


def main(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1] == "--version":
        stdout().write(b"This is not GNU sed version 4.0\n")
        return 0
    options, operands = getopt(
        argv[1:],
        "i::rEne:f:sz",
        ("in-place=?", "regexp-extended", "quiet", "silent", "expression=", "file=", "separate", "null-data"),
    )
    names = {name for name, _ in options}
    extended = bool(names & {"-r", "-E", "--regexp-extended"})
    eol = b"\0" if names & {"-z", "--null-data"} else b"\n"
    quiet = bool(names & {"-n", "--quiet", "--silent"})
    separate = bool(names & {"-s", "--separate"})
    in_place = next((value or "" for name, value in options if name in ("-i", "--in-place")), None)
    script = Script(extended, eol)
    scripted = False
    for name, value in options:
        if name in ("-e", "--expression"):
            scripted = True
            for line in os.fsencode(value).split(b"\n"):
                script.add_line(line)
        elif name in ("-f", "--file"):
            scripted = True
            for line in _script_file(value):
                script.add_line(line)
    if not scripted:
        if not operands:
            raise UsageError("")
        for line in os.fsencode(operands.pop(0)).split(b"\n"):
            script.add_line(line)
    commands = script.finish()
    quiet = quiet or script.quiet_comment
    paths = operands or ["-"]
    if in_place is not None and not operands:
        raise Fail("-i requires an argument")
    sed = Sed(commands, quiet, eol)
    main_output = Output(stdout(), eol)
    for command in commands:
        if command.wfile is None and command.text is not None and command.name in "sw":
            command.wfile = main_output  # w /dev/stdout
    plan = _block_plan(commands, quiet, eol, sed)

    def process(paths: list[str], out: Output) -> None:
        try:
            if plan is not None:
                _run_blocks(plan, paths, sed, out)
            else:
                sed.run(Reader(sed, paths), out)
        finally:
            out.flush()

    try:
        if in_place is not None or separate:
            for path in paths:
                for command in commands:
                    command.reset()
                if in_place is None:
                    process([path], main_output)
                elif not _edit_in_place(path, in_place, lambda file: process([path], Output(file, eol))):
                    sed.status = 1
        else:
            process(paths, main_output)
    except Quit:
        pass
    finally:
        main_output.flush()
        for output in script.wfiles.values():
            output.flush()
            output.file.close()
    return sed.exit_code if sed.exit_code is not None else sed.status


def _script_file(path: str) -> list[bytes]:
    try:
        if path == "-":
            data = b"".join(iter(lambda: os.read(0, 1 << 16), b""))
        else:
            with open(path, "rb") as file:
                data = file.read()
    except OSError as exc:
        raise Fail(f"{path}: {exc.strerror}") from None
    if data.endswith(b"\n"):
        data = data[:-1]
    return data.split(b"\n") if data else []
