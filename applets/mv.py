"""mv: rename files, falling back to copy-and-remove across filesystems."""

import errno
import os
import stat

from applets.common import Fail, UsageError, getopt, stdout, warn
from applets._fileutil import Copier, ask, join, last_component, remove_tree

USAGE = """mv [-finTv] SOURCE DEST
or: mv [-finv] SOURCE... { -t DIRECTORY | DIRECTORY }

Rename SOURCE to DEST, or move SOURCEs to DIRECTORY

\t-f\tDon't prompt before overwriting
\t-i\tInteractive, prompt before overwrite
\t-n\tDon't overwrite an existing file
\t-T\tRefuse to move if DEST is a directory
\t-t DIR\tMove all SOURCEs into DIR
\t-v\tVerbose"""

LONG_OPTIONS = ["force", "interactive", "no-clobber", "no-target-directory", "target-directory=", "verbose"]
LONG_TO_SHORT = {
    "--force": "-f",
    "--interactive": "-i",
    "--no-clobber": "-n",
    "--no-target-directory": "-T",
    "--target-directory": "-t",
    "--verbose": "-v",
}


def _kind(path: str, follow: bool = True) -> int:
    """0 = missing, 1 = exists, 3 = directory; -1 after reporting a stat error."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return 0
        warn(f"can't stat '{path}': {exc.strerror}")
        return -1
    return 3 if stat.S_ISDIR(st.st_mode) else 1


def _move_across(source: str, dest: str, dest_kind: int) -> bool:
    """rename() said EXDEV: copy the tree with everything preserved, then remove the source."""
    source_kind = _kind(source, follow=False)
    if source_kind < 1:
        warn(f"can't rename '{source}': {os.strerror(errno.EXDEV)}")
        return False
    if dest_kind:
        if dest_kind == 3 and source_kind != 3:
            warn("can't overwrite directory with non-directory")
            return False
        if dest_kind != 3 and source_kind == 3:
            warn("can't overwrite non-directory with directory")
            return False
        try:
            if dest_kind == 3:
                os.rmdir(dest)
            else:
                os.unlink(dest)
        except OSError as exc:
            warn(f"can't remove '{dest}': {exc.strerror}")
            return False
    copier = Copier(recursive=True, deref=False, preserve=True)
    return copier.copy(source, dest) and remove_tree(source, force=True)


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "finTt:v", LONG_OPTIONS)
    mode = ""  # the last of -f / -i / -n wins
    target = None
    no_target = verbose = False
    for opt, value in options:
        opt = LONG_TO_SHORT.get(opt, opt)
        if opt in ("-f", "-i", "-n"):
            mode = opt[1]
        elif opt == "-T":
            no_target = True
        elif opt == "-t":
            target = value
        elif opt == "-v":
            verbose = True
    if target is None:
        if len(operands) < 2:
            raise UsageError()
        sources, target = operands[:-1], operands[-1]
    else:
        sources = operands
        if not sources:
            raise UsageError()
    if no_target and len(sources) > 1:
        raise UsageError()

    direct = None  # "mv SOURCE DEST" where DEST is taken as the new name itself
    if len(sources) == 1:
        target_kind = _kind(target)
        if target_kind < 0:
            return 1
        if target_kind == 3 and no_target and _kind(sources[0], follow=False) != 3:
            raise Fail(f"'{target}' is a directory")
        if target_kind != 3 or no_target:
            direct = target_kind
    status = 0
    for source in sources:
        if direct is not None:
            dest, dest_kind = target, direct
        else:
            dest = join(target, last_component(source))
            dest_kind = _kind(dest)
            if dest_kind < 0:
                status = 1
                continue
        if dest_kind:
            if mode == "n":
                continue
            if mode != "f" and (mode == "i" or (not os.access(dest, os.W_OK) and os.isatty(0))):
                if not ask(f"overwrite '{dest}'? "):
                    continue
        try:
            os.rename(source, dest)
            moved = True
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                moved = _move_across(source, dest, dest_kind)
            else:
                warn(f"can't rename '{source}': {exc.strerror}")
                moved = False
        if not moved:
            status = 1
        elif verbose:
            stdout().write(f"'{source}' -> '{dest}'\n".encode("utf-8", "surrogateescape"))
    return status
