"""rm: remove files and, with -r, whole directory trees."""

from applets.common import UsageError, getopt, warn
from applets._fileutil import last_component, remove_tree

USAGE = """rm [-irfv] FILE...

Remove (unlink) FILEs

\t-i\tAlways prompt before removing
\t-f\tNever prompt
\t-R,-r\tRecurse
\t-v\tVerbose"""

LONG_OPTIONS = ["force", "interactive", "recursive", "verbose", "dir"]


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "ifrRvd", LONG_OPTIONS)
    force = interactive = recursive = verbose = False
    for opt, _ in options:
        if opt in ("-f", "--force"):
            force, interactive = True, False
        elif opt in ("-i", "--interactive"):
            interactive, force = True, False
        elif opt in ("-r", "-R", "--recursive"):
            recursive = True
        elif opt in ("-v", "--verbose"):
            verbose = True
    if not paths:
        if force:
            return 0
        raise UsageError()
    status = 0
    for path in paths:
        if last_component(path) in (".", ".."):
            warn("can't remove '.' or '..'")
            status = 1
            continue
        if not remove_tree(path, force=force, interactive=interactive, recursive=recursive, verbose=verbose):
            status = 1
    return status
