"""mkfifo: named pipes, -m exact modes, errors."""

import os
import stat


def test_makes_fifos_with_mode(applet, tmp_path):
    assert applet("mkfifo", "-m", "600", "p1", "p2").returncode == 0
    for name in ("p1", "p2"):
        st = os.stat(tmp_path / name)
        assert stat.S_ISFIFO(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600


def test_default_mode_follows_umask(applet, tmp_path):
    assert applet("mkfifo", "p").returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / "p").st_mode) == 0o666 & ~_umask()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_errors(applet, tmp_path):
    os.mkfifo(tmp_path / "p")
    result = applet("mkfifo", "p", "-m", "zz", "q")
    assert result.returncode == 1
    assert result.stderr == b"mkfifo: p: Invalid argument\nmkfifo: q: Invalid argument\n"
    result = applet("mkfifo", "p")
    assert result.stderr == b"mkfifo: p: File exists\n"
    assert b"Usage: mkfifo" in applet("mkfifo").stderr
