"""printf: format and print data, with BusyBox's number parsing and error rules.

The format is reused until the arguments run out. A bad number is reported
(`invalid number 'X'`), printed as 0, and makes the exit status 1; a bad
conversion stops everything with `%...: invalid format`.
"""

import os

from applets._cnumber import strtod
from applets._escape import escape_at, expand
from applets.common import UsageError, stdout, warn

USAGE = """printf FORMAT [ARG]...

Format and print ARG(s) according to FORMAT (a-la C printf)"""

FLAG_CHARS = b"-+ #0"
LENGTH_MODIFIERS = b"lLhz"
CONVERSIONS = b"diouxXfeEgGcs"
WHITESPACE = b" \t\n\v\f\r"
U64 = 1 << 64
DIGITS = {8: b"01234567", 10: b"0123456789", 16: b"0123456789abcdefABCDEF"}


class _Stop(Exception):
    """\\c seen: no further output at all."""


class _BadFormat(Exception):
    """Unknown conversion: message already printed, exit 1."""


def _strtoll(text: bytes) -> int | None:
    """C strtol with base 0 (0x hex, 0 octal) over the whole text; None if anything is left over."""
    body = text
    negative = body[:1] == b"-"
    if body[:1] in (b"-", b"+"):
        body = body[1:]
    base = 10
    if body[:2] in (b"0x", b"0X") and len(body) > 2:
        base, body = 16, body[2:]
    elif body[:1] == b"0" and len(body) > 1:
        base, body = 8, body[1:]
    if not body or body.translate(None, DIGITS[base]):
        return None
    value = int(body, base)
    return -value if negative else value


def _integer(arg: bytes, unsigned: bool) -> tuple[int, bool]:
    """An integer argument as bb_strtoll/bb_strtoull read it, after 'c char constants. Returns (value, ok)."""
    arg = arg.lstrip(WHITESPACE)
    if arg[:1] in (b"'", b'"'):
        return (arg[1] if len(arg) > 1 else 0), True
    shown = arg
    if arg[:1] == b"+":
        arg = arg[1:]
    first = arg[1:2] if arg[:1] == b"-" else arg[:1]
    value = _strtoll(arg) if first.isalnum() else None
    if value is not None and not -(1 << 63) <= value < (U64 if unsigned and value >= 0 else 1 << 63):
        value = None
    if value is None:
        warn(f"invalid number '{os.fsdecode(shown)}'")
        return 0, False
    return value, True


def _double(arg: bytes) -> tuple[float, bool]:
    """A floating argument as strtod reads it (after 'c char constants); the whole argument must be used."""
    if arg[:1] in (b"'", b'"'):
        return float(arg[1] if len(arg) > 1 else 0), True
    value = strtod(arg.decode("latin-1"))
    if value is None:
        warn(f"invalid number '{os.fsdecode(arg)}'")
        return 0.0, False
    return value, True


def _width_or_precision(arg: bytes) -> int:
    """A '*' argument: a decimal int, negative allowed; bad ones warn and count as 0."""
    text = arg
    if text[:1] in (b"+", b"-"):
        text = text[1:]
    if text.isdigit():
        value = int(arg)
        if -(1 << 31) <= value < (1 << 31):
            return value
    warn(f"invalid number '{os.fsdecode(arg)}'")
    return 0


def _pad(body: bytes, flags: bytes, width: int) -> bytes:
    if width < 0:
        flags += b"-"
        width = -width
    if len(body) >= width:
        return body
    if b"-" in flags:
        return body.ljust(width)
    return body.rjust(width)


def _format_integer(value: int, conv: int, flags: bytes, width: int, precision: int | None) -> bytes:
    """C printf of an integer with flags, width and precision."""
    signed = conv in b"di"
    if signed:
        negative, magnitude = value < 0, abs(value)
    else:
        negative, magnitude = False, value % U64
    digits = ("%" + {0x6F: "o", 0x78: "x", 0x58: "X"}.get(conv, "d")) % magnitude
    if precision is not None:
        digits = "" if precision == 0 and magnitude == 0 else digits.rjust(precision, "0")
    if b"#" in flags and conv == 0x6F and not digits.startswith("0"):
        digits = "0" + digits
    prefix = ""
    if signed:
        prefix = "-" if negative else "+" if b"+" in flags else " " if b" " in flags else ""
    elif b"#" in flags and conv in b"xX" and magnitude:
        prefix = "0x" if conv == 0x78 else "0X"
    if width < 0:
        flags, width = flags + b"-", -width
    if b"0" in flags and b"-" not in flags and precision is None and len(prefix) + len(digits) < width:
        digits = digits.rjust(width - len(prefix), "0")
    return _pad((prefix + digits).encode(), flags, width)


def _format_double(value: float, conv: int, flags: bytes, width: int, precision: int | None) -> bytes:
    """C printf of a double; Python's % agrees with glibc except for the sign of NaN."""
    if width < 0:
        flags, width = flags + b"-", -width
    if value != value or value in (float("inf"), float("-inf")):
        import math

        word = "nan" if value != value else "inf"
        if conv in b"EG":
            word = word.upper()
        negative = math.copysign(1.0, value) < 0
        sign = "-" if negative else "+" if b"+" in flags else " " if b" " in flags else ""
        return _pad((sign + word).encode(), flags, width)
    spec = "%" + flags.decode() + (str(width) if width else "")
    if precision is not None:
        spec += "." + str(precision)
    return ((spec + chr(conv)) % value).encode()


class _Printer:
    """Walks the format once per pass, consuming arguments and collecting output."""

    def __init__(self, fmt: bytes, out):
        self.fmt = fmt
        self.out = out
        self.conversion_error = False

    def write(self, data: bytes) -> None:
        self.out.write(data)

    def run(self, args: list[bytes], at: int) -> int:
        """One pass over the format starting at args[at]; returns the index of the next unused argument."""
        fmt = self.fmt
        end = len(fmt)
        pos = 0
        literal_start = 0
        while pos < end:
            byte = fmt[pos]
            if byte != 37 and byte != 92:  # neither '%' nor '\'
                pos += 1
                continue
            if literal_start < pos:
                self.write(fmt[literal_start:pos])
            if byte == 92:
                if pos + 1 < end and fmt[pos + 1] == 0x63:  # \c
                    raise _Stop
                value, pos = escape_at(fmt, pos + 1)
                self.write(bytes((value,)))
            else:
                pos, at = self._directive(pos, args, at)
            literal_start = pos
        if literal_start < end:
            self.write(fmt[literal_start:])
        return at

    def _directive(self, start: int, args: list[bytes], at: int) -> tuple[int, int]:
        fmt = self.fmt
        end = len(fmt)
        pos = start + 1
        if pos < end and fmt[pos] == 37:
            self.write(b"%")
            return pos + 1, at
        if pos < end and fmt[pos] == 0x62:  # %b
            if at < len(args):
                text, stopped = expand(args[at])
                self.write(text)
                if stopped:
                    raise _Stop
                at += 1
            return pos + 1, at
        flags_start = pos
        while pos < end and fmt[pos] in FLAG_CHARS:
            pos += 1
        flags = fmt[flags_start:pos]
        width = 0
        if pos < end and fmt[pos] == 42:  # '*'
            pos += 1
            if at < len(args):
                width = _width_or_precision(args[at])
                at += 1
        else:
            digits_start = pos
            while pos < end and 48 <= fmt[pos] <= 57:
                pos += 1
            if pos > digits_start:
                width = int(fmt[digits_start:pos])
        precision = None
        if pos < end and fmt[pos] == 46:  # '.'
            pos += 1
            if pos < end and fmt[pos] == 42:
                pos += 1
                precision = 0
                if at < len(args):
                    precision = _width_or_precision(args[at])
                    at += 1
                if precision < 0:
                    precision = None
            else:
                digits_start = pos
                while pos < end and 48 <= fmt[pos] <= 57:
                    pos += 1
                precision = int(fmt[digits_start:pos] or b"0")
        spec_end = pos
        while pos < end and fmt[pos] in LENGTH_MODIFIERS:
            pos += 1
        conv = fmt[pos] if pos < end else 0
        if not conv or conv not in CONVERSIONS:
            shown = fmt[start:spec_end] + fmt[pos:]
            warn(f"{os.fsdecode(shown)}: invalid format")
            raise _BadFormat
        arg = b""
        if at < len(args):
            arg = args[at]
            at += 1
        self.write(self._convert(conv, flags, width, precision, arg))
        return pos + 1, at

    def _convert(self, conv: int, flags: bytes, width: int, precision: int | None, arg: bytes) -> bytes:
        if conv == 0x73:  # s
            body = arg if precision is None else arg[:precision]
            return _pad(body, flags, width)
        if conv == 0x63:  # c
            return _pad(arg[:1] or b"\0", flags, width)
        if conv in b"diouxX":
            value, ok = _integer(arg, unsigned=conv not in b"di")
            self.conversion_error |= not ok
            return _format_integer(value, conv, flags, width, precision)
        value, ok = _double(arg)
        self.conversion_error |= not ok
        return _format_double(value, conv, flags, width, precision)


def main(argv: list[str]) -> int:
    try:
        os.fstat(1)
    except OSError:
        return 1  # stdout closed: fail silently, as coreutils and BusyBox do
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        raise UsageError()
    printer = _Printer(os.fsencode(args[0]), stdout())
    values = [os.fsencode(arg) for arg in args[1:]]
    at = 0
    try:
        while True:
            next_at = printer.run(values, at)
            if next_at == at or next_at >= len(values):
                break
            at = next_at
    except _Stop:
        return int(printer.conversion_error)
    except _BadFormat:
        return 1
    return int(printer.conversion_error)
