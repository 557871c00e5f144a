"""base64: encode or decode base64, the way BusyBox does.

Encoding runs binascii over large blocks and cuts the text into lines with one
struct.unpack per block (no per-line Python work). Decoding follows BusyBox's
forgiving rules: anything outside the alphabet is skipped, data may continue after a
padded group, and only an incomplete final group is an error ("truncated input").
"""

import binascii
import os
import struct

from applets.common import Fail, UsageError, getopt, stdout

USAGE = """base64 [-d] [-w COL] [FILE]

Base64-encode FILE (stdin if none or -), or decode it

\t-d\tDecode
\t-w COL\tBreak encoded lines after COL characters (76; 0: never)"""

CHUNK = 1 << 20

_NOT_ALPHABET = bytes(
    byte for byte in range(256) if not (chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) in "+/="))
)


def read_blocks(fd: int, size: int):
    """The input in blocks of exactly `size` bytes (the last one may be short).

    Each block is a view of one reused buffer, valid until the next one is asked for.
    """
    buffer = bytearray(size)
    view = memoryview(buffer)
    while True:
        filled = 0
        try:
            while filled < size and (count := os.readv(fd, [view[filled:]])):
                filled += count
        except OSError as exc:
            raise Fail(f"read error: {exc.strerror}") from None
        if filled:
            yield view[:filled]
        if filled < size:
            return


def encode_lines(blocks, columns: int, out) -> None:
    """Write base64 of BLOCKS as lines of `columns` characters (0: one unbroken line, no newline).

    Every block but the last must encode to whole lines: a multiple of 3 * columns bytes.
    """
    for block in blocks:
        text = binascii.b2a_base64(block, newline=False)
        if not columns:
            out.write(text)
            continue
        full_lines = len(text) // columns
        lines = struct.unpack_from(f"{columns}s" * full_lines, text)
        if len(text) % columns:
            lines += (text[full_lines * columns :],)
        out.write(b"\n".join((*lines, b"")))


def line_block_size(columns: int) -> int:
    """A read size near 64 KiB whose base64 is whole lines of `columns` characters.

    Blocks this small are recycled by malloc; megabyte ones cost fresh pages each time.
    """
    if not columns:
        return 3 * (1 << 14)
    return 3 * columns * max(1, (1 << 16) // (3 * columns))


class Decoder:
    """BusyBox's base64 decoding as a stream: feed() text, finish() at the end.

    Characters outside the alphabet are dropped. `=` is padding only as the 4th
    character of a group, or as the 3rd when another `=` directly follows; elsewhere it
    is dropped too. Decoding goes on after a padded group.
    """

    def __init__(self, out) -> None:
        self.out = out
        self.group = bytearray()  # alphabet characters not decoded yet
        self.pad_waits = False  # an `=` came 3rd in a group at the end of the last text fed

    def feed(self, text) -> None:
        text = bytes(text).translate(None, _NOT_ALPHABET)
        group = self.group
        start = 0
        if self.pad_waits and text:
            self.pad_waits = False
            if text[0] == 0x3D:  # "=" completes "XY=="
                self._decode_padded(b"==")
                start = 1
        while (pad := text.find(b"=", start)) >= 0:
            group += text[start:pad]
            start = pad + 1
            position = len(group) % 4
            if position == 3:
                self._decode_padded(b"=")
            elif position == 2 and start == len(text):
                self.pad_waits = True
            elif position == 2 and text[start] == 0x3D:
                self._decode_padded(b"==")
                start += 1
        group += text[start:]
        whole = len(group) - len(group) % 4
        if whole:
            self.out.write(binascii.a2b_base64(group[:whole]))
            del group[:whole]

    def _decode_padded(self, padding: bytes) -> None:
        self.group += padding
        self.out.write(binascii.a2b_base64(self.group))
        self.group.clear()

    def finish(self) -> bool:
        """False when the input ended inside a group (BusyBox's "truncated input")."""
        return not self.group


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "dw:")
    if len(files) > 1:
        raise UsageError()
    decode = False
    columns = 76
    for option, value in options:
        if option == "-d":
            decode = True
        elif not (value.isascii() and value.isdigit()):
            raise Fail(f"invalid number '{value}'")
        else:
            columns = int(value)
    path = files[0] if files else "-"
    try:
        fd = 0 if path == "-" else os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise Fail(f"{path}: {exc.strerror}") from None
    out = stdout()
    if decode:
        decoder = Decoder(out)
        for block in read_blocks(fd, CHUNK):
            decoder.feed(block)
        if not decoder.finish():
            raise Fail("truncated input")
    else:
        encode_lines(read_blocks(fd, line_block_size(columns)), columns, out)
    return 0
