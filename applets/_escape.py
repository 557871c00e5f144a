"""Backslash escapes exactly as BusyBox reads them (bb_process_escape_sequence).

Shared by echo -e and printf (format text and %b). BusyBox's rules differ from
bash and coreutils in the corners: up to 3 octal digits without a leading 0
(\\41 is "!"), at most 2 hex digits after \\x, a lone \\x or unknown letter
leaves the backslash in the output, and an octal value never exceeds 255.
"""

_MNEMONICS = {
    ord("a"): 7,
    ord("b"): 8,
    ord("e"): 27,
    ord("f"): 12,
    ord("n"): 10,
    ord("r"): 13,
    ord("t"): 9,
    ord("v"): 11,
    ord("\\"): 92,
}

BACKSLASH = 92


def _digit(byte: int, base: int) -> int:
    """Value of byte as a digit in base, or -1."""
    if 48 <= byte <= 57:
        value = byte - 48
    elif 97 <= (byte | 0x20) <= 122:
        value = (byte | 0x20) - 87
    else:
        return -1
    return value if value < base else -1


def escape_at(text: bytes, pos: int) -> tuple[int, int]:
    """Decode the escape whose backslash sits just before text[pos].

    Returns (byte value, index of the first byte after the escape). An escape
    that means nothing yields a backslash and consumes nothing after it.
    """
    end = len(text)
    base, digits, value = 8, 0, 0
    if pos < end and text[pos] == 0x78:  # 'x'
        pos += 1
        base, digits = 16, 1
    while True:
        digit = _digit(text[pos], base) if pos < end else -1
        if digit < 0:
            if base == 16:
                digits -= 1
                if digits == 0:
                    pos -= 1  # back onto the 'x': "\x" alone stays literal
            break
        if value * base + digit > 255:
            break
        value = value * base + digit
        pos += 1
        digits += 1
        if digits >= 3:
            break
    if digits == 0:
        mnemonic = _MNEMONICS.get(text[pos]) if pos < end else None
        if mnemonic is None:
            return BACKSLASH, pos
        return mnemonic, pos + 1
    return value, pos


def expand(text: bytes) -> tuple[bytes, bool]:
    """Expand escapes as echo -e and printf %b do: \\0NNN takes a 4th digit, \\c stops.

    Returns (expanded bytes, whether \\c cut the output short).
    """
    if BACKSLASH not in text:
        return text, False
    pieces = []
    start = 0
    end = len(text)
    while True:
        slash = text.find(b"\\", start)
        if slash < 0:
            pieces.append(text[start:])
            return b"".join(pieces), False
        pieces.append(text[start:slash])
        pos = slash + 1
        if pos < end and text[pos] == 0x63:  # 'c'
            return b"".join(pieces), True
        if pos + 1 < end and text[pos] == 0x30 and 48 <= text[pos + 1] <= 55:
            pos += 1  # "\0NNN": the leading 0 does not count as a digit
        value, start = escape_at(text, pos)
        pieces.append(bytes((value,)))
