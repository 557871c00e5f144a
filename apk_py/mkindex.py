"""Repository tooling: index records from packages, index files, signing files in place."""

from __future__ import annotations

import functools
import io
import os

from apk_py import apkfile, index, trust
from apk_py.errors import FormatError
from apk_py.gzstream import MemberSplitter
from apk_py.package import Package, index_header
from apk_py.version import GREATER, LESS, compare


def record_for(path: str, rewrite_arch: str | None = None) -> Package:
    """The index record of a package file, with its fields exactly as apk index writes them."""
    with apkfile.ApkFile.open(path) as package:
        fields = package.package().fields
    if rewrite_arch:
        fields["A"] = rewrite_arch
    text = index_header(fields)
    return Package({line[0]: line[2:] for line in text.splitlines()})


def build_index(paths: list[str], description: str = "", old: str | None = None, rewrite_arch: str | None = None) -> bytes:
    """An unsigned APKINDEX.tar.gz for the given package files, sorted by name and version.

    With `old`, records of packages whose name, version and size are unchanged are reused
    from that index instead of reading the package again (apk index --index).
    """
    reusable = {}
    if old:
        with open(old, "rb") as handle:
            for pkg in index.load(handle.read(), old, allow_untrusted=True).packages:
                reusable[(pkg.name, pkg.version, pkg.size)] = pkg
    records = []
    for path in paths:
        name_version = os.path.basename(path)[: -len(".apk")] if path.endswith(".apk") else None
        size = os.path.getsize(path)
        record = next((pkg for (n, v, s), pkg in reusable.items() if name_version == f"{n}-{v}" and s == size), None)
        records.append(record if record is not None and not rewrite_arch else record_for(path, rewrite_arch))
    records.sort(key=functools.cmp_to_key(_by_name_then_version))
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return index.build(records, description, mtime)


def _by_name_then_version(a: Package, b: Package) -> int:
    if a.name != b.name:
        return -1 if a.name < b.name else 1
    order = compare(a.version, b.version)
    return -1 if order == LESS else 1 if order == GREATER else 0


def strip_signatures(data: bytes, source) -> bytes:
    """The file without its leading signature stream(s), if it has any."""
    while True:
        splitter = MemberSplitter(io.BytesIO(data), source)
        if splitter.peek(6) != b".SIGN.":
            return data
        raw, _ = splitter.next_member(apkfile.SIGNATURE_LIMIT, "signature")
        data = data[len(raw) :]


def sign_file(path: str, private_key: str, algorithm: str = "sha1", key_name: str | None = None) -> str:
    """Sign an index or a package in place (replacing existing signatures); returns the key name.

    A package is signed over its control stream (and over its data too when its .PKGINFO
    has no datahash), an index over everything after the signature, as apk verifies them.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise FormatError(path, exc.strerror or str(exc)) from None
    body = strip_signatures(data, path)
    key_name = key_name or os.path.basename(private_key) + ".pub"
    splitter = MemberSplitter(io.BytesIO(body), path)
    message = body
    if splitter.peek(8) == b".PKGINFO":
        package = apkfile.ApkFile(io.BytesIO(body), path)
        if package.pkginfo.get("datahash"):
            message = package.control_raw
    signed = trust.signature_stream(private_key, key_name, message, algorithm) + body
    from apk_py.fsutil import atomic_write

    atomic_write(path, signed)
    return key_name
