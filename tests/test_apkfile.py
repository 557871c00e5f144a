"""v2 packages: real ones verify; every kind of tampering is refused with a one-line reason."""

import gzip
import io
import zlib

import pytest

from apk_py import apkfile, trust
from apk_py.errors import FormatError, PkError, TrustError
from apk_py.tarfmt import DIRECTORY, REGULAR, SYMLINK, TarEntry
from support import fixture

MELANGE_KEY = "melange.rsa.pub"


def melange_keys():
    return trust.load_keys(str(fixture("melange")))


def open_bytes(data: bytes, name="pkg.apk"):
    return apkfile.ApkFile(io.BytesIO(data), name)


def verify_fully(data: bytes, keys, expected=None):
    package = open_bytes(data)
    signer = package.verify(keys, expected_checksum=expected)
    package.check_contents()
    return signer


def test_real_alpine_package_verifies():
    path = fixture("alpine/packages/alpine-baselayout-3.2.0-r23.apk")
    with apkfile.ApkFile.open(str(path)) as package:
        signer = package.verify(trust.load_keys(str(fixture("alpine/keys"))))
        assert signer.name.endswith("616ae350.rsa.pub")
        assert package.check_contents() == 83
        assert package.pkginfo["P"] == "alpine-baselayout" and package.pkginfo["V"] == "3.2.0-r23"
        assert set(package.scripts()) == {".pre-install", ".pre-upgrade", ".post-upgrade", ".post-install"}
        assert "alpine-baselayout-data=3.2.0-r23" in package.pkginfo["D"]


def test_melange_packages_match_their_index():
    from apk_py import index

    ix = index.read(str(fixture("melange/x86_64/APKINDEX.tar.gz")), melange_keys())
    for pkg in ix.packages:
        path = fixture("melange/x86_64", f"{pkg.name}-{pkg.version}.apk")
        with apkfile.ApkFile.open(str(path)) as package:
            assert package.verify(melange_keys(), expected_checksum=pkg.checksum).name == MELANGE_KEY
            assert package.checksum == pkg.checksum
            assert package.package().size == pkg.size


def test_hello_wolfi_parses():
    path = fixture("wolfi/hello-wolfi-2.12.1-r0.apk")
    with apkfile.ApkFile.open(str(path)) as package:
        assert package.pkginfo["P"] == "hello-wolfi"
        assert package.signatures[0].key_name == "melange.rsa.pub"
        assert package.check_contents() > 0


def test_identity_mismatch_is_refused():
    data = fixture("melange/x86_64/replayout-1.0.0-r0.apk").read_bytes()
    with pytest.raises(TrustError, match="BAD checksum"):
        open_bytes(data).verify(melange_keys(), expected_checksum="Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=")


def _members(data: bytes):
    """(start, end) of each gzip member of a package."""
    spans, position = [], 0
    while position < len(data):
        inflater = zlib.decompressobj(31)
        inflater.decompress(data[position:])
        end = len(data) - len(inflater.unused_data)
        spans.append((position, end))
        position = end
    return spans


def test_flipped_byte_in_every_stream_is_refused():
    data = fixture("melange/x86_64/replayout-1.0.0-r0.apk").read_bytes()
    keys = melange_keys()
    spans = _members(data)
    assert len(spans) == 3
    tested = 0
    for number, (start, end) in enumerate(spans):
        # the signature stream's gzip header fields (mtime, flags, OS) are not signed content
        first = start + 10 if number == 0 else start
        for position in range(first, end, max(1, (end - first) // 25)):
            corrupt = bytearray(data)
            corrupt[position] ^= 0x20
            try:
                verify_fully(bytes(corrupt), keys)
            except PkError:
                tested += 1
                continue
            # Accepted only if the flip is meaningless: the unsigned signature stream can
            # carry a flipped bit in an unused Huffman code length and still inflate identically.
            assert number == 0
            assert zlib.decompress(bytes(corrupt[start:end]), 31) == zlib.decompress(data[start:end], 31)
    assert tested > 60


def test_wrong_key_and_no_key_are_refused():
    data = fixture("melange/x86_64/replayout-1.0.0-r0.apk").read_bytes()
    with pytest.raises(TrustError, match="UNTRUSTED"):
        verify_fully(data, {})
    other = trust.load_keys(str(fixture("rsa256")))["test-rsa256.rsa.pub"]
    with pytest.raises(TrustError, match="BAD signature"):
        verify_fully(data, {MELANGE_KEY: trust.PublicKey(MELANGE_KEY, other.modulus, other.exponent)})


def test_truncated_packages_are_refused():
    data = fixture("melange/x86_64/replayout-1.0.0-r0.apk").read_bytes()
    for cut in range(0, len(data) - 1, 53):
        with pytest.raises(PkError):
            verify_fully(data[:cut], melange_keys())


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    directory = tmp_path_factory.mktemp("keys")
    private, public = trust.generate(bits=2048)
    (directory / "test.rsa").write_bytes(private)
    keys = {"test.rsa.pub": trust.parse_public_key("test.rsa.pub", public)}
    return (str(directory / "test.rsa"), "test.rsa.pub", "sha256"), keys


INFO = [("pkgname", "demo"), ("pkgver", "1.0-r0"), ("arch", "noarch"), ("size", "5")]


def demo_members():
    return [
        (TarEntry("usr/", DIRECTORY, 0o755), b""),
        (TarEntry("usr/hello", REGULAR, 0o644, size=5), b"hello"),
        (TarEntry("usr/link", SYMLINK, 0o777, linkname="hello"), b""),
    ]


def test_built_package_verifies(signer):
    key, keys = signer
    data = apkfile.build(INFO, demo_members(), {".post-install": b"#!/bin/sh\n"}, key)
    assert verify_fully(data, keys).name == "test.rsa.pub"
    assert apkfile.build(INFO, demo_members(), {".post-install": b"#!/bin/sh\n"}, key) == data


def test_per_file_checksum_mismatch_is_refused(signer):
    import hashlib

    from apk_py.gzstream import gzip_member
    from apk_py.tarfmt import TarWriter

    key, keys = signer
    out = io.BytesIO()
    writer = TarWriter(out)
    writer.add(TarEntry("usr/hello", REGULAR, 0o644, size=5, pax={apkfile.CHECKSUM_KEY: "0" * 40}), b"hello")
    writer.finish()
    data = gzip_member(out.getvalue())
    info = apkfile.pkginfo_text(INFO + [("datahash", hashlib.sha256(data).hexdigest())])
    control = apkfile.control_stream(info, {}, 0)
    package = open_bytes(trust.signature_stream(key[0], key[1], control, "sha256") + control + data)
    assert package.verify(keys).name == "test.rsa.pub"
    with pytest.raises(TrustError, match="BAD file checksum"):
        package.check_contents()


def test_control_gzip_bomb_is_refused(signer, monkeypatch):
    key, _ = signer
    monkeypatch.setattr(apkfile, "CONTROL_LIMIT", 1 << 20)
    data = apkfile.build(INFO + [("pkgdesc", "x" * (2 << 20))], demo_members(), None, key)
    with pytest.raises(FormatError, match="gzip bomb"):
        open_bytes(data)


def test_absurd_member_size_is_refused(signer):
    key, _ = signer
    raw = bytearray(gzip.decompress(apkfile.control_stream(b"pkgname = x\n", {}, 0)))
    raw[124:136] = b"77777777777\0"
    raw[148:156] = b"%06o\0 " % (sum(raw[:148]) + 256 + sum(raw[156:512]))
    with pytest.raises(FormatError, match="unexpected end"):
        open_bytes(gzip.compress(bytes(raw)))


@pytest.mark.parametrize(
    "pkginfo, reason",
    [
        (b"pkgname = a\npkgname = b\n", "duplicate field"),
        (b"pkgname = \xff\xfe\n", "not valid UTF-8"),
        (b"this is not pkginfo\n", "expected 'key = value'"),
    ],
)
def test_malformed_pkginfo_is_refused(pkginfo, reason):
    with pytest.raises(FormatError, match=reason):
        open_bytes(apkfile.control_stream(pkginfo, {}, 0) + apkfile.data_stream([]))


def test_package_without_pkginfo_is_refused():
    import tarfile

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        info = tarfile.TarInfo("hello")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(FormatError, match="no .PKGINFO"):
        open_bytes(out.getvalue())
