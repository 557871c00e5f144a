"""mktemp: create a uniquely named temporary file or directory and print its name."""

import os

from applets.common import UsageError, getopt, warn

USAGE = """mktemp [-dt] [-p DIR] [TEMPLATE]

Create a temporary file with name based on TEMPLATE and print its name.
TEMPLATE must end with XXXXXX (e.g. [/dir/]nameXXXXXX).
Without TEMPLATE, -t tmp.XXXXXX is assumed.

\t-d\tMake directory, not file
\t-q\tFail silently on errors
\t-t\tPrepend base directory name to TEMPLATE
\t-p DIR\tUse DIR as a base directory (implies -t)
\t-u\tDo not create anything; print a name

Base directory is: -p DIR, else $TMPDIR, else /tmp"""

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ATTEMPTS = 1000


def _fill(template: str) -> str:
    """Replace the trailing six X's with random letters and digits, as glibc does."""
    noise = "".join(LETTERS[b % len(LETTERS)] for b in os.urandom(6))
    return template[:-6] + noise


def _create(template: str, directory: bool, dry_run: bool) -> str:
    if not template.endswith("XXXXXX"):
        raise OSError(22, "Invalid argument")
    for _ in range(ATTEMPTS):
        name = _fill(template)
        try:
            if dry_run:
                os.lstat(name)
                continue
            if directory:
                os.mkdir(name, 0o700)
            else:
                os.close(os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
            return name
        except FileExistsError:
            continue
        except FileNotFoundError:
            if dry_run:
                return name
            raise
    raise OSError(17, "File exists")


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "dqtp:u")
    flags = {opt for opt, _ in options}
    base = None
    for opt, value in options:
        if opt == "-p":
            base = value
    if len(operands) > 1:
        raise UsageError()
    template = operands[0] if operands else "tmp.XXXXXX"
    if base is not None or "-t" in flags or not operands:
        base = base or os.environ.get("TMPDIR") or "/tmp"
        template = base.rstrip("/") + "/" + template if base.rstrip("/") else "/" + template
    try:
        name = _create(template, "-d" in flags, "-u" in flags)
    except OSError as exc:
        if "-q" not in flags:
            warn(exc.strerror)
        return 1
    os.write(1, (name + "\n").encode("utf-8", "surrogateescape"))
    return 0
