"""fold: widths, -s and -b, tabs and control characters, UTF-8, files and errors."""

import pytest


def fold(applet, *args, input=b""):
    result = applet("fold", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_width_and_break_at_spaces(applet):
    assert fold(applet, "-w1", input=b"qq w") == b"q\nq\n \nw"
    assert fold(applet, "-w", "7", "-s", input=b"123456\tasdf") == b"123456\n\t\nasdf"
    assert fold(applet, "-w", "10", input=b"hello world this\n") == b"hello worl\nd this\n"
    assert fold(applet, "-sw", "10", input=b"hello world this\n") == b"hello \nworld this\n"
    assert fold(applet, "-3", input=b"abcdefghij\n") == b"abc\ndef\nghi\nj\n"


def test_default_width_is_80(applet):
    line = b"x" * 200
    assert fold(applet, input=line + b"\n") == line[:80] + b"\n" + line[80:160] + b"\n" + line[160:] + b"\n"


def test_nul_bytes_are_kept(applet):
    data = b"The NUL is here:>\0< and another one is here:>\0< - they must be preserved\n"
    expected = b"The NUL is here:>\0< \nand another one is \nhere:>\0< - they must \nbe preserved\n"
    assert fold(applet, "-sw22", input=data) == expected


def test_columns_of_tabs_backspaces_and_carriage_returns(applet):
    assert fold(applet, "-w", "4", input=b"\tab\n") == b"\t\nab\n"
    assert fold(applet, "-w", "4", input=b"abc\bde\n") == b"abc\bde\n"
    assert fold(applet, "-w", "4", input=b"abc\rdefg\n") == b"abc\rdefg\n"
    assert fold(applet, "-b", "-w", "4", input=b"abc\rdefg\n") == b"abc\r\ndefg\n"


def test_utf8_characters_take_one_column_unless_counting_bytes(applet):
    delta = "Δ".encode()
    assert fold(applet, "-w", "3", input=delta * 4 + b"\n") == delta * 3 + b"\n" + delta + b"\n"
    assert fold(applet, "-b", "-w", "3", input=delta * 2 + b"\n") == delta + b"\xce\n\x94\n"
    text = ("Галактика або Туманність Андромеди (також відома як M31 за каталогом").encode()
    assert fold(applet, "-sw30", input=text) == (
        "Галактика або Туманність \nАндромеди (також відома як \nM31 за каталогом"
    ).encode()


def test_files_and_errors(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"abcdef")
    (tmp_path / "dir").mkdir()
    result = applet("fold", "-w", "4", "a", "missing", "dir", "a")
    assert result.returncode == 1
    assert result.stdout == b"abcd\nefabcd\nef"
    assert result.stderr == b"fold: missing: No such file or directory\nfold: dir: Input/output error\n"


@pytest.mark.parametrize(
    "value, message",
    [("0", b"fold: number 0 is not in 1..10000 range\n"), ("x", b"fold: invalid number 'x'\n")],
)
def test_bad_width(applet, value, message):
    result = applet("fold", "-w", value)
    assert (result.returncode, result.stderr) == (1, message)


def test_ten_megabyte_line(applet):
    line = b"ab " * (3 * 1024 * 1024)
    out = fold(applet, "-s", "-w", "10", input=line)
    assert out.replace(b"\n", b"") == line
    assert set(len(piece) for piece in out.split(b"\n")[:-1]) == {9}
