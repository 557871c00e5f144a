"""Trusted keys and RSA signatures as apk uses them (PKCS#1 v1.5 with SHA-1 or SHA-256).

Verification is done here with Python's own big integers: it is one modular
exponentiation and a byte comparison against the full expected encoding (RFC 8017
8.2.2, no padding parsing), and it keeps the `cryptography` import (~20 ms) off every
command that only reads signed indexes. Signing and key generation use `cryptography`.
"""

from __future__ import annotations

import base64
import os

from apk_py.digests import SIZES
from apk_py.errors import FormatError

# DER DigestInfo prefixes (RFC 8017 section 9.2, note 1).
_DIGEST_INFO = {
    "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}
_RSA_OID = bytes.fromhex("2a864886f70d010101")


class PublicKey:
    """An RSA public key known by the file name apk refers to it by."""

    __slots__ = ("name", "modulus", "exponent")

    def __init__(self, name: str, modulus: int, exponent: int):
        self.name = name
        self.modulus = modulus
        self.exponent = exponent

    @property
    def size(self) -> int:
        return (self.modulus.bit_length() + 7) // 8

    def verify(self, signature: bytes, digest: bytes, algorithm: str) -> bool:
        """True when `signature` is this key's PKCS#1 v1.5 signature of `digest`."""
        k = self.size
        if len(signature) != k or len(digest) != SIZES.get(algorithm):
            return False
        value = int.from_bytes(signature, "big")
        if value >= self.modulus:
            return False
        encoded = pow(value, self.exponent, self.modulus).to_bytes(k, "big")
        digest_info = _DIGEST_INFO[algorithm] + digest
        if k < len(digest_info) + 11:
            return False
        expected = b"\x00\x01" + b"\xff" * (k - len(digest_info) - 3) + b"\x00" + digest_info
        return encoded == expected  # public values: no timing secret to protect


def _der_item(data: bytes, pos: int, tag: int, source) -> tuple[bytes, int]:
    """Read one DER TLV with the expected tag at `pos`; return (value, position after it)."""
    if pos + 2 > len(data) or data[pos] != tag:
        raise FormatError(source, "not an RSA public key")
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise FormatError(source, "not an RSA public key")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise FormatError(source, "truncated RSA public key")
    return data[pos : pos + length], pos + length


def _rsa_numbers(der: bytes, source) -> tuple[int, int]:
    """(modulus, exponent) from an RSAPublicKey SEQUENCE."""
    body, _ = _der_item(der, 0, 0x30, source)
    modulus, pos = _der_item(body, 0, 0x02, source)
    exponent, _ = _der_item(body, pos, 0x02, source)
    return int.from_bytes(modulus, "big"), int.from_bytes(exponent, "big")


def parse_public_key(name: str, pem: bytes, source=None) -> PublicKey:
    """Parse a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1)."""
    source = source or name
    text = pem.decode("ascii", "replace")
    for label in ("PUBLIC KEY", "RSA PUBLIC KEY"):
        begin, end = f"-----BEGIN {label}-----", f"-----END {label}-----"
        if begin in text and end in text:
            body = text.split(begin, 1)[1].split(end, 1)[0]
            try:
                der = base64.b64decode("".join(body.split()), validate=True)
            except ValueError:
                raise FormatError(source, "public key is not valid base64") from None
            if label == "RSA PUBLIC KEY":
                modulus, exponent = _rsa_numbers(der, source)
            else:
                info, _ = _der_item(der, 0, 0x30, source)
                algorithm, pos = _der_item(info, 0, 0x30, source)
                oid, _ = _der_item(algorithm, 0, 0x06, source)
                if oid != _RSA_OID:
                    raise FormatError(source, "public key is not an RSA key")
                bits, _ = _der_item(info, pos, 0x03, source)
                if not bits or bits[0] != 0:
                    raise FormatError(source, "not an RSA public key")
                modulus, exponent = _rsa_numbers(bits[1:], source)
            if modulus.bit_length() < 1024 or exponent < 3 or exponent % 2 == 0:
                raise FormatError(source, "RSA public key is too weak or malformed")
            return PublicKey(name, modulus, exponent)
    raise FormatError(source, "no PEM public key found")


def load_keys(directory: str) -> dict[str, PublicKey]:
    """All public keys in a keys directory, by file name; unreadable or non-key files are skipped."""
    keys: dict[str, PublicKey] = {}
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return keys
    for name in names:
        path = os.path.join(directory, name)
        try:
            with open(path, "rb") as handle:
                keys[name] = parse_public_key(name, handle.read(65536), path)
        except (OSError, FormatError):
            continue
    return keys


# --- signing side: only repository tooling gets here, so cryptography is imported lazily ---


def _private_key(path: str):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        with open(path, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
    except OSError as exc:
        raise FormatError(path, exc.strerror or str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise FormatError(path, f"not a usable private key ({exc})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise FormatError(path, "not an RSA private key")
    return key


def sign(private_key_path: str, message: bytes, algorithm: str = "sha1") -> bytes:
    """PKCS#1 v1.5 signature of `message` with the PEM private key at the given path."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    key = _private_key(private_key_path)
    chosen = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256(), "sha512": hashes.SHA512()}[algorithm]
    return key.sign(message, padding.PKCS1v15(), chosen)


def public_pem_of(private_key_path: str) -> bytes:
    """The SubjectPublicKeyInfo PEM matching a private key (what goes in etc/apk/keys)."""
    from cryptography.hazmat.primitives import serialization

    return _private_key(private_key_path).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def generate(bits: int = 4096) -> tuple[bytes, bytes]:
    """A new RSA key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


class Signature:
    """One `.SIGN.RSA.<key>` (SHA-1) or `.SIGN.RSA256.<key>` (SHA-256) member."""

    __slots__ = ("algorithm", "key_name", "blob")

    def __init__(self, algorithm: str, key_name: str, blob: bytes):
        self.algorithm = algorithm
        self.key_name = key_name
        self.blob = blob

    @property
    def member_name(self) -> str:
        return (".SIGN.RSA256." if self.algorithm == "sha256" else ".SIGN.RSA.") + self.key_name


_SIGNATURE_PREFIXES = ((".SIGN.RSA256.", "sha256"), (".SIGN.RSA512.", "sha512"), (".SIGN.RSA.", "sha1"))


def signature_kind(member_name: str) -> tuple[str, str] | None:
    """(algorithm, key name) for a signature member name, None for anything else."""
    for prefix, algorithm in _SIGNATURE_PREFIXES:
        if member_name.startswith(prefix) and len(member_name) > len(prefix):
            return algorithm, member_name[len(prefix) :]
    return None


def check(signatures: list[Signature], keys: dict[str, PublicKey], digests: dict[str, bytes], source) -> PublicKey:
    """Return the trusted key that made a valid signature, or raise TrustError saying why not.

    `digests` maps each algorithm to the digest of the signed bytes. One valid signature by
    a trusted key is enough (a multi-signed Wolfi index is trusted by any of its keys).
    """
    from apk_py.errors import TrustError

    if not signatures:
        raise TrustError(source, "UNTRUSTED signature: the file is not signed")
    known = [sig for sig in signatures if sig.key_name in keys]
    if not known:
        names = ", ".join(sig.key_name for sig in signatures)
        raise TrustError(source, f"UNTRUSTED signature: no trusted key for {names}")
    for sig in known:
        key = keys[sig.key_name]
        if key.verify(sig.blob, digests[sig.algorithm], sig.algorithm):
            return key
    raise TrustError(source, f"BAD signature: does not verify with key {known[0].key_name}")


def read_signatures(content: bytes, source) -> list[Signature] | None:
    """The signatures in an inflated signature stream, or None when it is not one."""
    import io

    from apk_py.tarfmt import TarReader

    reader = TarReader(io.BytesIO(content), source)
    signatures = []
    for entry in reader:
        kind = signature_kind(entry.name)
        if kind is None:
            if signatures:
                raise FormatError(source, f"unexpected member {entry.name} in the signature stream")
            return None
        if entry.size > 65536:
            raise FormatError(source, f"signature {entry.name} is {entry.size} bytes, too large")
        signatures.append(Signature(kind[0], kind[1], reader.read()))
    return signatures or None


def signature_stream(private_key_path: str, key_name: str, message: bytes, algorithm: str = "sha1", mtime: int = 0) -> bytes:
    """The gzip'd, cut signature tar holding one `.SIGN.RSA*.<key_name>` over `message`."""
    import io

    from apk_py.gzstream import gzip_member
    from apk_py.tarfmt import REGULAR, TarEntry, TarWriter

    blob = sign(private_key_path, message, algorithm)
    name = Signature(algorithm, key_name, blob).member_name
    out = io.BytesIO()
    TarWriter(out).add(TarEntry(name, REGULAR, 0o644, 0, 0, len(blob), mtime, uname="root", gname="root"), blob)
    return gzip_member(out.getvalue())
