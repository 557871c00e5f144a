"""readlink: print a symlink's target, or with -f/-e/-m the canonical absolute name."""

import errno
import os
import stat

from applets.common import UsageError, getopt, warn

USAGE = """readlink [-fnv] FILE

Display the value of a symlink

\t-f\tCanonicalize by following all symlinks
\t-e\tCanonicalize, every component must exist
\t-m\tCanonicalize, no component needs to exist
\t-n\tDon't add newline
\t-z\tEnd output with NUL, not newline
\t-s,-q\tDon't print errors (default)
\t-v\tVerbose"""

MAX_LINKS = 40


def canonicalize(path: str, must_exist: str = "f") -> str:
    """Absolute name with every symlink, "." and ".." resolved.

    must_exist: "e" every component, "f" all but the last, "m" none. Raises OSError.
    """
    if not path:
        raise OSError(errno.ENOENT, os.strerror(errno.ENOENT))
    resolved = "" if path.startswith("/") else os.getcwd().rstrip("/")
    pending = [part for part in reversed(path.split("/"))]
    links = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            resolved = resolved.rpartition("/")[0]
            continue
        candidate = resolved + "/" + part
        is_last = not any(rest not in ("", ".") for rest in pending)
        try:
            st = os.lstat(candidate)
        except OSError as exc:
            if must_exist == "m" or (must_exist == "f" and is_last and exc.errno == errno.ENOENT):
                resolved = candidate
                continue
            raise
        if stat.S_ISLNK(st.st_mode):
            links += 1
            if links > MAX_LINKS:
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))
            target = os.readlink(candidate)
            if target.startswith("/"):
                resolved = ""
            pending.extend(reversed(target.split("/")))
            continue
        if not stat.S_ISDIR(st.st_mode) and not is_last and must_exist != "m":
            raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        resolved = candidate
    return resolved or "/"


def main(argv: list[str]) -> int:
    options, operands = getopt(
        argv[1:], "fnvsqemz",
        ["canonicalize", "canonicalize-existing", "canonicalize-missing", "no-newline",
         "quiet", "silent", "verbose", "zero"],
    )
    mode = None
    newline, verbose = "\n", False
    for opt, _ in options:
        if opt in ("-f", "--canonicalize"):
            mode = "f"
        elif opt in ("-e", "--canonicalize-existing"):
            mode = "e"
        elif opt in ("-m", "--canonicalize-missing"):
            mode = "m"
        elif opt in ("-n", "--no-newline"):
            newline = ""
        elif opt in ("-z", "--zero"):
            newline = "\0"
        elif opt in ("-v", "--verbose"):
            verbose = True
        else:
            verbose = False
    if len(operands) != 1:
        raise UsageError()
    path = operands[0]
    try:
        result = canonicalize(path, mode) if mode else os.readlink(path)
    except OSError as exc:
        if verbose:
            if mode is None:
                reason = "not a symlink" if exc.errno == errno.EINVAL else exc.strerror
                warn(f"{path}: cannot read link: {reason}")
            else:
                warn(f"{path}: {exc.strerror}")
        return 1
    os.write(1, (result + newline).encode("utf-8", "surrogateescape"))
    return 0
