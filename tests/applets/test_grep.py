"""grep/egrep/fgrep: POSIX regex translation, output formats, context, exit codes, hostile input."""

import pytest

from applets import _regex

LINES = [b"*a", b"aa", b"a{", b"-", b"x^b", b"a$b", b"+a", b"a)", b"abc", b"ABC", b"a.b", b"foo bar", b"foobar",
         b"{1}a", b"a|b", b"]", b"a-z", b"\\", b"ab\\c", b"aaa", b"ab", b""]


def selected(pattern: bytes, extended: bool = False, gnu: bool = True) -> list[bytes]:
    translation = _regex.translate(pattern, extended, gnu=gnu, eol=b"\n")
    compiled = _regex.compile_source(translation.source, _regex.flags_for(b"\n", False))
    return [line for line in LINES if compiled.search(line)]


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (b"a\\{2\\}", [b"aa", b"aaa"]),
        (b"a+", []),  # BRE: + ? | ( ) { } are literals
        (b"+a", [b"+a"]),
        (b"a|b", [b"a|b"]),
        (b"a\\|x\\^", [b"*a", b"aa", b"a{", b"x^b", b"a$b", b"+a", b"a)", b"abc", b"a.b", b"foo bar", b"foobar",
                        b"{1}a", b"a|b", b"a-z", b"ab\\c", b"aaa", b"ab"]),
        (b"*a", [b"*a"]),  # leading * is literal
        (b"\\(*a\\)", [b"*a"]),
        (b"^*a", [b"*a"]),
        (b"x^b", [b"x^b"]),  # ^ and $ in the middle are literal
        (b"a$b", [b"a$b"]),
        (b"\\(a$\\)", [b"*a", b"aa", b"+a", b"{1}a", b"aaa"]),
        (b"\\(a\\)\\1", [b"aa", b"aaa"]),
        (b"[]a]", [b"*a", b"aa", b"a{", b"a$b", b"+a", b"a)", b"abc", b"a.b", b"foo bar", b"foobar", b"{1}a",
                   b"a|b", b"]", b"a-z", b"ab\\c", b"aaa", b"ab"]),
        (b"[^]a-z\\\\]", [b"*a", b"a{", b"-", b"x^b", b"a$b", b"+a", b"a)", b"ABC", b"a.b", b"foo bar", b"{1}a",
                          b"a|b", b"a-z"]),
        (b"[\\]", [b"\\", b"ab\\c"]),  # no escapes inside brackets
        (b"[[:upper:]]", [b"ABC"]),
        (b"[[.-.]]", [b"-", b"a-z"]),
        (b"[[=b=]]c", [b"abc"]),
        (b"^$", [b""]),
        (b"\\<foo\\>", [b"foo bar"]),
        (b"\\bbar", [b"foo bar"]),
        (b"a\\{,1\\}b", [b"x^b", b"a$b", b"abc", b"a.b", b"foo bar", b"foobar", b"a|b", b"ab\\c", b"ab"]),
    ],
)
def test_basic_regex_translation(pattern, expected):
    assert selected(pattern) == expected


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (b"a{2}", [b"aa", b"aaa"]),
        (b"a{", [b"a{"]),  # GNU grep: an invalid interval is literal
        (b"{1}a", [b"{1}a"]),  # a leading { is skipped: this is "1}a"
        (b"(a|x)\\^", [b"x^b"]),
        (b"a)", [b"a)"]),
        (b"\\(", []),
        (b"^(ab|x)", [b"x^b", b"abc", b"ab\\c", b"ab"]),
        (b"a+b", [b"abc", b"ab\\c", b"ab"]),
        (b"(a)\\1", [b"aa", b"aaa"]),
    ],
)
def test_extended_regex_translation(pattern, expected):
    assert selected(pattern, extended=True) == expected


@pytest.mark.parametrize(
    "pattern, extended, message",
    [
        (b"a\\{1,2", False, _regex.EBRACE),
        (b"\\(a", False, _regex.EPAREN),
        (b"[a", False, _regex.EBRACK),
        (b"a\\1", False, _regex.ESUBREG),
        (b"[z-a]", False, _regex.ERANGE),
        (b"[[:nope:]]", False, _regex.ECTYPE),
        (b"[[.ab.]]", False, _regex.ECOLLATE),
        (b"a\\", False, _regex.EESCAPE),
        (b"a**", False, _regex.BADRPT),
        (b"*a", True, _regex.BADRPT),
        (b"a{1", True, _regex.EBRACE),
        (b"a{2,1}", True, _regex.BADBR),
        (b"a{99999}", True, _regex.ESIZE),
        (b"a[", False, _regex.BADPAT),  # regcomp: `[` or `[^` at the very end is a bad pattern
        (b"[^", True, _regex.BADPAT),
        (b".\\?\\{", False, _regex.BADRPT),
    ],
)
def test_strict_posix_errors(pattern, extended, message):
    with pytest.raises(_regex.RegexError, match=None) as caught:
        _regex.translate(pattern, extended, gnu=False)
    assert str(caught.value) == message


def test_pattern_space_mode_matches_newlines_like_regexec():
    translation = _regex.translate(b"a.b$", False)
    compiled = _regex.compile_source(translation.source, _regex.flags_for(None, False))
    assert compiled.search(b"a\nb")
    assert not compiled.search(b"a\nb\n")


def test_leftmost_longest_alternation():
    longest = _regex.Longest(_regex.translate(b"a|ab|x*c", True), _regex.flags_for(None, False))
    assert longest.search(b"zabc").group() == b"ab"
    assert longest.search(b"xxxc").group() == b"xxxc"
    assert longest.match(b"zabc") is None
    assert longest.match(b"zabc", 1).group() == b"ab"


def test_compile_posix_is_strict_and_whole_string():
    posix = _regex.compile_posix(b"\\(a*\\)\\|a*b$")
    assert posix.groups == 1
    assert posix.match(b"aab").group() == b"aab"
    assert posix.match(b"aab\n").group() == b"aa"
    assert _regex.compile_posix(b"a.b", extended=True).search(b"xa\nb").group() == b"a\nb"
    assert _regex.compile_posix(b"a\\?\\?").match(b"aa").group() == b"a"
    with pytest.raises(_regex.RegexError, match="Invalid preceding regular expression"):
        _regex.compile_posix(b"a**")
    with pytest.raises(_regex.RegexError, match="Invalid preceding regular expression"):
        _regex.compile_posix(b"*a", extended=True)


@pytest.mark.parametrize(
    "pattern, source, end",
    [
        (b"[a-c]x", "[\\x61-\\x63]", 5),
        (b"[]-]", "[\\x2d\\x5d]", 4),
        (b"[^[:digit:]]", "[^\\x30-\\x39]", 12),
    ],
)
def test_bracket_expression(pattern, source, end):
    assert _regex.bracket_expression(pattern, 1) == (source, end)


@pytest.mark.parametrize("pattern", [b"[", b"[a", b"[z-a]", b"[[:nope:]]"])
def test_bracket_expression_errors(pattern):
    with pytest.raises(_regex.RegexError):
        _regex.bracket_expression(pattern, 1)


# --- the applet -----------------------------------------------------------------------


def test_exit_status_and_stdin_naming(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"one\ntwo\nthree\n")
    result = applet("grep", "two", "-", "input", "missing", input=b"too\ntwo\n")
    assert result.stdout == b"(standard input):two\ninput:two\n"
    assert result.stderr == b"grep: missing: No such file or directory\n"
    assert result.returncode == 2
    assert applet("grep", "nothing", "input").returncode == 1
    assert applet("grep", "-q", "two", "missing", "input").returncode == 0
    silent = applet("grep", "-s", "two", "missing")
    assert (silent.stderr, silent.returncode) == (b"", 2)


def test_count_list_and_numbers(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"foo\nbar\nfoo bar\n")
    (tmp_path / "b").write_bytes(b"nothing\n")
    assert applet("grep", "-c", "foo", "a", "b").stdout == b"a:2\nb:0\n"
    assert applet("grep", "-cv", "foo", "a").stdout == b"1\n"
    assert applet("grep", "-l", "foo", "a", "b").stdout == b"a\n"
    assert applet("grep", "-L", "foo", "a", "b").stdout == b"b\n"
    assert applet("grep", "-n", "bar", "a").stdout == b"2:bar\n3:foo bar\n"
    assert applet("grep", "-Hnv", "bar", "a").stdout == b"a:1:foo\n"
    assert applet("grep", "-h", "foo", "a", "b").stdout == b"foo\nfoo bar\n"


def test_matcher_selection(applet):
    assert applet("grep", "-E", "a+b", input=b"aab\n").stdout == b"aab\n"
    assert applet("grep", "-E", "-G", "a+b", input=b"aab\na+b\n").stdout == b"a+b\n"
    assert applet("grep", "-F", "-E", "a.b", input=b"axb\na.b\n").stdout == b"a.b\n"  # -F wins
    assert applet("egrep", "a|b", input=b"a\nc\n").stdout == b"a\n"
    assert applet("fgrep", "a|b", input=b"a\na|b\n").stdout == b"a|b\n"


def test_words_lines_and_case(applet):
    data = b"foo\nfoobar\nbar foo_x\nx foo,\nFOO\n"
    assert applet("grep", "-w", "foo", input=data).stdout == b"foo\nx foo,\n"
    assert applet("grep", "-x", "foo", input=data).stdout == b"foo\n"
    assert applet("grep", "-ix", "foo", input=data).stdout == b"foo\nFOO\n"
    assert applet("grep", "-Fw", "foo", input=b"foop foo\n").stdout == b"foop foo\n"
    assert applet("grep", "-w", "^", input=b"anything\n").returncode == 1


def test_only_matching(applet):
    data = b"00:19:3E:00:AA:5E 00:1D:60:3D:3A:FB\nnone\n"
    pattern = "([[:xdigit:]]{2}[:-]){5}[[:xdigit:]]{2}"
    assert applet("grep", "-oE", pattern, input=data).stdout == b"00:19:3E:00:AA:5E\n00:1D:60:3D:3A:FB\n"
    assert applet("egrep", "-on", "o+", input=b"foo boo\n").stdout == b"1:oo\n1:oo\n"
    assert applet("grep", "-o", "a\\|ab", input=b"abab\n").stdout == b"ab\nab\n"  # leftmost-longest
    assert applet("grep", "-o", "", input=b"test\n").stdout == b""
    assert applet("grep", "-o", "[^/]*$", input=b"/var/test").stdout == b"test\n"
    # BusyBox: -F -o prints the pattern once per line; -ov prints only the prefixes
    assert applet("fgrep", "-io", "FOO", input=b"foo foo\n").stdout == b"FOO\n"
    assert applet("grep", "-nov", "a", input=b"a\nb\nc\n").stdout == b"2:3:"


def test_multiple_patterns_and_pattern_files(applet, tmp_path):
    (tmp_path / "pats").write_bytes(b"tw.\nthr\n")
    (tmp_path / "empty").write_bytes(b"")
    data = b"one\ntwo\nthree\n"
    assert applet("grep", "-e", "one", "-e", "two", input=data).stdout == b"one\ntwo\n"
    assert applet("grep", "-f", "pats", input=data).stdout == b"two\nthree\n"
    assert applet("grep", "-Fv", "one\nthree", input=data).stdout == b"two\n"
    assert applet("grep", "-f", "empty", input=data).returncode == 1
    assert applet("grep", "-v", "-f", "empty", input=data).stdout == data
    missing = applet("grep", "-f", "nope", input=data)
    assert (missing.stderr, missing.returncode) == (b"grep: nope: No such file or directory\n", 2)


def test_context_follows_busybox(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"a\nb\na\n")
    assert applet("grep", "-A1", "a", "f", "f").stdout == b"f:a\nf-b\nf:a\n--\nf:a\nf-b\nf:a\n"
    assert applet("grep", "-nC1", "b", "f").stdout == b"1-a\n2:b\n3-a\n"
    lines = b"".join(b"%d\n" % n for n in range(1, 11))
    assert applet("grep", "-B1", "-e", "^3$", "-e", "^7$", input=lines).stdout == b"2\n3\n--\n6\n7\n"
    assert applet("grep", "-m1", "-A2", "1", input=lines).stdout == b"1\n2\n3\n"


def test_max_count(applet):
    data = b"x1\ny\nx2\nx3\n"
    assert applet("grep", "-m2", "x", input=data).stdout == b"x1\nx2\n"
    assert applet("grep", "-cm2", "x", input=data).stdout == b"2\n"
    assert applet("grep", "-m1", "-v", "x", input=data).stdout == b"y\n"
    assert applet("grep", "-m0", "-c", "x", input=data).stdout == b"1\n"  # BusyBox's quirk
    bad = applet("grep", "-m", "x", "y", input=data)
    assert (bad.stderr, bad.returncode) == (b"grep: invalid number 'x'\n", 2)


def test_bad_regex_and_usage(applet):
    bad = applet("grep", "a\\(", input=b"a\n")
    assert (bad.stderr, bad.returncode) == (b"grep: bad regex 'a\\('\n", 2)
    usage = applet("grep")
    assert usage.returncode == 2
    assert b"Usage: grep [-HhnlLoqvsrRiwFEz]" in usage.stderr
    assert applet("grep", "-Z", "x").returncode == 2
    assert applet("grep", "--color=always", "b", input=b"abc\n").stdout == b"abc\n"


def test_recursive(applet, tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "sub" / "f").write_bytes(b"hit\n")
    (tmp_path / "d" / "link").symlink_to("sub")
    (tmp_path / "d" / "dangling").symlink_to("nowhere")
    result = applet("grep", "-r", "hit", "d")
    assert result.stdout == b"d/sub/f:hit\n"
    assert result.stderr == b"grep: d/dangling: No such file or directory\n"
    assert result.returncode == 0
    assert applet("grep", "-r", "hit", "d/link").stdout == b"d/link/f:hit\n"
    assert sorted(applet("grep", "-R", "-s", "hit", "d").stdout.splitlines()) == [b"d/link/f:hit", b"d/sub/f:hit"]


def test_directory_reads_as_empty(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("grep", "-c", "x", "dir")
    assert (result.stdout, result.stderr, result.returncode) == (b"0\n", b"", 1)


def test_binary_and_invalid_utf8_pass_through(applet):
    data = b"\x00foo\xff\xfe\n\x80bar\n"
    assert applet("grep", "foo", input=data).stdout == b"\x00foo\xff\xfe\n"
    assert applet("grep", "-c", ".", input=b"\x00\n").stdout == b"1\n"
    assert applet("grep", "-z", "b", input=b"a\0b\0").stdout == b"b\0"
    assert applet("grep", "\xff".encode("latin-1").decode("utf-8", "surrogateescape"), input=data).stdout == (
        b"\x00foo\xff\xfe\n")


def test_no_trailing_newline(applet):
    assert applet("grep", "bug", input=b"bug").stdout == b"bug\n"
    assert applet("grep", "-v", "x", input=b"a\nb").stdout == b"a\nb\n"
    assert applet("grep", "-c", "$", input=b"a\nb").stdout == b"2\n"
    assert applet("grep", "-c", "^$", input=b"a\n\n").stdout == b"1\n"


def test_ten_megabyte_line_and_block_boundaries(applet):
    line = b"x" * (10 * 1024 * 1024)
    data = line + b"needle" + line + b"\nshort needle\n" + b"filler\n" * 100000 + b"last needle"
    result = applet("grep", "-n", "needle", input=data)
    assert result.stdout == b"1:" + line + b"needle" + line + b"\n2:short needle\n100003:last needle\n"
    assert applet("grep", "-vc", "needle", input=data).stdout == b"100000\n"


@pytest.mark.parametrize(
    "pattern, extended, nonempty",
    [
        (b"x*", False, "x+"),
        (b"[0-9]\\?", False, "[\\x30-\\x39]"),
        (b".\\{0,3\\}", False, ".{1,3}"),
        (b"x{0}", True, "(?!)"),
        (b"\\w*", False, "\\w+"),
        (b"x+", True, None),  # never empty
        (b"ab*", False, None),
        (b"\\(x\\)*", False, None),  # a group: greedy need not be longest
        (b"^x*", False, None),
        (b"x*|y*", True, None),
    ],
)
def test_nonempty_source_of_repeated_characters(pattern, extended, nonempty):
    assert _regex.translate(pattern, extended, eol=b"\n").nonempty == nonempty


def test_invert_when_most_lines_match(applet, tmp_path):
    """-v switches to deleting whole matching lines once most lines of a block match."""
    lines = [b"x%d" % n if n % 10 else b"plain %d" % n for n in range(60000)]
    data = b"\n".join(lines) + b"\n"
    (tmp_path / "data").write_bytes(data + b"x tail")
    kept = b"".join(line + b"\n" for line in lines if b"x" not in line)
    assert applet("grep", "-v", "x", "data").stdout == kept
    assert applet("grep", "-v", "-F", "x", "data").stdout == kept
    assert applet("grep", "-v", "\\(x\\)", "data").stdout == kept
    assert applet("grep", "-vc", "x", "data").stdout == b"%d\n" % (len(lines) // 10)
    mixed = b"".join(line + b"\n" for line in lines[:30000]) + b"".join(b"p%d\n" % n for n in range(30000))
    (tmp_path / "mixed").write_bytes(mixed)  # mostly matching, then no line matches
    assert applet("grep", "-v", "x", "mixed").stdout == b"".join(
        line + b"\n" for line in mixed.split(b"\n")[:-1] if b"x" not in line)
    nul = data.replace(b"\n", b"\0")
    assert applet("grep", "-zv", "x", input=nul).stdout == kept.replace(b"\n", b"\0")
