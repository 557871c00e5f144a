"""md5sum, sha1sum, sha256sum, sha512sum, sha3sum: print or check message digests.

Start-up matters more than anything here (scripts hash many small inputs), so the
hash comes from CPython's small built-in modules (_md5, _sha256, ...) unless the input
turns out to be large, when OpenSSL's faster code (_hashlib) is worth loading.
"""

import os

from applets._textio import close_input, open_or_warn
from applets.common import Fail, UsageError, getopt, stdout, warn

USAGE_TEMPLATE = """{name} [-c[sw]] {bits}[FILE]...

Print the {title} checksum of each FILE (stdin if none or -), or check them

\t-c\tThe FILEs are lists of checksums to verify
\t-s\tWith -c: print nothing, only the exit status tells
\t-w\tWith -c: warn about malformed lines{bits_help}"""

TITLES = {"md5sum": "MD5", "sha1sum": "SHA1", "sha256sum": "SHA256", "sha512sum": "SHA512", "sha3sum": "SHA3"}


def _usage(name: str) -> str:
    sha3 = name == "sha3sum"
    return USAGE_TEMPLATE.format(
        name=name,
        title=TITLES.get(name, "MD5"),
        bits="[-a BITS] " if sha3 else "",
        bits_help="\n\t-a BITS\tDigest size: 224 (default), 256, 384 or 512" if sha3 else "",
    )


USAGES = {name: _usage(name) for name in TITLES}
USAGE = USAGES["md5sum"]


# Inputs up to this size are hashed by the built-in module; bigger ones by OpenSSL.
SMALL = 256 * 1024
CHUNK = 1 << 20

# algorithm -> (built-in module, its constructor)
BUILTIN = {
    "md5": ("_md5", "md5"),
    "sha1": ("_sha1", "sha1"),
    "sha256": ("_sha256", "sha256"),
    "sha512": ("_sha512", "sha512"),
    "sha3_224": ("_sha3", "sha3_224"),
    "sha3_256": ("_sha3", "sha3_256"),
    "sha3_384": ("_sha3", "sha3_384"),
    "sha3_512": ("_sha3", "sha3_512"),
}


def _new_hash(algorithm: str, large: bool):
    if large:
        try:
            import _hashlib

            return _hashlib.new(algorithm)
        except (ImportError, ValueError):
            pass
    module, constructor = BUILTIN[algorithm]
    return getattr(__import__(module), constructor)()


def _digest_fd(fd: int, algorithm: str) -> str:
    """Hex digest of everything readable from fd. Reads the first SMALL bytes to pick the hasher."""
    head = []
    size = 0
    while size <= SMALL:
        data = os.read(fd, CHUNK)
        if not data:
            break
        head.append(data)
        size += len(data)
    hasher = _new_hash(algorithm, size > SMALL)
    for data in head:
        hasher.update(data)
    if size > SMALL:
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        while count := os.readv(fd, [buffer]):
            hasher.update(view[:count])
    return hasher.hexdigest()


def _hash_file(path: str, algorithm: str) -> str | None:
    """Digest of PATH (`-` is stdin), or None after a BusyBox-worded warning."""
    fd = open_or_warn(path)
    if fd is None:
        return None
    try:
        return _digest_fd(fd, algorithm)
    except OSError as exc:
        warn(f"can't read '{path}': {exc.strerror}")
        return None
    finally:
        close_input(fd)


def _check(list_path: str, algorithm: str, silent: bool, warn_format: bool, out) -> bool:
    """Verify every `HASH  FILE` line of LIST_PATH; True when all of them matched."""
    try:
        fd = 0 if list_path == "-" else os.open(list_path, os.O_RDONLY)
        with open(fd, "rb", closefd=fd != 0) as listing:
            lines = listing.read().split(b"\n")
    except OSError as exc:
        raise Fail(f"{list_path}: {exc.strerror}") from None
    if lines[-1] == b"":
        lines.pop()
    total = failed = 0
    for line in lines:
        total += 1
        expected, space, name = line.partition(b" ")
        if space and name[:1] in (b" ", b"*"):
            name = name[1:]  # "HASH  FILE" or "HASH *FILE"; GNU also takes one space
        if not space:
            if warn_format:
                warn("invalid format")
            failed += 1
            continue
        path = os.fsdecode(name)
        actual = _hash_file(path, algorithm)
        good = actual is not None and actual.encode() == expected
        if not good:
            failed += 1
        if not silent:
            out.write(name + (b": OK\n" if good else b": FAILED\n"))
    if failed and not silent:
        out.flush()
        warn(f"WARNING: {failed} of {total} computed checksums did NOT match")
    if not total:
        warn(f"{list_path}: no checksum lines found")
        return False
    return not failed


def main(argv: list[str]) -> int:
    name = argv[0]
    sha3 = name == "sha3sum"
    options, files = getopt(argv[1:], "scwbta:" if sha3 else "scwbt")
    flags = {option for option, _ in options}
    if flags & {"-s", "-w"} and "-c" not in flags:
        raise UsageError()
    algorithm = {"md5sum": "md5", "sha1sum": "sha1", "sha256sum": "sha256", "sha512sum": "sha512"}.get(name)
    if sha3:
        bits = 224
        for option, value in options:
            if option == "-a":
                if not (value.isascii() and value.isdigit()):
                    raise Fail(f"invalid number '{value}'")
                bits = int(value)
        if bits not in (224, 256, 384, 512):
            raise Fail(f"bad -a{bits}")
        algorithm = f"sha3_{bits}"
    out = stdout()
    status = 0
    for path in files or ["-"]:
        if "-c" in flags:
            if not _check(path, algorithm, "-s" in flags, "-w" in flags, out):
                status = 1
            continue
        digest = _hash_file(path, algorithm)
        if digest is None:
            status = 1
        else:
            out.write(f"{digest}  {path}\n".encode("utf-8", "surrogateescape"))
    return status
