"""bzip2, bunzip2, bzcat: bzip2(1) interchange, concatenated streams, BusyBox's error numbers."""

import bz2
import os
import shutil
import subprocess

import pytest

from support import needs_shared


def test_round_trip_with_bzip2_both_ways(applet):
    tool = shutil.which("bzip2")
    if tool is None or b"block-sorting file compressor" not in subprocess.run([tool, "--help"], capture_output=True).stderr:
        pytest.skip("bzip2 (the reference implementation) is not installed")
    data = b"".join(b"row %d\n" % i for i in range(100000))
    assert subprocess.run([tool, "-dc"], input=applet("bzip2", "-c", input=data).stdout, capture_output=True).stdout == data
    theirs = subprocess.run([tool, "-c"], input=data, capture_output=True).stdout
    assert applet("bunzip2", "-c", input=theirs).stdout == data
    assert applet("bzcat", input=theirs).stdout == data


def test_levels_and_decompress_option(applet):
    data = os.urandom(3000) * 100
    one = applet("bzip2", "-1", input=data).stdout
    assert one[:4] == b"BZh1"
    assert applet("bzip2", "-d", input=one).stdout == data
    assert applet("bzip2", input=data).stdout[:4] == b"BZh9"


def test_busybox_issue_files_are_data_errors(applet):
    for name in ("bz2_issue_11.bz2", "bz2_issue_12.bz2"):
        path = needs_shared("conformance", "busybox-testsuite", name)
        result = applet("bunzip2", input=path.read_bytes())
        assert (result.returncode, result.stderr) == (1, b"bunzip2: bunzip error -5\n")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", b"bunzip2: invalid magic\n"),
        (b"xyz", b"bunzip2: invalid magic\n"),
        (b"BZx9", b"bunzip2: bunzip error -2\n"),
        (b"BZh0", b"bunzip2: bunzip error -2\n"),
        (bz2.compress(b"hello" * 100)[:30], b"bunzip2: bunzip error -3\n"),
        (bz2.compress(b"hello")[:20] + b"\xff" * 30, b"bunzip2: bunzip error -5\n"),
    ],
)
def test_corrupt_input(applet, data, message):
    result = applet("bunzip2", input=data)
    assert (result.returncode, result.stderr) == (1, message)


def test_concatenated_streams_and_trailing_garbage(applet):
    joined = bz2.compress(b"a\n") + bz2.compress(b"b\n") + b"garbage"
    result = applet("bzcat", input=joined)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"a\nb\n", b"")


def test_bzcat_many_files_and_empty_stream(applet, tmp_path):
    (tmp_path / "input").write_bytes(bz2.compress(b"a\n"))
    assert applet("bzcat", "input", "input").stdout == b"a\na\n"
    (tmp_path / "empty").write_bytes(b"\x42\x5a\x68\x39\x17\x72\x45\x38\x50\x90\x00\x00\x00\x00")
    result = applet("bzcat", "empty", "empty")
    assert (result.returncode, result.stdout) == (0, b"")


def test_file_naming(applet, tmp_path):
    (tmp_path / "foo").write_bytes(b"foo\n")
    assert applet("bzip2", "foo").returncode == 0
    assert not (tmp_path / "foo").exists()
    assert applet("bunzip2", "-k", "foo.bz2").returncode == 0
    assert (tmp_path / "foo").read_bytes() == b"foo\n"
    assert (tmp_path / "foo.bz2").exists()
    result = applet("bunzip2", "foo.bz2")
    assert (result.returncode, result.stderr) == (1, b"bunzip2: can't open 'foo': File exists\n")
    assert applet("bunzip2", "-f", "foo.bz2").returncode == 0
    assert not (tmp_path / "foo.bz2").exists()
    result = applet("bunzip2", "foo")
    assert (result.returncode, result.stderr) == (1, b"bunzip2: foo: unknown suffix - ignored\n")
    result = applet("bunzip2", "missing.bz2")
    assert (result.returncode, result.stderr) == (1, b"bunzip2: missing.bz2: No such file or directory\n")


def test_test_mode(applet, tmp_path):
    (tmp_path / "ok.bz2").write_bytes(bz2.compress(b"x" * 1000))
    assert applet("bzip2", "-t", "ok.bz2").returncode == 0
    assert applet("bunzip2", "-t", input=b"BZh9junk").returncode == 1


def test_binary_data(applet):
    data = bytes(range(256)) * 5000
    assert bz2.decompress(applet("bzip2", "-c", input=data).stdout) == data
