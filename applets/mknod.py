"""mknod: create block or character device nodes and named pipes."""

import os
import stat

from applets.common import Fail, UsageError, getopt

USAGE = """mknod [-m MODE] NAME TYPE [MAJOR MINOR]

Create a special file (block, character, or pipe)

\t-m MODE\tCreation mode (default a=rw)
TYPE:
\tb\tBlock device
\tc or u\tCharacter device
\tp\tNamed pipe (MAJOR MINOR must be omitted)"""

TYPES = {"b": stat.S_IFBLK, "c": stat.S_IFCHR, "u": stat.S_IFCHR, "p": stat.S_IFIFO}


def creation_mode(options) -> int | None:
    """-m MODE for mknod/mkfifo: a=rw by default; an explicit mode is applied exactly (umask 0).

    None means MODE was invalid: BusyBox then lets the system call fail with EINVAL.
    """
    from applets._fileutil import parse_mode

    mode = 0o666
    for _, value in options:
        mode = parse_mode(value, 0o666)
        if mode is not None:
            os.umask(0)
    return mode


def _device_number(text: str, limit: int) -> int:
    if not text.isdigit() or int(text) > limit:
        raise Fail(f"invalid number '{text}'")
    return int(text)


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "m:")
    if len(operands) < 2 or len(operands[1]) != 1 or operands[1] not in TYPES:
        raise UsageError()
    name, kind = operands[0], operands[1]
    wanted = 2 if kind == "p" else 4
    if len(operands) != wanted:
        raise UsageError()
    device = 0
    if kind != "p":
        minor = _device_number(operands[3], 0xFFFFFFFF)
        major = _device_number(operands[2], 0xFFFFFFFF)
        device = os.makedev(major, minor)
    mode = creation_mode(options)
    try:
        if mode is None:
            raise OSError(22, "Invalid argument")
        os.mknod(name, mode | TYPES[kind], device)
    except OSError as exc:
        raise Fail(f"{name}: {exc.strerror}") from None
    return 0
