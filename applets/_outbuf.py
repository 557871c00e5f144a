"""Standard output for the applets that write many small pieces.

sys.stdout.buffer is a raw, unbuffered FileIO when PYTHONUNBUFFERED is set,
which turns every small write into a system call; this gives a buffered writer
on fd 1 in every case (it does not own the descriptor, callers flush it).
"""

import sys


def buffered_stdout():
    out = sys.stdout.buffer
    if hasattr(out, "raw"):
        return out
    return open(out.fileno(), "wb", buffering=1 << 16, closefd=False)
