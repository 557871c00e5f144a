"""mkdir: create directories, with -p their missing parents too."""

import os
import stat

from applets.common import Fail, UsageError, getopt, warn
from applets._fileutil import current_umask, parse_mode

USAGE = """mkdir [-m MODE] [-p] DIRECTORY...

Create DIRECTORY

\t-m MODE\tMode
\t-p\tNo error if exists; make parent directories as needed
\t-v\tVerbose"""

LONG_OPTIONS = ["mode=", "parents", "verbose"]


def _announce(path: str) -> None:
    os.write(1, f"created directory: '{path}'\n".encode("utf-8", "surrogateescape"))


def make_directory(path: str, mode: int | None, parents: bool, verbose: bool = False) -> bool:
    """BusyBox bb_make_directory: each prefix ending in '/' is made first under -p; False on error.

    Parents get the umask's mode plus u+wx; the last component gets `mode` exactly, when given.
    """
    prefixes = []
    if parents:
        i = 0
        while True:
            slash = path.find("/", i)
            if slash < 0:
                break
            end = slash
            while end < len(path) and path[end] == "/":
                end += 1
            if end == len(path):
                break
            prefixes.append(path[:end])
            i = end
    prefixes.append(path)
    mask = current_umask()
    for index, prefix in enumerate(prefixes):
        final = index == len(prefixes) - 1
        try:
            os.mkdir(prefix, 0o777 if final else (0o777 & ~mask) | stat.S_IWUSR | stat.S_IXUSR)
        except OSError as exc:
            reason = exc.strerror
            if parents and exc.errno in (17, 21):  # EEXIST, EISDIR
                try:
                    if stat.S_ISDIR(os.stat(prefix).st_mode):
                        continue
                except OSError as stat_exc:
                    reason = stat_exc.strerror
            warn(f"can't create directory '{prefix}': {reason}")
            return False
        if verbose:
            _announce(prefix)
        if final and mode is not None:
            try:
                os.chmod(prefix, mode)
            except OSError as exc:
                warn(f"can't set permissions of directory '{prefix}': {exc.strerror}")
                return False
    return True


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "m:pv", LONG_OPTIONS)
    mode = None
    parents = verbose = False
    for opt, value in options:
        if opt in ("-m", "--mode"):
            mode = parse_mode(value, stat.S_IFDIR | 0o777)
            if mode is None:
                raise Fail(f"invalid mode '{value}'")
            mode &= 0o7777
        elif opt in ("-p", "--parents"):
            parents = True
        elif opt in ("-v", "--verbose"):
            verbose = True
    if not paths:
        raise UsageError()
    status = 0
    for path in paths:
        if not make_directory(path, mode, parents, verbose):
            status = 1
    return status
