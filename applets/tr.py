"""tr: translate, squeeze and delete bytes from stdin to stdout.

Both sets are expanded exactly as BusyBox does (ranges, escapes, [:class:],
[=c=], and "[" literal otherwise), plus GNU's [c*n] / [c*] repeats in STRING2.
The work is one bytes.translate per block; squeezing collapses runs with
bytes.replace for a few members, else with whole-block integer operations (ASCII
data) or one regex pass, carrying the last output byte across blocks.
"""

import os
import re

from applets._escape import escape_at
from applets.common import Fail, UsageError, getopt, stdout

USAGE = """tr [-cds] STRING1 [STRING2]

Translate, squeeze, or delete characters from stdin, writing to stdout

\t-c\tTake complement of STRING1
\t-d\tDelete input characters coded STRING1
\t-s\tSqueeze multiple output characters of STRING2 into one character"""

BLOCK = 1 << 16


def _range(first: str, last: str) -> bytes:
    return bytes(range(ord(first), ord(last) + 1))


PUNCT = bytes(c for c in range(33, 127) if not chr(c).isalnum())
CLASSES = {
    b"alpha:]": _range("A", "Z") + _range("a", "z"),
    b"alnum:]": _range("0", "9") + _range("A", "Z") + _range("a", "z"),
    b"digit:]": _range("0", "9"),
    b"lower:]": _range("a", "z"),
    b"upper:]": _range("A", "Z"),
    b"space:]": b"\t\n\v\f\r ",
    b"blank:]": b"\t ",
    b"punct:]": PUNCT,
    b"cntrl:]": bytes(range(32)) + b"\x7f",
    b"xdigit:]": _range("0", "9") + b"ABCDEFabcdef",
}
REPEAT = re.compile(rb"\[(.)\*([0-9]*)\]", re.S)


def expand(spec: bytes, repeats: bool = False) -> tuple[bytearray, int | None]:
    """Expand a tr set into its bytes, as BusyBox's expand() does.

    With `repeats` (STRING2), [c*n] gives n copies of c; [c*] (or n = 0) marks
    where filling to STRING1's length goes: its offset is returned, else None.
    """
    out = bytearray()
    fill_at = None
    at = 0
    while at < len(spec):
        char = spec[at]
        if char == 92:  # backslash: the escape's value stands at its last byte
            char, after = escape_at(spec, at + 1)
            at = after - 1
        if spec[at + 1 : at + 2] == b"-":
            if at + 2 >= len(spec):  # "x-" at the end: both are literal
                out.append(char)
                at += 1
                continue
            last = spec[at + 2]
            at += 3
            if last == 92:
                last, at = escape_at(spec, at)
            out.extend(range(char, last + 1))
            continue
        if char == 91:  # "["
            kind = spec[at + 1 : at + 2]
            if kind == b":":
                name = spec[at + 2 : at + 2 + (8 if spec[at + 2 : at + 3] == b"x" else 7)]
                if name in CLASSES:
                    out.extend(CLASSES[name])
                    at += 2 + len(name)
                    continue
            elif kind == b"=":
                if at + 2 >= len(spec) or spec[at + 3 : at + 5] != b"=]":
                    raise UsageError("")
                out.append(spec[at + 2])
                at += 5
                continue
            elif repeats and (match := REPEAT.match(spec, at)):
                count = int(match.group(2), 8 if match.group(2).startswith(b"0") else 10) if match.group(2) else 0
                if count:
                    out.extend(match.group(1) * count)
                elif fill_at is None:
                    fill_at = len(out)
                    out.extend(match.group(1))
                at = match.end()
                continue
        out.append(char)
        at += 1
    return out, fill_at


class _AsciiSqueezer:
    """Squeezes ASCII data with a few operations on the whole block as one integer (a
    regex pass costs a match attempt at every member byte, ten times slower).

    The block XORed with itself shifted by one byte is zero in each lane whose byte
    repeats the one after it; those lanes are found with carry-free lane arithmetic, the
    repeating bytes get their top bit set, and one translate deletes the marked members
    and clears the mark on the rest.
    """

    def __init__(self, members: bytes):
        self.unmark = bytes(range(128)) * 2
        self.marked_members = bytes(byte | 0x80 for byte in members if byte < 0x80)
        self.lanes = -1
        self.low_bits = self.high_bit = 0

    def __call__(self, data: bytes) -> bytes:
        size = len(data)
        if size != self.lanes:
            self.lanes = size
            self.low_bits = int.from_bytes(b"\x7f" * size, "little")
            self.high_bit = int.from_bytes(b"\x80" * size, "little")
        low_bits, high_bit = self.low_bits, self.high_bit
        value = int.from_bytes(data, "little")
        same = value ^ (value >> 8)  # lane i: data[i] ^ data[i + 1]
        nonzero = (((same & low_bits) + low_bits) | same) & high_bit
        repeats = (nonzero ^ high_bit) << 8  # bit 7 of lane i + 1 where data[i + 1] == data[i]
        marked = (value | repeats).to_bytes(size + 1, "little")
        return marked[:size].translate(self.unmark, self.marked_members)


def _squeezer(members: bytes):
    """A function collapsing each run of one repeated byte from `members` to a single byte."""
    if len(members) <= 4:
        doubles = [(bytes([byte]) * 2, bytes([byte])) for byte in members]

        def squeeze(data: bytes) -> bytes:
            for double, single in doubles:
                while double in data:
                    data = data.replace(double, single)
            return data

        return squeeze
    ascii_squeeze = _AsciiSqueezer(members)
    # Splitting on the runs keeps each run's byte (the captured group): joined, that is the squeeze.
    runs = re.compile(b"([" + b"".join(b"\\x%02x" % byte for byte in members) + b"])\\1+")
    return lambda data: ascii_squeeze(data) if data.isascii() else b"".join(runs.split(data))


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "Ccds", permute=False)
    flags = {option[1] for option, _ in options}
    if not 1 <= len(operands) <= 2:
        raise UsageError("")
    set1, _ = expand(os.fsencode(operands[0]))
    if flags & {"c", "C"}:
        present = set(set1)
        set1 = bytearray(byte for byte in range(256) if byte not in present)
    table = bytearray(range(256))
    set2 = bytearray()
    if len(operands) == 2:
        if not operands[1]:
            raise Fail("STRING2 cannot be empty")
        set2, fill_at = expand(os.fsencode(operands[1]), repeats=True)
        if fill_at is not None:
            missing = len(set1) - len(set2)
            set2[fill_at + 1 : fill_at + 1] = set2[fill_at : fill_at + 1] * max(missing, 0)
        # Past STRING2's end its last byte repeats; an empty STRING2 (a descending
        # range) maps to "0", as BusyBox's map() starts with that byte.
        padding = set2[-1] if set2 else ord("0")
        for index, byte in enumerate(set1):
            table[byte] = set2[index] if index < len(set2) else padding
    delete = bytes(set1) if "d" in flags else b""
    squeeze = None
    if "s" in flags:
        members = bytes(sorted(set(set2 if set2 else set1)))
        if members:
            squeeze = _squeezer(members)
            member_set = set(members)

    table = bytes(table) if table != bytearray(range(256)) else None  # `tr -s SET` maps nothing
    out = stdout()
    last = None
    while data := os.read(0, BLOCK):
        if table is not None or delete:
            data = data.translate(table, delete)
        if squeeze is not None and data:
            data = squeeze(data)
            if data[0] == last and last in member_set:
                data = data.lstrip(bytes([last]))
            if data:
                last = data[-1]
        out.write(data)
    return 0
