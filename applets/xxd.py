"""xxd: hex dump with ASCII column, plain hex (-p), C include (-i), and the reverse (-r).

The dump is laid out as hexdump format strings and run by the hexdump engine,
as BusyBox does; -r parses dumps back into bytes.
"""

import os
import sys

from applets.common import Fail, getopt, stdout
from applets.hexdump import Dumper

USAGE = """xxd [-pri] [-g N] [-c N] [-l LEN] [-s OFS] [-o OFS] [FILE]

Hex dump FILE (or stdin)

\t-g N\t\tBytes per group
\t-c N\t\tBytes per line
\t-p\t\tShow only hex bytes, assumes -c30
\t-i\t\tC include file style
\t-u\t\tUse upper case hex letters
\t-l LENGTH\tShow only first LENGTH bytes
\t-s OFFSET\tSkip OFFSET bytes
\t-o OFFSET\tAdd OFFSET to displayed offset
\t-r\t\tReverse (with -p, assumes no offsets in input)"""

_HEX = b"0123456789abcdefABCDEF"
_SPACE = b" \t\n\r\f\v"


def _number(text: str, allow_negative: bool = False) -> int:
    """strtoll with base 0: decimal, 0x hex or 0 octal; "invalid number" otherwise."""
    body = text.strip()
    sign = 1
    if allow_negative and body[:1] in ("-", "+"):
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    try:
        if body[:2].lower() == "0x":
            value = int(body[2:], 16)
        elif body[:1] == "0" and len(body) > 1:
            value = int(body[1:], 8)
        elif body.isdigit() and body.isascii():
            value = int(body)
        else:
            raise ValueError
    except ValueError:
        raise Fail(f"invalid number '{text}'") from None
    return sign * value


def _count(text: str) -> int:
    """-c / -g: a non-negative decimal number."""
    if not text.isdigit() or not text.isascii():
        raise Fail(f"invalid number '{text}'")
    return int(text)


def _c_name(path: str) -> bytes:
    """A file name as a C identifier: non-alphanumerics become '_', a leading digit gets '__'."""
    name = os.fsencode(path)
    out = bytes(c if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122) else 95 for c in name)
    return (b"__" if name[:1].isdigit() else b"") + out


class _Reverser:
    """xxd -r: hex text back to bytes, placed at the offsets a normal dump gives.

    Tolerance follows BusyBox (and xxd 1.10): one stray character before a byte is
    skipped, two end the line; a stray character after a byte's first digit drops
    that digit; in -p mode a byte may be split across lines.
    """

    def __init__(self, plain: bool, seek: int):
        self.plain = plain
        self.seek = seek
        self.position = 0
        self.out = stdout()

    def _go_to(self, offset: int) -> None:
        if offset == self.position:
            return
        self.out.flush()
        try:
            os.lseek(1, offset, os.SEEK_SET)
        except OSError:
            if offset < self.position:
                raise Fail("cannot seek") from None
            gap = offset - self.position
            while gap:
                piece = min(gap, 1 << 20)
                self.out.write(bytes(piece))
                gap -= piece
        self.position = offset

    def _skip_address(self, line: bytes) -> int:
        """Seek to the line's leading hex offset; the index after it (and its ':')."""
        at = 0
        while line[at] in _SPACE and line[at]:
            at += 1
        start = at
        while line[at] and line[at] in _HEX:
            at += 1
        self._go_to((int(line[start:at], 16) if at > start else 0) + self.seek)
        return at + 1 if line[at] == 58 else at

    def _skip_space(self, line: bytes, at: int) -> int:
        if self.plain:
            while line[at] and line[at] in _SPACE:
                at += 1
        return at

    def run(self, source) -> None:
        data = source.read()
        if self.plain:
            digits = data.translate(None, _SPACE)
            if not digits.translate(None, _HEX):
                # Well-formed plain hex (the usual case): whitespace anywhere, digits paired.
                self.out.write(bytes.fromhex(digits[: len(digits) & ~1].decode()))
                self.out.flush()
                return
        lines = iter(data[:-1].split(b"\n") if data.endswith(b"\n") else data.split(b"\n") if data else [])
        for raw in lines:
            line = raw.split(b"\0", 1)[0] + b"\0"  # C string: ends at NUL
            at = 0 if self.plain else self._skip_address(line)
            if not self.plain:
                fast = _dump_line_bytes(line[at:-1])
                if fast is not None:
                    self.out.write(fast)
                    self.position += len(fast)
                    continue
            while True:  # one byte per round
                stray = False
                while True:
                    at = self._skip_space(line, at)
                    char = line[at]
                    at += 1
                    if char and char in _HEX:
                        value = int(chr(char), 16) << 4
                        break
                    if not char or stray:
                        value = None
                        break
                    stray = True
                if value is None:
                    break
                while True:
                    at = self._skip_space(line, at)
                    char = line[at]
                    at += 1
                    if char and char in _HEX:
                        value |= int(chr(char), 16)
                        break
                    if char:
                        while line[at] and line[at] not in _HEX:
                            at += 1
                        value = None
                        break
                    following = next(lines, None)
                    if following is None:
                        self.out.flush()
                        return
                    line = following.split(b"\0", 1)[0] + b"\0"
                    at = 0
                    if not self.plain:
                        at = self._skip_address(line)
                        value = None
                        break
                if value is None:
                    if not line[at]:
                        break
                    continue
                self.out.write(bytes((value,)))
                self.position += 1
        self.out.flush()


def _dump_line_bytes(text: bytes):
    """The bytes of a regular dump line's hex part ("6865 6c6c  hell"), or None if irregular.

    Regular means groups of whole bytes separated by single spaces, ended by two spaces
    or the end of the line; anything else goes through the byte-by-byte parser.
    """
    hex_part = text.split(b"  ", 1)[0].lstrip(b" ")
    groups = hex_part.split(b" ")
    if any(len(group) & 1 for group in groups):
        return None
    digits = b"".join(groups)
    if digits.translate(None, _HEX):
        return None
    return bytes.fromhex(digits.decode())


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "l:s:apirg:c:o:u")
    if len(operands) > 1:
        from applets.common import UsageError

        raise UsageError()
    flags = {name for name, _ in options}
    values = dict(options)
    dumper = Dumper()
    dumper.show_all = True
    group = _count(values["-g"]) if "-g" in values else 2
    columns = _count(values["-c"]) if "-c" in values else 0
    if "-l" in values:
        length = _number(values["-l"])
        if length > 2**31 - 1:
            raise Fail(f"number {values['-l']} is not in 0..2147483647 range")
        dumper.length = length
    if "-s" in values:
        dumper.skip = _number(values["-s"])
    if "-r" in flags:
        source = sys.stdin.buffer
        if operands:
            try:
                source = open(operands[0], "rb")
            except OSError as exc:
                raise Fail(f"can't open '{operands[0]}': {exc.strerror}") from None
        reverser = _Reverser("-p" in flags, dumper.skip)
        try:
            reverser.run(source)
        finally:
            reverser.out.flush()
        return 0
    if "-o" in values:
        dumper.display_offset = _number(values["-o"], allow_negative=True)
    hex_digit = "%02X" if "-u" in flags else "%02x"
    plain = "-p" in flags
    c_style = "-i" in flags
    include = c_style and not plain
    if plain:
        columns = columns or 30
        group = columns
    else:
        columns = columns or (12 if include else 16)
        if include:
            group = 1
            dumper.add('" "')
        else:
            dumper.add('"%08_ax: "')
    if group < 1 or group >= columns:
        dumper.add(f'{columns}/1 "{hex_digit}"')
    elif group == 1:
        dumper.add(f'{columns}/1 " 0x{hex_digit},"' if include else f'{columns}/1 "{hex_digit} "')
    else:
        # Groups of `group` bytes separated by one space (BusyBox spells this out byte by byte).
        pieces = []
        for start in range(0, columns, group):
            count = min(group, columns - start)
            pieces.append(f'{count}/1 "{hex_digit}"')
            if start + count < columns:
                pieces.append('" "')
        dumper.add(" ".join(pieces))
    if plain or c_style:
        dumper.add('"\\n"')
        dumper.eof_string = b"\n"
    else:
        dumper.add(f'"  "{columns}/1 "%_p""\\n"')
    out = dumper.out
    name = operands[0] if operands and operands[0] != "-" else None
    if c_style and name is not None:
        out.write(b"unsigned char " + _c_name(name) + b"[] = {\n")
    status = dumper.dump(operands)
    if status == 0 and c_style and name is not None:
        out.write(b"};\nunsigned int " + _c_name(name) + b"_len = %d;\n" % dumper.address)
    out.flush()
    return status
