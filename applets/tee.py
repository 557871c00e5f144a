"""tee: copy stdin to stdout and to every FILE.

Input is read in large blocks and each block goes to every output unbuffered, so a
slow reader downstream sees data as soon as it arrives.
"""

import os

from applets.common import getopt, warn

USAGE = """tee [-ai] [FILE]...

Copy stdin to stdout and to every FILE

\t-a\tAppend to the FILEs instead of overwriting them
\t-i\tIgnore SIGINT (^C)"""

CHUNK = 64 * 1024


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "ia")
    flags = {option for option, _ in options}
    if "-i" in flags:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    mode = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "-a" in flags else os.O_TRUNC)
    status = 0
    outputs = [(1, "standard output")]
    for path in files:
        if path == "-":
            outputs.append((1, "standard output"))
            continue
        try:
            outputs.append((os.open(path, mode, 0o666), path))
        except OSError as exc:
            warn(f"{path}: {exc.strerror}")
            status = 1
    failed = set()
    try:
        while data := os.read(0, CHUNK):
            for fd, name in outputs:
                if name in failed:
                    continue
                try:
                    _write_all(fd, data)
                except OSError:
                    failed.add(name)
    except OSError as exc:
        warn(f"standard input: {exc.strerror}")
        status = 1
    for name in failed:
        warn(f"{name}: I/O error")
        status = 1
    return status
