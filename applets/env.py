"""env: run a program in a modified environment, or print the environment.

Options stop at the first operand (as with BusyBox's "+" getopt), a lone "-"
is -i, and -u NAME=VALUE sets rather than unsets (BusyBox uses putenv for -u).
"""

import os

from applets.common import getopt, stdout
from applets._exec import exec_or_die, given_environment

USAGE = """env [-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]

Print current environment or run PROG after setting up environment

\t-, -i\tStart with empty environment
\t-0\tNUL terminated output
\t-u NAME\tRemove variable from environment"""


def _putenv(environment: dict, entry: bytes) -> None:
    """putenv(3): NAME=VALUE sets, a bare NAME unsets."""
    name, equals, value = entry.partition(b"=")
    if equals:
        environment[name] = value
    else:
        environment.pop(name, None)


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "i0u:", ("ignore-environment", "null", "unset="), permute=False)
    clear = any(opt in ("-i", "--ignore-environment") for opt, _ in options)
    terminator = b"\0" if any(opt in ("-0", "--null") for opt, _ in options) else b"\n"
    if operands and operands[0] == "-":
        clear = True
        operands = operands[1:]
    environment = {} if clear else given_environment()
    for opt, value in options:
        if opt in ("-u", "--unset"):
            _putenv(environment, os.fsencode(value))
    while operands and "=" in operands[0]:
        _putenv(environment, os.fsencode(operands.pop(0)))
    if operands:
        exec_or_die(operands, environment)
    stdout().write(b"".join(name + b"=" + value + terminator for name, value in environment.items()))
    return 0
