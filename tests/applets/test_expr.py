"""expr: operators, keywords, regex matches, 64-bit arithmetic and exit codes."""


def run(applet, *args):
    result = applet("expr", *args)
    return result.stdout, result.returncode


def test_arithmetic(applet):
    assert run(applet, "1", "+", "2") == (b"3\n", 0)
    assert run(applet, "2", "*", "3", "-", "6") == (b"0\n", 1)
    assert run(applet, "-7", "/", "2") == (b"-3\n", 0)
    assert run(applet, "-7", "%", "2") == (b"-1\n", 0)
    assert run(applet, "9223372036854775807", "+", "1") == (b"-9223372036854775808\n", 0)
    assert run(applet, "-9223372036854775800", "<", "9223372036854775807") == (b"1\n", 0)


def test_logic_returns_operands(applet):
    assert run(applet, "a", "|", "b") == (b"a\n", 0)
    assert run(applet, "", "|", "0") == (b"0\n", 1)
    assert run(applet, "a", "&", "b") == (b"a\n", 0)
    assert run(applet, "a", "&", "0") == (b"0\n", 1)


def test_comparisons_numeric_or_string(applet):
    assert run(applet, "10", "<", "9") == (b"0\n", 1)
    assert run(applet, "10", "<", "9a") == (b"1\n", 0)
    assert run(applet, " 5", "=", "5") == (b"1\n", 0)
    assert run(applet, "abc", "!=", "abd") == (b"1\n", 0)
    assert run(applet, "b", ">=", "a") == (b"1\n", 0)


def test_null_values(applet):
    assert run(applet, "0") == (b"0\n", 1)
    assert run(applet, "00") == (b"00\n", 0)
    assert run(applet, "") == (b"\n", 1)


def test_match_operator(applet):
    assert run(applet, "abcdef", ":", "a\\(.*\\)e") == (b"bcd\n", 0)
    assert run(applet, "abcdef", ":", "ab*") == (b"2\n", 0)
    assert run(applet, "abc", ":", "x") == (b"0\n", 1)
    assert run(applet, "abc", ":", "\\(x\\)") == (b"\n", 1)
    assert run(applet, "aab", ":", "a\\+b") == (b"3\n", 0)
    assert run(applet, "a1", ":", "[[:alpha:]][[:digit:]]") == (b"2\n", 0)
    assert run(applet, "x", ":", "*x") == (b"0\n", 1)
    assert run(applet, "a\nb", ":", "a.b") == (b"3\n", 0)
    assert run(applet, "aaab", ":", "a\\|aa") == (b"2\n", 0)  # POSIX: the longest alternative
    assert run(applet, "aaab", ":", "a*\\|aaab") == (b"4\n", 0)
    assert run(applet, "aaa", ":", "a\\{,2\\}") == (b"2\n", 0)
    assert run(applet, "aa", ":", "a\\?\\?") == (b"1\n", 0)  # glibc lets \? repeat a repetition
    assert run(applet, "a)", ":", "a\\+)\\+") == (b"2\n", 0)


def test_caret_warning(applet):
    result = applet("expr", "abc", ":", "^ab")
    assert result.stdout == b"2\n"
    assert result.stderr == (
        b"expr: warning: '^ab': using '^' as the first character\n"
        b"of a basic regular expression is not portable; it is ignored\n"
    )


def test_keywords(applet):
    assert run(applet, "match", "abc", "a.") == (b"2\n", 0)
    assert run(applet, "substr", "hello", "2", "3") == (b"ell\n", 0)
    assert run(applet, "substr", "hello", "0", "3") == (b"\n", 1)
    assert run(applet, "index", "hello", "lo") == (b"3\n", 0)
    assert run(applet, "index", "hello", "z") == (b"0\n", 1)
    assert run(applet, "length", "hello") == (b"5\n", 0)
    assert run(applet, "quote", "length") == (b"length\n", 0)
    assert run(applet, "length", b"\xff\xfe") == (b"2\n", 0)


def test_parentheses(applet):
    assert run(applet, "(", "1", "+", "2", ")", "*", "3") == (b"9\n", 0)


def test_errors_exit_2(applet):
    cases = {
        (): b"expr: too few arguments\n",
        ("1", "+"): b"expr: syntax error\n",
        ("(", "1"): b"expr: syntax error\n",
        ("1", "2"): b"expr: syntax error\n",
        ("a", "+", "1"): b"expr: non-numeric argument\n",
        ("1", "/", "0"): b"expr: division by zero\n",
        ("abc", ":", "\\("): b"expr: bad regex '\\(': Unmatched ( or \\(\n",
        ("abc", ":", "a**"): b"expr: bad regex 'a**': Invalid preceding regular expression\n",
        ("abc", ":", "["): b"expr: bad regex '[': Invalid regular expression\n",
        ("abc", ":", "[a"): b"expr: bad regex '[a': Unmatched [, [^, [:, [., or [=\n",
        ("abc", ":", ".\\?\\{"): b"expr: bad regex '.\\?\\{': Invalid preceding regular expression\n",
        ("abc", ":", "a\\{1"): b"expr: bad regex 'a\\{1': Unmatched \\{\n",
    }
    for args, message in cases.items():
        result = applet("expr", *args)
        assert (result.stderr, result.returncode) == (message, 2), args
