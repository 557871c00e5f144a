"""comm: the three columns, suppressing them, unterminated lines, stdin and errors."""

import pytest


@pytest.fixture
def files(tmp_path):
    (tmp_path / "one").write_bytes(b"a\nb\nd\n")
    (tmp_path / "two").write_bytes(b"b\nc\nd\ne\n")


@pytest.mark.parametrize(
    "flags, expected",
    [
        ((), b"a\n\t\tb\n\tc\n\t\td\n\te\n"),
        (("-1",), b"\tb\nc\n\td\ne\n"),
        (("-2",), b"a\n\tb\n\td\n"),
        (("-3",), b"a\n\tc\n\te\n"),
        (("-12",), b"b\nd\n"),
        (("-13",), b"c\ne\n"),
        (("-23",), b"a\n"),
        (("-123",), b""),
    ],
)
def test_columns(applet, files, flags, expected):
    result = applet("comm", *flags, "one", "two")
    assert (result.returncode, result.stdout) == (0, expected)


def test_stdin_and_unterminated_lines(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"abc")
    assert applet("comm", "input", "-", input=b"def").stdout == b"abc\n\tdef\n"
    assert applet("comm", "-", "input", input=b"def").stdout == b"\tabc\ndef\n"


def test_compares_bytes(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"B\n\xc3\xa9\n")
    (tmp_path / "b").write_bytes(b"a\n\xff\n")
    assert applet("comm", "a", "b").stdout == b"B\n\ta\n\xc3\xa9\n\t\xff\n"


def test_long_inputs(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"".join(b"%08d\n" % n for n in range(0, 300000, 2)))
    (tmp_path / "b").write_bytes(b"".join(b"%08d\n" % n for n in range(0, 300000, 3)))
    out = applet("comm", "-12", "a", "b").stdout
    assert out == b"".join(b"%08d\n" % n for n in range(0, 300000, 6))


def test_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "a").write_bytes(b"x\n")
    result = applet("comm", "a", "missing")
    assert (result.returncode, result.stderr) == (1, b"comm: missing: No such file or directory\n")
    result = applet("comm", "a")
    assert result.returncode == 1 and b"Usage: comm [-123] FILE1 FILE2" in result.stderr
    assert applet("comm", "a", "dir").stdout == b"x\n"
