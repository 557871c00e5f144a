"""pwd: print the current directory, physical by default or logical (-L) from $PWD."""

import os

from applets.common import getopt

USAGE = """pwd [-LP]

Print the full filename of the current working directory

\t-L\tUse $PWD if it names the current directory
\t-P\tPrint the physical directory (default)"""


def _logical() -> str | None:
    """$PWD, if it is absolute, free of . and .. components, and names the current directory."""
    path = os.environ.get("PWD", "")
    if not path.startswith("/") or any(part in (".", "..") for part in path.split("/")):
        return None
    try:
        here, there = os.stat("."), os.stat(path)
    except OSError:
        return None
    return path if (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino) else None


def main(argv: list[str]) -> int:
    options, _ = getopt(argv[1:], "LP")
    logical = False
    for opt, _ in options:
        logical = opt == "-L"
    path = (logical and _logical()) or os.getcwd()
    os.write(1, (path + "\n").encode("utf-8", "surrogateescape"))
    return 0
