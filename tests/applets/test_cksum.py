"""cksum: the POSIX CRC-32 with the length folded in, names, errors."""


def test_known_checksums(applet, tmp_path):
    assert applet("cksum", input=b"").stdout == b"4294967295 0\n"
    assert applet("cksum", input=b"abc").stdout == b"1219131554 3\n"
    (tmp_path / "f").write_bytes(b"123456789")
    assert applet("cksum", "f", "-", input=b"abc").stdout == b"930766865 9 f\n1219131554 3 -\n"


def test_binary_and_large(applet):
    data = bytes(range(256)) * 40960  # 10 MiB, several read blocks
    assert applet("cksum", input=data).stdout == b"1372025771 10485760\n"


def test_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("cksum", "nope", "dir")
    assert result.returncode == 1
    assert result.stderr == b"cksum: can't open 'nope': No such file or directory\ncksum: dir: Is a directory\n"
