"""Tar as apk uses it: ustar headers with PAX and GNU long-name extensions, read and written.

apk's streams are tars that may be "cut" (no end-of-archive blocks), carry per-file
`APK-TOOLS.checksum.SHA1` PAX records, and come from untrusted sources: every header is
checksummed and every size bounded before anything is allocated.
"""

from __future__ import annotations

from apk_py.errors import FormatError

BLOCK = 512
REGULAR, HARDLINK, SYMLINK, CHARDEV, BLOCKDEV, DIRECTORY, FIFO = "0", "1", "2", "3", "4", "5", "6"
_EXTENSION_LIMIT = 1 << 20  # PAX records and GNU long names larger than this are refused
ZERO_BLOCK = bytes(BLOCK)


class TarEntry:
    """One archive member, with PAX/GNU extensions already applied."""

    __slots__ = ("name", "mode", "uid", "gid", "size", "mtime", "type", "linkname", "uname", "gname", "devmajor", "devminor", "pax")

    def __init__(self, name: str, type: str = REGULAR, mode: int = 0o644, uid: int = 0, gid: int = 0, size: int = 0, mtime: int = 0,
                 linkname: str = "", uname: str = "", gname: str = "", devmajor: int = 0, devminor: int = 0, pax: dict | None = None):
        self.name = name
        self.type = type
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.mtime = mtime
        self.linkname = linkname
        self.uname = uname
        self.gname = gname
        self.devmajor = devmajor
        self.devminor = devminor
        self.pax = pax if pax is not None else {}

    @property
    def is_file(self) -> bool:
        return self.type in (REGULAR, "\0", "7")

    @property
    def is_dir(self) -> bool:
        return self.type == DIRECTORY

    def __repr__(self) -> str:
        return f"TarEntry({self.name!r}, type={self.type!r}, size={self.size})"


def _text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _number(field: bytes, source, what: str) -> int:
    """Octal (NUL/space padded) or GNU base-256 numeric field."""
    if field and field[0] & 0x80:
        if field[0] == 0xFF:
            raise FormatError(source, f"tar header has a negative {what}")
        return int.from_bytes(field, "big") & ((1 << (8 * len(field) - 1)) - 1)
    digits = field.strip(b" \0")
    if not digits:
        return 0
    try:
        return int(digits, 8)
    except ValueError:
        raise FormatError(source, f"tar header has an invalid {what} field") from None


def _parse_pax(data: bytes, source) -> dict[str, str]:
    records = {}
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            raise FormatError(source, "malformed PAX header")
        try:
            length = int(data[pos:space])
        except ValueError:
            raise FormatError(source, "malformed PAX header") from None
        record = data[space + 1 : pos + length]
        if length <= 0 or pos + length > len(data) or not record.endswith(b"\n") or b"=" not in record:
            raise FormatError(source, "malformed PAX header")
        key, _, value = record[:-1].partition(b"=")
        records[key.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
        pos += length
    return records


class TarReader:
    """Iterate over the members of a tar read from `stream` (anything with .read(n)).

    Each member's data must be consumed with `read()` before moving on, or it is skipped.
    """

    def __init__(self, stream, source):
        self.stream = stream
        self.source = source
        self.remaining = 0
        self.padding = 0

    def _read_exact(self, count: int) -> bytes:
        chunks = []
        while count > 0:
            chunk = self.stream.read(count)
            if not chunk:
                raise FormatError(self.source, "unexpected end of file inside a tar member")
            chunks.append(chunk)
            count -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _skip_rest(self) -> None:
        count = self.remaining + self.padding
        while count > 0:
            step = min(count, 1 << 20)
            self._read_exact(step)
            count -= step
        self.remaining = self.padding = 0

    def read(self, count: int = -1) -> bytes:
        """Read up to `count` bytes (all remaining when negative) of the current member."""
        if count < 0 or count > self.remaining:
            count = self.remaining
        if count == 0:
            return b""
        data = self._read_exact(count)
        self.remaining -= len(data)
        return data

    def _header(self) -> bytes | None:
        first = self.stream.read(BLOCK)
        if not first:
            return None  # a "cut" tar simply stops at a member boundary
        if len(first) < BLOCK:
            first += self._read_exact(BLOCK - len(first))
        return first

    def _extension(self, size: int) -> bytes:
        if size > _EXTENSION_LIMIT:
            raise FormatError(self.source, f"tar extension header of {size} bytes is too large")
        data = self._read_exact(size)
        self._read_exact(-size % BLOCK)
        return data

    def __iter__(self):
        pax: dict[str, str] = {}
        long_name = long_link = None
        while True:
            self._skip_rest()
            block = self._header()
            if block is None or block == ZERO_BLOCK:
                return
            stored = _number(block[148:156], self.source, "checksum")
            computed = sum(block[:148]) + 256 + sum(block[156:])
            if stored != computed:
                raise FormatError(self.source, "tar header checksum mismatch (corrupt or not a tar)")
            kind = chr(block[156]) if block[156] else REGULAR
            size = _number(block[124:136], self.source, "size")
            if kind == "x":
                pax.update(_parse_pax(self._extension(size), self.source))
                continue
            if kind == "g":
                self._extension(size)
                continue
            if kind in ("L", "K"):
                value = self._extension(size).split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
                if kind == "L":
                    long_name = value
                else:
                    long_link = value
                continue
            name = _text(block[0:100])
            if block[257:262] == b"ustar" and block[345:500].strip(b"\0"):
                name = _text(block[345:500]) + "/" + name
            if long_name is not None:
                name = long_name
            if "path" in pax:
                name = pax["path"]
            linkname = long_link if long_link is not None else _text(block[157:257])
            linkname = pax.get("linkpath", linkname)
            if "size" in pax:
                try:
                    size = int(pax["size"])
                except ValueError:
                    raise FormatError(self.source, "malformed PAX size") from None
            entry = TarEntry(
                name=name,
                type=kind,
                mode=_number(block[100:108], self.source, "mode") & 0o7777,
                uid=int(pax["uid"]) if pax.get("uid", "").isdigit() else _number(block[108:116], self.source, "uid"),
                gid=int(pax["gid"]) if pax.get("gid", "").isdigit() else _number(block[116:124], self.source, "gid"),
                size=size if kind in (REGULAR, "\0", "7") else 0,
                mtime=int(float(pax["mtime"])) if _is_number(pax.get("mtime")) else _number(block[136:148], self.source, "mtime"),
                linkname=linkname,
                uname=pax.get("uname", _text(block[265:297])),
                gname=pax.get("gname", _text(block[297:329])),
                devmajor=_number(block[329:337], self.source, "device major"),
                devminor=_number(block[337:345], self.source, "device minor"),
                pax=pax,
            )
            self.remaining = entry.size
            self.padding = -entry.size % BLOCK
            pax, long_name, long_link = {}, None, None
            yield entry


def _is_number(text: str | None) -> bool:
    if not text:
        return False
    try:
        float(text)
    except ValueError:
        return False
    return True


def _octal(value: int, width: int) -> bytes:
    return b"%0*o\0" % (width - 1, value)


def _pax_record(key: str, value: str) -> bytes:
    """`LEN key=value\n`, where LEN counts its own digits too."""
    body = f" {key}={value}\n".encode("utf-8", "surrogateescape")
    length = len(body) + 1
    while len(str(length)) + len(body) != length:
        length = len(str(length)) + len(body)
    return str(length).encode() + body


def header_block(entry: TarEntry, name: bytes, linkname: bytes, size: int, type_: str) -> bytes:
    """One ustar header block for already-shortened names."""
    block = bytearray(BLOCK)
    block[0 : len(name)] = name
    block[100:108] = _octal(entry.mode & 0o7777, 8)
    block[108:116] = _octal(min(entry.uid, 0o7777777), 8)
    block[116:124] = _octal(min(entry.gid, 0o7777777), 8)
    block[124:136] = _octal(size, 12)
    block[136:148] = _octal(min(entry.mtime, 0o77777777777), 12)
    block[148:156] = b"        "
    block[156:157] = type_.encode()
    block[157 : 157 + len(linkname)] = linkname
    block[257:265] = b"ustar\x0000"
    uname = entry.uname.encode("utf-8", "surrogateescape")[:32]
    gname = entry.gname.encode("utf-8", "surrogateescape")[:32]
    block[265 : 265 + len(uname)] = uname
    block[297 : 297 + len(gname)] = gname
    block[329:337] = _octal(entry.devmajor, 8)
    block[337:345] = _octal(entry.devminor, 8)
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


class TarWriter:
    """Writes members to `out` (anything with .write): ustar, with a PAX header when needed.

    Long names, big ids and extra records (such as APK-TOOLS.checksum.SHA1) go into a PAX
    header named like GNU tar's (`dir/PaxHeaders/base`), which apk-tools and GNU tar read.
    """

    def __init__(self, out):
        self.out = out

    def add(self, entry: TarEntry, data: bytes = b"") -> None:
        name = entry.name.encode("utf-8", "surrogateescape")
        linkname = entry.linkname.encode("utf-8", "surrogateescape")
        records = dict(entry.pax)
        if len(name) > 100:
            records["path"] = entry.name
        if len(linkname) > 100:
            records["linkpath"] = entry.linkname
        if entry.uid > 0o7777777:
            records["uid"] = str(entry.uid)
        if entry.gid > 0o7777777:
            records["gid"] = str(entry.gid)
        size = len(data) if entry.is_file else 0
        if size > 0o77777777777:
            records["size"] = str(size)
        if records:
            payload = b"".join(_pax_record(key, value) for key, value in records.items())
            head, _, base = entry.name.rstrip("/").rpartition("/")
            pax_name = (f"{head}/PaxHeaders/{base}" if head else f"./PaxHeaders/{base}").encode("utf-8", "surrogateescape")[:100]
            pax_entry = TarEntry(pax_name.decode("utf-8", "surrogateescape"), mtime=entry.mtime)
            self.out.write(header_block(pax_entry, pax_name, b"", len(payload), "x"))
            self.out.write(payload + bytes(-len(payload) % BLOCK))
        self.out.write(header_block(entry, name[:100], linkname[:100], min(size, 0o77777777777), entry.type))
        if size:
            self.out.write(data)
            self.out.write(bytes(-size % BLOCK))

    def finish(self) -> None:
        """Write the end-of-archive blocks (apk's data stream has them; cut streams do not)."""
        self.out.write(ZERO_BLOCK * 2)
