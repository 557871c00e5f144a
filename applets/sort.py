"""sort: sort lines of text, with BusyBox's keys, orderings and quirks.

Lines are held as latin-1 `str` (one code point per byte), because CPython
sorts such strings with a specialised memcmp path that is much faster than
comparing `bytes`; the byte order is preserved exactly. Multi-key orderings
are built from stable passes, least significant first, so each key keeps its
own direction as in BusyBox's compare_keys().
"""

import os
import re
from functools import cache

from applets.common import Fail, UsageError, getopt, show_usage, stdout, warn

USAGE = """sort [-nrughMcszbdfiokt] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...

Sort lines of text

\t-o FILE\tOutput to FILE
\t-c\tCheck whether input is sorted
\t-b\tIgnore leading blanks
\t-f\tIgnore case
\t-i\tIgnore unprintable characters
\t-d\tDictionary order (blank or alphanumeric only)
\t-n\tSort numbers
\t-g\tGeneral numerical sort
\t-h\tSort human readable numbers (2K 1G)
\t-M\tSort month
\t-V\tSort version
\t-t CHAR\tField separator
\t-k N[,M] Sort by Nth field
\t-r\tReverse sort order
\t-s\tStable (don't sort ties alphabetically)
\t-u\tSuppress duplicate lines
\t-z\tNUL terminated input and output"""

# BusyBox exits 2 on every error except "not sorted" (-c).
ERROR_STATUS = 2

# The option letters in BusyBox's order: a key modifier found here but not in
# KEY_FLAGS is "unknown sort type", anything else "unknown key option".
OPTION_LETTERS = "^ngMVhucszbrdfimS:T:o:k:*t:"
KEY_FLAGS = set("ngMbrdfi")
# Global options that shape keys without flags of their own (-V and -h only work globally).
GLOBAL_KEY_FLAGS = KEY_FLAGS | set("Vh")
TYPE_FLAGS = set("ngMVh")

SPACES = " \t\n\v\f\r"  # C isspace() in the C locale
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
HUMAN_UNITS = {"K": 1, "k": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8}

# strtod()'s accepted prefix: hex floats, decimals, inf/infinity, nan.
NUMBER = (
    r"[-+]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][-+]?[0-9]+)?"
    r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])"
)
ASCII_UPPER = {c: c - 32 for c in range(ord("a"), ord("z") + 1)}


@cache
def _strtod_pattern() -> re.Pattern:
    return re.compile(r"[ \t\n\v\f\r]*(" + NUMBER + ")")


class Key:
    """One -k specification: 1-based start/end field and char, plus its own flags."""

    def __init__(self, start_field=1, start_char=0, end_field=0, end_char=0, flags=frozenset()):
        self.start_field = start_field
        self.start_char = start_char
        self.end_field = end_field
        self.end_char = end_char
        self.flags = flags  # "B" stands for BusyBox's FLAG_bb: strip trailing blanks

    def is_whole_line(self) -> bool:
        return self.start_field == 1 and not (self.start_char or self.end_field or self.end_char)


def _field_number(text: str, at: int) -> tuple[int, int]:
    """Parse the digits at text[at:] like BusyBox's str2u: positive, else a bad specification."""
    end = at
    while end < len(text) and text[end].isdigit() and text[end].isascii():
        end += 1
    if end == at or int(text[at:end]) == 0 or int(text[at:end]) > 2**31 - 1:
        raise Fail("bad field specification", ERROR_STATUS)
    return int(text[at:end]), end


def parse_key(spec: str) -> Key:
    """Parse START[.CHAR][OPTS][,END[.CHAR][OPTS]] the way BusyBox does."""
    numbers = [0, 0, 0, 0]
    flags = set()
    part = 0
    at = 0
    while at < len(spec):
        numbers[2 * part], at = _field_number(spec, at)
        if at < len(spec) and spec[at] == ".":
            numbers[2 * part + 1], at = _field_number(spec, at + 1)
        while at < len(spec):
            char = spec[at]
            at += 1
            if char == "," and part == 0:
                part = 1
                break
            if char == "," or char not in OPTION_LETTERS:
                raise Fail("unknown key option", ERROR_STATUS)
            if char not in KEY_FLAGS:
                raise Fail("unknown sort type", ERROR_STATUS)
            flags.add("B" if part and char == "b" else char)
    return Key(numbers[0], numbers[1], numbers[2], numbers[3], frozenset(flags))


class KeyCutter:
    """Extracts a key's text from a line, following BusyBox's get_key() exactly."""

    def __init__(self, key: Key, flags: frozenset, separator: str | None):
        self.key = key
        self.flags = flags
        self.separator = separator
        self.plain = key.is_whole_line() and not flags & set("bBdfi")
        self.skippers = {}

    def _skip_fields(self, line: str, count: int) -> tuple[int, bool]:
        """Offset after `count` fields, and whether the last one ended at a separator."""
        if self.separator is not None:
            pos = 0
            for _ in range(count):
                found = line.find(self.separator, pos)
                if found < 0:
                    return len(line), False
                pos = found + 1
            return pos, count > 0
        skipper = self.skippers.get(count)
        if skipper is None:
            skipper = self.skippers[count] = re.compile("(?:[%s]*[^%s]*){%d}" % (SPACES, SPACES, count))
        return skipper.match(line).end(), False

    def cut(self, line: str) -> str:
        if self.plain:
            return line
        key, flags = self.key, self.flags
        length = len(line)
        start = self._skip_fields(line, key.start_field - 1)[0]
        if key.end_field:
            end, at_separator = self._skip_fields(line, key.end_field)
            if at_separator:
                end -= 1
        else:
            end = length
        if "b" in flags:
            while start < length and line[start] in SPACES:
                start += 1
        if "B" in flags:
            while end > start and line[end - 1] in SPACES:
                end -= 1
        if key.end_char:
            end = min(key.end_char, length)
        if key.start_char:
            start = min(start + key.start_char - 1, length)
        text = line[start:end] if end > start else ""
        if "d" in flags:
            text = re.sub(r"[^ \t\n\v\f\r0-9A-Za-z]+", "", text)
        if "i" in flags:
            text = re.sub(r"[^\x20-\x7e]+", "", text)
        if "f" in flags:
            text = text.upper() if text.isascii() else text.translate(ASCII_UPPER)
        return text


def strtod(text: str) -> float | None:
    """The value of text's leading number as C's strtod sees it, or None if there is none."""
    match = _strtod_pattern().match(text)
    if not match:
        return None
    token = match.group(1)
    try:
        return float(token)
    except ValueError:
        try:
            return float.fromhex(token)
        except OverflowError:
            return float("-inf") if token.startswith("-") else float("inf")


def atof_key(text: str) -> float:
    """-n: atof() of the key; a NaN compares as zero."""
    value = strtod(text)
    return 0.0 if value is None or value != value else value


def general_key(text: str) -> tuple[int, float]:
    """-g: non-numbers < NaN < -inf < numbers < +inf."""
    value = strtod(text)
    if value is None:
        return (0, 0.0)
    if value != value:
        return (1, 0.0)
    if value == float("-inf"):
        return (2, 0.0)
    if value == float("inf"):
        return (4, 0.0)
    return (3, value)


def month_key(text: str) -> int:
    """-M: the month a key names (leading blanks skipped), -1 when it names none."""
    word = text.lstrip(SPACES)[:3].lower()
    return MONTHS.index(word) if word in MONTHS else -1


def human_key(text: str) -> tuple[int, float]:
    """-h: order by unit suffix (none < K < M < ... < Y, reversed for negatives), then value."""
    match = _strtod_pattern().match(text)
    if not match:
        return (0, 0.0)
    value = atof_key(text)
    unit = HUMAN_UNITS.get(text[match.end() : match.end() + 1], 0) if value else 0
    return (-unit if value < 0 else unit, value)


def _digit_kind(char: str) -> int:
    """strverscmp's character classes: 0 = other, 1 = nonzero digit, 2 = zero."""
    return (char == "0") + ("0" <= char <= "9")


# strverscmp's automaton (glibc): states are normal (0), integral part (3),
# fractional part (6) and leading zeros (9), plus the class of the current char.
VERSION_NEXT_STATE = (0, 3, 9, 0, 3, 3, 0, 6, 6, 0, 6, 9)
VERSION_CMP, VERSION_LEN = 2, 3
VERSION_RESULT = (
    2, 2, 2, 2, 3, 2, 2, 2, 2,
    2, -1, -1, 1, 3, 3, 1, 3, 3,
    2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 1, 1, -1, 2, 2, -1, 2, 2,
)  # fmt: skip


def strverscmp(left: str, right: str) -> int:
    """glibc's strverscmp(): digit runs compare as numbers, leading zeros as fractions."""
    left += "\0"
    right += "\0"
    i = 0
    state = _digit_kind(left[0])
    while left[i] == right[i]:
        if left[i] == "\0":
            return 0
        state = VERSION_NEXT_STATE[state]
        i += 1
        state += _digit_kind(left[i])
    diff = ord(left[i]) - ord(right[i])
    result = VERSION_RESULT[state * 3 + _digit_kind(right[i])]
    if result == VERSION_CMP:
        return diff
    if result == VERSION_LEN:
        j = i + 1
        while "0" <= left[j] <= "9":
            if not "0" <= right[j] <= "9":
                return 1
            j += 1
        return -1 if "0" <= right[j] <= "9" else diff
    return result


class Comparer:
    """A key's text extraction plus its comparison type, as a sort-key function."""

    def __init__(self, key: Key, flags: frozenset, separator: str | None):
        types = flags & TYPE_FLAGS
        if len(types) > 1:
            self.kind = "invalid"
        else:
            self.kind = next(iter(types), "text")
        self.cutter = KeyCutter(key, flags, separator)
        self.reverse = "r" in flags
        if self.kind == "V":
            from functools import cmp_to_key

            self.transform = cmp_to_key(strverscmp)
        else:
            self.transform = {"n": atof_key, "g": general_key, "M": month_key, "h": human_key}.get(self.kind)

    def values(self, lines: list[str]) -> list:
        if self.kind == "invalid":
            raise Fail("unknown sort type", ERROR_STATUS)
        cut = self.cutter.cut
        transform = self.transform
        if self.cutter.plain:
            return lines if transform is None else list(map(transform, lines))
        if transform is None:
            return list(map(cut, lines))
        return [transform(cut(line)) for line in lines]


def numeric_whole_lines(text: str, count: int, separator: str) -> list[float]:
    """atof() of every line at once: one regex pass over the whole input."""
    import math

    blanks = SPACES.replace(separator, "")
    escaped = re.escape(separator)
    pattern = re.compile("[%s]*(%s)?[^%s]*%s" % (blanks, NUMBER, escaped, escaped))
    tokens = pattern.findall(text)[:count]
    try:
        values = [float(token) if token else 0.0 for token in tokens]
    except ValueError:
        values = [atof_key(token) for token in tokens]
    if any(map(math.isnan, values)):
        values = [0.0 if value != value else value for value in values]
    return values


class Sorter:
    """Holds the parsed command line and applies it to a list of lines."""

    def __init__(self, flags: set, keys: list[Key], separator: str | None):
        self.flags = flags
        self.stable = "s" in flags
        self.reverse = "r" in flags
        self.default_key = not keys
        key_flags = frozenset(flags & GLOBAL_KEY_FLAGS | ({"B"} if "b" in flags else set()))
        keys = keys or [Key()]
        self.comparers = [Comparer(key, key.flags or key_flags, separator) for key in keys]
        self.separator = separator

    def plain(self) -> bool:
        """True when ordering is a plain byte comparison of whole lines."""
        comparer = self.comparers[0]
        return self.default_key and comparer.kind == "text" and comparer.cutter.plain

    def sort(self, lines: list[str], text: str, line_end: str) -> list[str]:
        if len(lines) < 2:
            return lines
        if self.plain():
            lines.sort(reverse=self.reverse)
            return lines
        if self.default_key and self.comparers[0].kind == "n" and not self.flags & set("dfi"):
            values = [numeric_whole_lines(text, len(lines), line_end)]
        else:
            values = [comparer.values(lines) for comparer in self.comparers]
        order = list(range(len(lines)))
        if not self.stable:
            order.sort(key=lines.__getitem__, reverse=self.reverse)
        for comparer, keyed in zip(reversed(self.comparers), reversed(values)):
            order.sort(key=keyed.__getitem__, reverse=comparer.reverse)
        return list(map(lines.__getitem__, order))

    def unique(self, lines: list[str]) -> list[str]:
        """Drop every line whose keys all equal those of the line kept before it."""
        if len(lines) < 2:
            return lines
        if self.plain():
            from itertools import compress
            from operator import ne

            return [lines[0], *compress(lines[1:], map(ne, lines[1:], lines))]
        columns = [comparer.values(lines) for comparer in self.comparers]
        keys = list(zip(*columns))
        kept = [lines[0]]
        last = keys[0]
        for line, key in zip(lines[1:], keys[1:]):
            if key != last:
                kept.append(line)
                last = key
        return kept

    def first_disorder(self, lines: list[str], strict: bool) -> int:
        """-c: index of the first line out of order (0 if none), as BusyBox's compare_keys sees it.

        `strict` (-u) also rejects lines that compare equal.
        """
        if len(lines) < 2:
            return 0
        if self.stable:
            strict = False  # with -s, equal lines compare as "earlier is smaller"
        if self.plain():
            from operator import ge, gt

            if self.reverse:
                out_of_order = map(ge if strict else gt, lines[1:], lines)
            else:
                out_of_order = map(ge if strict else gt, lines, lines[1:])
            return next((number for number, bad in enumerate(out_of_order, 1) if bad), 0)
        columns = [comparer.values(lines) for comparer in self.comparers]
        directions = [-1 if comparer.reverse else 1 for comparer in self.comparers]
        fallback = -1 if self.reverse else 1
        for number in range(1, len(lines)):
            result = 0
            for column, direction in zip(columns, directions):
                before, after = column[number - 1], column[number]
                if before != after:
                    result = direction if before > after else -direction
                    break
            else:
                if self.stable:
                    result = -1  # equal keys keep input order: the earlier line is "smaller"
                else:
                    before, after = lines[number - 1], lines[number]
                    result = fallback * ((before > after) - (before < after))
            if result > (-1 if strict else 0):
                return number
        return 0


def _read_all(paths: list[str], line_end: bytes) -> bytes:
    """Every input file in turn, each ending in line_end; the first that cannot be opened ends the run."""
    pieces = []
    for path in paths:
        if path == "-":
            fd = 0
        else:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError as exc:
                raise Fail(f"{path}: {exc.strerror}", ERROR_STATUS) from None
        try:
            while data := os.read(fd, 1 << 24):
                pieces.append(data)
        except IsADirectoryError:
            pass
        finally:
            if fd:
                os.close(fd)
        if pieces and not pieces[-1].endswith(line_end):
            pieces.append(line_end)
    return b"".join(pieces)


def _parse_args(argv: list[str]):
    try:
        options, files = getopt(argv[1:], "ngMVhucszbrdfimS:T:o:k:t:")
    except UsageError as exc:
        warn(str(exc))
        show_usage(USAGE, status=ERROR_STATUS)
    flags = set()
    keys = []
    output = separator = None
    for option, value in options:
        letter = option[1]
        if letter in "ot":
            if (output if letter == "o" else separator) is not None:
                show_usage(USAGE, status=ERROR_STATUS)
            if letter == "o":
                output = value
            else:
                raw = os.fsencode(value)
                if len(raw) != 1:
                    raise Fail("bad -t parameter", ERROR_STATUS)
                separator = raw.decode("latin-1")
        elif letter == "k":
            keys.append(parse_key(value))
        elif letter not in "ST":
            flags.add(letter)
    return flags, keys, output, separator, files or ["-"]


def main(argv: list[str]) -> int:
    flags, keys, output, separator, files = _parse_args(argv)
    sorter = Sorter(flags, keys, separator)
    line_end = "\0" if "z" in flags else "\n"
    text = _read_all(files, line_end.encode()).decode("latin-1")
    lines = text.split(line_end)
    lines.pop()

    if "c" in flags:
        disorder = sorter.first_disorder(lines, strict="u" in flags)
        if disorder:
            os.write(2, b"Check line %d\n" % disorder)
            return 1
        return 0

    lines = sorter.sort(lines, text, line_end)
    if "u" in flags:
        lines = sorter.unique(lines)
    if output is not None:
        try:
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except OSError as exc:
            raise Fail(f"can't open '{output}': {exc.strerror}", ERROR_STATUS) from None
        os.dup2(fd, 1)
        os.close(fd)
    out = stdout()
    if lines:
        lines.append("")
        out.write(line_end.join(lines).encode("latin-1"))
    out.flush()
    # Done: leave without freeing what may be millions of line objects one by one.
    os._exit(0)
