"""nl: body numbering styles, width, separator, start, increment, formats and files."""

import pytest

TEXT = b"line 1\n\nline 3\n"


def nl(applet, *args, input=TEXT):
    result = applet("nl", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "style, expected",
    [
        ("a", b"     1\tline 1\n     2\t\n     3\tline 3\n"),
        ("t", b"     1\tline 1\n       \n     2\tline 3\n"),
        ("n", b"       line 1\n       \n       line 3\n"),
    ],
)
def test_body_styles(applet, style, expected):
    assert nl(applet, "-b", style) == expected


def test_default_numbers_nonempty_lines(applet):
    assert nl(applet) == b"     1\tline 1\n       \n     2\tline 3\n"


def test_width_separator_start_increment(applet):
    assert nl(applet, "-ba", "-w3", "-s:", "-v5", "-i2", input=b"a\n\nb") == b"  5:a\n  7:\n  9:b\n"
    assert nl(applet, "-w", "0", "-s", "", input=b"a\n") == b"1a\n"
    assert nl(applet, "--number-width=3", "--starting-line-number=0", input=b"a\n") == b"  0\ta\n"


def test_number_formats(applet):
    assert nl(applet, "-n", "ln", "-w3", input=b"a\n") == b"1  \ta\n"
    assert nl(applet, "-n", "rz", "-w3", input=b"a\n") == b"001\ta\n"
    assert nl(applet, "-n", "rn", "-w3", input=b"a\n") == b"  1\ta\n"


def test_numbering_continues_across_files(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"a\nb")
    assert nl(applet, "f", "-", "f", input=b"c\n") == (
        b"     1\ta\n     2\tb\n     3\tc\n     4\ta\n     5\tb\n"
    )


def test_binary_lines(applet):
    assert nl(applet, input=b"\xff\x00\n") == b"     1\t\xff\x00\n"


def test_files_and_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("nl", "missing", "dir", "-", input=b"x\n")
    assert (result.returncode, result.stdout) == (1, b"     1\tx\n")
    assert result.stderr == b"nl: missing: No such file or directory\n"
    result = applet("nl", "-v", "-3")
    assert (result.returncode, result.stderr) == (1, b"nl: invalid number '-3'\n")
    result = applet("nl", "-n", "xx")
    assert result.returncode == 1


def test_ten_megabyte_line(applet):
    line = b"z" * (10 * 1024 * 1024)
    assert nl(applet, input=line) == b"     1\t" + line + b"\n"
