"""xz, unxz, xzcat: xz(1) interchange, levels, concatenated streams, corrupt input."""

import lzma
import os
import shutil
import subprocess

import pytest


def test_round_trip_with_xz_both_ways(applet):
    tool = shutil.which("xz")
    if tool is None or b"XZ Utils" not in subprocess.run([tool, "--version"], capture_output=True).stdout:
        pytest.skip("xz utils are not installed")
    data = b"".join(b"entry %d\n" % i for i in range(50000))
    ours = applet("xz", "-c", input=data).stdout
    assert subprocess.run([tool, "-dc"], input=ours, capture_output=True).stdout == data
    assert subprocess.run([tool, "-t"], input=ours).returncode == 0
    theirs = subprocess.run([tool, "-c", "-9e"], input=data, capture_output=True).stdout
    assert applet("unxz", input=theirs).stdout == data
    assert applet("xzcat", input=theirs).stdout == data


def test_levels_extreme_and_check(applet):
    data = os.urandom(500).hex().encode() * 200
    fast = applet("xz", "-0", "-c", input=data).stdout
    extreme = applet("xz", "-9e", input=data).stdout
    assert lzma.decompress(fast) == lzma.decompress(extreme) == data
    assert fast[6:8] == b"\x00\x04"
    assert applet("xz", "-d", input=fast).stdout == data


def test_concatenated_streams_with_padding(applet):
    joined = lzma.compress(b"one\n") + bytes(8) + lzma.compress(b"two\n") + bytes(4)
    result = applet("xzcat", input=joined)
    assert (result.returncode, result.stdout) == (0, b"one\ntwo\n")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", b"unxz: invalid magic\n"),
        (b"not xz data at all", b"unxz: invalid magic\n"),
        (lzma.compress(b"hello" * 100)[:-10], b"unxz: corrupted data\n"),
        (lzma.compress(b"hello")[:20] + b"\xff" * 40, b"unxz: corrupted data\n"),
        (lzma.compress(b"a") + b"junk", b"unxz: corrupted data\n"),
    ],
)
def test_corrupt_input(applet, data, message):
    result = applet("unxz", input=data)
    assert (result.returncode, result.stderr) == (1, message)


def test_file_naming(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"payload\n")
    assert applet("xz", "f").returncode == 0
    assert not (tmp_path / "f").exists()
    assert applet("unxz", "-k", "f.xz").returncode == 0
    assert (tmp_path / "f").read_bytes() == b"payload\n"
    (tmp_path / "t.txz").write_bytes(lzma.compress(b"tar"))
    assert applet("xz", "-d", "t.txz").returncode == 0
    assert (tmp_path / "t.tar").read_bytes() == b"tar"
    result = applet("unxz", "f")
    assert (result.returncode, result.stderr) == (1, b"unxz: f: unknown suffix - ignored\n")


def test_test_mode_and_stdout(applet, tmp_path):
    (tmp_path / "a.xz").write_bytes(lzma.compress(b"abc"))
    assert applet("xz", "-t", "a.xz").returncode == 0
    assert applet("xz", "-dc", "a.xz").stdout == b"abc"
    assert (tmp_path / "a.xz").exists()


def test_binary_data(applet):
    data = bytes(range(256)) * 4000
    assert lzma.decompress(applet("xz", input=data).stdout) == data
