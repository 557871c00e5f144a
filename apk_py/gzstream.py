"""Concatenated gzip members, split at their exact byte boundaries.

apk signs and hashes the *compressed* bytes of each member (the control stream, the data
stream, the index body), so the splitter hands back raw bytes alongside the inflated
content. Inflation is bounded: a member that expands past its limit is refused, which
defuses gzip bombs before they cost memory.
"""

from __future__ import annotations

import zlib

from apk_py.errors import FormatError

_CHUNK = 1 << 18


class MemberSplitter:
    """Reads gzip members one after another from a binary file object."""

    def __init__(self, file, source):
        self.file = file
        self.source = source
        self.pending = b""

    def _next_raw(self) -> bytes:
        if self.pending:
            chunk, self.pending = self.pending, b""
            return chunk
        return self.file.read(_CHUNK)

    def at_end(self) -> bool:
        if not self.pending:
            self.pending = self.file.read(_CHUNK)
        return not self.pending

    def peek(self, size: int) -> bytes:
        """The first `size` inflated bytes of the next member, without consuming it."""
        if not self.pending:
            self.pending = self.file.read(_CHUNK)
        try:
            return zlib.decompressobj(31).decompress(self.pending, size)
        except zlib.error:
            return b""

    def next_member(self, limit: int, what: str) -> tuple[bytes, bytes]:
        """Return (raw compressed bytes, inflated content) of the next member."""
        inflater = zlib.decompressobj(31)
        raw_parts, out_parts = [], []
        produced = 0
        while not inflater.eof:
            chunk = inflater.unconsumed_tail or self._next_raw()
            if not chunk:
                what_ = "missing" if not raw_parts else "truncated"
                raise FormatError(self.source, f"{what} stream is {what_}")
            fresh = not inflater.unconsumed_tail
            try:
                out = inflater.decompress(chunk, limit + 1 - produced)
            except zlib.error as exc:
                raise FormatError(self.source, f"{what} stream is not valid gzip ({exc})") from None
            if fresh:
                raw_parts.append(chunk)
            produced += len(out)
            out_parts.append(out)
            if produced > limit:
                raise FormatError(self.source, f"{what} stream expands beyond {limit} bytes (gzip bomb?)")
        raw = b"".join(raw_parts)
        leftover = inflater.unused_data
        if leftover:
            self.pending = leftover + self.pending
            raw = raw[: len(raw) - len(leftover)]
        return raw, b"".join(out_parts)

    def rest(self, on_raw=None) -> "InflatingReader":
        """A reader inflating every remaining member, passing raw bytes to `on_raw` as consumed."""
        return InflatingReader(self, on_raw)


class InflatingReader:
    """File-like `read(n)` over the inflated remainder of a MemberSplitter's input."""

    def __init__(self, splitter: MemberSplitter, on_raw=None):
        self.splitter = splitter
        self.on_raw = on_raw
        self.inflater = zlib.decompressobj(31)
        self.buffer = b""
        self.position = 0
        self.started = False
        self.finished = False

    def _fill(self, want: int) -> None:
        parts = [self.buffer]
        have = len(self.buffer)
        while have < want and not self.finished:
            if self.inflater.eof:
                leftover = self.inflater.unused_data
                if leftover:
                    self.splitter.pending = leftover + self.splitter.pending
                if self.splitter.at_end():
                    self.finished = True
                    break
                self.inflater = zlib.decompressobj(31)
            chunk = self.inflater.unconsumed_tail or self.splitter._next_raw()
            if not chunk:
                state = "truncated" if self.started else "missing"
                raise FormatError(self.splitter.source, f"data stream is {state}")
            self.started = True
            try:
                out = self.inflater.decompress(chunk, max(want - have, _CHUNK))
            except zlib.error as exc:
                raise FormatError(self.splitter.source, f"data stream is not valid gzip ({exc})") from None
            if self.on_raw is not None:
                consumed = len(chunk) - len(self.inflater.unconsumed_tail) - len(self.inflater.unused_data)
                self.on_raw(chunk[:consumed])
            parts.append(out)
            have += len(out)
        self.buffer = b"".join(parts)

    def read(self, count: int = -1) -> bytes:
        if len(self.buffer) - self.position < max(count, 1) or count < 0:
            self.buffer = self.buffer[self.position :]
            self.position = 0
            self._fill(count if count >= 0 else 1 << 62)
        if count < 0:
            count = len(self.buffer) - self.position
        data = self.buffer[self.position : self.position + count]
        self.position += len(data)
        return data

    def drain(self) -> None:
        """Inflate and discard everything left, so that every raw byte is seen (and hashed)."""
        while self.read(_CHUNK):
            pass


PARALLEL_CHUNK = 1 << 20  # independent deflate blocks of this size, chained by a 32 KiB dictionary


def gzip_member(data: bytes, level: int = 9) -> bytes:
    """One reproducible gzip member (no file name, zero mtime), as abuild's `gzip -n -9`.

    Large inputs are deflated in 1 MiB pieces on all cores, the way pigz does it: each
    piece is primed with the previous piece's last 32 KiB and ends on a sync flush, so
    the pieces concatenate into one valid stream. The chunking does not depend on the
    number of cores, so the bytes are the same on every machine.
    """
    if len(data) <= PARALLEL_CHUNK:
        compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
        return compressor.compress(data) + compressor.flush()
    import concurrent.futures
    import os
    import struct

    view = memoryview(data)
    starts = range(0, len(data), PARALLEL_CHUNK)
    last = starts[-1]

    def deflate(start: int) -> bytes:
        primer = bytes(view[max(0, start - 32768) : start]) if start else None
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, **({"zdict": primer} if primer else {}))
        body = compressor.compress(view[start : start + PARALLEL_CHUNK])
        return body + compressor.flush(zlib.Z_FINISH if start == last else zlib.Z_SYNC_FLUSH)

    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        pieces = list(pool.map(deflate, starts))
    extra_flags = 2 if level == 9 else 4 if level == 1 else 0
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + bytes([extra_flags, 3])
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + b"".join(pieces) + trailer
