"""cmp: first difference, EOF reports, -l listing, -s, -n, skips, exit codes."""

import os


def _files(tmp_path):
    (tmp_path / "a").write_bytes(b"abc\ndef\n")
    (tmp_path / "b").write_bytes(b"abc\ndxf\n")
    (tmp_path / "c").write_bytes(b"abc\n")
    (tmp_path / "e").write_bytes(b"abX\ndeY\n")


def test_equal_and_different(applet, tmp_path):
    _files(tmp_path)
    assert applet("cmp", "a", "a").returncode == 0
    result = applet("cmp", "a", "b")
    assert (result.returncode, result.stdout) == (1, b"a b differ: char 6, line 2\n")
    result = applet("cmp", "a", "c")
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", b"cmp: EOF on c\n")


def test_listing_quiet_limit_and_skips(applet, tmp_path):
    _files(tmp_path)
    assert applet("cmp", "-l", "a", "e").stdout == b"3 143 130\n7 146 131\n"
    result = applet("cmp", "-s", "a", "b")
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", b"")
    assert applet("cmp", "-n", "5", "a", "b").returncode == 0
    assert applet("cmp", "a", "b", "1", "1").stdout == b"a b differ: char 5, line 2\n"
    assert applet("cmp", "a", "-", input=b"abc\ndef\n").returncode == 0


def test_big_files(applet, tmp_path):
    data = os.urandom(3_000_000)
    (tmp_path / "x").write_bytes(data)
    changed = bytearray(data)
    changed[2_999_990] ^= 0xFF
    (tmp_path / "y").write_bytes(bytes(changed))
    line = data[:2_999_990].count(b"\n") + 1
    assert applet("cmp", "x", "y").stdout == b"x y differ: char 2999991, line %d\n" % line


def test_errors(applet, tmp_path):
    _files(tmp_path)
    result = applet("cmp", "a", "nope")
    assert (result.returncode, result.stderr) == (2, b"cmp: nope: No such file or directory\n")
    assert applet("cmp", "a", "b", "x").stderr == b"cmp: invalid number 'x'\n"
    result = applet("cmp", "-l", "-s", "a", "b")
    assert result.returncode == 1 and b"Usage: cmp" in result.stderr
