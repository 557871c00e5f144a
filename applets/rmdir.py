"""rmdir: remove empty directories, and with -p their emptied parents."""

import os

from applets.common import UsageError, getopt, warn

USAGE = """rmdir [-p] DIRECTORY...

Remove DIRECTORY if it is empty

\t-p\tInclude parents
\t--ignore-fail-on-non-empty"""

NOT_EMPTY = (39, 17)  # ENOTEMPTY, EEXIST (some filesystems)


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "pv", ["parents", "ignore-fail-on-non-empty", "verbose"])
    flags = {opt for opt, _ in options}
    parents = bool(flags & {"-p", "--parents"})
    ignore_non_empty = "--ignore-fail-on-non-empty" in flags
    verbose = bool(flags & {"-v", "--verbose"})
    if not paths:
        raise UsageError()
    status = 0
    for path in paths:
        while True:
            path = path.rstrip("/") or path
            if verbose:
                os.write(1, f"rmdir: removing directory, '{path}'\n".encode("utf-8", "surrogateescape"))
            try:
                os.rmdir(path)
            except OSError as exc:
                if not (ignore_non_empty and exc.errno in NOT_EMPTY):
                    warn(f"'{path}': {exc.strerror}")
                    status = 1
                break
            if not parents:
                break
            parent = path.rpartition("/")[0].rstrip("/")
            if not parent:
                break
            path = parent
    return status
