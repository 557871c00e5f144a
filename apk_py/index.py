"""APKINDEX v2: `APKINDEX.tar.gz`, a signature stream followed by a tar of DESCRIPTION and APKINDEX.

Reading verifies the signature over the raw bytes of the index body before trusting a
single record, then splits the text into package records; writing produces the same
layout, optionally signed, byte-reproducibly.
"""

from __future__ import annotations

import io
import re
import zlib

from apk_py import digests, trust
from apk_py.errors import FormatError, TrustError
from apk_py.gzstream import MemberSplitter, gzip_member
from apk_py.package import LIST_FIELDS, Package
from apk_py.tarfmt import BLOCK, REGULAR, TarEntry, TarReader, TarWriter

SIGNATURE_LIMIT = 1 << 20
BODY_LIMIT = 512 << 20


class Index:
    """A parsed index: its packages, description, and who signed it."""

    def __init__(self, packages: list[Package], description: str = "", signatures=(), signer=None):
        self.packages = packages
        self.description = description
        self.signatures = list(signatures)
        self.signer = signer


# A line (after the first) that is not `X:...`; blank-line runs are handled separately.
_BAD_LINE = re.compile(r"\n[^\n](?!:)")
_RECORD_GAP = re.compile(r"\n{2,}")


def parse_text(text: bytes, source) -> list[Package]:
    """Split APKINDEX text into records: `X:value` lines, records separated by blank lines.

    Validation runs as whole-buffer scans so the per-record work stays one dict build.
    """
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = text.count(b"\n", 0, exc.start) + 1
        raise FormatError(source, f"APKINDEX line {line} is not valid UTF-8") from None
    body = decoded.strip("\n")
    bad = _BAD_LINE.search("\n" + body)
    if bad:
        line = decoded.count("\n", 0, decoded.find(body) + bad.start()) + 1
        raise FormatError(source, f"APKINDEX line {line} is not a 'X:value' field")
    records = (_RECORD_GAP.split(body) if "\n\n\n" in body else body.split("\n\n")) if body else []
    # One dict per record, then whole-list checks: per-line Python work is the cost here.
    field_maps = [{line[0]: line[2:] for line in record.split("\n")} for record in records]
    line_counts = [record.count("\n") + 1 for record in records]
    for position in [i for i, fields in enumerate(field_maps) if len(fields) != line_counts[i]]:
        field_maps[position] = _fields_with_repeats(records[position], decoded, source)
    for position, fields in enumerate(field_maps):
        if "P" not in fields:
            line = decoded.count("\n", 0, decoded.find(records[position])) + 1
            raise FormatError(source, f"APKINDEX record at line {line} has no P: field")
    return list(map(Package, field_maps))


def _fields_with_repeats(record: str, decoded: str, source) -> dict[str, str]:
    """A record with repeated lines: list fields (D p i r) add up, as apk reads them;
    any other field given twice is refused."""
    fields: dict[str, str] = {}
    for line in record.split("\n"):
        key, value = line[0], line[2:]
        if key not in fields:
            fields[key] = value
        elif key in LIST_FIELDS:
            fields[key] = f"{fields[key]} {value}"
        else:
            number = decoded.count("\n", 0, decoded.find(record)) + 1
            raise FormatError(source, f"APKINDEX record at line {number} repeats the field '{key}:'")
    return fields


def format_text(packages) -> bytes:
    """APKINDEX text for records, each written field by field in its own order."""
    out = []
    for pkg in packages:
        out.extend(f"{key}:{value}\n" for key, value in pkg.fields.items())
        out.append("\n")
    return "".join(out).encode("utf-8", "surrogateescape")


def _first_member_is_signature(data: bytes, source) -> bool:
    """Peek at the first tar header: a signed index starts with a `.SIGN.` member."""
    if data[:2] != b"\x1f\x8b":
        raise FormatError(source, "not a gzip file")
    try:
        head = zlib.decompressobj(31).decompress(data[:65536], BLOCK)
    except zlib.error as exc:
        raise FormatError(source, f"index is not valid gzip ({exc})") from None
    return head.startswith(b".SIGN.")


def _inflate_all(body, source) -> bytes:
    """Every gzip member of the index body, inflated, refusing more than BODY_LIMIT bytes."""
    parts, produced, rest = [], 0, body
    try:
        while rest:
            inflater = zlib.decompressobj(31)
            out = inflater.decompress(rest, BODY_LIMIT + 1 - produced)
            produced += len(out)
            parts.append(out)
            if produced > BODY_LIMIT:
                raise FormatError(source, f"index body expands beyond {BODY_LIMIT} bytes (gzip bomb?)")
            if not inflater.eof:
                raise FormatError(source, "index body is truncated")
            rest = inflater.unused_data
    except zlib.error as exc:
        raise FormatError(source, f"index body is not valid gzip ({exc})") from None
    return b"".join(parts)


def verify(data: bytes, source, keys: dict | None = None, allow_untrusted: bool = False):
    """Check an APKINDEX.tar.gz's signature; returns (body, signatures, signer).

    The signature covers the raw bytes after the signature stream (`body`) and must
    verify with a trusted key unless `allow_untrusted` (apk's --allow-untrusted).
    """
    signatures: list[trust.Signature] = []
    body = data
    if _first_member_is_signature(data, source):
        raw, content = MemberSplitter(io.BytesIO(data), source).next_member(SIGNATURE_LIMIT, "signature")
        signatures = trust.read_signatures(content, source) or []
        body = memoryview(data)[len(raw) :]
    signer = None
    try:
        signed = {algorithm: digests.new(algorithm, body).digest() for algorithm in {sig.algorithm for sig in signatures}}
        signer = trust.check(signatures, keys or {}, signed, source)
    except TrustError:
        if not allow_untrusted:
            raise
    return body, signatures, signer


def unpack(body, source):
    """The APKINDEX member (a view of the inflated tar, uncopied) and DESCRIPTION of a verified body."""
    tar = _inflate_all(body, source)
    stream = io.BytesIO(tar)
    reader = TarReader(stream, source)
    text = description = None
    for entry in reader:
        if entry.name == "APKINDEX" and entry.is_file:
            start = stream.tell()
            if start + reader.remaining > len(tar):
                raise FormatError(source, "unexpected end of file inside a tar member")
            text = memoryview(tar)[start : start + reader.remaining]
        elif entry.name == "DESCRIPTION" and entry.is_file:
            description = reader.read().decode("utf-8", "replace").strip()
    if text is None:
        raise FormatError(source, "not an index: no APKINDEX member")
    return text, description or ""


def load(data: bytes, source, keys: dict | None = None, allow_untrusted: bool = False) -> Index:
    """Verify, then unpack and parse, an APKINDEX.tar.gz held in memory."""
    body, signatures, signer = verify(data, source, keys, allow_untrusted)
    text, description = unpack(body, source)
    return Index(parse_text(bytes(text), source), description, signatures, signer)


def read(path: str, keys: dict | None = None, allow_untrusted: bool = False) -> Index:
    """Verify and parse the APKINDEX.tar.gz at `path`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise FormatError(path, exc.strerror or str(exc)) from None
    return load(data, path, keys, allow_untrusted)


def _tar(members: list[tuple[TarEntry, bytes]]) -> bytes:
    out = io.BytesIO()
    writer = TarWriter(out)
    for entry, data in members:
        writer.add(entry, data)
    writer.finish()
    return out.getvalue()


def build(packages, description: str = "", mtime: int = 0) -> bytes:
    """The unsigned index body: a gzip'd tar of DESCRIPTION and APKINDEX."""
    text = format_text(packages)
    desc = description.encode("utf-8")
    members = [
        (TarEntry("DESCRIPTION", REGULAR, 0o644, 0, 0, len(desc), mtime, uname="root", gname="root"), desc),
        (TarEntry("APKINDEX", REGULAR, 0o644, 0, 0, len(text), mtime, uname="root", gname="root"), text),
    ]
    return gzip_member(_tar(members))
