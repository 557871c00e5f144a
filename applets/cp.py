"""cp: copy files and directory trees, preserving what BusyBox's cp preserves."""

import os
import stat

from applets.common import Fail, UsageError, getopt, warn
from applets._fileutil import Copier, join, last_component

USAGE = """cp [-arPLHpfinlsTu] SOURCE DEST
or: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }

Copy SOURCEs to DEST

\t-a\tSame as -dpR
\t-R,-r\tRecurse
\t-d,-P\tPreserve symlinks (default if -R)
\t-L\tFollow all symlinks
\t-H\tFollow symlinks on command line
\t-p\tPreserve file attributes if possible
\t-f\tOverwrite
\t-i\tPrompt before overwrite
\t-n\tDon't overwrite
\t-l,-s\tCreate (sym)links
\t-T\tRefuse to copy if DEST is a directory
\t-t DIR\tCopy all SOURCEs into DIR
\t-u\tCopy only newer files
\t-v\tVerbose
\t--parents\tUse full source file name under DIRECTORY"""

LONG_OPTIONS = {
    "--archive": "-a",
    "--force": "-f",
    "--interactive": "-i",
    "--link": "-l",
    "--dereference": "-L",
    "--no-dereference": "-P",
    "--recursive": "-R",
    "--symbolic-link": "-s",
    "--no-clobber": "-n",
    "--target-directory": "-t",
    "--no-target-directory": "-T",
    "--update": "-u",
    "--verbose": "-v",
    "--preserve": "-p",
}


def _kind(path: str, follow: bool) -> int:
    """0 = missing, 1 = exists, 3 = directory (BusyBox cp_mv_stat); Fail on other errors."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as exc:
        if exc.errno == 2:
            return 0
        raise Fail(f"can't stat '{path}': {exc.strerror}") from None
    return 3 if stat.S_ISDIR(st.st_mode) else 1


def main(argv: list[str]) -> int:
    longs = [name[2:] for name in LONG_OPTIONS if name not in ("--target-directory", "--preserve")]
    longs += ["target-directory=", "preserve=?", "parents", "remove-destination", "reflink=?"]
    options, operands = getopt(argv[1:], "arRPdLHpfinlsTt:uv", longs)
    copier = Copier()
    no_deref = deref_all = deref_top = False
    target = None
    no_target = parents = False
    for opt, value in options:
        opt = LONG_OPTIONS.get(opt, opt)
        if opt == "-a":
            no_deref = copier.preserve = copier.recursive = True
        elif opt in ("-r", "-R"):
            copier.recursive = no_deref = True
        elif opt in ("-P", "-d"):
            no_deref = True
        elif opt == "-L":
            deref_all = True
        elif opt == "-H":
            deref_top = True
        elif opt == "-p":
            copier.preserve = True
        elif opt in ("-f", "--remove-destination"):
            pass  # always in effect, see Copier
        elif opt == "-i":
            copier.interactive, copier.no_clobber = True, False
        elif opt == "-n":
            copier.no_clobber, copier.interactive = True, False
        elif opt == "-l":
            if copier.link == "soft":
                raise UsageError()
            copier.link = "hard"
        elif opt == "-s":
            if copier.link == "hard":
                raise UsageError()
            copier.link = "soft"
        elif opt == "-T":
            no_target = True
        elif opt == "-t":
            target = value
        elif opt == "-u":
            copier.update = True
        elif opt == "-v":
            copier.verbose = True
        elif opt == "--parents":
            parents = True
    copier.deref = deref_all or not no_deref
    copier.deref_top = deref_top
    if target is not None:
        sources = operands
        if not sources:
            raise UsageError()
    else:
        if len(operands) < 2:
            raise UsageError()
        sources, target = operands[:-1], operands[-1]
    if no_target and len(sources) > 1:
        raise UsageError()

    if len(sources) == 1:
        source = sources[0]
        source_kind = _kind(source, copier.deref or copier.deref_top)
        dest_kind = _kind(target, True)
        if parents and dest_kind != 3:
            raise Fail("with --parents, the destination must be a directory")
        if no_target:
            if source_kind != 3 and dest_kind == 3:
                raise Fail(f"'{target}' is a directory")
            return 0 if copier.copy(source, target) else 1
        if not parents and (
            not ((source_kind | dest_kind) & 2) or (copier.recursive and source_kind == 3 and dest_kind == 0)
        ):
            return 0 if copier.copy(source, target) else 1
    elif parents and _kind(target, True) != 3:
        raise Fail("with --parents, the destination must be a directory")

    status = 0
    for source in sources:
        if parents:
            dest = join(target, source)
            parent = os.path.dirname(dest)
            if parent:
                try:
                    os.makedirs(parent, exist_ok=True)
                except OSError as exc:
                    warn(f"can't create directory '{parent}': {exc.strerror}")
                    return 1
        else:
            dest = join(target, last_component(source))
        if not copier.copy(source, dest):
            status = 1
    return status
