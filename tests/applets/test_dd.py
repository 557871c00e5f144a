"""dd: copies, block counting, skip/seek, conversions, flags, status lines, errors."""

import os
import re

STATS = re.compile(rb"\d+ bytes \([^)]*B\) copied, \d+\.\d{6} seconds, [^ ]*B/s\n$")


def test_stdin_to_stdout_with_record_counts(applet):
    result = applet("dd", input=b"hello\n")
    assert result.stdout == b"hello\n"
    assert result.stderr.startswith(b"0+1 records in\n0+1 records out\n")
    assert STATS.search(result.stderr)
    assert result.stderr.splitlines()[2].startswith(b"6 bytes (6B) copied, ")


def test_block_sizes_and_counts(applet):
    result = applet("dd", "bs=2", "status=noxfer", input=b"hello\n")
    assert (result.stdout, result.stderr) == (b"hello\n", b"3+0 records in\n3+0 records out\n")
    result = applet("dd", "ibs=2", "obs=3", "status=noxfer", input=b"abcdefg")
    assert result.stdout == b"abcdefg"
    assert result.stderr == b"3+1 records in\n2+1 records out\n"
    result = applet("dd", "bs=3", "skip=1", "count=2", "status=none", input=b"0123456789")
    assert (result.stdout, result.stderr) == (b"345678", b"")


def test_byte_flags(applet):
    result = applet("dd", "count=3", "iflag=count_bytes", "status=none", input=b"I WANT\n")
    assert result.stdout == b"I W"
    result = applet("dd", "skip=2", "bs=4", "iflag=skip_bytes", "status=none", input=b"abcdefgh")
    assert result.stdout == b"cdefgh"


def test_conversions(applet):
    result = applet("dd", "conv=swab,ucase", "status=none", input=b"abcde\n")
    assert result.stdout == b"BADC\nE"
    assert applet("dd", "conv=lcase", "status=none", input=b"ABC\xff").stdout == b"abc\xff"
    result = applet("dd", "bs=4", "conv=sync", "status=none", input=b"abcdef")
    assert result.stdout == b"abcdef\0\0"


def test_output_file_seek_notrunc_append(applet, tmp_path):
    (tmp_path / "o").write_bytes(b"abcdef")
    applet("dd", "of=o", "bs=1", "seek=2", "conv=notrunc", input=b"XY")
    assert (tmp_path / "o").read_bytes() == b"abXYef"
    applet("dd", "of=o", "bs=1", "seek=1", input=b"XY")
    assert (tmp_path / "o").read_bytes() == b"aXY"
    applet("dd", "of=o", "oflag=append", "conv=notrunc", input=b"++")
    assert (tmp_path / "o").read_bytes() == b"aXY++"
    applet("dd", "of=sparse", "bs=1k", "seek=4", "count=0")
    assert os.stat(tmp_path / "sparse").st_size == 4096


def test_fullblock_from_pipe(applet, tmp_path):
    data = os.urandom(300000)
    result = applet("dd", "bs=65536", "iflag=fullblock", "status=noxfer", input=data)
    assert result.stdout == data
    assert result.stderr == b"4+1 records in\n4+1 records out\n"


def test_errors(applet):
    result = applet("dd", "if=nope")
    assert (result.returncode, result.stderr) == (1, b"dd: can't open 'nope': No such file or directory\n")
    result = applet("dd", "if=/dev/zero", "of=/dev/full", "count=1")
    assert result.returncode == 1
    assert result.stderr.startswith(b"dd: error writing '/dev/full': No space left on device\n1+0 records in\n0+0 records out\n")
    assert applet("dd", "bs=x").stderr == b"dd: invalid number 'x'\n"
    assert applet("dd", "conv=bogus").stderr == b"dd: invalid argument 'bogus' to 'conv'\n"
    assert b"Usage: dd" in applet("dd", "bogus=1").stderr
