"""tee: copies to stdout and files, -a appends, '-' is stdout, errors keep going."""


def test_copies_to_stdout_and_files(applet, tmp_path):
    data = bytes(range(256)) * 1000
    result = applet("tee", "a", "b", input=data)
    assert result.returncode == 0
    assert result.stdout == data
    assert (tmp_path / "a").read_bytes() == data == (tmp_path / "b").read_bytes()


def test_append_and_dash(applet, tmp_path):
    (tmp_path / "log").write_bytes(b"old\n")
    assert applet("tee", "-a", "log", "-", input=b"new\n").stdout == b"new\nnew\n"
    assert (tmp_path / "log").read_bytes() == b"old\nnew\n"


def test_unopenable_and_full_outputs(applet, tmp_path):
    result = applet("tee", "missing/x", "/dev/full", "ok", input=b"data")
    assert result.returncode == 1
    assert result.stdout == b"data"
    assert (tmp_path / "ok").read_bytes() == b"data"
    assert result.stderr == b"tee: missing/x: No such file or directory\ntee: /dev/full: I/O error\n"
