"""chown and chgrp: names from passwd/group, numeric ids, -h, -R, -v/-c, errors (run as root)."""

import grp
import os
import pwd

import pytest

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="changing owners needs root")


def _ids(path):
    st = os.lstat(path)
    return st.st_uid, st.st_gid


def _some_user():
    for entry in pwd.getpwall():
        if entry.pw_uid != 0:
            return entry
    pytest.skip("no non-root user")


def test_user_group_forms(applet, tmp_path):
    user = _some_user()
    group = grp.getgrgid(user.pw_gid).gr_name
    (tmp_path / "f").write_bytes(b"")
    assert applet("chown", user.pw_name, "f").returncode == 0
    assert _ids(tmp_path / "f") == (user.pw_uid, 0)
    assert applet("chown", ":" + group, "f").returncode == 0
    assert _ids(tmp_path / "f") == (user.pw_uid, user.pw_gid)
    assert applet("chown", "root:", "f").returncode == 0
    assert _ids(tmp_path / "f") == (0, 0)
    result = applet("chown", "-v", "4242:4343", "f")
    assert result.stdout == b"changed ownership of 'f' to 4242:4343\n"
    assert _ids(tmp_path / "f") == (4242, 4343)
    assert applet("chown", "-c", "4242:4343", "f").stdout == b""
    assert applet("chown", "5.6", "f").returncode == 0
    assert _ids(tmp_path / "f") == (5, 6)


def test_chgrp(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    result = applet("chgrp", "-v", "7", "f")
    assert result.stdout == b"changed ownership of 'f' to 0:7\n"
    assert _ids(tmp_path / "f") == (0, 7)
    result = applet("chgrp", "no-such-group-xyz", "f")
    assert (result.returncode, result.stderr) == (1, b"chgrp: unknown group no-such-group-xyz\n")
    assert b"Usage: chgrp" in applet("chgrp", "7").stderr


def test_symlinks_and_recursion(applet, tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f").write_bytes(b"")
    os.symlink("e/f", tmp_path / "d" / "link")
    assert applet("chown", "-h", "11", "d/link").returncode == 0
    assert _ids(tmp_path / "d" / "link")[0] == 11
    assert _ids(tmp_path / "d" / "e" / "f")[0] == 0
    assert applet("chown", "12", "d/link").returncode == 0
    assert _ids(tmp_path / "d" / "e" / "f")[0] == 12
    result = applet("chown", "-Rv", "0:0", "d")
    lines = result.stdout.splitlines()
    assert lines[-1] == b"changed ownership of 'd' to 0:0"
    assert b"changed ownership of 'd/e/f' to 0:0" in lines
    assert _ids(tmp_path / "d" / "e" / "f") == (0, 0)


def test_errors(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    result = applet("chown", "no-such-user-xyz", "f")
    assert (result.returncode, result.stderr) == (1, b"chown: unknown user no-such-user-xyz\n")
    result = applet("chown", ":no-such-group-xyz", "f")
    assert result.stderr == b"chown: unknown group no-such-group-xyz\n"
    result = applet("chown", "0", "nope")
    assert (result.returncode, result.stderr) == (1, b"chown: nope: No such file or directory\n")
    assert b"Usage: chown" in applet("chown", "0").stderr
