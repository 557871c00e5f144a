"""RSA PKCS#1 v1.5 verification (pure Python) agrees with the cryptography library."""

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from apk_py import trust
from apk_py.errors import FormatError

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
PKCS1_PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
HASHES = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "sha512": hashes.SHA512()}


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(sorted(HASHES)))
def test_valid_signatures_verify(message, algorithm):
    key = trust.parse_public_key("k", PEM)
    signature = KEY.sign(message, padding.PKCS1v15(), HASHES[algorithm])
    assert key.verify(signature, hashlib.new(algorithm, message).digest(), algorithm)


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=100), st.integers(0, 255), st.integers(0, 7))
def test_any_flipped_bit_fails(message, position, bit):
    key = trust.parse_public_key("k", PKCS1_PEM)
    signature = bytearray(KEY.sign(message, padding.PKCS1v15(), hashes.SHA256()))
    signature[position % len(signature)] ^= 1 << bit
    assert not key.verify(bytes(signature), hashlib.sha256(message).digest(), "sha256")


def test_wrong_digest_algorithm_and_lengths_fail():
    key = trust.parse_public_key("k", PEM)
    signature = KEY.sign(b"m", padding.PKCS1v15(), hashes.SHA1())
    assert not key.verify(signature, hashlib.sha256(b"m").digest(), "sha256")
    assert not key.verify(signature[:-1], hashlib.sha1(b"m").digest(), "sha1")
    assert not key.verify(b"\xff" * len(signature), hashlib.sha1(b"m").digest(), "sha1")


@pytest.mark.parametrize("pem", [b"", b"-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n",
                                 b"-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n"])
def test_malformed_keys_are_refused(pem):
    with pytest.raises(FormatError):
        trust.parse_public_key("bad", pem)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_key_bytes_never_crash(der):
    import base64

    pem = b"-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der) + b"\n-----END PUBLIC KEY-----\n"
    try:
        trust.parse_public_key("fuzz", pem)
    except FormatError:
        pass


def test_signing_round_trip(tmp_path):
    private, public = trust.generate(bits=2048)
    (tmp_path / "k.rsa").write_bytes(private)
    key = trust.parse_public_key("k.rsa.pub", public)
    for algorithm in ("sha1", "sha256"):
        blob = trust.sign(str(tmp_path / "k.rsa"), b"payload", algorithm)
        assert key.verify(blob, hashlib.new(algorithm, b"payload").digest(), algorithm)
    assert trust.public_pem_of(str(tmp_path / "k.rsa")) == public
