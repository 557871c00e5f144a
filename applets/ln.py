"""ln: make hard or symbolic links, optionally backing up what they replace."""

import os
import stat

from applets.common import Fail, UsageError, getopt, warn
from applets._fileutil import join, last_component

USAGE = """ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR

Create a link LINK or DIR/TARGET to the specified TARGET(s)

\t-s\tMake symlinks instead of hardlinks
\t-f\tRemove existing destinations
\t-n\tDon't dereference symlinks - treat like normal file
\t-b\tMake a backup of the target (if exists) before link operation
\t-S SUF\tUse suffix instead of ~ when making backup files
\t-T\tTreat LINK as a file, not DIR
\t-v\tVerbose"""


def _is_dir(path: str, follow: bool) -> bool:
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode)


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "sfnbS:vT")
    flags = {opt for opt, _ in options}
    suffix = "~"
    for opt, value in options:
        if opt == "-S":
            suffix = value
    symbolic = "-s" in flags
    backup = bool(flags & {"-b", "-S"})
    if not operands:
        raise UsageError()
    if len(operands) == 1:
        operands.append(last_component(operands[0]))
    targets, last = operands[:-1], operands[-1]
    status = 0
    for target in targets:
        name = last
        if _is_dir(last, "-n" not in flags):
            if "-T" in flags:
                raise Fail(f"'{last}' is a directory")
            name = join(last, last_component(target))
        if not symbolic:
            try:
                os.stat(target)
            except OSError as exc:
                warn(f"{target}: {exc.strerror}")
                status = 1
                continue
        if backup:
            try:
                os.rename(name, name + suffix)
            except OSError as exc:
                if exc.errno != 2:
                    warn(f"{name}: {exc.strerror}")
                    status = 1
                    continue
        if backup or "-f" in flags:
            try:
                os.unlink(name)
            except OSError:
                pass
        try:
            if symbolic:
                os.symlink(target, name)
            else:
                os.link(target, name, follow_symlinks=False)
        except OSError as exc:
            warn(f"{name}: {exc.strerror}")
            status = 1
            continue
        if "-v" in flags:
            os.write(1, f"'{name}' -> '{target}'\n".encode("utf-8", "surrogateescape"))
    return status
