"""tar: create, extract or list tar archives, as BusyBox's tar does.

The reader and writer are hand-written rather than built on tarfile: tarfile costs several
times more per member (10,000-file trees are the common case) and cannot reproduce
BusyBox's messages. Headers are parsed and built on whole 512-byte blocks, archive I/O
goes through megabyte buffers, and member data is copied with memoryview slices.

Reading understands ustar, old GNU, GNU long names/links (././@LongLink) and pax headers
(path, linkpath, size, mtime, uid, gid, uname, gname; other keys are ignored).
Compressed archives (gzip, bzip2, xz; several gzip members back to back, as in Alpine
.apk packages) are recognised by their magic. Writing produces BusyBox's (and GNU tar's
default) old GNU format, compressed in-process for -z/-j/-J/-a.
"""

import os
import stat
import struct

from applets import _archival
from applets._unarchive import Entry, Extractor, Source, glob_matcher, printable, report, strip_unsafe_prefix, verbose_line
from applets.common import Fail, UsageError, getopt, parse_number, stdout, write_err

USAGE = """tar c|x|t [-zJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...

Create, extract, or list files from a tar file

\tc\tCreate
\tx\tExtract
\tt\tList
\t-f FILE\tName of TARFILE ('-' for stdin/out)
\t-C DIR\tChange to DIR before operation
\t-v\tVerbose
\t-O\tExtract to stdout
\t-m\tDon't restore mtime
\t-o\tDon't restore user:group
\t-k\tDon't replace existing files
\t-z\t(De)compress using gzip
\t-J\t(De)compress using xz
\t-j\t(De)compress using bzip2
\t-a\t(De)compress based on extension
\t-h\tFollow symlinks
\t-T FILE\tFile with names to include
\t-X FILE\tFile with glob patterns to exclude
\t--exclude PATTERN\tGlob pattern to exclude
\t--overwrite\t\tReplace existing files
\t--strip-components NUM\tNUM of leading components to strip
\t--no-recursion\t\tDon't descend in directories
\t--numeric-owner\t\tUse numeric user:group
\t--owner NAME\t\tStore NAME as the owner (create)
\t--group NAME\t\tStore NAME as the group (create)
\t--no-same-permissions\tDon't restore access permissions
\t--to-command COMMAND\tPipe files to COMMAND"""

SHORT_OPTIONS = "txC:f:OopvkchjT:X:zJam"
LONG_OPTIONS = {
    "list": "-t",
    "extract": "-x",
    "directory=": "-C",
    "file=": "-f",
    "to-stdout": "-O",
    "no-same-owner": "-o",
    "same-permissions": "-p",
    "verbose": "-v",
    "keep-old": "-k",
    "create": "-c",
    "dereference": "-h",
    "bzip2": "-j",
    "files-from=": "-T",
    "exclude-from=": "-X",
    "gzip": "-z",
    "xz": "-J",
    "auto-compress": "-a",
    "touch": "-m",
    "strip-components=": "--strip-components",
    "no-recursion": "--no-recursion",
    "to-command=": "--to-command",
    "numeric-owner": "--numeric-owner",
    "no-same-permissions": "--no-same-permissions",
    "overwrite": "--overwrite",
    "exclude=": "--exclude",
    "owner=": "--owner",
    "group=": "--group",
}

BLOCK = 512
ZERO_BLOCKS = bytes(2 * BLOCK)
NO_DEVICE = bytes(16)
PADDING = [bytes(BLOCK - used) for used in range(BLOCK)]
FLUSH_AT = 1 << 20
SKIP = "skip"

# name mode uid gid size mtime chksum typeflag linkname (magic version) uname gname major minor prefix
HEADER = struct.Struct("100s8s8s8s12s12s8sB100s8x32s32s8s8s155s12x")

TYPE_MODES = {
    0x30: stat.S_IFREG,
    0x37: stat.S_IFREG,
    0x31: stat.S_IFREG,
    0x32: stat.S_IFLNK,
    0x33: stat.S_IFCHR,
    0x34: stat.S_IFBLK,
    0x35: stat.S_IFDIR,
    0x36: stat.S_IFIFO,
}


def _number(field: bytes) -> int:
    """A numeric header field: octal (spaces allowed) or GNU base-256."""
    try:
        value = int(field.partition(b"\0")[0], 8)
    except ValueError:
        return _unusual_number(field)
    if value < 0:
        raise Fail("corrupted octal value in tar header")
    return value


def _unusual_number(field: bytes) -> int:
    """What int() refuses: empty fields, text after a space, base-256, or garbage."""
    first = field[0]
    if first & 0x80:
        value = int.from_bytes(bytes((first & 0x7F,)) + field[1:], "big")
        if first & 0x40:
            value -= 1 << (8 * len(field) - 1)
        return value
    digits = field.partition(b"\0")[0].lstrip(b" \t\n\v\f\r").split(b" ", 1)[0]
    if not digits:
        return 0
    if digits.strip(b"01234567"):
        raise Fail("corrupted octal value in tar header")
    return int(digits, 8)


def _octal(value: int, width: int) -> bytes:
    """A numeric field as BusyBox writes it; base-256 (as GNU tar) when octal can't hold it."""
    if value < 8 ** (width - 1):
        return b"%0*o\0" % (width - 1, value)
    if value < 8**width:
        return b"%0*o" % (width, value)
    encoded = bytearray(value.to_bytes(width, "big"))
    encoded[0] |= 0x80
    return bytes(encoded)


# ---------------------------------------------------------------- reading


class _Reader:
    """Walks the headers of an archive (BusyBox's get_header_tar)."""

    def __init__(self, source):
        self.source = source
        self.detected = False
        self.zero_seen = False
        self.saw_header = False
        self.global_pax = {}

    def _read_block(self) -> bytes:
        block = self.source.read(BLOCK)
        if len(block) == BLOCK:
            return block
        if block and self._at_start(block) and self._detect(block):
            return self._read_block()
        if block:
            raise Fail("short read")
        return block

    def _at_start(self, block: bytes) -> bool:
        return not self.detected and self.source.offset == len(block)

    def _detect(self, block: bytes) -> bool:
        """Switch to decompressing if the archive's first bytes are a compressor's magic."""
        decoder = _archival.sniff(block)
        if decoder is None:
            return False
        self.detected = True
        self.source.decode_with(decoder, replay=block)
        return True

    def _read_data(self, size: int) -> bytes:
        padded = (size + BLOCK - 1) & ~(BLOCK - 1)
        data = self.source.read(padded)
        if len(data) != padded:
            raise Fail("short read")
        return data[:size]

    def next(self):
        """The next member as an Entry (name keeps a directory's '/'), or None at the end."""
        long_name = long_link = None
        pax = dict(self.global_pax)
        while True:
            block = self._read_block()
            if not block:
                if self.source.offset == 0:
                    report("short read")
                return None
            if block[0] == 0 and block[345] == 0 and long_name is None and "path" not in pax:
                if self.zero_seen:
                    self.source.drain()
                    return None
                self.zero_seen = True
                self.saw_header = True
                continue
            self.zero_seen = False
            magic = block[257:262]
            if magic != b"ustar" and magic != b"\0\0\0\0\0":
                if self._at_start(block) and self._detect(block):
                    continue
                raise Fail("invalid tar magic")
            (name_field, mode_field, uid_field, gid_field, size_field, mtime_field, sum_field, typeflag, link_field, user_field, group_field, major_field, minor_field, prefix_field) = HEADER.unpack_from(block)
            self._check_sum(block, sum_field)
            self.saw_header = True
            typeflag = typeflag or 0x30
            size = _number(size_field)
            if size < 0:
                raise Fail("corrupted octal value in tar header")
            if typeflag in (0x78, 0x67):
                if size > 0xFFFFF:
                    self._skip_unknown(typeflag, size)
                    continue
                records = self._pax_records(self._read_data(size))
                if typeflag == 0x67:
                    records.pop("path", None)
                    records.pop("linkpath", None)
                    self.global_pax.update(records)
                pax.update(records)
                continue
            if typeflag in (0x4C, 0x4B):
                if size > 0xFFF:
                    raise Fail("bad archive")
                value = self._read_data(size).partition(b"\0")[0]
                if typeflag == 0x4C:
                    long_name = value
                else:
                    long_link = value
                continue
            if typeflag == 0x56:
                self._skip_unknown(typeflag, size)
                continue
            kind = TYPE_MODES.get(typeflag)
            if kind is None:
                raise Fail(f"unknown typeflag: 0x{typeflag:x}")
            name = long_name if long_name is not None else pax.get("path")
            if name is None:
                name = name_field.partition(b"\0")[0]
                if block[345] and block[257:265] != b"ustar  \0":
                    prefix = prefix_field.partition(b"\0")[0]
                    name = prefix + (b"" if prefix.endswith(b"/") else b"/") + name.lstrip(b"/")
            link = long_link if long_link is not None else pax.get("linkpath")
            if link is None and block[157]:
                link = link_field.partition(b"\0")[0]
            if "size" in pax:
                size = max(pax["size"], 0)
            if kind == stat.S_IFREG and typeflag != 0x31:
                if name.endswith(b"/"):
                    kind = stat.S_IFDIR
                    size = 0
            else:
                size = 0
            major = minor = 0
            if block[329]:
                major = _number(major_field)
                minor = _number(minor_field)
            if pax:
                uname = pax.get("uname", user_field.partition(b"\0")[0]) or None
                gname = pax.get("gname", group_field.partition(b"\0")[0]) or None
                uid = pax["uid"] if "uid" in pax else _number(uid_field)
                gid = pax["gid"] if "gid" in pax else _number(gid_field)
                mtime = pax["mtime"] if "mtime" in pax else _number(mtime_field)
            else:
                uname = user_field.partition(b"\0")[0] or None
                gname = group_field.partition(b"\0")[0] or None
                uid = _number(uid_field)
                gid = _number(gid_field)
                mtime = _number(mtime_field)
            entry = Entry(strip_unsafe_prefix(name), kind | (_number(mode_field) & 0o7777), uid, gid, size, mtime, link, uname, gname, major, minor)
            if typeflag == 0x31 and link is not None:
                entry.link = strip_unsafe_prefix(link)
            return entry

    @staticmethod
    def _check_sum(block: bytes, field: bytes) -> None:
        stored = _number(field)
        unsigned = sum(block) - sum(field) + 8 * 32
        if stored == unsigned:
            return
        high = sum(1 for byte in block[:148] + block[156:] if byte & 0x80)
        if stored != unsigned - 256 * high:
            raise Fail("invalid tar header checksum")

    def _skip_unknown(self, typeflag: int, size: int) -> None:
        report(f"warning: skipping header '{chr(typeflag)}'")
        if not self.source.skip((size + BLOCK - 1) & ~(BLOCK - 1)):
            raise Fail("short read")

    @staticmethod
    def _pax_records(data: bytes) -> dict:
        """The keys of a pax extended header that matter here ("LEN key=value\\n" records)."""
        records = {}
        pos = 0
        while pos < len(data):
            space = data.find(b" ", pos)
            length_text = data[pos:space] if space > pos else b""
            length = int(length_text) if length_text.isdigit() else 0
            if length <= 0 or pos + length > len(data):
                report("malformed extended header, skipped")
                break
            key, _, value = data[space + 1 : pos + length - 1].partition(b"=")
            pos += length
            try:
                if key in (b"path", b"linkpath", b"uname", b"gname"):
                    records[key.decode()] = value
                elif key in (b"size", b"uid", b"gid"):
                    records[key.decode()] = int(value)
                elif key == b"mtime":
                    records["mtime"] = int(value.partition(b".")[0] or b"0")
            except ValueError:
                continue
        return records


class _Names:
    """Include (-T, operands) and exclude (-X, --exclude) lists, matched as BusyBox does."""

    def __init__(self, include: list, exclude: list):
        self.include = include
        self.exclude = exclude
        self.include_matchers = [(pattern.count(b"/"), glob_matcher(pattern)) for pattern in include]
        self.exclude_matchers = [(pattern.count(b"/"), glob_matcher(pattern)) for pattern in exclude]
        self.passed = set()

    @staticmethod
    def _find(matchers, name: bytes) -> bool:
        """find_list_entry2: a pattern sees only as many components as it has itself."""
        for slashes, match in matchers:
            head = b"/".join(name.split(b"/", slashes + 1)[: slashes + 1])
            if match(head):
                return True
        return False

    def accepts(self, name: bytes) -> bool:
        if self._find(self.exclude_matchers, name):
            return False
        return not self.include_matchers or self._find(self.include_matchers, name)

    def missing(self):
        """Include entries that matched nothing in the archive (and are not excluded)."""
        wildcard_names = [glob_matcher(name) for name in self.passed if b"*" in name or b"?" in name or b"[" in name]
        excluded = [glob_matcher(pattern) for pattern in self.exclude]
        for wanted in self.include:
            if wanted in self.passed or any(match(wanted) for match in excluded):
                continue
            if not any(match(wanted) for match in wildcard_names):
                yield wanted


def _read_list(path: str) -> list:
    """Names from a -T/-X file, one a line, without a trailing '/'."""
    try:
        if path == "-":
            data = _read_fd(0)
        else:
            fd = os.open(path, os.O_RDONLY)
            try:
                data = _read_fd(fd)
            finally:
                os.close(fd)
    except OSError as exc:
        raise Fail(f"can't open '{path}': {exc.strerror}") from None
    names = []
    for line in data.split(b"\n"):
        if line.endswith(b"/") and len(line) > 1:
            line = line[:-1]
        names.append(line)
    if names and names[-1] == b"":
        names.pop()
    return names


def _read_fd(fd: int) -> bytes:
    pieces = []
    while chunk := os.read(fd, 1 << 16):
        pieces.append(chunk)
    return b"".join(pieces)


def _run_command(command: str, entry, source) -> None:
    """--to-command: feed one regular file to `sh -c COMMAND` with the TAR_* variables."""
    import signal
    import subprocess

    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    env = dict(os.environ)
    env.update(
        TAR_FILETYPE="f",
        TAR_MODE="%o" % (entry.mode & 0o7777),
        TAR_FILENAME=os.fsdecode(entry.name),
        TAR_REALNAME=os.fsdecode(entry.name),
        TAR_UNAME=os.fsdecode(entry.uname or b""),
        TAR_GNAME=os.fsdecode(entry.gname or b""),
        TAR_SIZE=str(entry.size),
        TAR_UID=str(entry.uid),
        TAR_GID=str(entry.gid),
    )
    stdout().flush()
    child = subprocess.Popen(["/bin/sh", "-c", command], stdin=subprocess.PIPE, env=env)
    try:
        complete = source.copy_to(child.stdin.fileno(), entry.size)
    except BrokenPipeError:
        complete = source.skip(entry.size)
    finally:
        child.stdin.close()
    status = child.wait()
    if not complete:
        raise Fail("short read")
    if status > 0:
        raise Fail(f"'{command}' returned status {status}")
    if status < 0:
        raise Fail(f"'{command}' terminated by signal {-status}")


def _extract_or_list(fd: int, options) -> int:
    source = Source(fd)
    if options.compression:
        decoders = {"gz": _archival.gunzip_chunks, "bz2": _archival.bunzip2_chunks, "xz": _archival.unxz_chunks}
        source.decode_with(decoders[options.compression])
    reader = _Reader(source)
    reader.detected = bool(options.compression)
    names = _Names(options.include, options.exclude) if options.include or options.exclude else None
    extractor = None
    if options.mode == "x" and not options.to_stdout and options.command is None:
        root = os.getuid() == 0
        extractor = Extractor(
            source,
            unlink_old=not (options.keep_old or options.overwrite),
            truncate=options.overwrite,
            restore_owner=not options.no_owner,
            numeric_owner=options.numeric_owner,
            restore_perm=root and not options.no_perm,
            restore_date=not options.no_mtime,
            strip_components=options.strip_components,
        )
    out = stdout()
    write = out.write
    listing = options.verbose
    try:
        while (entry := reader.next()) is not None:
            name = entry.name
            if names is not None and not names.accepts(name):
                if not source.skip(entry.size + (-entry.size % BLOCK)):
                    raise Fail("short read")
                continue
            if listing == 1:
                write(printable(name) + b"\n")
            elif listing:
                write(verbose_line(entry))
            if name.endswith(b"/"):
                entry.name = name = name[:-1]
            start = source.offset
            if options.command is not None or options.to_stdout:
                if entry.mode & 0o170000 == stat.S_IFREG and entry.size:
                    if options.command is not None:
                        _run_command(options.command, entry, source)
                    else:
                        out.flush()
                        if not source.copy_to(1, entry.size):
                            raise Fail("short read")
            elif extractor is not None:
                extractor.extract(entry)
            if names is not None:
                names.passed.add(name)
            left = entry.size - (source.offset - start) + (-entry.size % BLOCK)
            if left and not source.skip(left):
                raise Fail("short read")
    except BaseException:
        if extractor is not None:
            extractor.settle_directories()
        raise
    if extractor is not None:
        extractor.finish()
    if names is not None:
        for wanted in names.missing():
            raise Fail(f"{os.fsdecode(wanted)}: not found in archive")
    return 0 if reader.saw_header and not source.failed else 1


# ---------------------------------------------------------------- writing


class _Writer:
    """Writes members in BusyBox's format (old GNU, GNU long names) through a buffer.

    Per-file work is kept small: the owner fields, magic and their checksum share are
    computed once per (type, owner) and reused; a small file's header, data and padding go
    into the buffer in one append.
    """

    def __init__(self, fd: int, options):
        self.fd = fd
        self.write_all = _archival.write_all
        self.strip = strip_unsafe_prefix
        self.encoder = _archival.encoder(options.compression) if options.compression else None
        self.buf = bytearray()
        self.verbose = options.verbose
        self.verbose_fd = 2 if fd == 1 else 1
        self.dereference = options.dereference
        self.recurse = not options.no_recursion
        self.numeric_owner = options.numeric_owner
        self.owner = options.owner
        self.group = options.group
        self.links = {}
        self.users = {}
        self.groups = {}
        self.tails = {}
        self.errors = False
        self.excludes = [(glob_matcher(pattern, pathname=True, leading_dir=True), pattern.startswith(b"/")) for pattern in options.exclude]
        try:
            info = os.fstat(fd)
            self.archive = (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None
        except OSError:
            self.archive = None

    def _emit(self, data) -> None:
        buf = self.buf
        buf += data
        if len(buf) >= FLUSH_AT:
            self._flush()

    def _flush(self) -> None:
        if not self.buf:
            return
        self._write(self.encoder.compress(self.buf) if self.encoder else self.buf)
        self.buf = bytearray()

    def _write(self, data) -> None:
        try:
            if data:
                self.write_all(self.fd, data)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise Fail(f"write error: {exc.strerror}") from None

    def finish(self) -> None:
        self._emit(ZERO_BLOCKS)
        self._flush()
        if self.encoder:
            self._write(self.encoder.flush())

    def _report(self, message: str) -> None:
        report(message)
        self.errors = True

    def add_tree(self, top: bytes) -> None:
        """Archive `top` and (unless --no-recursion) everything below it, directories first."""
        strip = self.strip
        safe = strip(top) == top
        lstat = os.stat if self.dereference else os.lstat
        add = self._add
        small_file = self._small_file
        plain = not self.excludes and not self.verbose
        archive_inode = self.archive[1] if self.archive else -1
        pending = [iter((top,))]
        while pending:
            path = next(pending[-1], None)
            if path is None:
                pending.pop()
                continue
            try:
                info = lstat(path)
            except OSError as exc:
                self._report(f"{os.fsdecode(path)}: {exc.strerror}")
                continue
            name = path if safe else strip(path)
            mode = info.st_mode
            if plain and mode & 0o170000 == stat.S_IFREG and info.st_nlink == 1 and info.st_size < FLUSH_AT and info.st_ino != archive_inode and name:
                small_file(path, name, info)
                continue
            if add(path, name, info) is SKIP or not self.recurse or not stat.S_ISDIR(mode):
                continue
            try:
                children = os.listdir(path)
            except OSError as exc:
                self._report(f"{os.fsdecode(path)}: {exc.strerror}")
                continue
            prefix = path if path.endswith(b"/") else path + b"/"
            pending.append(iter([prefix + child for child in children]))

    def _small_file(self, path: bytes, name: bytes, info) -> None:
        """The common case, kept short: a regular file under 1 MiB with one link."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            self._report(f"can't open '{os.fsdecode(path)}': {exc.strerror}")
            return
        try:
            size = info.st_size
            data = os.read(fd, size) if size else b""
            while len(data) < size:
                more = os.read(fd, size - len(data))
                if not more:
                    raise Fail("short read")
                data += more
        finally:
            os.close(fd)
        buf = self.buf
        buf += self._header(name, info, b"0", b"", size, NO_DEVICE)
        buf += data
        if size % BLOCK:
            buf += PADDING[size % BLOCK]
        if len(buf) >= FLUSH_AT:
            self._flush()

    def _excluded(self, name: bytes) -> bool:
        """BusyBox's exclude_file: a pattern may match the name or any tail after a '/'."""
        for match, absolute in self.excludes:
            if absolute:
                if match(name):
                    return True
                continue
            start = 0
            while start < len(name):
                if name[start] != 0x2F and match(name, start):
                    return True
                start = name.find(b"/", start) + 1
                if start == 0:
                    break
        return False

    def _add(self, path: bytes, name: bytes, info):
        """One member; True, False (an error was reported) or SKIP (excluded: don't descend)."""
        if not name:
            return True
        if self.excludes and self._excluded(name):
            return SKIP
        mode = info.st_mode
        kind = mode & 0o170000
        hard_link = None
        if info.st_nlink > 1 and kind != stat.S_IFDIR:
            key = (info.st_dev, info.st_ino)
            hard_link = self.links.get(key)
            if hard_link is None:
                self.links[key] = name
        if kind == stat.S_IFSOCK:
            report(f"{os.fsdecode(path)}: socket ignored")
            return True
        if self.archive is not None and (info.st_dev, info.st_ino) == self.archive:
            report(f"{os.fsdecode(path)}: file is the archive; skipping")
            return True
        if hard_link is None and kind == stat.S_IFREG:
            if not self._regular(path, name, info):
                return False
        elif not self._other(path, name, info, hard_link):
            return False
        if self.verbose:
            line = name + (b"/" if kind == stat.S_IFDIR else b"") + b"\n"
            if self.verbose_fd == 1:
                stdout().write(line)
            else:
                write_err(os.fsdecode(line))
        return True

    def _regular(self, path: bytes, name: bytes, info) -> bool:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            self._report(f"can't open '{os.fsdecode(path)}': {exc.strerror}")
            return False
        try:
            size = info.st_size
            header = self._header(name, info, b"0", b"", size, NO_DEVICE)
            if size < FLUSH_AT:
                data = os.read(fd, size) if size else b""
                while len(data) < size:
                    more = os.read(fd, size - len(data))
                    if not more:
                        raise Fail("short read")
                    data += more
                self._emit(header + data + (PADDING[size % BLOCK] if size % BLOCK else b""))
            else:
                self._emit(header)
                self._copy(fd, size)
        finally:
            os.close(fd)
        return True

    def _copy(self, fd: int, size: int) -> None:
        """Exactly `size` bytes of a large file, then padding to the next block."""
        self._flush()
        left = size
        while left:
            data = os.read(fd, min(left, FLUSH_AT))
            if not data:
                raise Fail("short read")
            self.buf = bytearray(data)
            self._flush()
            left -= len(data)
        if size % BLOCK:
            self._emit(bytes(BLOCK - size % BLOCK))

    def _other(self, path: bytes, name: bytes, info, hard_link) -> bool:
        """Everything but a regular file's first appearance: links, dirs, devices, fifos."""
        mode = info.st_mode
        link = b""
        device = NO_DEVICE
        if hard_link is not None:
            typeflag = b"1"
            link = hard_link
        elif stat.S_ISLNK(mode):
            typeflag = b"2"
            try:
                link = os.readlink(path)
            except OSError as exc:
                self._report(f"{os.fsdecode(path)}: {exc.strerror}")
                return False
        elif stat.S_ISDIR(mode):
            typeflag = b"5"
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            typeflag = b"3" if stat.S_ISCHR(mode) else b"4"
            device = _octal(os.major(info.st_rdev), 8) + _octal(os.minor(info.st_rdev), 8)
        elif stat.S_ISFIFO(mode):
            typeflag = b"6"
        else:
            self._report(f"{os.fsdecode(path)}: unknown file type")
            return False
        self._emit(self._header(name, info, typeflag, link, 0, device))
        return True

    def _owner_fields(self, info) -> tuple:
        """(uid, gid, user name, group name) as stored, after --owner/--group/--numeric-owner."""
        uid, gid = info.st_uid, info.st_gid
        if self.numeric_owner:
            user = group = b""
        else:
            user = self.users.get(uid)
            if user is None:
                import pwd

                try:
                    user = os.fsencode(pwd.getpwuid(uid).pw_name)
                except KeyError:
                    user = b"%d" % uid
                self.users[uid] = user
            group = self.groups.get(gid)
            if group is None:
                import grp

                try:
                    group = os.fsencode(grp.getgrgid(gid).gr_name)
                except KeyError:
                    group = b"%d" % gid
                self.groups[gid] = group
        if self.owner is not None:
            user, uid = self.owner
        if self.group is not None:
            group, gid = self.group
        return uid, gid, user, group

    def _header(self, name: bytes, info, typeflag: bytes, link: bytes, size: int, device: bytes) -> bytes:
        """The header block(s) for one member, GNU long-name records first if needed."""
        key = (typeflag, info.st_uid, info.st_gid, link, device)
        shared = self.tails.get(key)
        if shared is None:
            uid, gid, user, group = self._owner_fields(info)
            ids = _octal(uid, 8) + _octal(gid, 8)
            tail = b"".join((typeflag, link[:100].ljust(100, b"\0"), b"ustar  \0", user[:31].ljust(32, b"\0"), group[:31].ljust(32, b"\0"), device, bytes(167)))
            shared = self.tails[key] = (ids, tail, sum(tail) + 8 * 32)
        ids, tail, shared_sum = shared
        field = name
        if typeflag == b"5" and len(name) < 100:
            field = name + b"/"
        prefix = b""
        if len(link) >= 100:
            prefix = self._long_record(b"K", link)
        if len(field) >= 100:
            prefix += self._long_record(b"L", name + (b"/" if typeflag == b"5" else b""))
            field = field[:100]
        mtime = info[stat.ST_MTIME]
        if size < 0o77777777777 and 0 <= mtime < 0o77777777777:
            numbers = b"%07o\0%s%011o\0%011o\0" % (info.st_mode & 0o7777, ids, size, mtime)
        else:
            numbers = b"%07o\0" % (info.st_mode & 0o7777) + ids + _octal(size, 12) + _octal(max(mtime, 0), 12)
        checksum = sum(field) + sum(numbers) + shared_sum
        return prefix + field.ljust(100, b"\0") + numbers + b"%06o\0 " % checksum + tail

    @staticmethod
    def _long_record(typeflag: bytes, value: bytes) -> bytes:
        """A GNU ././@LongLink record carrying a name or link target of 100+ bytes."""
        data = value + b"\0"
        zeros8 = b"0000000\0"
        head = b"".join((b"././@LongLink".ljust(100, b"\0"), zeros8, zeros8, zeros8, _octal(len(data), 12), b"00000000000\0", b"        ", typeflag, bytes(100), b"ustar  \0", bytes(64 + 16 + 167)))
        head = head[:148] + b"%06o\0 " % sum(head) + head[156:]
        return head + data + bytes(-len(data) % BLOCK)


def _create(fd: int, options) -> int:
    if not options.include:
        raise Fail("empty archive")
    writer = _Writer(fd, options)
    for name in options.include:
        writer.add_tree(name)
    writer.finish()
    if writer.errors:
        report("error exit delayed from previous errors")
        return 1
    return 0


# ---------------------------------------------------------------- options


class _Options:
    """The parsed command line."""

    def __init__(self):
        self.mode = None
        self.archive = "-"
        self.directory = None
        self.verbose = 0
        self.to_stdout = False
        self.no_owner = False
        self.keep_old = False
        self.dereference = False
        self.compression = None
        self.auto_compress = False
        self.no_mtime = False
        self.include = []
        self.exclude = []
        self.strip_components = 0
        self.no_recursion = False
        self.command = None
        self.numeric_owner = False
        self.no_perm = False
        self.overwrite = False
        self.owner = None
        self.group = None


def _id_option(value: str, lookup) -> tuple:
    """--owner/--group NAME[:ID] or a number: (name bytes, numeric id)."""
    name, _, number = value.partition(":")
    if number:
        return os.fsencode(name), parse_number(number)
    if name.isdigit():
        return name.encode(), int(name)
    try:
        return os.fsencode(name), lookup(name)
    except KeyError:
        raise Fail(f"unknown user/group {name}") from None


def _parse(argv: list[str]) -> _Options:
    args = list(argv[1:])
    if args and args[0] and not args[0].startswith("-"):
        first = args[0]
        at = first.find("f")
        if at >= 0:
            first = first[:at] + first[at + 1 :] + "f"
        args[0] = "-" + first
    parsed, operands = getopt(args, SHORT_OPTIONS, tuple(LONG_OPTIONS))
    options = _Options()
    modes = set()
    for opt, value in parsed:
        if opt.startswith("--"):
            opt = LONG_OPTIONS.get(opt[2:]) or LONG_OPTIONS[opt[2:] + "="]
        if opt in ("-c", "-x", "-t"):
            modes.add(opt[1])
            if opt == "-t":
                options.verbose += 1
        elif opt == "-v":
            options.verbose += 1
        elif opt == "-f":
            options.archive = value
        elif opt == "-C":
            options.directory = value
        elif opt == "-O":
            options.to_stdout = True
        elif opt == "-o":
            options.no_owner = True
        elif opt == "-k":
            options.keep_old = True
        elif opt == "-h":
            options.dereference = True
        elif opt in ("-z", "-j", "-J"):
            options.compression = {"-z": "gz", "-j": "bz2", "-J": "xz"}[opt]
        elif opt == "-a":
            options.auto_compress = True
        elif opt == "-m":
            options.no_mtime = True
        elif opt == "-T":
            options.include.extend(_read_list(value))
        elif opt == "-X":
            options.exclude.extend(_read_list(value))
        elif opt == "--exclude":
            options.exclude.append(os.fsencode(value))
        elif opt == "--strip-components":
            options.strip_components = parse_number(value)
        elif opt == "--no-recursion":
            options.no_recursion = True
        elif opt == "--to-command":
            options.command = value
        elif opt == "--numeric-owner":
            options.numeric_owner = True
        elif opt == "--no-same-permissions":
            options.no_perm = True
        elif opt == "--overwrite":
            options.overwrite = True
        elif opt == "--owner":
            import pwd

            options.owner = _id_option(value, lambda name: pwd.getpwnam(name).pw_uid)
        elif opt == "--group":
            import grp

            options.group = _id_option(value, lambda name: grp.getgrnam(name).gr_gid)
    if len(modes) != 1:
        raise UsageError()
    options.mode = modes.pop()
    for operand in operands:
        name = os.fsencode(operand)
        if len(name) > 1 and name.endswith(b"/"):
            name = name[:-1]
        options.include.append(name)
    if options.mode == "c" and options.auto_compress and options.archive != "-":
        for suffix, kind in (("gz", "gz"), ("bz2", "bz2"), ("xz", "xz")):
            if options.archive.endswith(suffix):
                options.compression = kind
    return options


def main(argv: list[str]) -> int:
    options = _parse(argv)
    creating = options.mode == "c"
    if options.archive == "-":
        fd = 1 if creating else 0
    else:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC if creating else os.O_RDONLY
        try:
            fd = os.open(options.archive, flags, 0o666)
        except OSError as exc:
            raise Fail(f"can't open '{options.archive}': {exc.strerror}") from None
    if options.directory is not None:
        try:
            os.chdir(options.directory)
        except OSError as exc:
            raise Fail(f"can't change directory to '{options.directory}': {exc.strerror}") from None
    try:
        if creating:
            return _create(fd, options)
        return _extract_or_list(fd, options)
    finally:
        stdout().flush()
        if fd > 1:
            os.close(fd)
