"""mknod: character/block devices (we run as root), fifos, argument checking."""

import os
import stat

import pytest


@pytest.mark.skipif(os.geteuid() != 0, reason="device nodes need root")
def test_device_nodes(applet, tmp_path):
    assert applet("mknod", "c1", "c", "1", "3").returncode == 0
    assert applet("mknod", "-m", "640", "u1", "u", "1", "5").returncode == 0
    assert applet("mknod", "b1", "b", "7", "0").returncode == 0
    st = os.stat(tmp_path / "c1")
    assert stat.S_ISCHR(st.st_mode) and (os.major(st.st_rdev), os.minor(st.st_rdev)) == (1, 3)
    st = os.stat(tmp_path / "u1")
    assert stat.S_ISCHR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o640
    assert stat.S_ISBLK(os.stat(tmp_path / "b1").st_mode)


def test_fifo_and_errors(applet, tmp_path):
    assert applet("mknod", "p", "p").returncode == 0
    assert stat.S_ISFIFO(os.stat(tmp_path / "p").st_mode)
    assert applet("mknod", "p", "p").stderr == b"mknod: p: File exists\n"
    assert applet("mknod", "c", "c", "a", "1").stderr == b"mknod: invalid number 'a'\n"
    for args in (["q", "p", "1", "2"], ["c", "c", "1"], ["x", "z", "1", "2"], ["x"]):
        result = applet("mknod", *args)
        assert result.returncode == 1 and b"Usage: mknod" in result.stderr
