"""strings: runs of printable characters, offsets, names, and hostile input."""

import os
import shutil
import subprocess

import pytest

DATA = b"abc\x00hello world\x00\x00\tx\ttab\x01ab\n1234"


def test_default_minimum_four(applet):
    assert applet("strings", input=DATA).stdout == b"hello world\n\tx\ttab\n1234\n"


def test_minimum_length(applet):
    assert applet("strings", "-n", "2", input=DATA).stdout == b"abc\nhello world\n\tx\ttab\nab\n1234\n"
    assert applet("strings", "-n", "12", input=DATA).stdout == b""


def test_offsets_in_each_radix(applet):
    assert applet("strings", "-t", "x", input=DATA).stdout == b"      4 hello world\n     11 \tx\ttab\n     1b 1234\n"
    assert applet("strings", "-t", "d", input=DATA).stdout == b"      4 hello world\n     17 \tx\ttab\n     27 1234\n"
    assert applet("strings", "-o", input=DATA).stdout == b"      4 hello world\n     21 \tx\ttab\n     33 1234\n"


def test_file_names(applet, tmp_path):
    (tmp_path / "f").write_bytes(DATA)
    assert applet("strings", "-f", "f").stdout == b"f: hello world\nf: \tx\ttab\nf: 1234\n"
    assert applet("strings", "-f", input=b"stdin data").stdout == b"{standard input}: stdin data\n"


def test_runs_spanning_read_buffers(applet, tmp_path):
    data = b"\x00" * (1 << 20) + b"y" * 3000 + b"\xff" + b"z" * 3 + b"\x00" * ((1 << 20) - 3) + b"wxyz"
    (tmp_path / "big").write_bytes(data)
    assert applet("strings", "big").stdout == b"y" * 3000 + b"\nwxyz\n"
    start = (1 << 20) - 2
    (tmp_path / "edge").write_bytes(b"\x00" * start + b"ABCDEF" + b"\x00")
    assert applet("strings", "-t", "d", "edge").stdout == b"%7d ABCDEF\n" % start


def test_ten_megabyte_string(applet):
    line = b"x" * (10 * 1024 * 1024)
    assert applet("strings", input=line).stdout == line + b"\n"


def test_missing_file_and_directory(applet, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "ok").write_bytes(b"fine")
    result = applet("strings", "nope", "d", "ok")
    assert result.returncode == 1
    assert result.stdout == b"fine\n"
    assert result.stderr == b"strings: nope: No such file or directory\n"


def test_bad_options(applet):
    assert applet("strings", "-n", "0", input=b"").stderr == b"strings: number 0 is not in 1..2147483647 range\n"
    result = applet("strings", "-t", "q", input=b"")
    assert result.returncode == 1
    assert b"Usage: strings [-fo] [-t o|d|x] [-n LEN] [FILE]..." in result.stderr


@pytest.mark.skipif(shutil.which("strings") is None, reason="binutils strings not installed")
def test_matches_binutils_on_a_binary(applet, pybox_path):
    binary = os.path.realpath(shutil.which("python3") or pybox_path)
    expected = subprocess.run(["strings", "-af", binary], capture_output=True).stdout
    assert applet("strings", "-af", binary).stdout == expected
