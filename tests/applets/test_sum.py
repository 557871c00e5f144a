"""sum: BSD and System V checksums, block counts, when names are printed, errors."""


def test_bsd_default_and_names(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"hello\n")
    assert applet("sum", "f").stdout == b"36979     1 \n"
    assert applet("sum", "-r", "f", "f").stdout == b"36979     1 f\n36979     1 f\n"
    assert applet("sum", input=b"").stdout == b"00000     0 \n"


def test_sysv_prints_names(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"hello\n")
    assert applet("sum", "-s", "f").stdout == b"542 1 f\n"
    assert applet("sum", "-s", input=b"abc").stdout == b"294 1 -\n"
    assert applet("sum", "-s", "-r", "f").stdout == b"36979     1 \n"


def test_binary_and_large(applet):
    data = bytes(range(256)) * 8192
    assert applet("sum", input=data).stdout == b"00000  2048 \n"
    assert applet("sum", "-s", input=data).stdout == b"4080 4096 -\n"


def test_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("sum", "nope", "dir")
    assert result.returncode == 1
    assert result.stderr == b"sum: can't open 'nope': No such file or directory\nsum: dir: Is a directory\n"
