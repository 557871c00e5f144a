"""cksum: print the POSIX CRC-32 checksum and byte count of each file.

POSIX's CRC is the MSB-first (unreflected) CRC-32, which zlib does not compute; but
feeding zlib's reflected CRC-32 the bit-reversed bytes gives the bit-reversed POSIX
register, so the whole computation stays in C (bytes.translate + zlib.crc32).
"""

import zlib

from applets._textio import close_input, open_or_warn, read_blocks
from applets.common import getopt, stdout

USAGE = """cksum [FILE]...

Print the POSIX CRC-32 checksum and the byte count of each FILE (stdin if none)"""

_BIT_REVERSED = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))


def _reverse32(value: int) -> int:
    return int(f"{value:032b}"[::-1], 2)


def _cksum_fd(fd: int, name: str) -> tuple[int, int]:
    """(POSIX checksum, length) of everything readable from fd."""
    # zlib's running value is the complement of its register; the POSIX register starts at 0.
    value = 0xFFFFFFFF
    length = 0
    for data in read_blocks(fd, name):
        length += len(data)
        value = zlib.crc32(data.translate(_BIT_REVERSED), value)
    size = length
    trailer = bytearray()
    while size:
        trailer.append(size & 0xFF)
        size >>= 8
    value = zlib.crc32(bytes(trailer).translate(_BIT_REVERSED), value)
    # POSIX complements its register at the end: reverse(~register) == reverse(zlib value)
    return _reverse32(value), length


def main(argv: list[str]) -> int:
    _, files = getopt(argv[1:], "")
    out = stdout()
    status = 0
    for path in files or [None]:
        fd = open_or_warn(path or "-")
        if fd is None:
            status = 1
            continue
        try:
            checksum, length = _cksum_fd(fd, path or "standard input")
        finally:
            close_input(fd)
        line = f"{checksum} {length}" + (f" {path}" if path is not None else "")
        out.write((line + "\n").encode("utf-8", "surrogateescape"))
    return status
