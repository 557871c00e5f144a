"""pk version: compare version strings, check them, or compare installed with available."""

from apk_py import version as V
from apk_py.options import Option

USAGE = "[<OPTIONS>...] [<packages>...]"
OPTIONS = (
    Option("all", "a", help="Consider packages from all repository tags"),
    Option("check", "c", help="Check versions for validity; exit status is the number of invalid ones"),
    Option("indexes", "I", help="Print description and versions of indexes"),
    Option("limit", "l", "CHARS", "Limit output to packages with status matching one of CHARS"),
    Option("test", "t", help="Compare two version strings: prints <, = or >"),
)


def run(ctx, opts, args) -> int:
    if opts.get("test"):
        return _test(ctx, args)
    if opts.get("check"):
        invalid = [text for text in args if not V.is_valid(text)]
        for text in invalid:
            ctx.out.stdout.write(text + "\n")
        return min(len(invalid), 255)
    return _list(ctx, opts, args)


def _test(ctx, args) -> int:
    """`version -t A B`: apk validates both first and prints nothing for invalid input."""
    if len(args) != 2:
        from apk_py.errors import PkError

        raise PkError("version -t needs exactly two versions")
    first, second = args
    if not (V.is_valid(first) and V.is_valid(second)):
        return 1
    ctx.out.stdout.write(V.result_char(V.compare(first, second)) + "\n")
    return 0
