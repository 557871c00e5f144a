"""Parsed repository indexes kept between runs, so that opening a database skips parsing.

What a database takes from an index (database.IndexTables) depends on the index's bytes
alone, so it is stored under a hash of those bytes: in DIR/pk-index with --cache-dir
DIR, else in the user's cache directory ($XDG_CACHE_HOME/pk/index or ~/.cache/pk/index),
never in the root (whose cache directory apk's `cache clean` manages). Only the parsing
is skipped: the caller still verifies the index's signature on every run.

A cache file is used only when it checks out: it is the user's own and nobody else can
write it; its header names this format, this Python and the index's hash; its payload
has the recorded length and CRC and unpacks to the tables' shape. Anything else is
ignored and the index parsed again. Files are written under a temporary name and renamed
into place, only in a directory of the user's own (`sudo pk` leaves nothing in the
invoking user's home), and the least recently used ones go when the directory outgrows
its bound.
"""

from __future__ import annotations

import _blake2
import marshal
import mmap
import os
import sys
import time
import zlib

from apk_py import database

FORMAT = 2
# Smaller indexes parse in about the time a cache file takes to load.
MIN_INDEX_BYTES = 32 << 10
MAX_TOTAL_BYTES = 64 << 20
SUFFIX = ".tables"
_MAGIC = "pk-index-tables"
_STALE_TEMPORARY_SECONDS = 3600


class IndexCache:
    """The parsed-index cache in one directory."""

    def __init__(self, directory: str):
        self.directory = directory

    @classmethod
    def for_context(cls, ctx) -> IndexCache | None:
        """The cache for a run: under --cache-dir, else the user's cache directory (None without one)."""
        if ctx.cache_dir:
            return cls(os.path.join(ctx.cache_dir, "pk-index"))
        base = os.environ.get("XDG_CACHE_HOME")
        if not base or not os.path.isabs(base):
            home = os.path.expanduser("~")
            if not os.path.isabs(home):
                return None
            base = os.path.join(home, ".cache")
        return cls(os.path.join(base, "pk", "index"))

    def load(self, data: bytes) -> tuple[str, database.IndexTables] | None:
        """(description, tables) stored for the index `data`, or None when there are none to trust."""
        if len(data) < MIN_INDEX_BYTES:
            return None
        key = content_key(data)
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                status = os.fstat(handle.fileno())
                if status.st_uid != os.geteuid() or status.st_mode & 0o022:
                    return None
                # Mapped rather than read: unpacking copies what it keeps anyway.
                blob = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
            return None
        with blob:
            stored = _unpacked(blob, key)
        if stored is not None:
            try:
                os.utime(path)  # the least recently used files are the first to go
            except OSError:
                pass
        return stored

    def store(self, data: bytes, description: str, tables: database.IndexTables) -> None:
        """Keep the description and tables of the index `data` (quietly nothing when the directory is unusable)."""
        if len(data) < MIN_INDEX_BYTES or not _owned(self.directory):
            return
        payload = marshal.dumps((description, tables.values()))
        if len(payload) > MAX_TOTAL_BYTES // 4:
            return
        key = content_key(data)
        path = self._path(key)
        temporary = os.path.join(self.directory, f".{key}.{os.getpid()}.tmp")
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except OSError:
            return
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(_header(key, payload))
                out.write(payload)
            os.replace(temporary, path)
        except OSError:
            _remove(temporary)
            return
        self._prune(path)

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key + SUFFIX)

    def _prune(self, keep: str) -> None:
        """Remove the least recently used files past MAX_TOTAL_BYTES, and stale temporary files."""
        entries = []
        now = time.time()
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for name in names:
            path = os.path.join(self.directory, name)
            try:
                status = os.lstat(path)
            except OSError:
                continue
            if name.endswith(".tmp") and now - status.st_mtime > _STALE_TEMPORARY_SECONDS:
                _remove(path)
            elif name.endswith(SUFFIX):
                entries.append((status.st_mtime, status.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= MAX_TOTAL_BYTES:
                break
            if path != keep:
                _remove(path)
                total -= size


def content_key(data: bytes) -> str:
    """The hash an index's tables are stored under (CPython's own BLAKE2: no OpenSSL to load)."""
    return _blake2.blake2b(data, digest_size=20).hexdigest()


def _header(key: str, payload: bytes) -> bytes:
    return f"{_MAGIC} {FORMAT} {sys.implementation.cache_tag} {key} {len(payload)} {zlib.crc32(payload)}\n".encode()


def _unpacked(blob, key: str) -> tuple[str, database.IndexTables] | None:
    """(description, tables) in a cache file's bytes, when everything about them checks out."""
    end = blob.find(b"\n", 0, 256)
    if end < 0:
        return None
    with memoryview(blob) as view, view[end + 1 :] as payload:
        if blob[: end + 1] != _header(key, payload):
            return None
        try:
            stored = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None
    if type(stored) is not tuple or len(stored) != 2 or type(stored[0]) is not str:
        return None
    tables = _tables(stored[1])
    return None if tables is None else (stored[0], tables)


def _tables(values) -> database.IndexTables | None:
    """IndexTables from unpacked values of the right shape, else None."""
    if type(values) is not tuple or len(values) != 8:
        return None
    packages, providers, dependents, rinstall_if, buckets, unprovided, broken_fields, compat = values
    if not (type(packages) is dict and type(providers) is dict and type(dependents) is dict
            and type(rinstall_if) is dict and type(buckets) is dict and type(unprovided) is tuple
            and type(broken_fields) is frozenset and type(compat) is tuple and len(compat) == 3):
        return None
    rows = packages.values()
    if (set(map(type, rows)) - {tuple} or set(map(len, rows)) - {5} or set(map(type, packages)) - {bytes}
            or set(map(type, buckets.values())) - {int}
            or any(set(map(type, table.values())) - {tuple} for table in (providers, dependents, rinstall_if))):
        return None
    return database.IndexTables(*values)


def _owned(path: str) -> bool:
    """Is the nearest existing directory on the way to `path` the user's own?"""
    while True:
        try:
            return os.stat(path).st_uid == os.geteuid()
        except FileNotFoundError:
            parent = os.path.dirname(path)
            if parent == path:
                return False
            path = parent
        except OSError:
            return False


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
