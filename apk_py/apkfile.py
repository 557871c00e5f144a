"""The v2 `.apk` package file: signature stream, control stream, data stream.

Verification needs only the raw bytes: the signature covers the control stream's
compressed bytes, and the data stream is bound to it through `datahash` (SHA-256 of its
compressed bytes) or, for old packages, by the signature digest running on over it.
So a package is checked in one hashing pass before any of it is unpacked; per-file
`APK-TOOLS.checksum.SHA1` values are then checked as the data is read.
"""

from __future__ import annotations

import base64
import io
import os

from apk_py import digests, trust
from apk_py.errors import FormatError, TrustError
from apk_py.gzstream import MemberSplitter, gzip_member
from apk_py.package import Package, canonical_order, fields_from_pkginfo
from apk_py.tarfmt import REGULAR, SYMLINK, TarEntry, TarReader, TarWriter

SIGNATURE_LIMIT = 1 << 20
CONTROL_LIMIT = 16 << 20
SCRIPT_NAMES = (".pre-install", ".post-install", ".pre-upgrade", ".post-upgrade", ".pre-deinstall", ".post-deinstall", ".trigger")
CHECKSUM_KEY = "APK-TOOLS.checksum.SHA1"
_HASH_CHUNK = 1 << 20


def identity(control_raw: bytes) -> str:
    """The package identity apk puts in `C:`: Q1 + base64(SHA-1 of the control stream)."""
    return "Q1" + base64.b64encode(digests.new("sha1", control_raw).digest()).decode()


class ApkFile:
    """A package opened for reading: signature and control parsed, data not yet read.

    `file` must be seekable: packages are fetched to a file before they are opened.
    """

    def __init__(self, file, source):
        self.file = file
        self.source = str(source)
        splitter = MemberSplitter(file, self.source)
        first_raw, first = splitter.next_member(SIGNATURE_LIMIT, "signature")
        self.signatures = trust.read_signatures(first, self.source) or []
        if self.signatures:
            self.control_raw, control = splitter.next_member(CONTROL_LIMIT, "control")
            self.data_offset = len(first_raw) + len(self.control_raw)
        else:
            self.control_raw, control = first_raw, first  # unsigned: the first stream is control
            self.data_offset = len(first_raw)
        self.control = self._control_members(control)
        if ".PKGINFO" not in self.control:
            raise FormatError(self.source, "not an apk package: no .PKGINFO in the control stream")
        try:
            text = self.control[".PKGINFO"].decode("utf-8")
        except UnicodeDecodeError:
            raise FormatError(self.source, ".PKGINFO is not valid UTF-8") from None
        self.pkginfo = fields_from_pkginfo(text, f"{self.source}: .PKGINFO")

    @classmethod
    def open(cls, path: str) -> "ApkFile":
        try:
            handle = open(path, "rb")
        except OSError as exc:
            raise FormatError(path, exc.strerror or str(exc)) from None
        try:
            return cls(handle, path)
        except BaseException:
            handle.close()
            raise

    def close(self) -> None:
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _control_members(self, content: bytes) -> dict[str, bytes]:
        members = {}
        reader = TarReader(io.BytesIO(content), self.source)
        for entry in reader:
            if entry.name in members:
                raise FormatError(self.source, f"duplicate control member {entry.name}")
            if entry.is_file:
                members[entry.name] = reader.read()
        return members

    @property
    def checksum(self) -> str:
        return identity(self.control_raw)

    def package(self) -> Package:
        """The package record this file describes, with its identity and file size filled in."""
        fields = {"C": self.checksum}
        fields.update((key, value) for key, value in self.pkginfo.items() if len(key) == 1)
        fields["S"] = str(os.fstat(self.file.fileno()).st_size)
        return Package(canonical_order(fields))

    def scripts(self) -> dict[str, bytes]:
        return {name: data for name, data in self.control.items() if name in SCRIPT_NAMES}

    def verify(self, keys: dict | None, allow_untrusted: bool = False, expected_checksum: str | None = None):
        """Check identity, signature and data hash in one pass over the raw bytes.

        Returns the signing key, or None when the package is unsigned or untrusted and
        `allow_untrusted` is set.
        """
        if expected_checksum and expected_checksum != self.checksum:
            raise TrustError(self.source, "BAD checksum: package does not match its index entry")
        datahash = self.pkginfo.get("datahash")
        import hashlib  # bulk hashing of the data stream: OpenSSL's speed is worth its import

        running = {sig.algorithm: hashlib.new(sig.algorithm, self.control_raw) for sig in self.signatures}
        data_digest = hashlib.sha256()
        self.file.seek(self.data_offset)
        while chunk := self.file.read(_HASH_CHUNK):
            data_digest.update(chunk)
            if not datahash:
                for digest in running.values():
                    digest.update(chunk)
        signer = None
        try:
            signer = trust.check(self.signatures, keys or {}, {a: d.digest() for a, d in running.items()}, self.source)
        except TrustError:
            if not allow_untrusted:
                raise
        if datahash and datahash != data_digest.hexdigest():
            raise TrustError(self.source, "BAD data hash: data stream does not match datahash in .PKGINFO")
        return signer

    def entries(self):
        """Iterate (TarEntry, TarReader) over the data stream; read each file from the reader."""
        self.file.seek(self.data_offset)
        reader = TarReader(MemberSplitter(self.file, self.source).rest(), self.source)
        for entry in reader:
            yield entry, reader

    def check_contents(self) -> int:
        """Read the whole data stream checking every file's SHA-1; returns the member count."""
        count = 0
        for entry, reader in self.entries():
            count += 1
            if entry.is_file:
                digest = digests.new("sha1")
                while chunk := reader.read(_HASH_CHUNK):
                    digest.update(chunk)
                expected = entry.pax.get(CHECKSUM_KEY)
                if expected and expected != digest.hexdigest():
                    raise TrustError(self.source, f"BAD file checksum: {entry.name}")
        return count


# --- writing ---------------------------------------------------------------------------


def data_stream(members: list[tuple[TarEntry, bytes]]) -> bytes:
    """The data tar (with end-of-archive) gzip'd, each file and symlink carrying its SHA-1."""
    import hashlib

    out = io.BytesIO()
    writer = TarWriter(out)
    for entry, data in members:
        if entry.is_file:
            entry.pax = {**entry.pax, CHECKSUM_KEY: hashlib.sha1(data).hexdigest()}
        elif entry.type == SYMLINK:
            entry.pax = {**entry.pax, CHECKSUM_KEY: hashlib.sha1(entry.linkname.encode("utf-8", "surrogateescape")).hexdigest()}
        writer.add(entry, data)
    writer.finish()
    return gzip_member(out.getvalue())


def control_stream(pkginfo: bytes, scripts: dict[str, bytes], mtime: int) -> bytes:
    """The cut control tar (.PKGINFO then scripts) gzip'd."""
    out = io.BytesIO()
    writer = TarWriter(out)
    writer.add(TarEntry(".PKGINFO", REGULAR, 0o644, 0, 0, len(pkginfo), mtime, uname="root", gname="root"), pkginfo)
    for name in SCRIPT_NAMES:
        if name in scripts:
            body = scripts[name]
            writer.add(TarEntry(name, REGULAR, 0o755, 0, 0, len(body), mtime, uname="root", gname="root"), body)
    return gzip_member(out.getvalue())


def pkginfo_text(lines: list[tuple[str, str]]) -> bytes:
    """`.PKGINFO` contents from (key, value) pairs, in the given order."""
    return "".join(f"{key} = {value}\n" for key, value in lines).encode("utf-8", "surrogateescape")


def build(pkginfo: list[tuple[str, str]], members: list[tuple[TarEntry, bytes]], scripts: dict[str, bytes] | None = None,
          signer: tuple[str, str, str] | None = None, mtime: int = 0) -> bytes:
    """A complete v2 package: the data stream's SHA-256 goes into .PKGINFO as `datahash`,
    and `signer` = (private key path, key name, "sha1"|"sha256") signs the control stream."""
    data = data_stream(members)
    info = pkginfo_text(list(pkginfo) + [("datahash", digests.new("sha256", data).hexdigest())])
    control = control_stream(info, scripts or {}, mtime)
    signature = b""
    if signer is not None:
        key_path, key_name, algorithm = signer
        signature = trust.signature_stream(key_path, key_name, control, algorithm, mtime)
    return signature + control + data
