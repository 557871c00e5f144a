"""dd: copy a file block by block, converting and counting records as it goes."""

import os
import time

from applets.common import Fail, UsageError, write_err

USAGE = """dd [if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]
\t[conv=notrunc|noerror|sync|fsync|swab|lcase|ucase]
\t[iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]
\t[status=none|noxfer|progress]

Copy a file with converting and formatting

\tif=FILE\t\tRead from FILE instead of stdin
\tof=FILE\t\tWrite to FILE instead of stdout
\tbs=N\t\tRead and write N bytes at a time
\tibs=N\t\tRead N bytes at a time
\tobs=N\t\tWrite N bytes at a time
\tcount=N\t\tCopy only N input blocks
\tskip=N\t\tSkip N input blocks
\tseek=N\t\tSkip N output blocks
\tconv=notrunc\tDon't truncate output file
\tconv=noerror\tContinue after read errors
\tconv=sync\tPad blocks with zeros
\tconv=fsync\tPhysically write data out before finishing
\tconv=swab\tSwap every pair of bytes
\tconv=lcase\tConvert to lowercase
\tconv=ucase\tConvert to uppercase
\tiflag=skip_bytes\tskip=N is in bytes
\tiflag=count_bytes\tcount=N is in bytes
\toflag=seek_bytes\tseek=N is in bytes
\tiflag=direct\tO_DIRECT input
\toflag=direct\tO_DIRECT output
\tiflag=fullblock\tRead full blocks
\toflag=append\tOpen output in append mode
\tstatus=noxfer\tSuppress rate output
\tstatus=none\tSuppress all output
\tstatus=progress\tShow progress once a second

N may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G"""

SUFFIXES = {
    "c": 1, "w": 2, "b": 512,
    "kB": 1000, "kD": 1000, "k": 1024, "K": 1024,
    "MB": 1000**2, "MD": 1000**2, "M": 1024**2,
    "GB": 1000**3, "GD": 1000**3, "G": 1024**3,
    "TB": 1000**4, "TD": 1000**4, "T": 1024**4,
}
WORDS = {
    "conv": ("notrunc", "sync", "noerror", "fsync", "swab", "lcase", "ucase"),
    "iflag": ("skip_bytes", "count_bytes", "fullblock", "direct"),
    "oflag": ("seek_bytes", "append", "direct"),
    "status": ("none", "noxfer", "progress"),
}
LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
UPPER = bytes.maketrans(b"abcdefghijklmnopqrstuvwxyz", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _number(text: str, minimum: int = 0) -> int:
    body, multiplier = text, 1
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if body.endswith(suffix) and len(body) > len(suffix):
            body, multiplier = body[: -len(suffix)], SUFFIXES[suffix]
            break
    if not body.isdigit():
        raise Fail(f"invalid number '{text}'")
    value = int(body) * multiplier
    if value < minimum:
        raise Fail(f"number {text} is not in {minimum}..{2**63 - 1} range")
    return value


class _Stats:
    """Record and byte counters, printed the way BusyBox dd_output_status does."""

    def __init__(self, noxfer: bool):
        self.in_full = self.in_part = self.out_full = self.out_part = self.total = 0
        self.noxfer = noxfer
        self.start = time.monotonic()

    def transfer_line(self) -> str:
        from applets._fileutil import human_size

        seconds = time.monotonic() - self.start
        speed = int(self.total / seconds) if seconds > 0 else 0
        return f"{self.total} bytes ({human_size(self.total)}B) copied, {seconds:f} seconds, {human_size(speed)}B/s"

    def report(self, *_signal) -> None:
        text = (
            f"{self.in_full}+{self.in_part} records in\n"
            f"{self.out_full}+{self.out_part} records out\n"
        )
        if not self.noxfer:
            text += self.transfer_line() + "\n"
        write_err(text)


def _parse(args: list[str]) -> dict:
    settings = {"ibs": 512, "obs": 512, "count": None, "skip": 0, "seek": 0, "if": None, "of": None}
    words = {key: set() for key in WORDS}
    bs = None
    for arg in args:
        key, eq, value = arg.partition("=")
        if not eq:
            raise UsageError()
        if key in ("if", "of"):
            settings[key] = value
        elif key in ("bs", "ibs", "obs"):
            size = _number(value, 1)
            if key == "bs":
                bs = size
            else:
                settings[key] = size
        elif key in ("count", "skip", "seek"):
            settings[key] = _number(value)
        elif key in WORDS:
            for word in value.split(","):
                if word not in WORDS[key]:
                    raise Fail(f"invalid argument '{word}' to '{key}'")
                words[key].add(word)
        else:
            raise UsageError()
    if bs is not None:
        settings["ibs"] = settings["obs"] = bs
    settings.update(words)
    return settings


def _read_block(fd: int, size: int, full: bool) -> bytes:
    data = os.read(fd, size)
    if full and data and len(data) < size:
        parts = [data]
        got = len(data)
        while got < size:
            more = os.read(fd, size - got)
            if not more:
                break
            parts.append(more)
            got += len(more)
        data = b"".join(parts)
    return data


def main(argv: list[str]) -> int:
    settings = _parse(argv[1:])
    conv, iflag, oflag, status = settings["conv"], settings["iflag"], settings["oflag"], settings["status"]
    ibs, obs = settings["ibs"], settings["obs"]
    stats = _Stats("noxfer" in status)
    import signal

    signal.signal(signal.SIGUSR1, stats.report)
    in_name = settings["if"] or "standard input"
    out_name = settings["of"] or "standard output"
    direct = getattr(os, "O_DIRECT", 0)
    ifd, ofd = 0, 1
    if settings["if"] is not None:
        try:
            ifd = os.open(settings["if"], os.O_RDONLY | (direct if "direct" in iflag else 0))
        except OSError as exc:
            raise Fail(f"can't open '{settings['if']}': {exc.strerror}") from None
    seek = settings["seek"] * (1 if "seek_bytes" in oflag else obs)
    if settings["of"] is not None:
        flags = os.O_WRONLY | os.O_CREAT
        if not settings["seek"] and "notrunc" not in conv:
            flags |= os.O_TRUNC
        if "append" in oflag:
            flags |= os.O_APPEND
        if "direct" in oflag:
            flags |= direct
        try:
            ofd = os.open(settings["of"], flags, 0o666)
        except OSError as exc:
            raise Fail(f"can't open '{settings['of']}': {exc.strerror}") from None
        if seek and "notrunc" not in conv:
            try:
                os.ftruncate(ofd, seek)
            except OSError as exc:
                import stat

                if stat.S_ISREG(os.fstat(ofd).st_mode) or stat.S_ISDIR(os.fstat(ofd).st_mode):
                    raise Fail(f"{out_name}: {exc.strerror}") from None

    skip = settings["skip"]
    if skip:
        unit = 1 if "skip_bytes" in iflag else ibs
        try:
            os.lseek(ifd, skip * unit, os.SEEK_CUR)
        except OSError:
            for _ in range(skip):
                try:
                    if not _read_block(ifd, unit, "fullblock" in iflag):
                        break
                except OSError as exc:
                    raise Fail(f"{in_name}: {exc.strerror}") from None
    if seek:
        try:
            os.lseek(ofd, seek, os.SEEK_CUR)
        except OSError as exc:
            raise Fail(f"{out_name}: {exc.strerror}") from None

    exit_code = _copy(ifd, ofd, settings, stats, in_name, out_name)
    if exit_code == 0:
        try:
            if "fsync" in conv:
                os.fsync(ofd)
        except OSError as exc:
            write_err(f"dd: {out_name}: {exc.strerror}\n")
            exit_code = 1
    if "none" not in status:
        if "progress" in status:
            write_err("\n")
        stats.report()
    return exit_code


BATCH = 1 << 20


def _can_batch(ifd: int, settings: dict) -> bool:
    """Whether many records may move per system call without changing what dd reports.

    A regular file yields full records until EOF, so reading a run of them at once and
    writing them as one buffer gives the same bytes and the same record counts.
    """
    import stat

    if settings["ibs"] != settings["obs"] or settings["ibs"] >= BATCH:
        return False
    if settings["conv"] & {"sync", "noerror", "swab"} or settings["iflag"] & {"count_bytes", "direct"}:
        return False
    if "direct" in settings["oflag"] or "progress" in settings["status"]:
        return False
    try:
        return stat.S_ISREG(os.fstat(ifd).st_mode)
    except OSError:
        return False


def _copy_batched(ifd: int, ofd: int, settings: dict, stats: _Stats, in_name: str, out_name: str) -> int:
    block = settings["ibs"]
    count = settings["count"]
    conv = settings["conv"]
    table = LOWER if "lcase" in conv else UPPER if "ucase" in conv else None
    per_read = BATCH // block * block
    while count is None or count > 0:
        want = per_read if count is None else min(per_read, count * block)
        try:
            data = os.read(ifd, want)
        except OSError as exc:
            write_err(f"dd: {in_name}: {exc.strerror}\n")
            return 1
        if not data:
            break
        if table is not None:
            data = data.translate(table)
        full, rest = divmod(len(data), block)
        stats.in_full += full
        stats.in_part += bool(rest)
        view = memoryview(data)
        written = 0
        try:
            while written < len(view):
                written += os.write(ofd, view[written:])
        except OSError as exc:
            done_full, done_rest = divmod(written, block)
            stats.out_full += done_full
            stats.out_part += bool(done_rest)
            stats.total += written
            write_err(f"dd: error writing '{out_name}': {exc.strerror}\n")
            return 1
        stats.out_full += full
        stats.out_part += bool(rest)
        stats.total += written
        if count is not None:
            count -= full + bool(rest)
        if rest:
            break
    return 0


def _copy(ifd: int, ofd: int, settings: dict, stats: _Stats, in_name: str, out_name: str) -> int:
    """The copy loop: read ibs-sized records, convert, write obs-sized records."""
    if _can_batch(ifd, settings):
        return _copy_batched(ifd, ofd, settings, stats, in_name, out_name)
    conv, iflag, status = settings["conv"], settings["iflag"], settings["status"]
    ibs, obs = settings["ibs"], settings["obs"]
    count = settings["count"]
    count_bytes = "count_bytes" in iflag
    full = "fullblock" in iflag
    swab, pad, noerror = "swab" in conv, "sync" in conv, "noerror" in conv
    table = LOWER if "lcase" in conv else UPPER if "ucase" in conv else None
    rebuffer = ibs != obs
    pending = bytearray()
    progress = "progress" in status
    next_progress = time.monotonic() + 1

    def write(block) -> bool:
        try:
            view = memoryview(block)
            written = 0
            while written < len(view):
                written += os.write(ofd, view[written:])
        except OSError as exc:
            stats.total += written
            write_err(f"dd: error writing '{out_name}': {exc.strerror}\n")
            return False
        if written == obs:
            stats.out_full += 1
        elif written:
            stats.out_part += 1
        stats.total += written
        return True

    while count is None or count > 0:
        size = min(ibs, count) if count_bytes and count is not None else ibs
        try:
            data = _read_block(ifd, size, full)
        except OSError as exc:
            write_err(f"dd: {in_name}: {exc.strerror}\n")
            if not noerror:
                return 1
            try:
                os.lseek(ifd, ibs, os.SEEK_CUR)  # step over the bad block
            except OSError:
                pass
            data = b""
        else:
            if not data:
                break
        if swab and len(data) > 1:
            swapped = bytearray(data)
            even = len(data) & ~1
            swapped[0:even:2], swapped[1:even:2] = data[1:even:2], data[0:even:2]
            data = swapped
        if table is not None:
            data = data.translate(table)
        read = len(data)
        if read == ibs:
            stats.in_full += 1
        else:
            stats.in_part += 1
            if pad:
                data = bytes(data) + bytes(ibs - read)
        if rebuffer:
            pending += data
            while len(pending) >= obs:
                if not write(pending[:obs]):
                    return 1
                del pending[:obs]
        elif data and not write(data):
            return 1
        if count is not None:
            count -= (read or size) if count_bytes else 1
        if progress and time.monotonic() >= next_progress:
            write_err("\r" + stats.transfer_line())
            next_progress += 1
    if pending and not write(pending):
        return 1
    return 0
