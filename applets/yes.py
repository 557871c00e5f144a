"""yes: print a line (default "y") forever.

The line is repeated into a 64 KiB block written with one system call at a time;
a closed pipe ends the program quietly through SIGPIPE, as for a C program.
"""

import os

USAGE = """yes [STRING]...

Print the STRINGs (or y) on a line, over and over"""

BLOCK = 64 * 1024


def main(argv: list[str]) -> int:
    words = [os.fsencode(word) for word in argv[1:]]
    line = b" ".join(words) + b"\n" if words else b"y\n"
    block = line * max(1, BLOCK // len(line))
    write = os.write
    while True:
        written = write(1, block)
        if written < len(block):
            view = memoryview(block)[written:]
            while view:
                view = view[write(1, view) :]
