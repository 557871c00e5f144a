"""APKINDEX: real signed indexes verify and parse losslessly; hostile ones are refused."""

import io
import tarfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apk_py import index, trust
from apk_py.errors import FormatError, TrustError
from support import fixture, needs_shared


def keys_from(*parts):
    return trust.load_keys(str(fixture(*parts)))


def test_alpine_v316_verifies_and_parses():
    ix = index.read(str(fixture("alpine/v3.16/main/x86_64/APKINDEX.tar.gz")), keys_from("alpine/keys"))
    assert len(ix.packages) == 4929
    assert ix.signer.name == "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub"
    assert ix.description == "v3.16.3-13-g4d933a1fa3"
    musl = [p for p in ix.packages if p.name == "musl"][0]
    assert musl.version == "1.2.3-r2" and musl.checksum.startswith("Q1")


def test_alpine_v317_aarch64_verifies_and_parses():
    path = needs_shared("fixtures", "alpine", "v3.17", "main", "aarch64", "APKINDEX.tar.gz")
    ix = index.read(str(path), keys_from("alpine/keys"))
    assert len(ix.packages) == 5004
    assert ix.signer.name.endswith("616ae350.rsa.pub")


def test_rsa256_and_multisig_indexes_verify():
    assert index.read(str(fixture("rsa256/APKINDEX.tar.gz")), keys_from("rsa256")).signer.name == "test-rsa256.rsa.pub"
    multi = index.read(str(fixture("multisig/APKINDEX.tar.gz")), keys_from("multisig/keys"))
    assert len(multi.signatures) == 3 and multi.signer is not None


def test_melange_index_verifies():
    ix = index.read(str(fixture("melange/x86_64/APKINDEX.tar.gz")), keys_from("melange"))
    assert sorted(p.name for p in ix.packages) == ["custom-ca-certs-1", "custom-ca-certs-2", "pretend-baselayout", "replayout"]


def test_parse_write_parse_is_lossless_on_real_indexes():
    for parts in (("alpine/v3.16/main/x86_64/APKINDEX.tar.gz", "alpine/keys"), ("multisig/APKINDEX.tar.gz", "multisig/keys")):
        ix = index.read(str(fixture(parts[0])), keys_from(parts[1]))
        again = index.parse_text(index.format_text(ix.packages), "rewritten")
        assert [p.fields for p in again] == [p.fields for p in ix.packages]


def test_repeated_list_fields_add_up_as_apk_reads_them():
    (pkg,) = index.parse_text(b"P:a\nV:1\nD:b\nD:c>=2\np:so:x.so=1\n", "t")
    assert pkg.fields["D"] == "b c>=2" and [str(dep) for dep in pkg.depends] == ["b", "c>=2"]


def test_unknown_fields_are_kept():
    text = b"C:Q1x=\nP:a\nV:1\nZ:future\nx:lower\n\n"
    (pkg,) = index.parse_text(text, "t")
    assert pkg.fields["Z"] == "future" and pkg.fields["x"] == "lower"
    assert index.format_text([pkg]) == text


def test_missing_key_and_wrong_key_are_refused(tmp_path):
    path = str(fixture("alpine/v3.16/main/x86_64/APKINDEX.tar.gz"))
    with pytest.raises(TrustError, match="UNTRUSTED"):
        index.read(path, {})
    wrong = keys_from("melange")["melange.rsa.pub"]
    impostor = trust.PublicKey("alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", wrong.modulus, wrong.exponent)
    with pytest.raises(TrustError, match="BAD signature"):
        index.read(path, {impostor.name: impostor})
    assert len(index.read(path, {}, allow_untrusted=True).packages) == 4929


def test_flipped_bytes_are_refused():
    data = fixture("melange/x86_64/APKINDEX.tar.gz").read_bytes()
    keys = keys_from("melange")
    # Bytes 4-9 of the signature stream's gzip header (mtime, flags, OS) carry nothing signed.
    for position in range(10, len(data), max(1, len(data) // 60)):
        corrupt = bytearray(data)
        corrupt[position] ^= 0x01
        with pytest.raises((FormatError, TrustError)):
            index.load(bytes(corrupt), "corrupt", keys)


def test_truncations_are_refused():
    data = fixture("melange/x86_64/APKINDEX.tar.gz").read_bytes()
    for cut in range(0, len(data) - 1, 37):
        with pytest.raises((FormatError, TrustError)):
            index.load(data[:cut], "truncated", keys_from("melange"))


def _unsigned_index(text: bytes, name="APKINDEX", size=None) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
    data = out.getvalue()
    return data


@pytest.mark.parametrize(
    "text, reason",
    [
        (b"P:a\nV:1\n\xff\xfe\n", "not valid UTF-8"),
        (b"P:a\nP:b\nV:1\n", "repeats the field 'P:'"),
        (b"V:1\n", "has no P: field"),
        (b"P:a\ngarbage\n", "not a 'X:value' field"),
    ],
)
def test_malformed_text_is_refused_with_its_reason(text, reason):
    with pytest.raises(FormatError, match=reason):
        index.load(_unsigned_index(text), "bad", allow_untrusted=True)


def test_gzip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(index, "BODY_LIMIT", 1 << 20)
    bomb = _unsigned_index(b"P:a\nV:1\nT:" + b"x" * (4 << 20) + b"\n")
    with pytest.raises(FormatError, match="gzip bomb"):
        index.load(bomb, "bomb", allow_untrusted=True)


def test_member_with_absurd_size_is_refused():
    data = bytearray(io.BytesIO(_raw_tar(b"P:a\nV:1\n")).getvalue())
    data[124:136] = b"77777777777\0"
    checksum = sum(data[:148]) + 256 + sum(data[156:512])
    data[148:156] = b"%06o\0 " % checksum
    import gzip

    with pytest.raises(FormatError, match="unexpected end"):
        index.load(gzip.compress(bytes(data)), "huge", allow_untrusted=True)


def _raw_tar(text: bytes) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("APKINDEX")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
    return out.getvalue()


def test_not_gzip_is_refused():
    with pytest.raises(FormatError, match="not a gzip file"):
        index.load(b"hello world", "plain", allow_untrusted=True)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_text_never_crashes_the_parser(text):
    try:
        index.parse_text(text, "fuzz")
    except FormatError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(list("CVASITULomtcDpik")), st.from_regex(r"[ -~]{0,20}", fullmatch=True)), max_size=5),
       st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), min_size=5, max_size=5))
def test_format_then_parse_round_trips(records, names):
    from apk_py.package import Package

    packages = [Package({"P": name, **fields}) for name, fields in zip(names, records)]
    assert [p.fields for p in index.parse_text(index.format_text(packages), "t")] == [p.fields for p in packages]
