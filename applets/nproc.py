"""nproc: print the number of CPUs this process may use (or all installed ones)."""

import os

from applets.common import Fail, getopt, stdout

USAGE = """nproc [--all] [--ignore=N]

Print number of available CPUs

\t--all\t\tNumber of installed CPUs
\t--ignore=N\tExclude N CPUs"""


def _installed() -> int:
    """CPUs listed in sysfs (cpu0, cpu1, ...), as BusyBox counts them."""
    try:
        names = os.listdir("/sys/devices/system/cpu")
    except OSError:
        return 0
    return sum(1 for name in names if "cpu" in name and name[-1:].isdigit())


def main(argv: list[str]) -> int:
    options, _ = getopt(argv[1:], "", ("ignore=", "all"))
    count = None
    ignore = 0
    for opt, value in options:
        if opt == "--all":
            count = _installed()
        else:
            if not (value.isascii() and value.isdigit()):
                raise Fail(f"invalid number '{value}'")
            ignore = int(value)
    if count is None:
        count = len(os.sched_getaffinity(0))
    count -= ignore
    stdout().write(b"%d\n" % max(count, 1))
    return 0
