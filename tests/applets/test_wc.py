"""wc: BusyBox's counting rules, column formats for one/many/stdin, totals, errors."""


def test_single_column_is_unpadded_for_one_input(applet, tmp_path):
    teapot = b"i'm a little teapot\n"
    assert applet("wc", "-l", input=teapot).stdout == b"1\n"
    assert applet("wc", "-w", input=teapot).stdout == b"4\n"
    assert applet("wc", "-c", input=teapot).stdout == b"20\n"
    assert applet("wc", "-L", input=teapot).stdout == b"19\n"
    (tmp_path / "f").write_bytes(teapot)
    assert applet("wc", "-c", "f").stdout == b"20 f\n"


def test_default_columns_files_and_totals(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"one two\nthree\n")
    (tmp_path / "b").write_bytes(b"x")
    assert applet("wc", input=b"one two\n").stdout == b"        1         2         8\n"
    assert applet("wc", "a", "b").stdout == (
        b"        2         3        14 a\n        0         1         1 b\n        2         4        15 total\n"
    )
    assert applet("wc", "-L", "-c", "a", "-", input=b"abcdefghij").stdout == (
        b"       14         7 a\n       10        10 -\n       24        10 total\n"
    )


def test_word_and_width_rules(applet):
    # control and non-ASCII bytes neither start nor end words; tabs go to the next 8th column
    data = b"a\x01b \x80 \xc3\xa9 c\td\ve\rf\fgh\n"
    assert applet("wc", "-w", input=data).stdout == b"6\n"
    assert applet("wc", "-L", input=b"ab\tc\n\txy\vz\n").stdout == b"11\n"


def test_characters_follow_the_locale(applet):
    data = "héllo\n".encode()
    assert applet("wc", "-m", input=data, env={"LANG": "C.UTF-8"}).stdout == b"6\n"
    assert applet("wc", "-m", input=data, env={"LANG": "C"}).stdout == b"7\n"


def test_missing_file_and_directory(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("wc", "-l", "nope", "dir")
    assert result.returncode == 1
    assert result.stdout == b"        0 dir\n        0 total\n"
    assert result.stderr == b"wc: nope: No such file or directory\nwc: dir: Is a directory\n"


def test_binary_and_huge_line(applet):
    line = b"w" * (10 * 1024 * 1024)
    assert applet("wc", input=line + b" \xff\xfe\x00x").stdout == b"        0         2  10485765\n"
    assert applet("wc", "-L", input=line).stdout == b"10485760\n"
