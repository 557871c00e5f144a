"""chmod: change file mode bits, octal or symbolic, optionally through whole trees."""

import os
import stat

from applets.common import Fail, UsageError, getopt, stdout, warn
from applets._fileutil import mode_string, parse_mode, walk

USAGE = """chmod [-Rcvf] MODE[,MODE]... FILE...

MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]

\t-R\tRecurse
\t-c\tList changed files
\t-v\tVerbose
\t-f\tHide errors"""

OPTIONS = "Rvcf"


def _split_mode_argument(args: list[str]) -> tuple[list[str], str | None]:
    """`chmod -w FILE`: the first dash-argument that is no chmod option is the MODE itself."""
    for index, arg in enumerate(args):
        if not arg.startswith("-"):
            break
        if arg == "--":
            break
        if len(arg) > 1 and arg[1] not in "-" + OPTIONS:
            return args[:index] + args[index + 1 :], arg
    return args, None


def main(argv: list[str]) -> int:
    args, mode_text = _split_mode_argument(argv[1:])
    options, operands = getopt(args, OPTIONS, ["recursive", "verbose", "changes", "silent", "quiet"])
    flags = {opt for opt, _ in options}
    recursive = bool(flags & {"-R", "--recursive"})
    verbose = bool(flags & {"-v", "--verbose"})
    changes = bool(flags & {"-c", "--changes"})
    quiet = bool(flags & {"-f", "--silent", "--quiet"})
    if mode_text is None:
        if not operands:
            raise UsageError()
        mode_text = operands.pop(0)
    if not operands:
        raise UsageError()
    out = stdout()

    def change(path: str, st, depth: int) -> bool:
        if depth:
            if stat.S_ISLNK(st.st_mode):
                return True
        else:
            try:
                st = os.stat(path)
            except OSError as exc:
                warn(f"{path}: {exc.strerror}")
                return False
        mode = parse_mode(mode_text, st.st_mode)
        if mode is None:
            raise Fail(f"invalid mode '{mode_text}'")
        mode &= 0o7777
        try:
            os.chmod(path, mode)
        except OSError as exc:
            if not quiet:
                warn(f"{path}: {exc.strerror}")
            return False
        if verbose or (changes and st.st_mode & 0o7777 != mode):
            text = f"mode of '{path}' changed to {mode:04o} ({mode_string(mode)[1:]})\n"
            out.write(text.encode("utf-8", "surrogateescape"))
        return True

    status = 0
    for path in operands:
        if not walk(path, change, recursive):
            status = 1
    return status
