"""printenv: print all or some environment variables."""

import os

from applets._exec import given_environment
from applets.common import stdout

USAGE = """printenv [VARIABLE]...

Print environment VARIABLEs.
If no VARIABLE specified, print all."""


def main(argv: list[str]) -> int:
    environment = given_environment()
    if len(argv) < 2:
        stdout().write(b"".join(name + b"=" + value + b"\n" for name, value in environment.items()))
        return 0
    status = 0
    lines = []
    for name in argv[1:]:
        value = environment.get(os.fsencode(name))
        if value is None:
            status = 1
        else:
            lines.append(value + b"\n")
    stdout().write(b"".join(lines))
    return status
