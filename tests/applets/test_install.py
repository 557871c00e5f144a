"""install: copies with mode 0755 by default, -m/-o/-g, -d, -D, -t, -p."""

import os
import stat

import pytest


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_copy_sets_default_mode(applet, tmp_path):
    (tmp_path / "src").write_bytes(b"payload\xff")
    os.chmod(tmp_path / "src", 0o600)
    assert applet("install", "src", "dst").returncode == 0
    assert (tmp_path / "dst").read_bytes() == b"payload\xff"
    assert _mode(tmp_path / "dst") == 0o755


def test_mode_and_preserve(applet, tmp_path):
    (tmp_path / "src").write_bytes(b"x")
    os.utime(tmp_path / "src", (1_000_000, 1_000_000))
    assert applet("install", "-p", "-m", "u=rw,go=r", "src", "dst").returncode == 0
    assert _mode(tmp_path / "dst") == 0o644
    assert os.stat(tmp_path / "dst").st_mtime == 1_000_000


@pytest.mark.skipif(os.geteuid() != 0, reason="changing owners needs root")
def test_owner_and_group(applet, tmp_path):
    (tmp_path / "src").write_bytes(b"x")
    assert applet("install", "-o", "1", "-g", "2", "src", "dst").returncode == 0
    st = os.stat(tmp_path / "dst")
    assert (st.st_uid, st.st_gid) == (1, 2)


def test_directories(applet, tmp_path):
    assert applet("install", "-d", "-m", "700", "a/b/c", "x").returncode == 0
    assert _mode(tmp_path / "a" / "b" / "c") == 0o700 and (tmp_path / "x").is_dir()
    (tmp_path / "f").write_bytes(b"f")
    assert applet("install", "-D", "f", "deep/er/name").returncode == 0
    assert (tmp_path / "deep" / "er" / "name").read_bytes() == b"f"
    assert applet("install", "-Dt", "t1/t2", "f").returncode == 0
    assert (tmp_path / "t1" / "t2" / "f").exists()
    assert applet("install", "f", "x").returncode == 0
    assert (tmp_path / "x" / "f").exists()


def test_errors(applet):
    result = applet("install", "nope", "dst")
    assert (result.returncode, result.stderr) == (1, b"install: can't stat 'nope': No such file or directory\n")
    assert b"Usage: install" in applet("install", "only").stderr
