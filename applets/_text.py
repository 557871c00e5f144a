"""Shared plumbing for the line-oriented text applets (uniq, cut, paste, fold, expand, nl, comm, tr).

Input is read with os.read in large blocks that end on a line boundary, so the
applets can work on whole buffers with bytes methods while still streaming.
"""

import os

BLOCK = 1 << 20


def open_fd(path: str) -> int:
    """Open path read-only as a raw descriptor; "-" is stdin. Raises OSError.

    A raw open (not Python's open()) lets a directory be opened like C's fopen
    does, so its error surfaces on read, where BusyBox reports it.
    """
    return 0 if path == "-" else os.open(path, os.O_RDONLY)


def close_fd(fd: int) -> None:
    if fd != 0:
        os.close(fd)


def read_blocks(fd: int, separator: bytes = b"\n", size: int = BLOCK):
    """Yield the input in blocks that each end just after a separator.

    The final block may lack its separator (an unterminated last line). A line
    longer than `size` is accumulated until its end arrives.
    """
    pending = []
    while True:
        data = os.read(fd, size)
        if not data:
            if pending:
                yield b"".join(pending)
            return
        cut = data.rfind(separator) + 1
        if not cut:
            pending.append(data)
            continue
        if pending:
            pending.append(data[:cut])
            yield b"".join(pending)
            pending = []
        else:
            yield data[:cut] if cut < len(data) else data
        if cut < len(data):
            pending.append(data[cut:])


def read_lines(fd: int, separator: bytes = b"\n"):
    """Yield (lines, terminated) per block: the block's lines without separators."""
    for block in read_blocks(fd, separator):
        lines = block.split(separator)
        terminated = not lines[-1]
        if terminated:
            lines.pop()
        yield lines, terminated


# One-letter escapes of BusyBox's bb_process_escape_sequence().
SIMPLE_ESCAPES = {
    ord("a"): 7, ord("b"): 8, ord("e"): 27, ord("f"): 12, ord("n"): 10,
    ord("r"): 13, ord("t"): 9, ord("v"): 11, ord("\\"): 92,
}  # fmt: skip
HEX_DIGITS = b"0123456789abcdefABCDEF"


def escape_at(text: bytes, at: int) -> tuple[int, int]:
    """Decode the escape whose text starts at text[at] (just after a backslash).

    Returns (byte value, index after the escape), like bb_process_escape_sequence:
    up to three octal digits (value <= 255), \\x and up to two hex digits, the
    one-letter escapes; anything else is a literal backslash, leaving `at` alone.
    """
    if text[at : at + 1] == b"x":
        digits = 0
        value = 0
        while digits < 2 and at + 1 + digits < len(text) and text[at + 1 + digits] in HEX_DIGITS:
            value = value * 16 + int(chr(text[at + 1 + digits]), 16)
            digits += 1
        if not digits:
            return 92, at
        return value, at + 1 + digits
    digits = 0
    value = 0
    while digits < 3 and at + digits < len(text) and 48 <= text[at + digits] <= 55:
        candidate = value * 8 + text[at + digits] - 48
        if candidate > 255:
            break
        value = candidate
        digits += 1
    if digits:
        return value, at + digits
    if at < len(text) and text[at] in SIMPLE_ESCAPES:
        return SIMPLE_ESCAPES[text[at]], at + 1
    return 92, at


def unescape(text: bytes) -> bytes:
    """Process every backslash escape in text (BusyBox strcpy_and_process_escape_sequences)."""
    if b"\\" not in text:
        return text
    out = bytearray()
    at = 0
    while at < len(text):
        byte = text[at]
        at += 1
        if byte == 92:
            byte, at = escape_at(text, at)
        out.append(byte)
    return bytes(out)
