"""uniq: runs of equal lines, the selection and comparison options, files and errors."""

import pytest

RUNS = b"one\ntwo\ntwo\nthree\nthree\nthree\n"


def uniq(applet, *args, input=b""):
    result = applet("uniq", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_plain_count_and_selection(applet):
    assert uniq(applet, input=RUNS) == b"one\ntwo\nthree\n"
    assert uniq(applet, "-c", input=RUNS) == b"      1 one\n      2 two\n      3 three\n"
    assert uniq(applet, "-d", input=RUNS) == b"two\nthree\n"
    assert uniq(applet, "-u", input=RUNS) == b"one\n"
    assert uniq(applet, "-D", input=RUNS) == b"two\ntwo\nthree\nthree\nthree\n"
    assert uniq(applet, "-d", "-u", input=RUNS) == b""
    assert uniq(applet, "-cd", input=RUNS) == b"      2 two\n      3 three\n"


def test_only_adjacent_lines_collapse(applet):
    assert uniq(applet, input=b"a\nb\na\na") == b"a\nb\na\n"


def test_skip_fields_chars_and_width(applet):
    data = b"cc\tdd\tee8\nbb\tcc\tdd8\naa\tbb\tcc9\n"
    assert uniq(applet, "-f2", "-s", "3", input=data) == b"cc\tdd\tee8\naa\tbb\tcc9\n"
    assert uniq(applet, "-w", "2", input=b"cc1\ncc2\ncc3\n") == b"cc1\n"
    assert uniq(applet, "-s", "2", "-w", "2", input=b"aaccaa\naaccbb\nbbccaa\n") == b"aaccaa\n"
    assert uniq(applet, "-w", "0", input=b"x\ny\n") == b"x\n"
    # A skipped field takes its leading blanks along, but not the blanks after it.
    assert uniq(applet, "-f1", "-c", input=b"a b\nc b\n  d b\nx  b\n") == b"      3 a b\n      1 x  b\n"


def test_ignore_case(applet):
    assert uniq(applet, "-ic", input=b"A\na\nb") == b"      2 A\n      1 b\n"


def test_nul_also_ends_lines_and_z_terminates_output_with_nul(applet):
    assert uniq(applet, input=b"x\0x\ny\n") == b"x\ny\n"
    assert uniq(applet, "-z", input=b"a\0a\0b\0") == b"a\0b\0"
    assert uniq(applet, "-z", input=b"a\na\nb\n") == b"a\0b\0"


def test_binary_data_and_invalid_utf8(applet):
    data = b"\xff\xfe\n\xff\xfe\n\x01\x02\n"
    assert uniq(applet, "-c", input=data) == b"      2 \xff\xfe\n      1 \x01\x02\n"


def test_runs_across_read_blocks(applet):
    # 3 MiB of one line, then another: the run spans several 1 MiB reads.
    data = b"same line\n" * 300000 + b"other\n"
    assert uniq(applet, input=data) == b"same line\nother\n"
    assert uniq(applet, "-c", input=data) == b" 300000 same line\n      1 other\n"


def test_input_and_output_files(applet, tmp_path):
    (tmp_path / "input").write_bytes(RUNS)
    assert uniq(applet, "input") == b"one\ntwo\nthree\n"
    assert uniq(applet, "input", "-") == b"one\ntwo\nthree\n"
    assert uniq(applet, "input", "actual") == b""
    assert (tmp_path / "actual").read_bytes() == b"one\ntwo\nthree\n"
    assert uniq(applet, "-", "actual", input=b"x\nx\n") == b""
    assert (tmp_path / "actual").read_bytes() == b"x\n"
    assert uniq(applet, "/dev/null") == b""


def test_errors(applet, tmp_path):
    result = applet("uniq", "nonexistent")
    assert (result.returncode, result.stderr) == (1, b"uniq: can't open 'nonexistent': No such file or directory\n")
    result = applet("uniq", "-", "/nonexistent/out", input=b"a\n")
    assert result.stderr == b"uniq: can't open '/nonexistent/out': No such file or directory\n"
    (tmp_path / "dir").mkdir()
    result = applet("uniq", "dir")
    assert (result.returncode, result.stderr) == (1, b"uniq: dir: I/O error\n")
    result = applet("uniq", "a", "b", "c")
    assert result.returncode == 1 and b"Usage: uniq" in result.stderr


@pytest.mark.parametrize("value", ["x", "-1", "5k", "99999999999"])
def test_bad_numbers(applet, value):
    result = applet("uniq", "-f", value)
    assert (result.returncode, result.stderr) == (1, f"uniq: invalid number '{value}'\n".encode())


def test_ten_megabyte_line(applet):
    line = b"y" * (10 * 1024 * 1024)
    assert uniq(applet, "-c", input=line + b"\n" + line) == b"      2 " + line + b"\n"
