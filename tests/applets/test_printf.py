"""printf: conversions, escapes, format reuse and BusyBox's error rules."""


def test_format_is_reused_until_arguments_run_out(applet):
    result = applet("printf", "%s-%s\n", "a", "b", "c")
    assert result.stdout == b"a-b\nc-\n"
    assert result.returncode == 0


def test_integer_conversions_and_flags(applet):
    out = applet(
        "printf", "%d|%5d|%-5d|%05d|%+d|% d|%.3d|%x|%X|%#x|%o|%#o|%u\n", *"1 2 3 4 5 6 7 255 255 255 8 8 9".split()
    )
    assert out.stdout == b"1|    2|3    |00004|+5| 6|007|ff|FF|0xff|10|010|9\n"


def test_number_syntax(applet):
    out = applet("printf", "%d %d %d %d %d %d\n", "0x10", "010", "'A", '"', "   +3", "-7")
    assert out.stdout == b"16 8 65 0 3 -7\n"
    assert applet("printf", "%x %u\n", "-2", "-1").stdout == b"fffffffffffffffe 18446744073709551615\n"


def test_invalid_numbers_warn_print_zero_and_fail(applet):
    result = applet("printf", "%d\n", "1", "123bad", "2", "-", "9999999999999999999")
    assert result.stdout == b"1\n0\n2\n0\n0\n"
    assert result.stderr == (
        b"printf: invalid number '123bad'\nprintf: invalid number '-'\nprintf: invalid number '9999999999999999999'\n"
    )
    assert result.returncode == 1


def test_missing_arguments_count_as_empty(applet):
    result = applet("printf", "[%s|%f|%c]\n")
    assert result.stdout == b"[|0.000000|\0]\n"
    assert result.returncode == 0
    result = applet("printf", "%d\n")
    assert (result.stdout, result.stderr, result.returncode) == (b"0\n", b"printf: invalid number ''\n", 1)


def test_floating_conversions(applet):
    out = applet("printf", "%.2f %e %g %G %E %08.3f %-8.1f|\n", "3.14159", "1.5", "0.0001", "1e20", "2", "-1.5", "2.25")
    assert out.stdout == b"3.14 1.500000e+00 0.0001 1E+20 2.000000E+00 -001.500 2.2     |\n"
    assert applet("printf", "%f %f %f\n", "inf", "-nan", "0x1p3").stdout == b"inf -nan 8.000000\n"


def test_star_width_and_precision(applet):
    out = applet("printf", "|%*d|%-*d|%.*f|%*.*f|\n", "4", "1", "4", "2", "1", "2.25", "-10", "-1", "1.5")
    assert out.stdout == b"|   1|2   |2.2|1.500000  |\n"
    bad = applet("printf", "%*d|\n", "abc", "5")
    assert (bad.stdout, bad.stderr, bad.returncode) == (b"5|\n", b"printf: invalid number 'abc'\n", 0)


def test_strings_and_chars(applet):
    assert applet("printf", "%5s|%-5s|%.2s|%c%c\n", "ab", "cd", "efgh", "xyz", "").stdout == b"   ab|cd   |ef|x\0\n"


def test_escapes_in_format(applet):
    out = applet("printf", r"\0101|\x41\x|\q|\\|\"|\777|\e|\n")
    assert out.stdout == b'\x081|A\\x|\\q|\\|\\"|?7|\x1b|\n'


def test_backslash_c_stops_all_output(applet):
    assert applet("printf", r"a\cb", "x").stdout == b"a"
    assert applet("printf", "%b|%s\n", r"one\ctwo", "more").stdout == b"one"


def test_percent_b_expands_escapes(applet):
    out = applet("printf", "%b|", r"a\tb", r"\0101", r"\101", r"x\\", "end\\")
    assert out.stdout == b"a\tb|A|A|x\\|end\\|"


def test_bad_conversion_stops_with_error(applet):
    result = applet("printf", "ab%rcd", "x")
    assert (result.stdout, result.stderr, result.returncode) == (b"ab", b"printf: %rcd: invalid format\n", 1)
    result = applet("printf", "x%")
    assert (result.stdout, result.stderr, result.returncode) == (b"x", b"printf: %: invalid format\n", 1)
    assert applet("printf", "%lq").stderr == b"printf: %q: invalid format\n"


def test_length_modifiers_are_ignored(applet):
    assert applet("printf", "%ld %lld %hhd %zd %Lf\n", "1", "2", "3", "4", "5").stdout == b"1 2 3 4 5.000000\n"


def test_usage_and_double_dash(applet):
    result = applet("printf")
    assert result.returncode == 1
    assert b"Usage: printf FORMAT [ARG]..." in result.stderr
    assert applet("printf", "--", "-%s-\n", "x").stdout == b"-x-\n"
    assert applet("printf", "-x\n").stdout == b"-x\n"


def test_binary_arguments_pass_through(applet):
    data = b"\xff\xfe\x00"[:2] + b"\x80abc"
    assert applet("printf", b"%s|%.2s\n", data, data).stdout == data + b"|\xff\xfe\n"


def test_largest_possible_argument(applet):
    big = "x" * (128 * 1024 - 1)  # the kernel's limit for one argument
    assert applet("printf", "%s\n", big).stdout == big.encode() + b"\n"
