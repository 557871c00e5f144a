"""mkdir: plain, -p parents, -m modes, -v, and errors."""

import os
import stat


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_makes_directories_with_parents(applet, tmp_path):
    result = applet("mkdir", "-pv", "a/b//c")
    assert result.returncode == 0
    assert result.stdout == b"created directory: 'a/'\ncreated directory: 'a/b//'\ncreated directory: 'a/b//c'\n"
    assert (tmp_path / "a" / "b" / "c").is_dir()
    assert applet("mkdir", "-p", "a/b").returncode == 0


def test_modes(applet, tmp_path):
    assert applet("mkdir", "-m", "700", "m1").returncode == 0
    assert _mode(tmp_path / "m1") == 0o700
    assert applet("mkdir", "-m", "u+s,g=x", "m2").returncode == 0
    assert _mode(tmp_path / "m2") == 0o4717
    result = applet("mkdir", "-m", "bad", "m3")
    assert (result.returncode, result.stderr) == (1, b"mkdir: invalid mode 'bad'\n")


def test_errors(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    (tmp_path / "d").mkdir()
    result = applet("mkdir", "d", "f/x", "nodir/x")
    assert result.returncode == 1
    assert result.stderr == (
        b"mkdir: can't create directory 'd': File exists\n"
        b"mkdir: can't create directory 'f/x': Not a directory\n"
        b"mkdir: can't create directory 'nodir/x': No such file or directory\n"
    )
    result = applet("mkdir", "-p", "f/g/h")
    assert result.stderr == b"mkdir: can't create directory 'f/': Not a directory\n"


def test_invalid_utf8_name(applet, tmp_path):
    assert applet("mkdir", os.fsdecode(b"\xff\xfe")).returncode == 0
    assert os.path.isdir(os.path.join(os.fsencode(tmp_path), b"\xff\xfe"))


def test_usage(applet):
    assert b"Usage: mkdir [-m MODE] [-p] DIRECTORY..." in applet("mkdir").stderr
