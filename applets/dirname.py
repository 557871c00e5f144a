"""dirname: strip the last component from a file name."""

import os

from applets.common import UsageError, getopt

USAGE = """dirname FILENAME

Strip non-directory suffix from FILENAME"""


def parent_of(path: str) -> str:
    """POSIX dirname as glibc computes it ("//a//b//" -> "//a", "a" -> ".", "/" -> "/")."""
    end = len(path.rstrip("/"))
    if end == 0:
        return "/" if path else "."
    cut = path.rfind("/", 0, end)
    if cut < 0:
        return "."
    head = path[:cut].rstrip("/")
    if head:
        return head
    # only slashes before the last name: keep "//" (it may mean something), else "/"
    return "//" if cut == 1 and path.startswith("//") else "/"


def main(argv: list[str]) -> int:
    _, operands = getopt(argv[1:], "")
    if len(operands) != 1:
        raise UsageError()
    os.write(1, (parent_of(operands[0]) + "\n").encode("utf-8", "surrogateescape"))
    return 0
