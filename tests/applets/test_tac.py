"""tac: reversed line order per file, unterminated last lines, errors, hostile input."""


def test_reverses_lines_of_each_file_in_order(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"1\n2\n3\n")
    (tmp_path / "b").write_bytes(b"x\ny")
    assert applet("tac", "a", "b").stdout == b"3\n2\n1\nyx\n"
    assert applet("tac", input=b"a\n\nb\n").stdout == b"b\n\na\n"
    assert applet("tac", input=b"").stdout == b""


def test_missing_file_and_directory(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"1\n2\n")
    (tmp_path / "dir").mkdir()
    result = applet("tac", "a", "nope", "dir")
    assert result.returncode == 1
    assert result.stdout == b"2\n1\n"
    assert result.stderr == b"tac: dir: Is a directory\ntac: nope: No such file or directory\n"


def test_binary_and_huge_line(applet):
    assert applet("tac", input=b"\xff\x00\n\x80\xfe\n").stdout == b"\x80\xfe\n\xff\x00\n"
    line = b"z" * (10 * 1024 * 1024)
    assert applet("tac", input=b"top\n" + line).stdout == line + b"top\n"
