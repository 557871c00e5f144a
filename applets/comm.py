"""comm: compare two sorted files line by line, in three columns."""

from applets import _text
from applets.common import Fail, UsageError, getopt, stdout

USAGE = """comm [-123] FILE1 FILE2

Compare FILE1 with FILE2

\t-1\tSuppress lines unique to FILE1
\t-2\tSuppress lines unique to FILE2
\t-3\tSuppress lines common to both files"""


def _lines(fd: int):
    """The lines of fd; a read error (such as a directory) ends them, as in BusyBox."""
    try:
        for lines in _text.read_lines(fd):
            yield from lines
    except IsADirectoryError:
        return


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "123")
    if len(files) != 2:
        raise UsageError("")
    hidden = {option[1] for option, _ in options}
    # Column prefixes: lines only in FILE1, only in FILE2, in both.
    prefixes = [
        None if "1" in hidden else b"",
        None if "2" in hidden else (b"" if "1" in hidden else b"\t"),
        None if "3" in hidden else b"\t" * (("1" not in hidden) + ("2" not in hidden)),
    ]
    fds = []
    for path in files:
        try:
            fds.append(_text.open_fd(path))
        except OSError as exc:
            raise Fail(f"{path}: {exc.strerror}") from None

    out = stdout()
    pieces = []

    def emit(line: bytes, column: int) -> None:
        prefix = prefixes[column]
        if prefix is not None:
            pieces.append(prefix + line + b"\n")
            if len(pieces) >= 4096:
                out.write(b"".join(pieces))
                pieces.clear()

    streams = [_lines(fds[0]), _lines(fds[1])]
    left = next(streams[0], None)
    right = next(streams[1], None)
    while left is not None and right is not None:
        if left < right:
            emit(left, 0)
            left = next(streams[0], None)
        elif left > right:
            emit(right, 1)
            right = next(streams[1], None)
        else:
            emit(right, 2)
            left = next(streams[0], None)
            right = next(streams[1], None)
    while left is not None:
        emit(left, 0)
        left = next(streams[0], None)
    while right is not None:
        emit(right, 1)
        right = next(streams[1], None)
    out.write(b"".join(pieces))
    for fd in fds:
        _text.close_fd(fd)
    return 0
