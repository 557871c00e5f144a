"""touch: creation, -c, -d/-t date forms, -r, -a/-m, -h, errors."""

import os
import time


def _local(*fields):
    return int(time.mktime(fields + (0, 0, -1)))


def test_creates_and_respects_no_create(applet, tmp_path):
    assert applet("touch", "new").returncode == 0
    assert (tmp_path / "new").exists()
    assert applet("touch", "-c", "ghost").returncode == 0
    assert not (tmp_path / "ghost").exists()


def test_date_forms(applet, tmp_path):
    cases = {
        "2001-02-03 04:05:06": _local(2001, 2, 3, 4, 5, 6),
        "@1000000000": 1000000000,
    }
    for text, expected in cases.items():
        assert applet("touch", "-d", text, "f").returncode == 0
        assert os.stat(tmp_path / "f").st_mtime == expected
    assert applet("touch", "-d", "2001-02-03 04:05", "f").returncode == 0
    assert os.stat(tmp_path / "f").st_mtime // 60 == _local(2001, 2, 3, 4, 5, 0) // 60
    assert applet("touch", "-t", "200102030405.06", "f").returncode == 0
    assert os.stat(tmp_path / "f").st_mtime == _local(2001, 2, 3, 4, 5, 6)
    assert applet("touch", "-t", "199912312359", "f").returncode == 0
    assert os.stat(tmp_path / "f").st_mtime == _local(1999, 12, 31, 23, 59, 0)
    result = applet("touch", "-d", "bogus", "f")
    assert (result.returncode, result.stderr) == (1, b"touch: invalid date 'bogus'\n")


def test_reference_and_single_time(applet, tmp_path):
    (tmp_path / "ref").write_bytes(b"")
    os.utime(tmp_path / "ref", ns=(111_000_000_000, 222_000_000_123))
    (tmp_path / "f").write_bytes(b"")
    os.utime(tmp_path / "f", (5, 5))
    assert applet("touch", "-r", "ref", "-m", "f").returncode == 0
    st = os.stat(tmp_path / "f")
    assert (st.st_atime_ns, st.st_mtime_ns) == (5_000_000_000, 222_000_000_123)
    assert applet("touch", "-a", "-d", "@77", "f").returncode == 0
    st = os.stat(tmp_path / "f")
    assert (st.st_atime, st.st_mtime_ns) == (77, 222_000_000_123)
    result = applet("touch", "-r", "nope", "f")
    assert result.stderr == b"touch: can't stat 'nope': No such file or directory\n"


def test_no_dereference(applet, tmp_path):
    os.symlink("missing-target", tmp_path / "dangling")
    assert applet("touch", "-h", "-d", "@100", "dangling").returncode == 0
    assert os.lstat(tmp_path / "dangling").st_mtime == 100
    assert not (tmp_path / "missing-target").exists()


def test_errors(applet):
    result = applet("touch", "nodir/x")
    assert (result.returncode, result.stderr) == (1, b"touch: nodir/x: No such file or directory\n")
    assert b"Usage: touch" in applet("touch").stderr
