"""install: copy files (or make directories) and set their mode, owner and group."""

import os
import stat
import subprocess

from applets.common import Fail, UsageError, getopt, warn
from applets._fileutil import Copier, join, last_component, parse_mode
from applets.chown import _group_id, _user_id
from applets.mkdir import make_directory

USAGE = """install [-cdDsp] [-o USER] [-g GRP] [-m MODE] [-t DIR] [SOURCE]... DEST

Copy files and set attributes

\t-c\tJust copy (default)
\t-d\tCreate directories
\t-D\tCreate leading target directories
\t-s\tStrip symbol table
\t-p\tPreserve date
\t-o USER\tSet ownership
\t-g GRP\tSet group ownership
\t-m MODE\tSet permissions
\t-t DIR\tInstall to DIR"""

LONG_OPTIONS = ["directory", "preserve-timestamps", "strip", "group=", "mode=", "owner=", "target-directory="]
LONG_TO_SHORT = {
    "--directory": "-d",
    "--preserve-timestamps": "-p",
    "--strip": "-s",
    "--group": "-g",
    "--mode": "-m",
    "--owner": "-o",
    "--target-directory": "-t",
}


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "cvdpsDg:m:o:t:", LONG_OPTIONS)
    values = {}
    for opt, value in options:
        values[LONG_TO_SHORT.get(opt, opt)] = value
    if ("-t" in values or "-s" in values) and "-d" in values:
        raise UsageError()
    mode = 0o755
    if "-m" in values:
        mode = parse_mode(values["-m"], 0o755)
        if mode is None:
            raise Fail(f"invalid mode '{values['-m']}'")
    owner = _user_id(values["-o"]) if "-o" in values else -1
    group = _group_id(values["-g"]) if "-g" in values else -1
    set_owner = "-o" in values or "-g" in values

    into_dir = "-t" in values
    target = values.get("-t")
    if not into_dir and "-d" not in values:
        if not operands:
            raise UsageError()
        target = operands.pop()
        try:
            into_dir = stat.S_ISDIR(os.stat(target).st_mode)
        except OSError:
            into_dir = False
    if not operands:
        raise UsageError()

    copier = Copier(deref=True, preserve="-p" in values)
    status = 0
    for operand in operands:
        if "-d" in values:
            dest = operand
            if not make_directory(dest, None, parents=True):
                status = 1
                continue
        else:
            if "-D" in values:
                leading = target if "-t" in values else os.path.dirname(target)
                if leading:
                    make_directory(leading, None, parents=True)
            dest = join(target, last_component(operand)) if into_dir else target
            if not copier.copy(operand, dest):
                status = 1
                continue
            if "-s" in values:
                try:
                    if subprocess.call(["strip", "-p", dest]):
                        raise OSError(0, "failed")
                except OSError as exc:
                    warn(f"strip: {exc.strerror}")
                    status = 1
        try:
            os.chmod(dest, mode & 0o7777)
        except OSError as exc:
            warn(f"can't change permissions of {dest}: {exc.strerror}")
            status = 1
        if set_owner:
            try:
                os.chown(dest, owner, group, follow_symlinks=False)
            except OSError as exc:
                warn(f"can't change ownership of {dest}: {exc.strerror}")
                status = 1
    return status
