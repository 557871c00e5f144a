"""Reading input as blocks of whole lines, shared by grep and sed.

Searching or rewriting a block of many lines with one regex call is what makes those
applets fast; this keeps lines intact across read boundaries without copying blocks.
"""

import os


def blocks(fd: int, eol: bytes, size: int):
    """Yield (buffer, start, end) where buffer[start:end] holds whole lines, each with its
    terminator, except a last line without one, which comes alone. A line longer than a
    read is joined once, not re-copied per read. A directory reads as empty, as in BusyBox."""
    pending = []
    while True:
        try:
            data = os.read(fd, size)
        except IsADirectoryError:
            data = b""
        if not data:
            break
        last = data.rfind(eol)
        if last < 0:
            pending.append(data)
            continue
        start = 0
        if pending:
            start = data.find(eol) + 1
            pending.append(data[:start])
            head = b"".join(pending)
            pending = []
            yield head, 0, len(head)
        if start <= last:
            yield data, start, last + 1
        if last + 1 < len(data):
            pending.append(data[last + 1 :])
    if pending:
        tail = b"".join(pending)
        yield tail, 0, len(tail)
