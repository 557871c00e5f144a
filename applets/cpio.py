"""cpio: create (-o), list (-t), extract (-i) or copy (-p) "newc" cpio archives, as BusyBox.

Creation reads names from stdin and writes the newc format GNU cpio reads; hard links are
held back and written at the end, the data with the last name. Extraction shares tar's
code (leading '/' and '../' prefixes stripped, unsafe symlinks created last); without -u a
file on disk that is at least as new as the member is kept. -p streams the archive straight into the
extractor, in this process.
"""

import os
import stat

from applets import _archival
from applets._unarchive import Entry, Extractor, Source, glob_matcher, printable, strip_unsafe_prefix, verbose_line
from applets.common import Fail, UsageError, getopt, stdout, write_err

USAGE = """cpio [-dmvu] [-F FILE] [-R USER[:GRP]] [-H newc] [-tio] [-p DIR] [EXTR_FILE]...

Extract (-i) or list (-t) files from a cpio archive, or
take file list from stdin and create an archive (-o) or copy files (-p)

Main operation mode:
\t-t\tList
\t-i\tExtract EXTR_FILEs (or all)
\t-o\tCreate (requires -H newc)
\t-p DIR\tCopy files to DIR
Options:
\t-H newc\tArchive format
\t-d\tMake leading directories
\t-m\tRestore mtime
\t-v\tVerbose
\t-u\tOverwrite
\t-F FILE\tInput (-t,-i,-p) or output (-o) file
\t-R USER[:GRP]\tSet owner of created files
\t-L\tDereference symlinks
\t-0\tNUL terminated input
\t--ignore-devno
\t--renumber-inodes"""

LONG_OPTIONS = {
    "extract": "-i",
    "list": "-t",
    "create": "-o",
    "format=": "-H",
    "pass-through": "-p",
    "owner=": "-R",
    "verbose": "-v",
    "null": "-0",
    "quiet": "--quiet",
    "to-stdout": "--to-stdout",
    "ignore-devno": "--ignore-devno",
    "renumber-inodes": "--renumber-inodes",
}

TRAILER = b"TRAILER!!!"
CHUNK = 1 << 20


def _pad4(size: int) -> bytes:
    return b"\0" * (-size % 4)


def _newc_header(name: bytes, ino, mode, uid, gid, nlink, mtime, size, dev, rdev) -> bytes:
    fields = (ino, mode, uid, gid, nlink, mtime, size, os.major(dev), os.minor(dev), os.major(rdev), os.minor(rdev), len(name) + 1)
    head = b"070701" + b"".join(b"%08X" % (value & 0xFFFFFFFF) for value in fields) + b"00000000" + name + b"\0"
    return head + _pad4(len(head))


def _names(fd: int, nul: bool):
    """The file names listed on stdin, one a line (or NUL-terminated with -0)."""
    pending = b""
    separator = b"\0" if nul else b"\n"
    for chunk in _archival.read_chunks(fd, 1 << 16):
        pending += chunk
        *lines, pending = pending.split(separator)
        yield from lines
    if pending:
        yield pending


class _Archiver:
    """BusyBox's cpio_o as a generator of archive bytes (so -p can consume it directly)."""

    def __init__(self, options, dir_fd=None):
        self.options = options
        self.dir_fd = dir_fd
        self.next_inode = 0

    def chunks(self, names):
        options = self.options
        links = {}
        out = bytearray()
        stat_call = os.stat if options.dereference else os.lstat
        for line in names:
            name = line
            while name.startswith(b"./"):
                name = name[2:].lstrip(b"/")
            if not name:
                continue
            try:
                info = stat_call(name, dir_fd=self.dir_fd)
            except OSError as exc:
                raise Fail(f"{os.fsdecode(name)}: {exc.strerror}") from None
            if not stat.S_ISDIR(info.st_mode) and info.st_nlink > 1:
                group = links.get(info.st_ino)
                if group is None:
                    inode = self._renumber() if options.renumber else info.st_ino
                    group = links[info.st_ino] = (info, inode, [])
                group[2].append(name)
                continue
            inode = self._renumber() if options.renumber else info.st_ino
            yield from self._member(out, name, info, inode, True)
        for info, inode, names_of_inode in reversed(list(links.values())):
            names_of_inode.reverse()
            for position, name in enumerate(names_of_inode):
                yield from self._member(out, name, info, inode, position == len(names_of_inode) - 1)
        out += _newc_header(TRAILER, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        yield bytes(out)

    def _renumber(self) -> int:
        self.next_inode += 1
        return self.next_inode

    def _member(self, out: bytearray, name: bytes, info, inode: int, with_data: bool):
        """Append one member to `out`, yielding the buffer when it grows large."""
        options = self.options
        mode = info.st_mode
        size = info.st_size if with_data and (stat.S_ISREG(mode) or stat.S_ISLNK(mode)) else 0
        uid = info.st_uid if options.uid is None else options.uid
        gid = info.st_gid if options.gid is None else options.gid
        dev, rdev = (0, 0) if options.ignore_devno else (info.st_dev, info.st_rdev)
        out += _newc_header(name, inode, mode, uid, gid, info.st_nlink, int(info.st_mtime), size, dev, rdev)
        if size:
            if stat.S_ISLNK(mode):
                try:
                    out += os.readlink(name, dir_fd=self.dir_fd)
                except OSError as exc:
                    raise Fail(f"{os.fsdecode(name)}: {exc.strerror}") from None
            else:
                yield from self._file_data(out, name, size)
            out += _pad4(size)
        if len(out) >= CHUNK:
            yield bytes(out)
            out.clear()

    def _file_data(self, out: bytearray, name: bytes, size: int):
        try:
            fd = os.open(name, os.O_RDONLY, dir_fd=self.dir_fd)
        except OSError as exc:
            raise Fail(f"can't open '{os.fsdecode(name)}': {exc.strerror}") from None
        try:
            left = size
            while left:
                data = os.read(fd, min(left, CHUNK))
                if not data:
                    raise Fail("short read")
                out += data
                left -= len(data)
                if len(out) >= CHUNK:
                    yield bytes(out)
                    out.clear()
        finally:
            os.close(fd)


class _Unpacker:
    """Reads newc/crc members (BusyBox's get_header_cpio) and lists or extracts them."""

    def __init__(self, source, options, accept):
        self.source = source
        self.options = options
        self.accept = [glob_matcher(pattern) for pattern in accept]
        self.out = stdout()
        self.to_create = []
        self.created = []
        self.blocks = None
        self.extractor = None
        if options.mode == "i" and not options.to_stdout:
            self.extractor = Extractor(
                source,
                unlink_old=options.unconditional,
                newer_only=not options.unconditional,
                make_parents=options.make_dirs,
                restore_date=options.preserve_mtime,
            )

    def run(self) -> None:
        try:
            while self._member():
                pass
        except BaseException:
            if self.extractor is not None:
                self.extractor.settle_directories()
            raise
        if self.extractor is not None:
            self.extractor.finish()

    def _read(self, count: int) -> bytes:
        data = self.source.read(count)
        if len(data) != count:
            raise Fail("short read")
        return data

    def _align(self) -> None:
        pad = -self.source.offset % 4
        if pad and not self.source.skip(pad):
            raise Fail("short read")

    def _member(self) -> bool:
        """Handle one member; False at the trailer or the end of input."""
        self._align()
        head = self.source.read(110)
        if not head:
            self._create_hardlinks()
            return False
        if len(head) != 110:
            raise Fail("short read")
        if not head.startswith(b"07070") or head[5] not in b"12":
            raise Fail("unsupported cpio format, use newc or crc")
        try:
            inode, mode, uid, gid, nlink, mtime, size, _, _, major, minor, name_size = (int(head[6 + 8 * i : 14 + 8 * i], 16) for i in range(12))
        except ValueError:
            raise Fail("damaged cpio file") from None
        name = self._read(name_size & 0x1FFF).partition(b"\0")[0].lstrip(b"/")
        self._align()
        if name == TRAILER:
            self.blocks = (self.source.offset + 511) >> 9
            self._create_hardlinks()
            return False
        name = strip_unsafe_prefix(name)
        if self.options.uid is not None:
            uid = self.options.uid
        if self.options.gid is not None:
            gid = self.options.gid
        entry = Entry(name, mode, uid, gid, size, mtime, major=major, minor=minor)
        if stat.S_ISLNK(mode):
            entry.link = self._read(size & 0x1FFF)
            entry.size = 0
        if nlink > 1 and stat.S_ISREG(mode):
            if entry.size == 0:
                self.to_create.append((inode, entry))
                return True
            self.created.append((inode, name))
        self._act(entry)
        return True

    def _accepted(self, name: bytes) -> bool:
        return not self.accept or any(match(name) for match in self.accept)

    def _act(self, entry) -> None:
        if not self._accepted(entry.name):
            if entry.size and not self.source.skip(entry.size):
                raise Fail("short read")
            return
        if self.extractor is not None:
            self.extractor.extract(entry)
        elif self.options.to_stdout and self.options.mode == "i" and stat.S_ISREG(entry.mode):
            self.out.flush()
            if not self.source.copy_to(1, entry.size):
                raise Fail("short read")
        elif entry.size and not self.source.skip(entry.size):
            raise Fail("short read")
        verbose = self.options.verbose
        if self.options.mode == "t":
            self.out.write(verbose_line(entry) if verbose else printable(entry.name) + b"\n")
        elif verbose:
            self.out.write(printable(entry.name) + b"\n")

    def _create_hardlinks(self) -> None:
        """Zero-size hard link members, deferred until their data-carrying name is known."""
        for inode, entry in reversed(self.to_create):
            target = next((name for known, name in self.created if known == inode), None)
            if target is not None:
                entry.link = target
            else:
                self.created.append((inode, entry.name))
            self._act(entry)
        self.to_create.clear()


class _Options:
    def __init__(self):
        self.mode = None
        self.file = None
        self.format = ""
        self.verbose = False
        self.unconditional = False
        self.make_dirs = False
        self.preserve_mtime = False
        self.dereference = False
        self.nul = False
        self.quiet = False
        self.to_stdout = False
        self.ignore_devno = False
        self.renumber = False
        self.uid = None
        self.gid = None


def _owner(spec: str):
    """-R USER[:GROUP] (or '.'): uid and gid, either may be None."""
    import grp
    import pwd

    user, sep, group = spec.partition(":")
    if not sep:
        user, sep, group = spec.partition(".")
    uid = gid = None
    if user:
        try:
            entry = pwd.getpwnam(user)
            uid = entry.pw_uid
            if sep and not group:
                gid = entry.pw_gid
        except KeyError:
            if not user.isdigit():
                raise Fail(f"unknown user {user}") from None
            uid = int(user)
    if group:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            if not group.isdigit():
                raise Fail(f"unknown group {group}") from None
            gid = int(group)
    return uid, gid


def _parse(argv: list[str]):
    parsed, operands = getopt(argv[1:], "it0uvdmLF:R:oH:p", tuple(LONG_OPTIONS))
    options = _Options()
    modes = set()
    for opt, value in parsed:
        if opt.startswith("--"):
            opt = LONG_OPTIONS.get(opt[2:]) or LONG_OPTIONS[opt[2:] + "="]
        if opt in ("-i", "-t", "-o", "-p"):
            modes.add(opt[1])
        elif opt == "-0":
            options.nul = True
        elif opt == "-u":
            options.unconditional = True
        elif opt == "-v":
            options.verbose = True
        elif opt == "-d":
            options.make_dirs = True
        elif opt == "-m":
            options.preserve_mtime = True
        elif opt == "-L":
            options.dereference = True
        elif opt == "-F":
            options.file = value
        elif opt == "-R":
            options.uid, options.gid = _owner(value)
        elif opt == "-H":
            options.format = value
        elif opt == "--quiet":
            options.quiet = True
        elif opt == "--to-stdout":
            options.to_stdout = True
        elif opt == "--ignore-devno":
            options.ignore_devno = True
        elif opt == "--renumber-inodes":
            options.renumber = True
    for mode in "poti":
        if mode in modes:
            options.mode = mode
            break
    return options, operands


def _open(path: str, flags: int) -> int:
    try:
        return os.open(path, flags, 0o666)
    except OSError as exc:
        raise Fail(f"can't open '{path}': {exc.strerror}") from None


def main(argv: list[str]) -> int:
    options, operands = _parse(argv)
    if options.mode == "p":
        if not operands:
            raise UsageError()
        return _pass_through(options, operands[0])
    if options.mode == "o":
        if not options.format.startswith("n"):
            raise UsageError()
        out_fd = _open(options.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC) if options.file else 1
        for chunk in _Archiver(options).chunks(_names(0, options.nul)):
            _archival.write_all(out_fd, chunk)
        return 0
    if options.mode not in ("t", "i"):
        raise UsageError()
    in_fd = _open(options.file, os.O_RDONLY) if options.file else 0
    unpacker = _Unpacker(Source(in_fd), options, [os.fsencode(name) for name in operands])
    try:
        unpacker.run()
    finally:
        stdout().flush()
    _report_blocks(unpacker, options)
    return 0


def _pass_through(options, directory: str) -> int:
    """-p DIR: archive the named files and extract them under DIR in one go."""
    in_fd = _open(options.file, os.O_RDONLY) if options.file else 0
    if options.make_dirs:
        os.makedirs(directory, exist_ok=True)
    origin = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            os.chdir(directory)
        except OSError as exc:
            raise Fail(f"can't change directory to '{directory}': {exc.strerror}") from None
        archive = _Archiver(options, dir_fd=origin).chunks(_names(in_fd, options.nul))
        options.mode = "i"
        unpacker = _Unpacker(Source(-1, archive), options, [])
        try:
            unpacker.run()
        finally:
            stdout().flush()
    finally:
        os.close(origin)
    _report_blocks(unpacker, options)
    return 0


def _report_blocks(unpacker, options) -> None:
    if unpacker.blocks is not None and not options.quiet:
        write_err(f"{unpacker.blocks} blocks\n")
