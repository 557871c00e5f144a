"""pwd: physical by default, logical from $PWD under -L when it is valid."""

import os


def test_physical_and_logical(applet, tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink("real", tmp_path / "link")
    where = tmp_path / "link"
    real = os.path.realpath(tmp_path / "real").encode()
    env = dict(os.environ, PWD=str(where))
    assert applet("pwd", cwd=where, env=env).stdout == real + b"\n"
    assert applet("pwd", "-P", cwd=where, env=env).stdout == real + b"\n"
    assert applet("pwd", "-L", cwd=where, env=env).stdout == str(where).encode() + b"\n"
    bogus = dict(os.environ, PWD="/nonexistent")
    assert applet("pwd", "-L", cwd=where, env=bogus).stdout == real + b"\n"


def test_bad_option(applet):
    result = applet("pwd", "-x")
    assert result.returncode == 1 and b"Usage: pwd" in result.stderr
