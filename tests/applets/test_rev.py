"""rev: per-line reversal, UTF-8 characters, NUL and invalid UTF-8 handling, errors."""


def test_reverses_each_line(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"line 1\n\nline 3")
    assert applet("rev", "input").stdout == b"1 enil\n\n3 enil"
    assert applet("rev", input=b"ab\r\n").stdout == b"\rba\n"


def test_utf8_locale_reverses_characters_and_keeps_invalid_lines(applet):
    data = "héllo\n".encode() + b"\xff\xfeab\n"
    utf8 = applet("rev", input=data, env={"LANG": "C.UTF-8"}).stdout
    assert utf8 == "olléh\n".encode() + b"\xff\xfeab\n"
    c_locale = applet("rev", input=data, env={"LANG": "C"}).stdout
    assert c_locale == b"oll\xa9\xc3h\nba\xfe\xff\n"


def test_nul_ends_the_line_text(applet):
    assert applet("rev", input=b"lin\x00e 1\n\nline 3\n").stdout == b"nil\n3 enil\n"


def test_missing_file_and_directory(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("rev", "nope", "dir", "-", input=b"ok\n")
    assert result.returncode == 1
    assert result.stdout == b"ko\n"
    assert result.stderr == b"rev: nope: No such file or directory\nrev: dir: Is a directory\n"


def test_huge_line(applet):
    line = b"ab" * (5 * 1024 * 1024)
    assert applet("rev", input=line + b"\n").stdout == b"ba" * (5 * 1024 * 1024) + b"\n"
