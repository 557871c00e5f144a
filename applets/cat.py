"""cat: concatenate files to stdout.

Plain copies go through the kernel (sendfile, or large reads and writes), so they
run at memory speed; the numbering and -v/-t/-e views work on whole buffers.
"""

import os

from applets.common import getopt, stdout, warn

USAGE = """cat [-nbvteA] [FILE]...

Print FILEs to stdout

\t-n\tNumber output lines
\t-b\tNumber nonempty lines
\t-v\tShow nonprinting characters as ^x or M-x
\t-t\t...and tabs as ^I
\t-e\t...and end lines with $
\t-A\tSame as -vte"""

CHUNK = 1 << 20


def _copy_fd(src: int, dst: int) -> None:
    """Copy src to dst: sendfile where the kernel allows it, else read/write loops."""
    try:
        while os.sendfile(dst, src, None, 1 << 30):
            pass
        return
    except OSError as exc:
        if exc.errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not sendfile-able
            raise
    while True:
        data = os.read(src, CHUNK)
        if not data:
            return
        view = memoryview(data)
        while view:
            view = view[os.write(dst, view) :]


def _visible_table(tabs: bool) -> list[bytes]:
    """Byte -> its ^x / M-x spelling, as BusyBox's -v shows it."""
    table = []
    for byte in range(256):
        prefix = b""
        code = byte
        if code >= 128:
            prefix = b"M-"
            code -= 128
        if code < 32 and (tabs or code != 9) and code != 10:
            text = prefix + b"^" + bytes([code + 64])
        elif code == 127:
            text = prefix + b"^?"
        else:
            text = prefix + bytes([code])
        table.append(text)
    return table


class _Formatter:
    """Applies -n/-b numbering and -v/-t/-e visibility, line by line, across files."""

    def __init__(self, number: bool, nonblank: bool, visible: bool, tabs: bool, ends: bool):
        self.number = number or nonblank
        self.nonblank = nonblank
        self.table = _visible_table(tabs) if visible else None
        self.ends = ends
        self.line_no = 0
        self.at_line_start = True

    def feed(self, data: bytes, out) -> None:
        pieces = []
        for line in data.splitlines(keepends=True):
            complete = line.endswith(b"\n")
            body = line[:-1] if complete else line
            if self.at_line_start and self.number and not (self.nonblank and not body and complete):
                self.line_no += 1
                pieces.append(b"%6d\t" % self.line_no)
            if self.table is not None:
                body = b"".join([self.table[b] for b in body])
            pieces.append(body)
            if complete:
                pieces.append(b"$\n" if self.ends else b"\n")
            self.at_line_start = complete
        out.write(b"".join(pieces))


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "nbvteAu")
    flags = {opt[1] for opt, _ in options}
    if "A" in flags:
        flags |= {"v", "t", "e"}
    if flags & {"t", "e"}:
        flags.add("v")
    formatter = None
    if flags & {"n", "b", "v", "t", "e"}:
        formatter = _Formatter("n" in flags, "b" in flags, "v" in flags, "t" in flags, "e" in flags)
    out = stdout()
    status = 0
    for path in files or ["-"]:
        try:
            fd = 0 if path == "-" else os.open(path, os.O_RDONLY)
        except OSError as exc:
            warn(f"can't open '{path}': {exc.strerror}")
            status = 1
            continue
        try:
            if formatter is None:
                out.flush()
                _copy_fd(fd, 1)
            else:
                while data := os.read(fd, CHUNK):
                    formatter.feed(data, out)
        except OSError as exc:
            if exc.errno == 32:
                raise
            warn(f"read error: {exc.strerror}")
            status = 1
        finally:
            if fd != 0:
                os.close(fd)
    return status

