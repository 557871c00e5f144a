"""realpath: canonical names, missing last components, -e/-m/-s, errors."""

import os


def test_paths(applet, tmp_path):
    base = os.path.realpath(tmp_path).encode()
    (tmp_path / "d").mkdir()
    os.symlink("d/not_file", tmp_path / "link1")
    os.symlink("d/not_file/not_dir", tmp_path / "link2")
    assert applet("realpath", "/not_file/", "//not_file").stdout == b"/not_file\n/not_file\n"
    assert applet("realpath", "d/not_file", "link1").stdout == base + b"/d/not_file\n" + base + b"/d/not_file\n"
    result = applet("realpath", "link2", "d")
    assert result.returncode == 1
    assert result.stdout == base + b"/d\n"
    assert result.stderr == b"realpath: link2: No such file or directory\n"


def test_options(applet, tmp_path):
    base = os.path.realpath(tmp_path).encode()
    os.symlink("target", tmp_path / "l")
    assert applet("realpath", "-e", "l").returncode == 1
    assert applet("realpath", "-m", "a/b/../c").stdout == base + b"/a/c\n"
    assert applet("realpath", "-s", "l").stdout == base + b"/l\n"
    assert applet("realpath", "-q", "-e", "l").stderr == b""


def test_usage(applet):
    assert b"Usage: realpath" in applet("realpath").stderr
