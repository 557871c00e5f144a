"""which: print where each COMMAND is found in PATH (the first match, or all with -a)."""

import os
import stat

from applets.common import UsageError, getopt, stdout

USAGE = """which [-a] COMMAND...

Locate COMMAND

\t-a\tShow all matches"""

DEFAULT_PATH = "/sbin:/usr/sbin:/bin:/usr/bin"


def _is_executable(path: str) -> bool:
    """A regular file we may execute (BusyBox file_is_executable)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode) and os.access(path, os.X_OK)
    except (OSError, ValueError):
        return False


def main(argv: list[str]) -> int:
    options, names = getopt(argv[1:], "a")
    if not names:
        raise UsageError()
    show_all = bool(options)
    search = os.environ.get("PATH", DEFAULT_PATH).split(":")
    out = stdout()
    status = 0
    for name in names:
        found = False
        if "/" in name:
            found = _is_executable(name)
            if found:
                out.write(os.fsencode(name) + b"\n")
        else:
            for directory in search:
                directory = directory or "."
                candidate = directory + name if directory.endswith("/") else directory + "/" + name
                if _is_executable(candidate):
                    found = True
                    out.write(os.fsencode(candidate) + b"\n")
                    if not show_all:
                        break
        status |= not found
    return status
