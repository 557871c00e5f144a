"""unlink: remove one file with the bare unlink() call."""

import os

from applets.common import Fail, UsageError, getopt

USAGE = """unlink FILE

Delete FILE by calling unlink()"""


def main(argv: list[str]) -> int:
    _, operands = getopt(argv[1:], "")
    if len(operands) != 1:
        raise UsageError()
    try:
        os.unlink(operands[0])
    except OSError as exc:
        raise Fail(f"can't remove file '{operands[0]}': {exc.strerror}") from None
    return 0
