"""uname: print system information; -a skips the fields that are unknown."""

import os

from applets.common import UsageError, getopt, stdout

USAGE = """uname [-amnrspvio]

Print system information

\t-a\tPrint all
\t-m\tMachine (hardware) type
\t-n\tHostname
\t-r\tKernel release
\t-s\tKernel name (default)
\t-p\tProcessor type
\t-v\tKernel version
\t-i\tHardware platform
\t-o\tOS name"""

LONG_OPTIONS = {
    "--all": "-a",
    "--kernel-name": "-s",
    "--nodename": "-n",
    "--kernel-release": "-r",
    "--release": "-r",
    "--kernel-version": "-v",
    "--machine": "-m",
    "--processor": "-p",
    "--hardware-platform": "-i",
    "--operating-system": "-o",
}
FIELD_ORDER = "snrvmpio"
OS_NAME = "GNU/Linux"


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "snrvmpioa", tuple(name[2:] for name in LONG_OPTIONS))
    if operands:
        raise UsageError()
    wanted = {LONG_OPTIONS.get(opt, opt)[1] for opt, _ in options}
    unknown = "unknown"
    if "a" in wanted:
        wanted = set(FIELD_ORDER)
        unknown = ""
    if not wanted:
        wanted = {"s"}
    info = os.uname()
    values = {
        "s": info.sysname,
        "n": info.nodename,
        "r": info.release,
        "v": info.version,
        "m": info.machine,
        "p": unknown,
        "i": unknown,
        "o": OS_NAME,
    }
    fields = [values[key] for key in FIELD_ORDER if key in wanted and values[key]]
    stdout().write(os.fsencode(" ".join(fields)) + b"\n")
    return 0
