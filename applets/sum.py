"""sum: print a file's 16-bit checksum and its size in blocks (BSD, or System V with -s).

The System V sum is a plain byte sum, done by sum() in C. The BSD checksum rotates
its register before adding each byte, which no C primitive expresses, so that one
runs as a Python loop kept to one table lookup and one addition per byte.
"""

import os

from applets._textio import close_input, open_or_warn
from applets.common import getopt, stdout, warn

USAGE = """sum [-rs] [FILE]...

Print a 16-bit checksum and the block count of each FILE (stdin if none)

\t-r\tBSD algorithm, 1 KiB blocks (the default)
\t-s\tSystem V algorithm, 512-byte blocks"""

CHUNK = 1 << 20


def _bsd(fd: int) -> tuple[int, int]:
    # rotate[r] is r rotated right by one bit, for r up to 0xFFFF + 0xFF so that the sum
    # of a rotated register and a byte can be fed back without masking it first.
    rotate = [0] * 0x10000
    rotate[0::2] = range(0x8000)
    rotate[1::2] = range(0x8000, 0x10000)
    rotate += rotate[:0x100]
    register = 0
    length = 0
    while data := os.read(fd, CHUNK):
        length += len(data)
        for byte in data:
            register = rotate[register] + byte
    return register & 0xFFFF, (length + 1023) // 1024


def _sysv(fd: int) -> tuple[int, int]:
    total = 0
    length = 0
    while data := os.read(fd, CHUNK):
        length += len(data)
        total += sum(data)
    total &= 0xFFFFFFFF
    folded = (total & 0xFFFF) + (total >> 16)
    return (folded & 0xFFFF) + (folded >> 16), (length + 511) // 512


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "sr")
    flags = {option for option, _ in options}
    sysv = "-s" in flags and "-r" not in flags  # -r wins when both are given
    show_names = sysv or len(files) > 1  # as BusyBox: stdin is named `-` for System V
    out = stdout()
    status = 0
    for path in files or ["-"]:
        fd = open_or_warn(path)
        if fd is None:
            status = 1
            continue
        try:
            checksum, blocks = (_sysv if sysv else _bsd)(fd)
        except OSError as exc:
            warn(f"{path}: {exc.strerror}")
            status = 1
            continue
        finally:
            close_input(fd)
        name = path if show_names else ""
        line = f"{checksum} {blocks} {name}" if sysv else f"{checksum:05d} {blocks:5d} {name}"
        out.write((line + "\n").encode("utf-8", "surrogateescape"))
    return status
