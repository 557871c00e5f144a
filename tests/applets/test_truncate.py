"""truncate: absolute and relative sizes, suffixes, -c, -o, errors."""

import os


def _size(path):
    return os.stat(path).st_size


def test_sizes_and_suffixes(applet, tmp_path):
    for text, expected in (("5k", 5120), ("1KB", 1000), ("1M", 1 << 20), ("0", 0), ("3", 3)):
        assert applet("truncate", "-s", text, "f").returncode == 0
        assert _size(tmp_path / "f") == expected


def test_relative_sizes(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x" * 1000)
    steps = (("+24", 1024), ("-4", 1020), ("%512", 1024), ("/1000", 1000), ("<10", 10), (">20", 20))
    for text, expected in steps:
        assert applet("truncate", "-s", text, "f").returncode == 0
        assert _size(tmp_path / "f") == expected
    assert (tmp_path / "f").read_bytes() == b"x" * 10 + bytes(10)


def test_no_create_and_io_blocks(applet, tmp_path):
    assert applet("truncate", "-c", "-s", "1", "ghost").returncode == 0
    assert not (tmp_path / "ghost").exists()
    assert applet("truncate", "-o", "-s", "2", "f").returncode == 0
    assert _size(tmp_path / "f") == 2 * os.stat(tmp_path / "f").st_blksize


def test_errors(applet, tmp_path):
    assert applet("truncate", "-s", "2b", "f").stderr == b"truncate: invalid number '2b'\n"
    (tmp_path / "d").mkdir()
    result = applet("truncate", "-s", "1", "d", "nodir/x")
    assert result.returncode == 1
    assert result.stderr == (
        b"truncate: d: open: Is a directory\ntruncate: nodir/x: open: No such file or directory\n"
    )
    assert b"Usage: truncate" in applet("truncate", "f").stderr
