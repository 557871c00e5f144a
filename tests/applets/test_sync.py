"""sync: whole system, files with -d/-f, errors."""


def test_sync_everything_and_files(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"data")
    assert applet("sync").returncode == 0
    for flag in ("-d", "-f"):
        result = applet("sync", flag, "f")
        assert (result.returncode, result.stderr) == (0, b"")
    assert applet("sync", "f", str(tmp_path)).returncode == 0


def test_errors(applet):
    result = applet("sync", "nope")
    assert (result.returncode, result.stderr) == (1, b"sync: can't open 'nope': No such file or directory\n")
    result = applet("sync", "-x")
    assert result.returncode == 1 and b"Usage: sync" in result.stderr
