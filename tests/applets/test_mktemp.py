"""mktemp: files and directories from templates, -t/-p bases, -u, -q, errors."""

import os
import re
import stat


def test_file_from_template(applet, tmp_path):
    result = applet("mktemp", "fooXXXXXX")
    name = result.stdout.decode().strip()
    assert re.fullmatch(r"foo[A-Za-z0-9]{6}", name)
    st = os.stat(tmp_path / name)
    assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600


def test_directory_in_base(applet, tmp_path):
    result = applet("mktemp", "-d", "-p", str(tmp_path))
    path = result.stdout.decode().strip()
    assert re.fullmatch(re.escape(str(tmp_path)) + r"/tmp\.[A-Za-z0-9]{6}", path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700


def test_tmpdir_and_dry_run(applet, tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    path = applet("mktemp", "-t", "x.XXXXXX", env=env).stdout.decode().strip()
    assert os.path.dirname(path) == str(tmp_path) and os.path.exists(path)
    path = applet("mktemp", "-u", env=env).stdout.decode().strip()
    assert os.path.dirname(path) == str(tmp_path) and not os.path.exists(path)


def test_errors(applet):
    result = applet("mktemp", "bad")
    assert (result.returncode, result.stderr, result.stdout) == (1, b"mktemp: Invalid argument\n", b"")
    result = applet("mktemp", "-q", "bad")
    assert (result.returncode, result.stderr) == (1, b"")
    assert applet("mktemp", "/nonexistent/dir/xXXXXXX").stderr == b"mktemp: No such file or directory\n"
    assert b"Usage: mktemp" in applet("mktemp", "a", "b").stderr
