"""What tar and cpio share: the archive byte source, listings, and extraction to disk.

Extraction follows BusyBox's data_extract_all: names lose any leading '/' and everything up
to a '../'; symlinks that point outside the tree (absolute or with '..') and hard links are
created only after every member is out, so nothing is ever written through them.
Directory modes and times are applied last too (as GNU tar does), so a read-only or
freshly filled directory keeps what the archive says.
"""

import os
import stat

from applets import _archival
from applets.common import Fail, warn

S_IFMT = 0o170000
S_IFREG = stat.S_IFREG
S_IFDIR = stat.S_IFDIR
S_IFLNK = stat.S_IFLNK

PRINTABLE_ASCII = bytes(range(0x20, 0x7F))

# Owner and time updates are best effort, as in BusyBox; an archive's out-of-range
# numbers surface as OverflowError/ValueError rather than OSError.
BEST_EFFORT_ERRORS = (OSError, OverflowError, ValueError)


report = warn  # a non-fatal error, after whatever listing is pending


def text(name: bytes) -> str:
    """A name for messages: bytes in, bytes out (surrogate-escaped in between)."""
    return os.fsdecode(name)


class Entry:
    """One archive member: name and link as bytes, mode including the file type."""

    __slots__ = ("name", "mode", "uid", "gid", "uname", "gname", "size", "mtime", "link", "major", "minor")

    def __init__(self, name, mode, uid, gid, size, mtime, link=None, uname=None, gname=None, major=0, minor=0):
        self.name = name
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.mtime = mtime
        self.link = link
        self.uname = uname
        self.gname = gname
        self.major = major
        self.minor = minor


class Source:
    """The archive stream in large chunks, handed out in exact sizes.

    `chunks` may be a decoder; its Corrupt errors are reported and end the stream (as the
    end of BusyBox's decompressor child does) with `failed` set. A plain regular file skips
    member data with lseek.
    """

    def __init__(self, fd: int, chunks=None):
        self.fd = fd
        self.chunks = chunks if chunks is not None else _archival.read_chunks(fd)
        self.buf = b""
        self.pos = 0
        self.offset = 0
        self.failed = False
        self.file_size = None
        self.file_pos = 0
        if chunks is None:
            try:
                info = os.fstat(fd)
                if stat.S_ISREG(info.st_mode):
                    self.file_size = info.st_size
                    self.file_pos = os.lseek(fd, 0, os.SEEK_CUR)
            except OSError:
                pass

    def decode_with(self, decoder, replay: bytes = b"") -> None:
        """From here on, read through `decoder`: `replay` (bytes already read, now counted as
        unread) and whatever is buffered are its first input."""
        pending = replay + self.buf[self.pos :]
        self.chunks = decoder(_archival.chain(pending, self.chunks))
        self.buf = b""
        self.pos = 0
        self.offset -= len(replay)
        self.file_size = None

    def _fill(self) -> bool:
        if self.failed:
            return False
        try:
            data = next(self.chunks, b"")
        except _archival.Corrupt as exc:
            report(exc.message)
            self.failed = True
            data = b""
        except OSError as exc:
            raise Fail(f"read error: {exc.strerror}") from None
        if self.file_size is not None:
            self.file_pos += len(data)
        self.buf = data
        self.pos = 0
        return bool(data)

    def read(self, count: int) -> bytes:
        """`count` bytes, or fewer at the end of the archive."""
        pos = self.pos
        end = pos + count
        if end <= len(self.buf):
            self.pos = end
            self.offset += count
            return self.buf[pos:end]
        pieces = [self.buf[pos:]]
        got = len(pieces[0])
        while got < count and self._fill():
            take = min(count - got, len(self.buf))
            pieces.append(self.buf[:take])
            self.pos = take
            got += take
        if got == len(pieces[0]):
            self.buf = b""
            self.pos = 0
        self.offset += got
        return b"".join(pieces)

    def skip(self, count: int) -> bool:
        """Pass over `count` bytes; False if the archive ends first."""
        available = len(self.buf) - self.pos
        if count <= available:
            self.pos += count
            self.offset += count
            return True
        if self.file_size is not None:
            target = self.file_pos + count - available
            if target > self.file_size:
                return False
            os.lseek(self.fd, target, os.SEEK_SET)
            self.file_pos = target
            self.buf = b""
            self.pos = 0
            self.offset += count
            return True
        count -= available
        self.offset += available
        while count:
            if not self._fill():
                return False
            take = min(count, len(self.buf))
            self.pos = take
            self.offset += take
            count -= take
        return True

    def copy_to(self, fd: int, count: int) -> bool:
        """Write the next `count` bytes to fd; False if the archive ends first."""
        write_all = _archival.write_all
        while count:
            if self.pos == len(self.buf) and not self._fill():
                return False
            pos = self.pos
            take = min(count, len(self.buf) - pos)
            try:
                if pos == 0 and take == len(self.buf):
                    write_all(fd, self.buf)
                else:
                    write_all(fd, memoryview(self.buf)[pos : pos + take])
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                raise Fail(f"write error: {exc.strerror}") from None
            self.pos = pos + take
            self.offset += take
            count -= take
        return True

    def drain(self) -> None:
        """Read to the end, so a pipe's writer (or a decoder's trailer check) finishes."""
        if self.file_size is not None:
            return
        while self._fill():
            pass


_warned_unsafe = False


def strip_unsafe_prefix(name: bytes) -> bytes:
    """Drop leading '/' and everything up to the last '../' component; say so once."""
    global _warned_unsafe
    start = 0
    size = len(name)
    while True:
        if name.startswith(b"/", start):
            start += 1
            continue
        if name.startswith(b"../", start):
            start += 3
            continue
        found = name.find(b"/..", start)
        while found >= 0:
            after = found + 3
            if after == size:
                return b""
            if name[after] == 0x2F:
                break
            found = name.find(b"/..", after)
        if found < 0:
            break
        start = after + 1
    if start:
        if not _warned_unsafe:
            _warned_unsafe = True
            report(f"removing leading '{text(name[:start])}' from member names")
        return name[start:]
    return name


def printable(name: bytes) -> bytes:
    """Control characters and broken UTF-8 become '?', as BusyBox's printable_string."""
    if not name.translate(None, PRINTABLE_ASCII):
        return name
    decoded = name.decode("utf-8", "surrogateescape")
    cleaned = "".join("?" if ch < " " or "\x7f" <= ch <= "\x9f" or "\udc80" <= ch <= "\udcff" else ch for ch in decoded)
    return cleaned.encode("utf-8")


def mode_string(mode: int) -> str:
    """`ls -l` style type and permission letters."""
    kind = {stat.S_IFDIR: "d", stat.S_IFLNK: "l", stat.S_IFCHR: "c", stat.S_IFBLK: "b", stat.S_IFIFO: "p", stat.S_IFSOCK: "s"}.get(mode & S_IFMT, "-")
    letters = [kind]
    for shift, special, mark in ((6, 0o4000, "s"), (3, 0o2000, "s"), (0, 0o1000, "t")):
        bits = mode >> shift
        letters.append("r" if bits & 4 else "-")
        letters.append("w" if bits & 2 else "-")
        if mode & special:
            letters.append(mark if bits & 1 else mark.upper())
        else:
            letters.append("x" if bits & 1 else "-")
    return "".join(letters)


def verbose_line(entry: Entry) -> bytes:
    """BusyBox's header_verbose_list: mode owner/group size date time name [-> link]."""
    import time

    try:
        when = time.localtime(entry.mtime)
    except BEST_EFFORT_ERRORS:
        when = time.localtime(0)
    user = entry.uname if entry.uname is not None else b"%d" % entry.uid
    group = entry.gname if entry.gname is not None else b"%d" % entry.gid
    line = b"%s %s/%s %9d %04d-%02d-%02d %02d:%02d:%02d %s" % (
        mode_string(entry.mode).encode(),
        user,
        group,
        entry.size,
        when.tm_year,
        when.tm_mon,
        when.tm_mday,
        when.tm_hour,
        when.tm_min,
        when.tm_sec,
        printable(entry.name),
    )
    if entry.link is not None:
        line += b" -> " + printable(entry.link)
    return line + b"\n"


def glob_matcher(pattern: bytes, pathname: bool = False, leading_dir: bool = False):
    """fnmatch(3) as a compiled matcher: flags 0, or FNM_PATHNAME|FNM_LEADING_DIR."""
    import re

    any_char = b"[^/]" if pathname else b"."
    out = []
    i = 0
    size = len(pattern)
    while i < size:
        char = pattern[i : i + 1]
        i += 1
        if char == b"*":
            out.append(any_char + b"*")
        elif char == b"?":
            out.append(any_char)
        elif char == b"\\" and i < size:
            out.append(re.escape(pattern[i : i + 1]))
            i += 1
        elif char == b"[":
            end = i
            if end < size and pattern[end : end + 1] in (b"!", b"^"):
                end += 1
            if end < size and pattern[end : end + 1] == b"]":
                end += 1
            end = pattern.find(b"]", end)
            if end < 0:
                out.append(b"\\[")
                continue
            body = pattern[i:end]
            i = end + 1
            negate = body[:1] in (b"!", b"^")
            if negate:
                body = body[1:]
            body = b"".join(piece if piece == b"-" else re.escape(piece) for piece in (body[k : k + 1] for k in range(len(body))))
            if negate:
                out.append(b"[^" + (b"/" if pathname else b"") + body + b"]")
            elif pathname:
                out.append(b"(?!/)[" + body + b"]")
            else:
                out.append(b"[" + body + b"]")
        else:
            out.append(re.escape(char))
    tail = b"(?:/.*)?" if leading_dir else b""
    return re.compile(b"".join(out) + tail + b"\\Z", re.DOTALL).match


class Extractor:
    """Creates archive members on disk (BusyBox's data_extract_all and its link lists).

    `source` supplies member data (copy_to/skip). Options: unlink_old removes what is in
    the way, truncate opens existing files in place (--overwrite), newer_only keeps files
    at least as new as the member (cpio), make_parents creates leading directories.
    """

    def __init__(self, source, *, unlink_old=True, truncate=False, newer_only=False, make_parents=True, restore_owner=True, numeric_owner=False, restore_perm=True, restore_date=True, strip_components=0):
        self.source = source
        self.unlink_old = unlink_old
        self.truncate = truncate
        self.newer_only = newer_only
        self.make_parents = make_parents
        self.restore_owner = restore_owner
        self.numeric_owner = numeric_owner
        self.restore_perm = restore_perm
        self.restore_date = restore_date
        self.strip_components = strip_components
        self.links = []
        self.dirs = []
        self.known_dirs = set()
        self.users = {}
        self.groups = {}
        self.umask = os.umask(0)
        os.umask(self.umask)

    def extract(self, entry: Entry) -> None:
        name = entry.name
        kind = entry.mode & S_IFMT
        hard_link = entry.link if kind == S_IFREG and entry.size == 0 else None
        if self.strip_components:
            name, hard_link = self._strip(name, hard_link)
            if name is None:
                self.source.skip(entry.size)
                return
        if self.make_parents:
            self._make_parents(name)
        if self.unlink_old:
            if kind != S_IFDIR:
                if hard_link is not None and hard_link == name:
                    return
                if kind != S_IFREG or hard_link is not None:
                    self._unlink(name)
        elif self.newer_only and not self._older_on_disk(name, entry, kind):
            self.source.skip(entry.size)
            return
        if hard_link is not None:
            self.links.append((True, name, hard_link))
            return
        if kind == S_IFREG:
            self._regular(name, entry)
        elif kind == S_IFDIR:
            self._directory(name, entry)
        elif kind == S_IFLNK:
            self._symlink(name, entry.link or b"")
        elif kind in (stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK):
            self._node(name, entry)
        else:
            raise Fail("unrecognized file type")

    def finish(self) -> None:
        """Create the deferred links, then give directories their final mode and times."""
        try:
            for hard, name, target in self.links:
                try:
                    if hard:
                        os.link(target, name, follow_symlinks=False)
                    else:
                        os.symlink(target, name)
                except OSError:
                    kind = "hard" if hard else "sym"
                    raise Fail(f"can't create {kind}link '{text(name)}' to '{text(target)}'") from None
        finally:
            self.settle_directories()

    def settle_directories(self) -> None:
        """Directory modes and times, deepest first (also after a fatal error, like GNU tar)."""
        for name, mode, mtime in reversed(self.dirs):
            try:
                if self.restore_perm:
                    os.chmod(name, mode)
                if self.restore_date:
                    os.utime(name, (mtime, mtime))
            except BEST_EFFORT_ERRORS:
                pass
        self.dirs.clear()

    def _strip(self, name: bytes, hard_link):
        """--strip-components: None when the member has no name left."""
        for _ in range(self.strip_components):
            cut = name.find(b"/")
            if cut < 0 or cut == len(name) - 1:
                return None, None
            name = name[cut + 1 :]
            if hard_link is not None:
                cut = hard_link.find(b"/")
                if cut < 0 or cut == len(hard_link) - 1:
                    return None, None
                hard_link = hard_link[cut + 1 :]
        return name, hard_link

    def _make_parents(self, name: bytes) -> None:
        parent = name.rpartition(b"/")[0]
        if not parent or parent in self.known_dirs:
            return
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as exc:
            report(f"can't create directory '{text(parent)}': {exc.strerror}")
            return
        self.known_dirs.add(parent)

    def _unlink(self, name: bytes) -> None:
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise Fail(f"can't remove old file {text(name)}: {exc.strerror}") from None

    def _older_on_disk(self, name: bytes, entry: Entry, kind: int) -> bool:
        """cpio without -u: True if the member may replace what is there (removed now)."""
        try:
            existing = os.lstat(name)
        except FileNotFoundError:
            return True
        except OSError as exc:
            raise Fail(f"can't stat old file: {exc.strerror}") from None
        if existing.st_mtime >= entry.mtime:
            if kind != S_IFDIR:
                report(f"{text(name)} not created: newer or same age file exists")
            return False
        try:
            os.unlink(name)
        except IsADirectoryError:
            pass
        except OSError as exc:
            raise Fail(f"can't remove old file {text(name)}: {exc.strerror}") from None
        return True

    def _owner(self, entry: Entry):
        uid, gid = entry.uid, entry.gid
        if not self.numeric_owner:
            if entry.uname:
                found = self.users.get(entry.uname, self)
                if found is self:
                    found = self.users[entry.uname] = _lookup_user(entry.uname)
                if found is not None:
                    uid = found
            if entry.gname:
                found = self.groups.get(entry.gname, self)
                if found is self:
                    found = self.groups[entry.gname] = _lookup_group(entry.gname)
                if found is not None:
                    gid = found
        return uid, gid

    def _regular(self, name: bytes, entry: Entry) -> None:
        perm = entry.mode & 0o7777
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if self.truncate else os.O_EXCL)
        try:
            fd = os.open(name, flags, perm)
        except FileExistsError:
            if not self.unlink_old:
                raise Fail(f"can't open '{text(name)}': File exists") from None
            self._unlink(name)
            fd = self._open(name, flags, perm)
        except OSError as exc:
            raise Fail(f"can't open '{text(name)}': {exc.strerror}") from None
        try:
            if entry.size and not self.source.copy_to(fd, entry.size):
                raise Fail("short read")
            if self.restore_owner:
                try:
                    os.fchown(fd, *self._owner(entry))
                except BEST_EFFORT_ERRORS:
                    pass
            if self.restore_perm and (self.truncate or perm & 0o7000 or perm & self.umask):
                os.fchmod(fd, perm)
            if self.restore_date:
                try:
                    os.utime(fd, (entry.mtime, entry.mtime))
                except BEST_EFFORT_ERRORS:
                    pass
        finally:
            os.close(fd)

    @staticmethod
    def _open(name: bytes, flags: int, perm: int) -> int:
        try:
            return os.open(name, flags, perm)
        except OSError as exc:
            raise Fail(f"can't open '{text(name)}': {exc.strerror}") from None

    def _directory(self, name: bytes, entry: Entry) -> None:
        try:
            os.mkdir(name, 0o700 | entry.mode & 0o7777)
        except FileExistsError:
            pass
        except OSError as exc:
            report(f"can't make dir {text(name)}: {exc.strerror}")
        self.known_dirs.add(name)
        if self.restore_owner:
            try:
                os.chown(name, *self._owner(entry))
            except BEST_EFFORT_ERRORS:
                pass
        self.dirs.append((name, entry.mode & 0o7777, entry.mtime))

    def _symlink(self, name: bytes, target: bytes) -> None:
        if target.startswith(b"/") or b".." in target:
            self.links.append((False, name, target))
            return
        try:
            os.symlink(target, name)
        except OSError as exc:
            raise Fail(f"can't create symlink '{text(name)}' to '{text(target)}': {exc.strerror}") from None

    def _node(self, name: bytes, entry: Entry) -> None:
        try:
            os.mknod(name, entry.mode, os.makedev(entry.major, entry.minor))
        except OSError as exc:
            report(f"can't create node {text(name)}: {exc.strerror}")
        except (OverflowError, ValueError):
            report(f"can't create node {text(name)}: Invalid argument")
        self._set_metadata(name, entry)

    def _set_metadata(self, name: bytes, entry: Entry) -> None:
        try:
            if self.restore_owner:
                os.chown(name, *self._owner(entry))
        except BEST_EFFORT_ERRORS:
            pass
        try:
            if self.restore_perm:
                os.chmod(name, entry.mode & 0o7777)
            if self.restore_date:
                os.utime(name, (entry.mtime, entry.mtime))
        except BEST_EFFORT_ERRORS:
            pass


def _lookup_user(name: bytes):
    """The uid of a user name on this system, or None."""
    import pwd

    try:
        return pwd.getpwnam(os.fsdecode(name)).pw_uid
    except (KeyError, ValueError):
        return None


def _lookup_group(name: bytes):
    """The gid of a group name on this system, or None."""
    import grp

    try:
        return grp.getgrnam(os.fsdecode(name)).gr_gid
    except (KeyError, ValueError):
        return None
