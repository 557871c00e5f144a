"""md5sum and the sha*sums (one module): digests, -c checking, sha3 widths, errors."""

import hashlib

import pytest

DATA = b"The quick brown fox jumps over the lazy dog\n" + bytes(range(256))


@pytest.mark.parametrize(
    "name, algorithm",
    [("md5sum", "md5"), ("sha1sum", "sha1"), ("sha256sum", "sha256"), ("sha512sum", "sha512"), ("sha3sum", "sha3_224")],
)
def test_digests_of_stdin_and_files(applet, tmp_path, name, algorithm):
    (tmp_path / "f").write_bytes(DATA)
    digest = hashlib.new(algorithm, DATA).hexdigest()
    assert applet(name, input=DATA).stdout == f"{digest}  -\n".encode()
    assert applet(name, "f", "-b", "-t").stdout == f"{digest}  f\n".encode()


def test_large_input_switches_implementation_transparently(applet, tmp_path):
    big = bytes(range(256)) * 8192  # 2 MiB: past the small-input threshold
    (tmp_path / "big").write_bytes(big)
    assert applet("sha256sum", "big").stdout == f"{hashlib.sha256(big).hexdigest()}  big\n".encode()
    assert applet("md5sum", input=big).stdout == f"{hashlib.md5(big).hexdigest()}  -\n".encode()


def test_sha3_widths(applet):
    for bits in (224, 256, 384, 512):
        digest = hashlib.new(f"sha3_{bits}", DATA).hexdigest()
        assert applet("sha3sum", "-a", str(bits), input=DATA).stdout == f"{digest}  -\n".encode()
    assert applet("sha3sum", "-a", "100").stderr == b"sha3sum: bad -a100\n"


def test_check_mode(applet, tmp_path):
    (tmp_path / "good").write_bytes(DATA)
    (tmp_path / "EMPTY").write_bytes(b"")
    md5 = hashlib.md5(DATA).hexdigest()
    listing = f"{md5}  good\n{md5} *EMPTY\nnot-a-checksum-line\n{md5}  missing\n".encode()
    result = applet("md5sum", "-c", "-w", input=listing)
    assert result.returncode == 1
    assert result.stdout == b"good: OK\nEMPTY: FAILED\nmissing: FAILED\n"
    assert result.stderr == (
        b"md5sum: invalid format\n"
        b"md5sum: can't open 'missing': No such file or directory\n"
        b"md5sum: WARNING: 3 of 4 computed checksums did NOT match\n"
    )
    one_space = b"da39a3ee5e6b4b0d3255bfef95601890afd80709 EMPTY\n"
    assert applet("sha1sum", "-c", input=one_space).stdout == b"EMPTY: OK\n"
    quiet = applet("md5sum", "-c", "-s", input=f"{md5}  good\n".encode())
    assert (quiet.returncode, quiet.stdout) == (0, b"")
    empty = applet("md5sum", "-c", "EMPTY")
    assert (empty.returncode, empty.stderr) == (1, b"md5sum: EMPTY: no checksum lines found\n")


def test_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("md5sum", "nope", "dir")
    assert result.returncode == 1
    assert result.stderr == (
        b"md5sum: can't open 'nope': No such file or directory\nmd5sum: can't read 'dir': Is a directory\n"
    )
    assert applet("md5sum", "-s").stderr.split(b"\n")[2].startswith(b"Usage: md5sum ")
