"""test, [ and [[: POSIX special cases, the full grammar, files, and error wording."""

import os


def status(applet, name, *args):
    return applet(name, *args).returncode


def test_argument_count_special_cases(applet):
    assert status(applet, "test") == 1
    assert status(applet, "test", "") == 1
    assert status(applet, "test", "!") == 0
    assert status(applet, "test", "-f") == 0
    assert status(applet, "test", "!", "-f") == 1
    assert status(applet, "test", "--help") == 0
    assert status(applet, "test", "-lt", "=", "-gt") == 1
    assert status(applet, "test", "!", "=", "!") == 0
    assert status(applet, "test", "(", "=", "(") == 0
    assert status(applet, "test", "!", "!", "=", "!") == 1


def test_connectives(applet):
    assert status(applet, "test", "a", "-a", "!") == 0
    assert status(applet, "test", "-f", "=", "a", "-o", "b") == 0
    assert status(applet, "test", "!", "a", "=", "b", "-a", "!", "c", "=", "c") == 1
    assert status(applet, "test", "(", "a", ")", "-a", "(", "", ")") == 1
    assert status(applet, "test", "", "-o", "", "-a", "a") == 1


def test_strings_and_integers(applet):
    assert status(applet, "test", "-z", "") == 0
    assert status(applet, "test", "-n", "") == 1
    assert status(applet, "test", "abc", "<", "abd") == 0
    assert status(applet, "test", "b", ">", "a") == 0
    assert status(applet, "test", " 1 ", "-eq", "1") == 0
    assert status(applet, "test", "-5", "-lt", "3") == 0


def test_files(applet, tmp_path):
    (tmp_path / "file").write_bytes(b"data")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "dir").mkdir()
    os.symlink("file", tmp_path / "link")
    os.utime(tmp_path / "empty", (1000, 1000))
    assert status(applet, "test", "-f", "file") == 0
    assert status(applet, "test", "-d", "dir") == 0
    assert status(applet, "test", "-e", "missing") == 1
    assert status(applet, "test", "-s", "file") == 0
    assert status(applet, "test", "-s", "empty") == 1
    assert status(applet, "test", "-L", "link") == 0
    assert status(applet, "test", "-h", "file") == 1
    assert status(applet, "test", "-r", "file") == 0
    assert status(applet, "test", "-x", "file") == 1
    assert status(applet, "test", "-c", "/dev/null") == 0
    assert status(applet, "test", "file", "-nt", "empty") == 0
    assert status(applet, "test", "empty", "-ot", "file") == 0
    assert status(applet, "test", "link", "-ef", "file") == 0
    assert status(applet, "test", "file", "-nt", "missing") == 1
    assert status(applet, "test", "-O", "file") == 0


def test_syntax_errors_exit_2(applet):
    cases = {
        ("1x", "-eq", "1"): b"test: 1x: bad number\n",
        ("99999999999999999999", "-gt", "1"): b"test: 99999999999999999999: out of range\n",
        ("(", "a"): b"test: closing paren expected\n",
        ("3", "-lt", "5", "6"): b"test: 6: unknown operand\n",
        ("a", "-a"): b"test: argument expected\n",
        ("(", "-n", "foo", ")"): b"test: closing paren expected\n",
    }
    for args, message in cases.items():
        result = applet("test", *args)
        assert (result.stderr, result.returncode) == (message, 2), args


def test_brackets_need_their_closing_word(applet):
    assert status(applet, "[", "a", "]") == 0
    assert status(applet, "[", "", "]") == 1
    result = applet("[", "a")
    assert (result.stderr, result.returncode) == (b"[: missing ]\n", 2)
    result = applet("[[", "a", "]")
    assert (result.stderr, result.returncode) == (b"[[: missing ]]\n", 2)


def test_double_bracket_extensions(applet):
    assert status(applet, "[[", "abc", "=~", "b.", "]]") == 0
    assert status(applet, "[[", "abc", "=~", "^b", "]]") == 1
    assert status(applet, "[[", "abc", "=~", "*", "]]") == 2
    assert status(applet, "[[", "abc", "==", "a*", "]]") == 0
    assert status(applet, "[[", "abc", "!=", "a[!b]c", "]]") == 0
    assert status(applet, "[[", "a-c", "==", "a[]-]c", "]]") == 0
    assert status(applet, "[[", "a[c", "==", "a[c", "]]") == 0  # an unclosed bracket is literal
    assert status(applet, "[[", "a\\", "==", "a\\", "]]") == 1  # a trailing backslash matches nothing
    assert status(applet, "[[", "a\\", "!=", "a\\", "]]") == 0
    assert status(applet, "[[", "a*", "==", "a\\*", "]]") == 0
    assert status(applet, "[[", "ab", "==", "a\\*", "]]") == 1
    assert status(applet, "[[", "abc", "=~", "[", "]]") == 2
    assert status(applet, "[[", "x\ny", "=~", "^x.y$", "]]") == 0
    assert status(applet, "[[", "a", "&&", "", "]]") == 1
    assert status(applet, "[[", "", "||", "b", "]]") == 0
    plain = applet("test", "a", "=~", "a")  # only [[ knows =~
    assert (plain.stderr, plain.returncode) == (b"test: =~: unknown operand\n", 2)


def test_binary_operands(applet):
    assert status(applet, "test", b"\xff", "=", b"\xff") == 0
    assert status(applet, "test", b"\xff", "<", b"\xfe") == 1
