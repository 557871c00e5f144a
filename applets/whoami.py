"""whoami: print the user name of the effective user id."""

import os
import pwd

from applets.common import Fail, UsageError, stdout

USAGE = """whoami

Print the user name associated with the current effective user id"""


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        raise UsageError()
    uid = os.geteuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        raise Fail(f"unknown uid {uid}") from None
    stdout().write(os.fsencode(name) + b"\n")
    return 0
