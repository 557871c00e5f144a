"""xargs: word splitting and quoting, -n/-s limits, -0, -I, -E, -t, -r, -a, and exit codes."""


def xargs(applet, data: bytes, *args):
    result = applet("xargs", *args, input=data)
    return result.stdout, result.stderr, result.returncode


def test_default_command_is_echo(applet):
    assert xargs(applet, b"a b\n  c\n") == (b"a b c\n", b"", 0)
    assert xargs(applet, b"") == (b"\n", b"", 0)
    assert xargs(applet, b"", "-r") == (b"", b"", 0)
    assert xargs(applet, b" \n\n", "--no-run-if-empty") == (b"", b"", 0)


def test_count_and_size_limits(applet):
    assert xargs(applet, b"1 2 3 4 5\n", "-n2", "echo")[0] == b"1 2\n3 4\n5\n"
    data = b"1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 00\n"
    out, err, code = xargs(applet, data, "-ts25", "echo")
    assert err == b"echo 1 2 3 4 5 6 7 8 9 0\necho 1 2 3 4 5 6 7 8 9\necho 00\n"
    assert xargs(applet, b"a\n", "-s7", "echo")[0] == b"a\n"


def test_quotes_and_backslashes(applet):
    data = b"a 'b c' \"d e\" f\\ g h\"i j\"k '' \\'\n"
    assert xargs(applet, data, "-n1")[0] == b"a\nb c\nd e\nf g\nhi jk\n'\n"
    assert xargs(applet, b"'abc\n") == (b"", b"xargs: unmatched single quote\n", 1)
    assert xargs(applet, b'x "abc\n')[1:] == (b"xargs: unmatched double quote\n", 1)
    assert xargs(applet, b"x 'abc", "-n1") == (b"x\n", b"xargs: unmatched single quote\n", 1)
    assert xargs(applet, b"x '' '", "-n1") == (b"x\n", b"", 0)
    assert xargs(applet, b"abcd 'efghijkl", "-s10", "echo") == (b"abcd\n", b"xargs: argument line too long\n", 1)


def test_quoted_input_split_across_reads(applet):
    data = b"".join(b'\'w%d x\' a\\"b "q %d"\n' % (n, n) for n in range(50000))
    out = applet("xargs", "printf", "%s\\n", input=data).stdout
    assert out.splitlines() == [word for n in range(50000) for word in (b"w%d x" % n, b'a"b', b"q %d" % n)]


def test_eof_string(applet):
    assert xargs(applet, b"a\n_\nb\n", "-E", "_")[0] == b"a\n"
    assert xargs(applet, b"a\n_\nb\n", "-E", "")[0] == b"a _ b\n"
    assert xargs(applet, b"a\n_\nb\n", "-e")[0] == b"a _ b\n"
    assert xargs(applet, b"a STOP b\n", "-eSTOP")[0] == b"a\n"


def test_nul_terminated(applet):
    assert xargs(applet, b"a b\0c\0\0d", "-0", "-n1")[0] == b"a b\nc\n\nd\n"


def test_replace_string(applet):
    data = b" \n2\n\n4\n\n 6 6 \n \v \t 7\n\t\n\v\n"
    assert xargs(applet, data, "-I%", "echo", "[%]")[0] == b"[2]\n[4]\n[6 6 ]\n[7]\n"
    assert xargs(applet, b"a\n", "-i", "echo", "{}{}", "x{}")[0] == b"aa xa\n"
    assert xargs(applet, b"", "-I%", "echo", "%") == (b"", b"", 0)


def test_trace(applet):
    out, err, code = xargs(applet, b"a b\n", "-t", "echo", "x")
    assert (out, err, code) == (b"x a b\n", b"echo x a b\n", 0)


def test_exit_statuses(applet, tmp_path):
    (tmp_path / "plain").write_bytes(b"data")
    assert xargs(applet, b"a\nb\n", "-n1", "sh", "-c", "echo $0; exit 2") == (b"a\nb\n", b"", 123)
    assert xargs(applet, b"a\nb\n", "-n1", "sh", "-c", "echo $0; exit 255") == (
        b"a\n",
        b"xargs: sh: exited with status 255; aborting\n",
        124,
    )
    assert xargs(applet, b"a\n", "sh", "-c", "kill -9 $$") == (b"", b"xargs: 'sh' terminated by signal 9\n", 125)
    assert xargs(applet, b"a\n", "./plain") == (b"", b"xargs: ./plain: Permission denied\n", 126)
    assert xargs(applet, b"a\n", "nosuch-program") == (b"", b"xargs: nosuch-program: No such file or directory\n", 127)


def test_limits_errors(applet):
    assert xargs(applet, b"a\n", "-n", "0")[1:] == (b"xargs: number 0 is not in 1..2147483647 range\n", 1)
    assert xargs(applet, b"a\n", "-s", "x")[1:] == (b"xargs: invalid number 'x'\n", 1)
    assert xargs(applet, b"a\n", "-s", "3", "echo")[1:] == (
        b"xargs: can't fit single argument within argument list size limit\n",
        1,
    )
    assert xargs(applet, b"b aaaaaaaaaa\n", "-s", "10", "echo") == (b"b\n", b"xargs: argument line too long\n", 1)


def test_args_file(applet, tmp_path):
    (tmp_path / "list").write_bytes(b"x y\n")
    assert applet("xargs", "-a", "list", "echo", input=b"ignored").stdout == b"x y\n"
    missing = applet("xargs", "-a", "nope")
    assert (missing.stderr, missing.returncode) == (b"xargs: can't open 'nope': No such file or directory\n", 1)


def test_parallel_runs_everything(applet):
    out = xargs(applet, b"1 2 3 4 5 6\n", "-P", "3", "-n", "2", "echo")[0]
    assert sorted(out.splitlines()) == [b"1 2", b"3 4", b"5 6"]


def test_many_words_split_across_commands(applet):
    data = b"".join(b'"%d"\n' % n for n in range(10000, 100000))
    out = applet("xargs", "echo", input=data).stdout
    assert out.split() == [b"%d" % n for n in range(10000, 100000)]
    assert out.count(b"\n") > 1


def test_binary_words_and_long_line(applet):
    assert xargs(applet, b"\xff\xfe \x80\n", "-n1")[0] == b"\xff\xfe\n\x80\n"
    line = b"x" * (10 * 1024 * 1024)
    out, err, code = xargs(applet, line, "echo")
    assert (out, err, code) == (b"", b"xargs: argument line too long\n", 1)
