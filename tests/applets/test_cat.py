"""cat: plain copies, the numbering and visibility options, and hostile input."""


def test_copies_binary_data_exactly(applet, tmp_path):
    data = bytes(range(256)) * 1000 + b"\xff\xfe no newline"
    (tmp_path / "f").write_bytes(data)
    assert applet("cat", "f").stdout == data
    assert applet("cat", "-", input=data).stdout == data


def test_numbering_continues_across_files(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"one\n\ntwo")
    (tmp_path / "b").write_bytes(b"\nthree\n")
    assert applet("cat", "-n", "a", "b").stdout == b"     1\tone\n     2\t\n     3\ttwo\n     4\tthree\n"
    assert applet("cat", "-b", "a").stdout == b"     1\tone\n\n     2\ttwo"


def test_visible_characters(applet):
    out = applet("cat", "-A", input=b"a\tb\x01\x7f\xff\n").stdout
    assert out == b"a^Ib^A^?M-^?$\n"
    assert applet("cat", "-v", input=b"a\tb\n").stdout == b"a\tb\n"


def test_missing_and_directory_operands_report_and_continue(applet, tmp_path):
    (tmp_path / "ok").write_bytes(b"fine\n")
    (tmp_path / "dir").mkdir()
    result = applet("cat", "nope", "dir", "ok")
    assert result.returncode == 1
    assert result.stdout == b"fine\n"
    assert result.stderr == b"cat: can't open 'nope': No such file or directory\ncat: read error: Is a directory\n"


def test_ten_megabyte_line(applet):
    line = b"x" * (10 * 1024 * 1024)
    assert applet("cat", "-n", input=line).stdout == b"     1\t" + line


def test_bad_option_prints_usage(applet):
    result = applet("cat", "-Z")
    assert result.returncode == 1
    assert result.stderr.startswith(b"cat: invalid option -- 'Z'\n")
    assert b"Usage: cat [-nbvteA] [FILE]..." in result.stderr
