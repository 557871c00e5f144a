"""sort: orderings, keys and their flags, BusyBox's quirks, errors and hostile input."""

import pytest

TABLE = b"42\t1\t3\twoot\n42\t1\t010\tzoology\negg\t1\t2\tpapyrus\n7\t3\t42\tsoup\n999\t3\t0\talgebra\n"


def sort(applet, *args, input=b""):
    result = applet("sort", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_plain_reverse_and_missing_final_newline(applet):
    assert sort(applet, input=b"c\na\nb") == b"a\nb\nc\n"
    assert sort(applet, "-r", input=b"wook\nwalrus\npoint\npabst\naargh\n") == b"wook\nwalrus\npoint\npabst\naargh\n"
    assert sort(applet, input=b"") == b""


def test_bytes_order_with_binary_and_invalid_utf8(applet):
    data = b"\xff\xfe\n\x01x\n\xc3\xa9\nZ\n\x00\n"
    assert sort(applet, input=data) == b"\x00\n\x01x\nZ\n\xc3\xa9\n\xff\xfe\n"


def test_numeric_uses_strtod_and_falls_back_to_whole_line(applet):
    data = b"1.5\n0x10\n-3\ninf\n abc\n2e1\n010\n"
    assert sort(applet, "-n", input=data) == b"-3\n abc\n1.5\n010\n0x10\n2e1\ninf\n"


def test_general_numeric_orders_non_numbers_nan_and_infinities(applet):
    data = b"1.5\n0x10\n-3\ninf\nabc\nnan\n-inf\n2e1\n"
    assert sort(applet, "-g", input=data) == b"abc\nnan\n-inf\n-3\n1.5\n0x10\n2e1\ninf\n"


def test_human_months_and_versions(applet):
    human = b"1Y\n5y\n1M\n2E\n3k\n3e\n2K\n4m\n1023\n1025\n3000\n1024\n"
    assert sort(applet, "-h", input=human) == b"3e\n4m\n5y\n1023\n1024\n1025\n3000\n2K\n3k\n1M\n2E\n1Y\n"
    assert sort(applet, "-k2,2M", input=b"2 April\n1  May\n3 March\n") == b"3 March\n2 April\n1  May\n"
    assert sort(applet, "-V", input=b"a1.10\na1.9\na1.010\na1.01\n") == b"a1.01\na1.010\na1.9\na1.10\n"


def test_keys_with_field_ranges_and_per_key_flags(applet):
    assert sort(applet, "-k4,4", input=TABLE).split(b"\n")[0] == b"999\t3\t0\talgebra"
    assert sort(applet, "-k2,3n", input=TABLE) == (
        b"42\t1\t010\tzoology\n42\t1\t3\twoot\negg\t1\t2\tpapyrus\n7\t3\t42\tsoup\n999\t3\t0\talgebra\n"
    )
    # A key with flags of its own ignores the global ones; the fallback honours global -r.
    assert sort(applet, "-k2,3n", "-r", input=TABLE) == (
        b"egg\t1\t2\tpapyrus\n42\t1\t3\twoot\n42\t1\t010\tzoology\n999\t3\t0\talgebra\n7\t3\t42\tsoup\n"
    )
    assert sort(applet, "-k", "2,2n", "-k", "1,1r", input=b"c 3\nb 2\nd 2\n") == b"d 2\nb 2\nc 3\n"


def test_separator_and_character_positions(applet):
    assert sort(applet, "-t.", "-k1,1.1", "-k2", input=b"ab.1\naa.2\n") == b"ab.1\naa.2\n"
    assert sort(applet, "-t:", "-k1,1", input=b"a/a:a\na:b\n") == b"a:b\na/a:a\n"
    glibc = b"GLIBC_2.21\nGLIBC_2.1.1\nGLIBC_2.2.1\nGLIBC_2.2\nGLIBC_2.20\nGLIBC_2.10\nGLIBC_2.1\n"
    expected = b"GLIBC_2.1\nGLIBC_2.1.1\nGLIBC_2.2\nGLIBC_2.2.1\nGLIBC_2.10\nGLIBC_2.20\nGLIBC_2.21\n"
    assert sort(applet, "-t.", "-k", "1,1", "-k", "2n,2n", "-k", "3", input=glibc) == expected
    assert sort(applet, "-u", "-t.", "-k", "1,1", "-k", "2n,2n", "-k", "3", input=glibc) == expected
    # BusyBox's END.CHAR counts from the start of the line, so "x.ab" is the key of both.
    assert sort(applet, "-t.", "-k2,2.4", "-u", input=b"x.abcd1\nx.abce2\n") == b"x.abcd1\n"


def test_blank_handling_and_case_folding(applet):
    assert sort(applet, "-k2,2", "-u", input=b"a b\na  b\n") == b"a  b\na b\n"
    assert sort(applet, "-b", "-k2,2", "-u", input=b"a b\na  b\n") == b"a  b\n"
    assert sort(applet, "-f", input=b"b\nA\na\nB\n") == b"A\na\nB\nb\n"
    assert sort(applet, "-fu", input=b"b\nA\na\nB\n") == b"A\nB\n"
    assert sort(applet, "-d", input=b"b-c\nb+a\n") == b"b+a\nb-c\n"


def test_unique_stable_and_stable_reverse(applet):
    assert sort(applet, "-u", "-k2", input=b"a c\nb c\n") == b"a c\n"
    assert sort(applet, "-s", "-u", "-k", "2", input=b"z b\na b\nz a\na a") == b"z a\nz b\n"
    assert sort(applet, "-k2", "-r", "-s", input=b"a 1\nb 2\nc 1\nd 2\n") == b"b 2\nd 2\na 1\nc 1\n"
    assert sort(applet, "-n", "-k2", "-t", " ", input=b" 2 \n 1 \n a \n") == b" a \n 1 \n 2 \n"


def test_zero_terminated(applet):
    assert sort(applet, "-z", input=b"one\0two\0three\0") == b"one\0three\0two\0"
    assert sort(applet, "-z", input=b"b\nx\0a") == b"a\0b\nx\0"


def test_check_mode(applet):
    assert applet("sort", "-c", input=b"a\nb\nb\n").returncode == 0
    result = applet("sort", "-c", input=b"a\nc\nb\n")
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", b"Check line 2\n")
    assert applet("sort", "-cu", input=b"a\na\n").returncode == 1
    assert applet("sort", "-cr", input=b"b\na\n").returncode == 0


def test_output_file_may_be_an_input(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"222\n111\n")
    result = applet("sort", "-o", "input", "input")
    assert result.returncode == 0 and result.stdout == b""
    assert (tmp_path / "input").read_bytes() == b"111\n222\n"


def test_several_files_and_stdin(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"b\nd")
    assert applet("sort", "a", "-", input=b"c\na\n").stdout == b"a\nb\nc\nd\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (("-k0",), b"sort: bad field specification\n"),
        (("-k1.0",), b"sort: bad field specification\n"),
        (("-k1x",), b"sort: unknown key option\n"),
        (("-k1u",), b"sort: unknown sort type\n"),
        (("-k1,2,3",), b"sort: unknown key option\n"),
        (("-t", "ab"), b"sort: bad -t parameter\n"),
        (("nonexistent",), b"sort: nonexistent: No such file or directory\n"),
    ],
)
def test_errors_exit_2(applet, args, message):
    result = applet("sort", *args, input=b"a\nb\n")
    assert (result.returncode, result.stdout, result.stderr) == (2, b"", message)


def test_conflicting_types_and_bad_options(applet):
    result = applet("sort", "-n", "-g", input=b"a\nb\n")
    assert (result.returncode, result.stderr) == (2, b"sort: unknown sort type\n")
    result = applet("sort", "-X")
    assert result.returncode == 2
    assert result.stderr.startswith(b"sort: invalid option -- 'X'\n")
    assert applet("sort", "-o", "/nonexistent/x", input=b"a\n").stderr == (
        b"sort: can't open '/nonexistent/x': No such file or directory\n"
    )


def test_directory_reads_as_empty(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("sort", "dir", "-", input=b"b\na\n")
    assert (result.returncode, result.stdout) == (0, b"a\nb\n")


def test_ten_megabyte_line(applet):
    line = b"x" * (10 * 1024 * 1024)
    assert sort(applet, input=line + b"\na\n") == b"a\n" + line + b"\n"
