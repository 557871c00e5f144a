"""mkfifo: create named pipes."""

import os

from applets.common import UsageError, getopt, warn
from applets.mknod import creation_mode

USAGE = """mkfifo [-m MODE] NAME

Create named pipe

\t-m MODE\tMode (default a=rw)"""


def main(argv: list[str]) -> int:
    options, names = getopt(argv[1:], "m:")
    if not names:
        raise UsageError()
    mode = creation_mode(options)
    status = 0
    for name in names:
        try:
            if mode is None:
                raise OSError(22, "Invalid argument")
            os.mkfifo(name, mode)
        except OSError as exc:
            warn(f"{name}: {exc.strerror}")
            status = 1
    return status
