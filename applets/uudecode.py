"""uudecode: decode a uuencoded or base64 ("begin-base64") file.

Historical lines are decoded by binascii.a2b_uu after mapping every character into
its 6-bit range, as BusyBox tolerates any byte there; base64 bodies go through the
base64 applet's BusyBox-compatible decoder and end at a "====" line.
"""

import binascii
import os

from applets.base64 import Decoder
from applets.common import Fail, UsageError, getopt, stdout

USAGE = """uudecode [-o OUTFILE] [INFILE]

Decode the uuencoded or base64 file in INFILE (stdin if none) into the file
named in it, or into OUTFILE (- for stdout)"""

# Any byte -> the character of the same 6-bit value in the range a2b_uu accepts.
_UU_CANONICAL = bytes(((byte - 0x20) & 0x3F) + 0x20 for byte in range(256))
_CONTROL_TO_SPACE = bytes(0x20 if byte <= 0x20 else byte for byte in range(256))


def _decode_uu(lines, out) -> None:
    for raw in lines:
        line = raw.rstrip(b"\r\n")
        if line == b"end":
            return
        if not line:
            break
        length = (line[0] - 0x20) & 0x3F
        encoded = length * 4 // 3
        if len(line) <= encoded:
            break
        if not encoded:
            continue  # the "`" line before "end"
        if encoded > 60:
            raise Fail("line too long")
        needed = (length + 2) // 3 * 4
        body = line[1 : 1 + needed].translate(_UU_CANONICAL).ljust(needed, b" ")
        out.write(binascii.a2b_uu(bytes([0x20 + length]) + body))
    raise Fail("short file")


def _decode_base64(lines, out) -> None:
    decoder = Decoder(out)
    for line in lines:
        tokens = line.translate(_CONTROL_TO_SPACE).split(b" ")
        if b"====" in tokens:
            decoder.feed(b"".join(tokens[: tokens.index(b"====")]))
            break
        decoder.feed(line)
    if not decoder.finish():
        raise Fail("truncated input")


def _begin(line: bytes):
    """(decoder, mode, stored name) if LINE starts an encoded file, else None."""
    if line.startswith(b"begin-base64 "):
        decode, rest = _decode_base64, line[13:]
    elif line.startswith(b"begin "):
        decode, rest = _decode_uu, line[6:]
    else:
        return None
    digits = len(rest) - len(rest.lstrip(b"01234567"))
    mode = int(rest[:digits], 8) if digits else 0
    _, space, name = rest.partition(b" ")
    return decode, mode, name.strip() if space else b""


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "o:")
    if len(operands) > 1:
        raise UsageError()
    outname = options[-1][1] if options else None
    path = operands[0] if operands else "-"
    try:
        source = open(0 if path == "-" else path, "rb", closefd=path != "-")
    except OSError as exc:
        raise Fail(f"{path}: {exc.strerror}") from None
    with source:
        for line in source:
            found = _begin(line.rstrip(b"\n"))
            if found is None:
                continue
            decode, mode, stored = found
            if outname is None:
                if not stored:
                    break
                outname = os.fsdecode(stored)
            if outname == "-":
                decode(source, stdout())
                return 0
            try:
                target = open(outname, "wb")
            except OSError as exc:
                raise Fail(f"can't open '{outname}': {exc.strerror}") from None
            with target:
                os.fchmod(target.fileno(), mode & 0o777)
                decode(source, target)
            return 0
    raise Fail("no 'begin' line")
