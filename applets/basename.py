"""basename: strip the directory (and optionally a suffix) from file names."""

import os

from applets.common import UsageError, getopt

USAGE = """basename FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...

Strip directory path and SUFFIX from FILE

\t-a\t\tAll arguments are FILEs
\t-s SUFFIX\tRemove SUFFIX (implies -a)"""


def strip_name(path: str, suffix: str) -> str:
    """POSIX basename, then the suffix removed unless it is the whole name."""
    name = path.rstrip("/")
    if not name:
        return "/" if path else ""
    name = name.rsplit("/", 1)[-1]
    if suffix and name != suffix and name.endswith(suffix):
        name = name[: -len(suffix)]
    return name


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "as:", ["multiple", "suffix="], permute=False)
    every = False
    suffix = ""
    for opt, value in options:
        if opt in ("-s", "--suffix"):
            suffix = value
            every = True
        else:
            every = True
    if not operands:
        raise UsageError()
    if not every:
        if len(operands) > 2:
            raise UsageError()
        if len(operands) == 2:
            suffix = operands.pop()
    text = "".join(strip_name(path, suffix) + "\n" for path in operands)
    os.write(1, text.encode("utf-8", "surrogateescape"))
    return 0
