"""POSIX regular expressions (glibc regcomp flavour) on bytes, via Python's re.

expr's `:` uses basic REs (with GNU's \\+ \\? \\| extensions) and `[[ =~ ]]`
extended ones. The pattern is translated to Python syntax; syntax errors carry
glibc's regerror wording. Matching is byte-wise, as in the C locale.
"""

import re

CLASSES = {
    b"alpha": rb"a-zA-Z",
    b"digit": rb"0-9",
    b"alnum": rb"0-9a-zA-Z",
    b"upper": rb"A-Z",
    b"lower": rb"a-z",
    b"space": rb" \t\n\r\f\v",
    b"blank": rb" \t",
    b"punct": rb"!-/:-@\[-`{-~",
    b"print": rb"\x20-\x7e",
    b"graph": rb"\x21-\x7e",
    b"cntrl": rb"\x00-\x1f\x7f",
    b"xdigit": rb"0-9A-Fa-f",
}

ESCAPES = {
    ord("w"): rb"\w",
    ord("W"): rb"\W",
    ord("s"): rb"\s",
    ord("S"): rb"\S",
    ord("b"): rb"\b",
    ord("B"): rb"\B",
    ord("<"): rb"\b(?=\w)",
    ord(">"): rb"\b(?<=\w)",
    ord("`"): rb"\A",
    ord("'"): rb"\Z",
}

UNMATCHED_BRACKET = "Unmatched [, [^, [:, [., or [="


class RegexError(Exception):
    """A pattern regcomp would reject; str() is glibc's regerror text."""


def _literal(byte: int) -> bytes:
    return b"\\x%02x" % byte


def _bracket(pattern: bytes, pos: int) -> tuple[bytes, int]:
    """Translate the bracket expression starting after '[' at pos; returns (python class, next pos)."""
    end = len(pattern)
    out = [b"["]
    if pos < end and pattern[pos] == 0x5E:  # '^'
        out.append(b"^")
        pos += 1
    if pos >= end:
        raise RegexError("Invalid regular expression")
    first = True
    while True:
        if pos >= end:
            raise RegexError(UNMATCHED_BRACKET)
        byte = pattern[pos]
        if byte == 0x5D and not first:  # ']'
            return b"".join(out) + b"]", pos + 1
        first = False
        if byte == 0x5B and pos + 1 < end and pattern[pos + 1] in b":=.":
            kind = pattern[pos + 1 : pos + 2]
            close = pattern.find(kind + b"]", pos + 2)
            if close < 0:
                raise RegexError(UNMATCHED_BRACKET)
            name = pattern[pos + 2 : close]
            pos = close + 2
            if kind == b":":
                if name not in CLASSES:
                    raise RegexError("Invalid character class name")
                out.append(CLASSES[name])
                continue
            if len(name) != 1:
                raise RegexError("Invalid collation character")
            byte = name[0]
        else:
            pos += 1
        if pos + 1 < end and pattern[pos] == 0x2D and pattern[pos + 1] != 0x5D:  # a range "x-y"
            high = pattern[pos + 1]
            pos += 2
            if high == 0x5B and pos < end and pattern[pos] in b".=":
                kind = pattern[pos : pos + 1]
                close = pattern.find(kind + b"]", pos + 1)
                if close < 0 or close != pos + 2:
                    raise RegexError(UNMATCHED_BRACKET)
                high = pattern[pos + 1]
                pos = close + 2
            if high < byte:
                raise RegexError("Invalid range end")
            out.append(_literal(byte) + b"-" + _literal(high))
        else:
            out.append(_literal(byte))


class _Builder:
    """Collects translated atoms, so repetition operators know what they apply to."""

    def __init__(self, extended: bool):
        self.extended = extended
        self.out: list[bytes] = []
        self.last_atom: int | None = None  # index in out where the last atom starts
        self.quantified = False
        self.open_groups: list[int] = []
        self.closed_groups = 0
        self.top_level_bars: list[int] = []  # indexes in out of "|" outside any group

    def atom(self, text: bytes) -> None:
        self.last_atom = len(self.out)
        self.quantified = False
        self.out.append(text)

    def anchor(self, text: bytes) -> None:
        self.out.append(text)
        self.last_atom = None

    def repeat(self, operator: bytes) -> None:
        start = self.last_atom
        if self.quantified and not self.extended:
            raise RegexError("Invalid preceding regular expression")
        if self.quantified:
            self.out[start:] = [b"(?:" + b"".join(self.out[start:]) + b")"]
        self.out.append(operator)
        self.quantified = True

    def open_group(self) -> None:
        self.open_groups.append(len(self.out))
        self.out.append(b"(")
        self.last_atom = None

    def close_group(self) -> None:
        if not self.open_groups and self.extended:
            self.atom(b"\\)")  # a lone ")" is an ordinary character in an ERE
            return
        if not self.open_groups:
            raise RegexError("Unmatched ( or \\(")
        start = self.open_groups.pop()
        self.out.append(b")")
        self.closed_groups += 1
        self.last_atom = start
        self.quantified = False

    def alternate(self) -> None:
        if not self.open_groups:
            self.top_level_bars.append(len(self.out))
        self.out.append(b"|")
        self.last_atom = None

    def result(self) -> list[bytes]:
        """The translated top-level alternatives (one, without alternation)."""
        if self.open_groups:
            raise RegexError("Unmatched ( or \\(")
        bounds = [-1, *self.top_level_bars, len(self.out)]
        return [b"".join(self.out[start + 1 : stop]) for start, stop in zip(bounds, bounds[1:], strict=False)]


def _interval(pattern: bytes, pos: int, closer: bytes) -> tuple[bytes, int]:
    """Parse "m", "m,", "m,n" or glibc's ",n" followed by closer; returns (python {..}, next pos)."""
    close = pattern.find(closer, pos)
    if close < 0:
        raise RegexError("Unmatched \\{")
    body = pattern[pos:close]
    low, comma, high = body.partition(b",")
    if comma and not low:
        low = b"0"
    if not low.isdigit() or (high and not high.isdigit()):
        raise RegexError("Invalid content of \\{\\}")
    if high and int(high) < int(low):
        raise RegexError("Invalid content of \\{\\}")
    if int(low) > 0x7FFF or (high and int(high) > 0x7FFF):
        raise RegexError("Regular expression too big")
    return b"{" + low + comma + high + b"}", close + len(closer)


def _escape(builder: _Builder, byte: int) -> None:
    """A backslash escape that is not an operator: word classes, backreferences, literals."""
    if byte in ESCAPES and byte in b"bB<>`'":
        builder.anchor(ESCAPES[byte])
    elif byte in ESCAPES:
        builder.atom(ESCAPES[byte])
    elif 0x31 <= byte <= 0x39:
        if byte - 0x30 > builder.closed_groups:
            raise RegexError("Invalid back reference")
        builder.atom(b"(?:\\%c)" % byte)
    else:
        builder.atom(_literal(byte))


def translate_basic(pattern: bytes) -> list[bytes]:
    """A POSIX basic RE (GNU flavour) as Python bytes patterns, one per top-level alternative."""
    builder = _Builder(extended=False)
    end = len(pattern)
    pos = 0
    at_start = True
    while pos < end:
        byte = pattern[pos]
        pos += 1
        starting, at_start = at_start, False
        if byte == 0x5C:  # backslash
            if pos >= end:
                raise RegexError("Trailing backslash")
            byte = pattern[pos]
            pos += 1
            if byte == 0x28:  # \(
                builder.open_group()
                at_start = True
            elif byte == 0x29:  # \)
                builder.close_group()
            elif byte == 0x7C:  # \|
                builder.alternate()
                at_start = True
            elif byte == 0x7B:  # \{
                if builder.last_atom is None:
                    raise RegexError("Invalid preceding regular expression")
                interval, pos = _interval(pattern, pos, b"\\}")
                builder.repeat(interval)
            elif byte in b"+?" and builder.last_atom is not None:
                builder.repeat(bytes((byte,)))
            else:
                _escape(builder, byte)
        elif byte == 0x5B:
            text, pos = _bracket(pattern, pos)
            builder.atom(text)
        elif byte == 0x2E:
            builder.atom(b".")
        elif byte == 0x2A and not starting and builder.last_atom is not None:
            builder.repeat(b"*")
        elif byte == 0x5E and starting:
            builder.anchor(b"^")
            at_start = True
        elif byte == 0x24 and (pos == end or pattern[pos : pos + 2] in (b"\\)", b"\\|")):
            builder.anchor(rb"\Z")
        else:
            builder.atom(_literal(byte))
    return builder.result()


def translate_extended(pattern: bytes) -> list[bytes]:
    """A POSIX extended RE as Python bytes patterns, one per top-level alternative."""
    builder = _Builder(extended=True)
    end = len(pattern)
    pos = 0
    while pos < end:
        byte = pattern[pos]
        pos += 1
        if byte == 0x5C:
            if pos >= end:
                raise RegexError("Trailing backslash")
            _escape(builder, pattern[pos])
            pos += 1
        elif byte == 0x28:
            builder.open_group()
        elif byte == 0x29:
            builder.close_group()
        elif byte == 0x7C:
            builder.alternate()
        elif byte in b"*+?":
            if builder.last_atom is None:
                raise RegexError("Invalid preceding regular expression")
            builder.repeat(bytes((byte,)))
        elif byte == 0x7B:
            if builder.last_atom is None:
                raise RegexError("Invalid preceding regular expression")
            interval, pos = _interval(pattern, pos, b"}")
            builder.repeat(interval)
        elif byte == 0x5B:
            text, pos = _bracket(pattern, pos)
            builder.atom(text)
        elif byte == 0x2E:
            builder.atom(b".")
        elif byte == 0x5E:
            builder.anchor(b"^")
        elif byte == 0x24:
            builder.anchor(rb"\Z")
        else:
            builder.atom(_literal(byte))
    return builder.result()


def _compile(source: bytes) -> "re.Pattern[bytes]":
    try:
        return re.compile(source, re.DOTALL)
    except (re.error, OverflowError, RecursionError) as exc:
        raise RegexError("Invalid regular expression") from exc


def compile_posix(pattern: bytes, extended: bool = False) -> "re.Pattern[bytes]":
    """Compile a POSIX RE; RegexError (glibc wording) if regcomp would refuse it."""
    branches = translate_extended(pattern) if extended else translate_basic(pattern)
    return _compile(b"|".join(branches))


class LongestMatch:
    """Anchored matching that prefers the longest top-level alternative, as POSIX does.

    Python takes the first alternative that matches; for "a\\|aa" POSIX takes the
    longer one. Each alternative also gets a variant of the whole pattern where
    the others can never match, so group numbers stay the same in all of them.
    """

    def __init__(self, pattern: bytes, extended: bool = False):
        branches = translate_extended(pattern) if extended else translate_basic(pattern)
        self.pattern = _compile(b"|".join(branches))
        self.groups = self.pattern.groups
        self.variants = []
        if len(branches) > 1:
            for chosen in range(len(branches)):
                sources = [source if index == chosen else b"(?!)" + source for index, source in enumerate(branches)]
                self.variants.append(_compile(b"|".join(sources)))

    def match(self, text: bytes):
        """The longest match at the start of text, or None."""
        best = self.pattern.match(text)
        for variant in self.variants:
            found = variant.match(text)
            if found is not None and (best is None or found.end() > best.end()):
                best = found
        return best
