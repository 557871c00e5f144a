"""Compressed streams and the gzip/bzip2/xz file driver, shared by those applets and tar.

Decoders are generators from input chunks to output chunks: they stop at the end of the
compressed data, bound every output chunk (so a decompression bomb never sits in memory)
and raise Corrupt with BusyBox's wording for bad input. The codecs themselves (zlib, bz2,
lzma) are imported only by the generator that needs them.
"""

import os

from applets.common import Fail, warn, write_err

READ_SIZE = 1 << 20
OUT_LIMIT = 1 << 20

GZIP_MAGIC = b"\x1f\x8b"
BZIP2_MAGIC = b"BZ"
XZ_MAGIC = b"\xfd7zXZ\x00"
XZ_MEMLIMIT = 1 << 30


class Corrupt(Exception):
    """Bad compressed data; the message is BusyBox's, without the applet prefix."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Feed:
    """Input chunks with push-back, so one member's leftover bytes start the next."""

    __slots__ = ("_chunks", "pending")

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self.pending = b""

    def next(self) -> bytes:
        """The next piece of input, b"" at the end."""
        if self.pending:
            data, self.pending = self.pending, b""
            return data
        return next(self._chunks, b"")

    def take(self, count: int) -> bytes:
        """Exactly `count` bytes, or fewer at the end of the input."""
        data = self.pending
        while len(data) < count:
            more = next(self._chunks, b"")
            if not more:
                break
            data += more
        self.pending = data[count:]
        return data[:count]

    def push(self, data: bytes) -> None:
        if data:
            self.pending = data + self.pending


def read_chunks(fd: int, size: int = READ_SIZE):
    """The bytes of fd, in large reads, until end of file."""
    read = os.read
    while data := read(fd, size):
        yield data


def write_all(fd: int, data) -> None:
    """os.write until every byte is out (pipes may take less)."""
    written = os.write(fd, data)
    if written != len(data):
        view = memoryview(data)[written:]
        while view:
            view = view[os.write(fd, view) :]


def _skip_gzip_header(feed: _Feed) -> int:
    """Consume a gzip member header after its magic; returns the stored mtime."""
    head = feed.take(8)
    if len(head) < 8 or head[0] != 8:
        raise Corrupt("corrupted data")
    flags = head[1]
    if flags & 0x04:
        size = feed.take(2)
        if len(size) < 2:
            raise Corrupt("corrupted data")
        length = size[0] | size[1] << 8
        if len(feed.take(length)) < length:
            raise Corrupt("corrupted data")
    for field in (0x08, 0x10):
        if flags & field:
            while True:
                data = feed.next()
                if not data:
                    raise Corrupt("corrupted data")
                end = data.find(0)
                if end >= 0:
                    feed.push(data[end + 1 :])
                    break
    if flags & 0x02 and len(feed.take(2)) < 2:
        raise Corrupt("corrupted data")
    return int.from_bytes(head[2:6], "little")


def gunzip_chunks(chunks, info: dict | None = None):
    """Inflate gzip members back to back; `info["mtime"]` gets the first member's time."""
    import zlib

    crc32 = zlib.crc32
    feed = _Feed(chunks)
    if feed.take(2) != GZIP_MAGIC:
        raise Corrupt("invalid magic")
    first = True
    while True:
        mtime = _skip_gzip_header(feed)
        if first and info is not None:
            info["mtime"] = mtime
        first = False
        inflater = zlib.decompressobj(-15)
        crc = size = 0
        try:
            while not inflater.eof:
                data = feed.next()
                if not data:
                    raise Corrupt("unexpected end of file")
                out = inflater.decompress(data, OUT_LIMIT)
                while True:
                    if out:
                        crc = crc32(out, crc)
                        size += len(out)
                        yield out
                    tail = inflater.unconsumed_tail
                    if inflater.eof or (not tail and len(out) < OUT_LIMIT):
                        break
                    out = inflater.decompress(tail, OUT_LIMIT)
        except zlib.error:
            raise Corrupt("corrupted data") from None
        feed.push(inflater.unused_data)
        trailer = feed.take(8)
        if len(trailer) < 8:
            raise Corrupt("corrupted data")
        if int.from_bytes(trailer[:4], "little") != crc:
            raise Corrupt("crc error")
        if int.from_bytes(trailer[4:], "little") != size & 0xFFFFFFFF:
            raise Corrupt("incorrect length")
        if feed.take(2) != GZIP_MAGIC:
            return


def bunzip2_chunks(chunks, info: dict | None = None):
    """Decode bzip2 streams back to back (pbzip2 writes many), BusyBox's error numbers."""
    from bz2 import BZ2Decompressor

    feed = _Feed(chunks)
    if feed.take(2) != BZIP2_MAGIC:
        raise Corrupt("invalid magic")
    while True:
        head = feed.take(2)
        if len(head) < 2:
            raise Corrupt("bunzip error -3")
        if head[0] != 0x68 or not 0x31 <= head[1] <= 0x39:
            raise Corrupt("bunzip error -2")
        decoder = BZ2Decompressor()
        data = BZIP2_MAGIC + head
        try:
            while not decoder.eof:
                if not data:
                    data = feed.next()
                    if not data:
                        raise Corrupt("bunzip error -3")
                out = decoder.decompress(data, OUT_LIMIT)
                data = b""
                while True:
                    if out:
                        yield out
                    if decoder.eof or decoder.needs_input:
                        break
                    out = decoder.decompress(b"", OUT_LIMIT)
        except OSError:
            raise Corrupt("bunzip error -5") from None
        feed.push(decoder.unused_data)
        if feed.take(2) != BZIP2_MAGIC:
            return


def unxz_chunks(chunks, info: dict | None = None):
    """Decode .xz streams back to back, skipping the zero padding allowed between them."""
    import lzma

    feed = _Feed(chunks)
    magic = feed.take(len(XZ_MAGIC))
    if magic != XZ_MAGIC:
        raise Corrupt("invalid magic")
    feed.push(magic)
    while True:
        decoder = lzma.LZMADecompressor(lzma.FORMAT_XZ, memlimit=XZ_MEMLIMIT)
        try:
            while not decoder.eof:
                data = feed.next()
                if not data:
                    raise Corrupt("corrupted data")
                out = decoder.decompress(data, OUT_LIMIT)
                while True:
                    if out:
                        yield out
                    if decoder.eof or decoder.needs_input:
                        break
                    out = decoder.decompress(b"", OUT_LIMIT)
        except lzma.LZMAError:
            raise Corrupt("corrupted data") from None
        feed.push(decoder.unused_data)
        while True:
            data = feed.next()
            if not data:
                return
            data = data.lstrip(b"\0")
            if data:
                feed.push(data)
                break


class GzipEncoder:
    """One gzip member, fed piece by piece: no name, no timestamp, like BusyBox's gzip."""

    def __init__(self, level: int = 6):
        import zlib

        self._crc32 = zlib.crc32
        self._deflater = zlib.compressobj(level, zlib.DEFLATED, -15)
        extra_flags = 2 if level == 9 else 4 if level == 1 else 0
        self._header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + bytes((extra_flags, 3))
        self._crc = 0
        self._size = 0

    def compress(self, data) -> bytes:
        self._crc = self._crc32(data, self._crc)
        self._size += len(data)
        out = self._deflater.compress(data)
        if self._header:
            out = self._header + out
            self._header = b""
        return out

    def flush(self) -> bytes:
        trailer = self._crc.to_bytes(4, "little") + (self._size & 0xFFFFFFFF).to_bytes(4, "little")
        return self._header + self._deflater.flush() + trailer


def encoder(kind: str, level: int | None = None):
    """A compressor object (compress/flush) for "gz", "bz2" or "xz" at the usual default level."""
    if kind == "gz":
        return GzipEncoder(6 if level is None else level)
    if kind == "bz2":
        from bz2 import BZ2Compressor

        return BZ2Compressor(9 if level is None else level)
    import lzma

    return lzma.LZMACompressor(lzma.FORMAT_XZ, lzma.CHECK_CRC64, 6 if level is None else level)


def encode_chunks(chunks, compressor):
    """Run input chunks through a compressor object, yielding its output."""
    for chunk in chunks:
        out = compressor.compress(chunk)
        if out:
            yield out
    yield compressor.flush()


def sniff(head: bytes):
    """The decoder for data starting with `head`, or None if it is not compressed."""
    if head.startswith(GZIP_MAGIC):
        return gunzip_chunks
    if head.startswith(BZIP2_MAGIC):
        return bunzip2_chunks
    if head.startswith(XZ_MAGIC):
        return unxz_chunks
    return None


def read_head(fd: int, size: int = READ_SIZE) -> bytes:
    """The first read of fd, topped up to a few bytes so magic numbers can be seen."""
    data = os.read(fd, size)
    while data and len(data) < len(XZ_MAGIC):
        more = os.read(fd, size)
        if not more:
            break
        data += more
    return data


def chain(head: bytes, rest):
    """`head` (if any) followed by the chunks of `rest`."""
    if head:
        yield head
    yield from rest


def _open_source(name: str | None):
    """(fd, stat) for a named file or stdin; None after reporting why it cannot be read."""
    if name is None:
        return 0, None
    try:
        info = os.stat(name)
    except OSError as exc:
        warn(f"{name}: {exc.strerror}")
        return None
    try:
        return os.open(name, os.O_RDONLY), info
    except OSError as exc:
        warn(f"can't open '{name}': {exc.strerror}")
        return None


def _seamless_decoder(fd: int):
    """zcat's clever mode: (decoder, chunks) for whatever compression fd holds."""
    head = read_head(fd)
    decoder = sniff(head)
    if decoder is None:
        raise Fail("no gzip/bzip2/xz magic")
    return decoder, chain(head, read_chunks(fd))


def run_files(names, flags: set, convert, new_name, packing: bool = False, seamless: bool = False) -> int:
    """BusyBox's bbunpack: (de)compress each file to its new name, or stdin to stdout.

    `convert(chunks, info)` yields the output; `new_name(path)` gives the output name or
    None for an unknown suffix. -c/-t write to stdout (-t discards), -f overwrites and reads
    terminals, -k keeps the source, -v reports. The source is removed only on success and a
    partial output only on failure. Returns the exit status.
    """
    status = 0
    to_stdout = "c" in flags or "t" in flags
    for name in names or [None]:
        if name == "-":
            name = None
        opened = _open_source(name)
        if opened is None:
            status = 1
            continue
        in_fd, info = opened
        target = None
        out_fd = 1
        try:
            if name is not None and not to_stdout:
                target = new_name(name)
                if target is None:
                    warn(f"{name}: unknown suffix - ignored")
                    status = 1
                    continue
                out_fd = _create_target(target, info.st_mode, "f" in flags)
                if out_fd is None:
                    status = 1
                    target = None
                    continue
            if "f" not in flags and os.isatty(in_fd):
                raise Fail("compressed data not read from terminal, use -f to force it")
            meta: dict = {}
            produced = _pump(in_fd, out_fd, convert, meta, "t" in flags, seamless)
        finally:
            if in_fd:
                os.close(in_fd)
            if target is not None:
                os.close(out_fd)
        if produced is None:
            status = 1
            if target is not None:
                _unlink_quietly(target)
            continue
        if target is None:
            continue
        if meta.get("mtime"):
            os.utime(target, (meta["mtime"], meta["mtime"]))
        if "v" in flags:
            plain, packed = (info.st_size, produced) if packing else (produced, info.st_size)
            _report(name, target, plain, packed)
        if "k" not in flags:
            os.unlink(name)
    return status


def _create_target(target: str, mode: int, force: bool):
    """Open the output file exclusively (after removing it with -f); None if impossible."""
    if force:
        _unlink_quietly(target)
    try:
        return os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode & 0o7777)
    except OSError as exc:
        warn(f"can't open '{target}': {exc.strerror}")
        return None


def _pump(in_fd: int, out_fd: int, convert, meta: dict, discard: bool, seamless: bool):
    """Run one conversion: the number of bytes produced, or None after reporting an error."""
    produced = 0
    try:
        if seamless:
            decoder, chunks = _seamless_decoder(in_fd)
            stream = decoder(chunks, meta)
        else:
            stream = convert(read_chunks(in_fd), meta)
        for out in stream:
            produced += len(out)
            if not discard:
                try:
                    write_all(out_fd, out)
                except OSError as exc:
                    if exc.errno == 32:
                        raise
                    warn(f"write error: {exc.strerror}")
                    return None
    except Corrupt as exc:
        warn(exc.message)
        return None
    except OSError as exc:
        if exc.errno == 32:
            raise
        warn(f"read error: {exc.strerror}")
        return None
    return produced


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _report(source: str, target: str, plain: int, packed: int) -> None:
    """`-v`: the space saved, as GNU gzip counts it (negative when the data grew)."""
    saved = 100 - packed * 100 // plain if plain else 0
    write_err(f"{source}: {saved}% - replaced with {target}\n")
