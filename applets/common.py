"""What every applet needs: BusyBox-style messages, option parsing, input files, sizes.

Kept small and free of heavy imports: it is loaded by every applet run.
Applets work on bytes; file names stay `str` (surrogate-escaped by Python), so any
byte sequence the kernel hands us survives the round trip.
"""

import os
import sys

# Scripts (and BusyBox's own tests) recognise a BusyBox-compatible box by this banner.
BANNER = "BusyBox v1.37.0 (pybox 0.1.0) multi-call binary."

# Set by the dispatcher before the applet runs; prefixes every message.
APPLET = "pybox"


class Fail(Exception):
    """A fatal, user-facing error: printed as `APPLET: message`, then exit with `status`."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.message = message
        self.status = status


class UsageError(Exception):
    """Bad command line: the message (if any) is printed, then the applet's usage text."""


def write_err(text: str) -> None:
    """Write text to stderr unbuffered, bytes-exact for surrogate-escaped names.

    Pending stdout goes first, as BusyBox flushes before every message, so that
    `2>&1` keeps output and errors in the order they happened.
    """
    _flush_quietly()
    os.write(2, text.encode("utf-8", "surrogateescape"))


def warn(message: str) -> None:
    """Print `APPLET: message` to stderr (BusyBox bb_error_msg)."""
    write_err(f"{APPLET}: {message}\n")


def warn_os(message: str, exc: OSError) -> None:
    """Print `APPLET: message: strerror` (BusyBox bb_perror_msg)."""
    write_err(f"{APPLET}: {message}: {exc.strerror or exc}\n")


def show_usage(usage: str, status: int = 1) -> None:
    """Print the banner and usage text to stderr and exit, as BusyBox's bb_show_usage."""
    write_err(f"{BANNER}\n\nUsage: {usage.rstrip()}\n")
    raise SystemExit(status)


def getopt(argv, shortopts: str, longopts=(), permute: bool = True):
    """Parse options like GNU getopt_long, which BusyBox's getopt32 wraps.

    `shortopts` uses getopt syntax ("n:v", "::" for an optional attached argument);
    `longopts` names long options, "name=" taking an argument, "name=?" an optional one.
    Options and operands may mix unless `permute` is false (or POSIXLY_CORRECT is set).
    Returns ([(option, value), ...], operands); options are given as "-x" or "--name".
    """
    permute = permute and "POSIXLY_CORRECT" not in os.environ
    options, operands = [], []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            matches = [lo for lo in longopts if lo.rstrip("=?") == name]
            if not matches:
                matches = [lo for lo in longopts if lo.startswith(name)]
            if len(matches) != 1:
                word = "ambiguous" if matches else "unrecognized"
                raise UsageError(f"{word} option '--{name}'")
            spec = matches[0]
            full = "--" + spec.rstrip("=?")
            if spec.endswith("=?"):
                options.append((full, value if eq else None))
            elif spec.endswith("="):
                if not eq:
                    if i >= len(args):
                        raise UsageError(f"option '{full}' requires an argument")
                    value = args[i]
                    i += 1
                options.append((full, value))
            else:
                if eq:
                    raise UsageError(f"option '{full}' doesn't allow an argument")
                options.append((full, None))
            continue
        if arg.startswith("-") and arg != "-":
            j = 1
            while j < len(arg):
                char = arg[j]
                at = shortopts.find(char)
                if at < 0 or char == ":":
                    raise UsageError(f"invalid option -- '{char}'")
                takes = shortopts[at + 1 : at + 2] == ":"
                optional = shortopts[at + 1 : at + 3] == "::"
                if not takes:
                    options.append(("-" + char, None))
                    j += 1
                    continue
                rest = arg[j + 1 :]
                if rest or optional:
                    options.append(("-" + char, rest or None))
                elif i < len(args):
                    options.append(("-" + char, args[i]))
                    i += 1
                else:
                    raise UsageError(f"option requires an argument -- '{char}'")
                break
            continue
        operands.append(arg)
        if not permute:
            operands.extend(args[i:])
            break
    return options, operands


def open_input(path: str):
    """Open a file for binary reading; `-` is stdin. Fails with BusyBox's wording."""
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise Fail(f"can't open '{path}': {exc.strerror}") from None


_STDOUT = []


def stdout():
    """The binary standard output every applet writes to, always buffered.

    With PYTHONUNBUFFERED set, sys.stdout.buffer is a raw FileIO: every small write
    would be a system call, and a partial write would lose data.
    """
    if not _STDOUT:
        out = sys.stdout.buffer
        _STDOUT.append(out if hasattr(out, "raw") else open(out.fileno(), "wb", buffering=1 << 16, closefd=False))
    return _STDOUT[0]


SIZE_SUFFIXES = {"b": 512, "k": 1024, "m": 1024 * 1024, "g": 1024**3}


def parse_number(text: str, suffixes: dict | None = None, minimum: int = 0) -> int:
    """Parse an integer with optional multiplier suffix (BusyBox xatoul_sfx); `invalid number 'X'` otherwise."""
    multiplier = 1
    body = text
    if suffixes:
        for suffix in sorted(suffixes, key=len, reverse=True):
            if suffix and body.endswith(suffix) and len(body) > len(suffix):
                multiplier = suffixes[suffix]
                body = body[: -len(suffix)]
                break
    if not (body.isascii() and body.isdigit()):  # int() would also take "+5", "1_0", "٣"
        raise Fail(f"invalid number '{text}'")
    value = int(body, 10)
    value *= multiplier
    if value < minimum:
        raise Fail(f"number {text} is not in {minimum}..{2**63 - 1} range")
    return value



def guard(module, argv: list[str], usage: str) -> int:
    """Run an applet's main and turn every failure into a BusyBox-style message and exit code.

    No Python traceback ever reaches the user: unexpected exceptions become one line.
    """
    try:
        status = module.main(argv)
        _flush_quietly(strict=True)
        return status or 0
    except UsageError as exc:
        if str(exc):
            warn(str(exc))
        show_usage(usage)
    except Fail as exc:
        _flush_quietly()
        warn(exc.message)
        return exc.status
    except OSError as exc:
        _flush_quietly()
        where = f"{exc.filename}: " if exc.filename else ""
        warn(f"{where}{exc.strerror or exc}")
        return 1
    except MemoryError:
        warn("out of memory")
        return 1
    except RecursionError:
        warn("nesting too deep")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last line of defence: one line, never a traceback
        warn(f"internal error: {type(exc).__name__}: {exc}")
        return 1
    return 1


def _flush_quietly(strict: bool = False) -> None:
    """Flush what applets wrote; errors surface only when `strict` (the final flush)."""
    try:
        if _STDOUT:
            _STDOUT[0].flush()
        sys.stdout.flush()
    except (OSError, ValueError):
        if strict:
            raise
