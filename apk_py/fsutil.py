"""File-system helpers shared by the database writers and the installer."""

from __future__ import annotations

import os


def atomic_write(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` so readers see either the old or the new file, never half of one.

    The rename is what makes it atomic for other processes and for a killed pk; no fsync
    is forced (as apk-tools does not): ext4 and xfs flush a file replaced by rename before
    the rename itself reaches the disk, and syncing here would write out every file the
    transaction just extracted (seconds on a spinning or busy disk).
    """
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(directory, f".{os.path.basename(path)}.pk-new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        os.unlink(temporary)
        raise
    os.close(fd)
    os.rename(temporary, path)
