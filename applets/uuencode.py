"""uuencode: encode a file for mail as historical uuencode or, with -m, base64.

Lines are built by binascii in C: b2a_uu on 45-byte pieces cut out by struct, and
for -m the base64 line cutter shared with the base64 applet.
"""

import binascii
import os
import struct
from functools import partial

from applets.base64 import encode_lines, read_blocks
from applets.common import Fail, UsageError, getopt, stdout

USAGE = """uuencode [-m] [FILE] STORED_FILENAME

Encode FILE (stdin if none) for mail, to be decoded as STORED_FILENAME

\t-m\tBase64 instead of historical uuencoding"""

LINE_BYTES = 45  # input bytes per encoded line, in both encodings
BLOCK = LINE_BYTES * 1024  # small enough for malloc to recycle (see base64.line_block_size)
_UU_LINES = struct.Struct(f"{LINE_BYTES}s" * (BLOCK // LINE_BYTES))


def _encode_uu(blocks, out) -> None:
    uu_line = partial(binascii.b2a_uu, backtick=True)
    for block in blocks:
        whole = len(block) - len(block) % LINE_BYTES
        if whole == BLOCK:
            pieces = _UU_LINES.unpack(block)
        else:
            pieces = struct.unpack_from(f"{LINE_BYTES}s" * (whole // LINE_BYTES), block)
        out.write(b"".join(map(uu_line, pieces)))
        if whole < len(block):
            out.write(uu_line(block[whole:]))


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "m")
    if not 1 <= len(operands) <= 2:
        raise UsageError()
    base64 = bool(options)
    umask = os.umask(0)
    os.umask(umask)
    mode = 0o666 & ~umask
    fd = 0
    if len(operands) == 2:
        try:
            fd = os.open(operands[0], os.O_RDONLY)
        except OSError as exc:
            raise Fail(f"can't open '{operands[0]}': {exc.strerror}") from None
        mode = os.fstat(fd).st_mode & 0o777
    out = stdout()
    header = f"begin{'-base64' if base64 else ''} {mode:o} {operands[-1]}\n"
    out.write(header.encode("utf-8", "surrogateescape"))
    blocks = read_blocks(fd, BLOCK)
    if base64:
        encode_lines(blocks, 60, out)
        out.write(b"====\n")
    else:
        _encode_uu(blocks, out)
        out.write(b"`\nend\n")
    return 0
