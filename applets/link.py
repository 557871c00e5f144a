"""link: make a hard link with the bare link() call."""

import os

from applets.common import Fail, UsageError, getopt

USAGE = """link FILE LINK

Create hard LINK to FILE"""


def main(argv: list[str]) -> int:
    _, operands = getopt(argv[1:], "")
    if len(operands) != 2:
        raise UsageError()
    source, name = operands
    try:
        os.link(source, name, follow_symlinks=False)
    except OSError as exc:
        raise Fail(f"can't create hardlink '{name}' to '{source}': {exc.strerror}") from None
    return 0
