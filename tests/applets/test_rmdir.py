"""rmdir: empty directories, -p parents, non-empty and non-directory errors."""


def test_removes_empty_directory_and_parents(applet, tmp_path):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    assert applet("rmdir", "-p", "a/b/c/").returncode == 0
    assert not (tmp_path / "a").exists()


def test_errors(applet, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f").write_bytes(b"")
    (tmp_path / "file").write_bytes(b"")
    result = applet("rmdir", "nope", "full", "file")
    assert result.returncode == 1
    assert result.stderr == (
        b"rmdir: 'nope': No such file or directory\n"
        b"rmdir: 'full': Directory not empty\n"
        b"rmdir: 'file': Not a directory\n"
    )


def test_parents_stop_at_non_empty(applet, tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "keep").write_bytes(b"")
    result = applet("rmdir", "-p", "x/y")
    assert (result.returncode, result.stderr) == (1, b"rmdir: 'x': Directory not empty\n")
    assert not (tmp_path / "x" / "y").exists()
    (tmp_path / "x" / "y").mkdir()
    assert applet("rmdir", "-p", "--ignore-fail-on-non-empty", "x/y").returncode == 0


def test_usage(applet):
    assert b"Usage: rmdir" in applet("rmdir").stderr
