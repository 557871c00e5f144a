"""echo: print arguments, BusyBox style.

Leading arguments made only of n, e and E letters after a dash are options;
anything else (including a lone "-") starts the text. As in BusyBox, -E does
not undo an earlier -e.
"""

import os

from applets._escape import expand

USAGE = """echo [-neE] [ARG]...

Print ARGs to stdout

\t-n\tNo trailing newline
\t-e\tInterpret backslash escapes (\\t=tab etc)
\t-E\tDon't interpret backslash escapes (default)"""

OPTION_LETTERS = set("neE")


def main(argv: list[str]) -> int:
    args = argv[1:]
    newline = True
    escapes = False
    while args:
        arg = args[0]
        if len(arg) < 2 or arg[0] != "-" or not set(arg[1:]) <= OPTION_LETTERS:
            break
        newline = newline and "n" not in arg
        escapes = escapes or "e" in arg
        args.pop(0)
    text = b" ".join(os.fsencode(arg) for arg in args)
    if escapes:
        text, stopped = expand(text)
        if stopped:
            newline = False
    if newline:
        text += b"\n"
    view = memoryview(text)
    try:
        while view:
            view = view[os.write(1, view) :]
    except OSError as exc:
        if exc.errno == 32:
            raise
        os.write(2, f"echo: write error: {exc.strerror}\n".encode())
        return 1
    return 0
