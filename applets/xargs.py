"""xargs: run a command with arguments read from standard input, BusyBox's rules.

Words are split at blanks, with '...', "..." and backslash quoting (or at
NULs with -0, or whole lines with -I). A command line holds at most -s bytes
(each argument costs its length plus one) and -n arguments. Exit status: 123
if a command failed, 124 if one exited 255, 125 if one was killed, 126/127 if
it could not be run.
"""

import os

from applets._exec import exec_error_status, spawn
from applets.common import Fail, getopt, warn

USAGE = """xargs [OPTIONS] [PROG ARGS]

Run PROG on every item given by stdin

\t-0\tNUL terminated input
\t-a FILE\tRead from FILE instead of stdin
\t-o\tReopen stdin as /dev/tty
\t-r\tDon't run command if input is empty
\t-t\tPrint the command on stderr before execution
\t-p\tAsk user whether to run each command
\t-E STR,-e[STR]\tSTR stops input processing
\t-I STR\tReplace STR within PROG ARGS with input line
\t-n N\tPass no more than N args to PROG
\t-s N\tPass command line of no more than N bytes
\t-P N\tRun up to N PROGs in parallel
\t-x\tExit if size is exceeded"""

CHUNK = 1 << 16
INT_MAX = (1 << 31) - 1
DEFAULT_SIZE = 32 * 1024 - 2048
BLANKS = b" \t\n\v\f\r"


def _count(text: str) -> int:
    """A count in 1..INT_MAX (BusyBox xatou_range)."""
    if not (text.isascii() and text.isdigit()):
        raise Fail(f"invalid number '{text}'")
    value = int(text)
    if not 1 <= value <= INT_MAX:
        raise Fail(f"number {text} is not in 1..{INT_MAX} range")
    return value


def _chunks(fd: int):
    while True:
        data = os.read(fd, CHUNK)
        if not data:
            return
        yield data


class _EndOfInput(Exception):
    """The -E string was read: args[0] holds the words before it."""


class _UnmatchedQuote(Fail):
    """Input ended inside quotes; length is what the unfinished word had collected."""

    def __init__(self, quote: int, length: int):
        super().__init__(f"unmatched {'single' if quote == 39 else 'double'} quote")
        self.length = length


class _QuotedWords:
    """Blank-separated words with '...', "..." and backslash quoting (BusyBox's process_stdin).

    Iterating yields lists of words, one list per stretch of input. Unquoted input
    is split with bytes.split; quoted input by two regex passes over the buffer.
    An unfinished word is carried to the next read, and rescanned only once the
    input after it has doubled, so long words cost linear time.
    """

    def __init__(self, fd: int, eof_string: bytes | None, size_limit: int):
        self.fd = fd
        self.eof_string = eof_string
        self.size_limit = size_limit
        self.patterns = None  # compiled on first sight of quoting

    @staticmethod
    def _unquote(raw: bytes) -> bytes:
        if b"\\" not in raw:
            if b"'" not in raw:
                return raw.replace(b'"', b"")
            if b'"' not in raw:
                return raw.replace(b"'", b"")
        import re

        return re.sub(rb"'([^']*)'|\"([^\"]*)\"|\\([\s\S])", rb"\1\2\3", raw)

    def _unquote_all(self, raws: list[bytes], region: bytes) -> list[bytes]:
        """Unquoted, non-empty words; one kind of quote in the whole region needs only a replace."""
        for quote, other in ((b'"', b"'"), (b"'", b'"')):
            if b"\\" not in region and other not in region:
                if b"\0" in region:
                    words = [raw.replace(quote, b"") for raw in raws]
                else:  # one join, one replace, one split: no per-word Python work
                    words = b"\0".join(raws).replace(quote, b"").split(b"\0")
                break
        else:
            words = list(map(self._unquote, raws))
        return list(filter(None, words))

    @staticmethod
    def _complete_end(data: bytes, complete) -> int:
        """Where the text that splits unambiguously into words ends: at an unclosed quote, or the end.

        With one kind of quote and no backslashes, quotes pair up in order, so an odd
        count means the last one is left open; otherwise a regex walks the tokens.
        """
        if b"\\" not in data:
            for quote, other in ((b'"', b"'"), (b"'", b'"')):
                if other not in data:
                    return data.rfind(quote) if data.count(quote) % 2 else len(data)
        return complete.match(data).end()

    @staticmethod
    def _raw_words(data: bytes, end: int, words_in) -> list[bytes]:
        """The words, still quoted, in data[:end] (which has no unclosed quote).

        The usual quoted input ("name" per line) has one kind of quote and no blanks
        inside quotes; then a plain split finds the same words, faster than the regex.
        """
        region = data[:end]
        if b"\\" not in region:
            for quote, other in ((b'"', b"'"), (b"'", b'"')):
                if other not in region:
                    inside = b"".join(region.split(quote)[1::2])
                    if len(inside.translate(None, BLANKS)) == len(inside):
                        return region.split()
                    break
        return words_in.findall(data, 0, end)

    def _scan(self, data: bytes, final: bool) -> tuple[list[bytes], bytes, _UnmatchedQuote | None]:
        """(complete words, raw text of the unfinished last word, error) for data; at the end, finish it."""
        if b"\\" not in data and b"'" not in data and b'"' not in data:
            words = data.split()
            if words and not final and data[-1] not in BLANKS:
                return words, words.pop(), None
            return words, b"", None
        if self.patterns is None:
            import re

            word = rb"(?:[^\s'\"\\]+|'[^']*'|\"[^\"]*\"|\\[\s\S])+"
            self.patterns = re.compile(rb"(?:\s+|" + word + rb")*"), re.compile(word)
        complete, words_in = self.patterns
        end = self._complete_end(data, complete)
        raws = self._raw_words(data, end, words_in)
        touching = bool(raws) and end > 0 and data[end - 1] not in BLANKS
        if end == len(data):
            if touching and not final:
                last = raws.pop()
                return self._unquote_all(raws, data), last, None
            return self._unquote_all(raws, data), b"", None
        # data[end] opens a quote that never closes here, or is a backslash ending the data.
        prefix = raws.pop() if touching else b""
        if not final:
            return self._unquote_all(raws, data), data[end - len(prefix) :], None
        words = self._unquote_all(raws, data)
        if data[end] == 92:
            return words + self._unquote_all([prefix], prefix), b"", None
        unfinished = self._unquote(prefix) + data[end + 1 :]
        return words, b"", (_UnmatchedQuote(data[end], len(unfinished)) if unfinished else None)

    def _checked(self, words: list[bytes]) -> list[bytes]:
        """The words before the -E string; _EndOfInput once it is seen."""
        if self.eof_string is not None and self.eof_string in words:
            raise _EndOfInput(words[: words.index(self.eof_string)])
        return words

    def __iter__(self):
        pending = bytearray()
        wait_for = 0
        try:
            for chunk in _chunks(self.fd):
                pending += chunk
                if len(pending) < wait_for:
                    continue
                words, rest, _ = self._scan(bytes(pending), final=False)
                yield self._checked(words)
                if len(rest) > self.size_limit and b"'" not in rest and b'"' not in rest and b"\\" not in rest:
                    yield [rest]  # can never fit: the caller reports "argument line too long"
                pending = bytearray(rest)
                wait_for = 2 * len(rest)
            words, _, error = self._scan(bytes(pending), final=True)
            yield self._checked(words)
            if error is not None:
                raise error
        except _EndOfInput as stop:
            yield stop.args[0]
            for _ in _chunks(self.fd):
                pass


def _split_words(fd: int, separator: bytes, size_limit: int, strip: bool):
    """Lists of items ended by separator (-0, and -I's lines, whose leading blanks go with strip)."""
    pending = bytearray()
    for chunk in _chunks(fd):
        cut = chunk.rfind(separator)
        if cut < 0:
            pending += chunk
            if strip:
                pending = bytearray(pending.lstrip(BLANKS))
            line_start = pending.rfind(b"\0") + 1 if strip and len(pending) > size_limit else 0
            if len(pending) - line_start > size_limit:
                yield [bytes(pending)]  # can never fit: the caller reports "argument line too long"
                pending.clear()
            continue
        yield (bytes(pending) + chunk[:cut]).split(separator)
        pending = bytearray(chunk[cut + 1 :])
    if pending:
        yield [bytes(pending)]


class _Runner:
    """Starts commands, one at a time or up to -P at once, and keeps xargs' exit status."""

    def __init__(self, max_procs: int, tty_stdin: bool):
        self.max_procs = max_procs
        self.running = 0
        self.status = 0
        self.name = b""  # the last command started, named in messages
        self.stdin_actions = []
        if tty_stdin:
            try:
                tty = os.open("/dev/tty", os.O_RDONLY | os.O_CLOEXEC)
            except OSError as exc:
                raise Fail(f"can't open '/dev/tty': {exc.strerror}") from None
            self.stdin_actions = [(os.POSIX_SPAWN_DUP2, tty, 0)]

    def _judge(self, status: int) -> bool:
        """Record a finished command's status (already 0x180+N for signal N); False means stop."""
        name = self.name
        if status >= 0x180:
            warn(f"'{os.fsdecode(name)}' terminated by signal {status - 0x180}")
            self.status = 125
            return False
        if status == 255:
            warn(f"{os.fsdecode(name)}: exited with status 255; aborting")
            self.status = 124
            return False
        if status:
            self.status = 123
        return True

    def _reap(self, block: bool, pid: int = -1) -> tuple[int, int]:
        """(pid, status) of a finished child (any, or the given one), or (0, 0) if none is ready."""
        try:
            pid, raw = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return 0, 0
        if pid == 0:
            return 0, 0
        self.running = max(self.running - 1, 0)
        if os.WIFSIGNALED(raw):
            return pid, 0x180 + os.WTERMSIG(raw)
        return pid, os.WEXITSTATUS(raw)

    def run(self, argv: list[bytes]) -> bool:
        """Start argv (and wait for it unless running in parallel); False means stop reading input."""
        while self.max_procs > 1:
            pid, status = self._reap(block=self.running >= self.max_procs)
            if not pid:
                break
            if not self._judge(status):
                return False
        if b"\0" in b"".join(argv):
            argv = [arg.partition(b"\0")[0] for arg in argv]  # C strings end at a NUL
        self.name = argv[0]
        try:
            pid = spawn(argv, self.stdin_actions)
        except OSError as exc:
            warn(f"{os.fsdecode(argv[0])}: {exc.strerror}")
            self.status = exec_error_status(exc)
            return False
        self.running += 1
        if self.max_procs > 1:
            return True
        _, status = self._reap(block=True, pid=pid)
        return self._judge(status)

    def finish(self) -> int:
        """Wait for every child still running."""
        while self.running:
            pid, status = self._reap(block=True)
            if not pid or not self._judge(status):
                break
        return self.status


def _confirm() -> bool:
    """Ask on the terminal after a " ?..." prompt; yes means an answer starting with y."""
    try:
        with open("/dev/tty", "rb") as tty:
            os.write(2, b" ?...")
            return tty.readline()[:1] in (b"y", b"Y")
    except OSError as exc:
        raise Fail(f"can't open '/dev/tty': {exc.strerror}") from None


def _batches(word_lists, size_limit: int, count_limit: int):
    """Group words into command lines within the byte and count limits.

    Each argument costs its length plus one; the cumulative costs of a list are
    computed at C speed and the cut points found by bisection. A line goes out
    as soon as it is full, as BusyBox runs it before reading further.
    """
    from bisect import bisect_right
    from itertools import accumulate
    from operator import add

    batch: list[bytes] = []
    used = 0
    try:
        for words in word_lists:
            totals = list(map(add, accumulate(map(len, words)), range(1, len(words) + 1)))
            pos = 0
            while pos < len(words):
                base = totals[pos - 1] if pos else 0
                take = bisect_right(totals, base + size_limit - used, pos) - pos
                take = min(take, count_limit - len(batch))
                if take == 0:
                    if not batch:
                        raise Fail("argument line too long")
                    yield batch
                    batch, used = [], 0
                    continue
                batch += words[pos : pos + take]
                used += totals[pos + take - 1] - base
                pos += take
                if len(batch) == count_limit or used == size_limit:
                    yield batch
                    batch, used = [], 0
    except _UnmatchedQuote as error:
        # BusyBox fills its buffer with the unfinished word before it sees the end.
        if batch and used + error.length >= size_limit:
            yield batch
        if error.length >= size_limit:
            raise Fail("argument line too long") from None
        raise
    if batch:
        yield batch


def _replacements(line_lists, template: list[bytes], marker: bytes, size_limit: int, nul_ends_line: bool):
    """-I: one command per input line, the marker replaced by the line (leading blanks dropped).

    Blank lines are skipped, but with newline-ended lines a NUL ends a line too,
    and such a line is used even when empty (BusyBox stores the NUL, then sees it).
    """
    for line in (line for lines in line_lists for line in lines):
        pieces = line.split(b"\0") if nul_ends_line else [line]
        last = len(pieces) - 1
        for index, piece in enumerate(pieces):
            piece = piece.lstrip(BLANKS)
            if not piece and index == last:
                continue
            if len(piece) + 1 > size_limit:
                raise Fail("argument line too long")
            yield [arg.replace(marker, piece) for arg in template]


def _show_and_confirm(line: list[bytes], flags: set) -> bool:
    """-t prints the command line on stderr; -p prints it and asks."""
    if flags & {"t", "p"}:
        os.write(2, b" ".join(line) + (b"" if "p" in flags else b"\n"))
    return "p" not in flags or _confirm()


def main(argv: list[str]) -> int:
    options, command = getopt(argv[1:], "trn:s:e::E:opx0I:i::P:a:", ("no-run-if-empty",), permute=False)
    flags = set()
    max_args = size = None
    eof_string = None
    marker = None
    max_procs = 1
    input_path = None
    for opt, value in options:
        if opt == "-n":
            max_args = _count(value)
        elif opt == "-s":
            size = _count(value)
        elif opt in ("-e", "-E"):
            eof_string = os.fsencode(value) if value else None
        elif opt == "-I":
            marker = os.fsencode(value)
        elif opt == "-i":
            marker = os.fsencode(value) if value else b"{}"
        elif opt == "-P":
            if not (value.isascii() and value.isdigit()):
                raise Fail(f"invalid number '{value}'")
            max_procs = int(value) or 100
        elif opt == "-a":
            input_path = value
        else:
            flags.add("r" if opt == "--no-run-if-empty" else opt[1])
    template = [os.fsencode(arg) for arg in command] or [b"echo"]
    size_limit = (size if size is not None else DEFAULT_SIZE) - sum(len(arg) + 1 for arg in template)
    if size_limit <= 0:
        raise Fail("can't fit single argument within argument list size limit")
    fd = 0
    if input_path is not None:
        try:
            fd = os.open(input_path, os.O_RDONLY)
        except OSError as exc:
            raise Fail(f"can't open '{input_path}': {exc.strerror}") from None
    separator = b"\0" if "0" in flags else b"\n"
    if marker is not None:
        lines = _split_words(fd, separator, size_limit, strip=True)
        commands = _replacements(lines, template, marker, size_limit, nul_ends_line=separator == b"\n")
        flags.add("r")
    else:
        if "0" in flags:
            words = _split_words(fd, b"\0", size_limit, strip=False)
        else:
            words = _QuotedWords(fd, eof_string, size_limit)
        batches = _batches(words, size_limit, max_args or size_limit)
        commands = (template + batch for batch in batches)
    runner = _Runner(max_procs, "o" in flags)
    ran = False
    for line in commands:
        ran = True
        if not _show_and_confirm(line, flags):
            continue
        if not runner.run(line):
            break
    if not ran and "r" not in flags and _show_and_confirm(template, flags):
        runner.run(template)
    return runner.finish()
