"""unlink: one file removed with unlink(), errors worded as BusyBox."""


def test_removes_file(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    assert applet("unlink", "f").returncode == 0
    assert not (tmp_path / "f").exists()


def test_errors(applet, tmp_path):
    (tmp_path / "d").mkdir()
    result = applet("unlink", "d")
    assert (result.returncode, result.stderr) == (1, b"unlink: can't remove file 'd': Is a directory\n")
    assert applet("unlink", "nope").stderr == b"unlink: can't remove file 'nope': No such file or directory\n"
    assert b"Usage: unlink FILE" in applet("unlink", "a", "b").stderr
