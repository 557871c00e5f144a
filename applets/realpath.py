"""realpath: print the canonical absolute name of each FILE."""

import os

from applets.common import UsageError, getopt, warn
from applets.readlink import canonicalize

USAGE = """realpath [-ems] FILE...

Print absolute pathnames of FILEs

\t-e\tAll components must exist
\t-m\tNo component needs to exist
\t-s\tDon't expand symlinks
\t-q\tDon't print errors"""


def _lexical(path: str) -> str:
    """-s: absolute and with . and .. folded, without looking at the filesystem."""
    if not path.startswith("/"):
        path = os.getcwd() + "/" + path
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
        else:
            parts.append(part)
    return "/" + "/".join(parts)


def main(argv: list[str]) -> int:
    options, paths = getopt(
        argv[1:], "emsqz",
        ["canonicalize-existing", "canonicalize-missing", "strip", "no-symlinks", "quiet", "zero"],
    )
    mode, strip, quiet, end = "f", False, False, "\n"
    for opt, _ in options:
        if opt in ("-e", "--canonicalize-existing"):
            mode = "e"
        elif opt in ("-m", "--canonicalize-missing"):
            mode = "m"
        elif opt in ("-s", "--strip", "--no-symlinks"):
            strip = True
        elif opt in ("-q", "--quiet"):
            quiet = True
        else:
            end = "\0"
    if not paths:
        raise UsageError()
    status = 0
    out = []
    for path in paths:
        try:
            out.append((_lexical(path) if strip else canonicalize(path, mode)) + end)
        except OSError as exc:
            if not quiet:
                os.write(1, "".join(out).encode("utf-8", "surrogateescape"))
                out = []
                warn(f"{path}: {exc.strerror}")
            status = 1
    os.write(1, "".join(out).encode("utf-8", "surrogateescape"))
    return status
