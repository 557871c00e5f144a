"""sync: flush filesystem buffers, or just those of the given files."""

import os

from applets.common import getopt, warn

USAGE = """sync [-df] [FILE]...

Write all buffered blocks (in FILEs) to disk
\t-d\tAvoid syncing metadata
\t-f\tSync filesystems underlying FILEs"""


def _syncfs(fd: int) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syncfs(fd) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "df", ["data", "file-system"])
    flags = {opt for opt, _ in options}
    data_only = bool(flags & {"-d", "--data"})
    whole_fs = bool(flags & {"-f", "--file-system"})
    if not paths:
        os.sync()
        return 0
    status = 0
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as exc:
            warn(f"can't open '{path}': {exc.strerror}")
            status = 1
            continue
        try:
            if whole_fs:
                _syncfs(fd)
            elif data_only:
                os.fdatasync(fd)
            else:
                os.fsync(fd)
        except OSError as exc:
            warn(f"{path}: {exc.strerror}")
            status = 1
        finally:
            os.close(fd)
    return status
