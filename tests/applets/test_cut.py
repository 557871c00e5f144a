"""cut: byte and field lists, delimiters, -s -D -F -O, BusyBox's corner cases and errors."""

import pytest

ABC = (
    b"one:two:three:four:five:six:seven\n"
    b"alpha:beta:gamma:delta:epsilon:zeta:eta:theta:iota:kappa:lambda:mu\n"
    b"the quick brown fox jumps over the lazy dog\n"
)
STAFF = b"406378:Sales:Itorre:Jan\n031762:Marketing:Nasium:Jim\n636496:Research:Ancholie:Mel\n"


def cut(applet, *args, input=b""):
    result = applet("cut", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "args, expected",
    [
        (("-b", "3,3,3"), b"e\np\ne\n"),
        (("-b", "1-3,2-5,7-9,9-10"), b"one:to:th\nalphabeta\nthe qick \n"),
        (("-b", "3-8,4-6"), b"e:two:\npha:be\ne quic\n"),
        (("-c", "4-10"), b":two:th\nha:beta\n quick \n"),
        (("-c", "41-"), b"\ntheta:iota:kappa:lambda:mu\ndog\n"),
        (("-c", "40"), b"\n:\n \n"),
        (("-c", "3,5-7,10"), b"etwoh\npa:ba\nequi \n"),
        (("-d", ":", "-f", "5-"), b"five:six:seven\nepsilon:zeta:eta:theta:iota:kappa:lambda:mu\n"
                                  b"the quick brown fox jumps over the lazy dog\n"),
        (("-d", " ", "-f", "3"), b"one:two:three:four:five:six:seven\n"
                                 b"alpha:beta:gamma:delta:epsilon:zeta:eta:theta:iota:kappa:lambda:mu\nbrown\n"),
        (("-d:", "-f2,4", "-O", "--"), b"two--four\nbeta--delta\nthe quick brown fox jumps over the lazy dog\n"),
        (("-d:", "-f", "-2", "--output-delimiter=+"), b"one+two\nalpha+beta\n"
                                                      b"the quick brown fox jumps over the lazy dog\n"),
    ],
)
def test_lists(applet, args, expected):
    assert cut(applet, *args, input=ABC) == expected


def test_fields_suppress_and_missing_fields(applet):
    assert cut(applet, "-d:", "-f3", "-s", input=STAFF) == b"Itorre\nNasium\nAncholie\n"
    assert cut(applet, "-d", " ", "-f3", "-s", input=STAFF) == b""
    assert cut(applet, "-da", "-f3", "-s", "-n", input=STAFF) == b"n\nsium:Jim\n\n"
    assert cut(applet, "-d:", "-f", "1-3", input=b"a::b\n") == b"a::b\n"
    assert cut(applet, "-d:", "-f", "3-5", input=b"a::b::c:d\n") == b"b::c\n"
    assert cut(applet, "-d.", "-f1,3", input=b"1.2\n") == b"1\n"
    assert cut(applet, "-d:", "-f2", input=b"\n\nx\n") == b"\n\nx\n"
    assert cut(applet, "-d:", "-f2", "-s", input=b"\n\nx\n") == b""


def test_default_tab_and_unterminated_last_line(applet):
    assert cut(applet, "-f", "2", input=b"f1\tf2\tf3") == b"f2\n"
    assert cut(applet, "-c", "1-2", input=b"abcd") == b"ab\n"


def test_regex_fields_and_unsorted_lists(applet):
    text = (
        b"Bother, said Pooh. It's your husband, and he has a gun.\n"
        b"Cheerios are donut seeds.\n"
        b"Subcalifragilisticexpialidocious.\n"
    )
    assert cut(applet, "-DF", "2,7,5", input=text) == b"said and your\nare\n\n"
    assert cut(applet, "-F", "2", "-d", "[0-9]+", input=b"a12b3c\n") == b"b\n"
    assert cut(applet, "-F", "2", "-d", "a|ab", input=b"xabyabz\n") == b"y\n"  # the longest delimiter
    assert cut(applet, "-d:", "-D", "-f", "3,1", input=b"a:b:c\n") == b"c:a\n"
    assert cut(applet, "-D", "-b", "3,1", input=b"abc\n") == b"ca\n"


def test_busybox_quirks_with_overlapping_field_ranges(applet):
    # BusyBox walks the ranges in turn: overlapping ones repeat delimiters.
    assert cut(applet, "-d:", "-f", "2-,-5", input=b"c:a:a:\n") == b"c:a:a::\n"
    assert cut(applet, "-d:", "-f", "1,1", input=b"abc\n") == b"abc:\n"


def test_newline_delimiter_selects_lines(applet):
    assert cut(applet, "-d", "\n", "-f", "2,4-", input=b"a\nb\nc\nd\ne\n") == b"b\nd\ne\n"


def test_binary_data(applet):
    data = b"\xff\x00:\xfe\n\x80:\x81:\x82\n"
    assert cut(applet, "-d:", "-f2", input=data) == b"\xfe\n\x81\n"
    assert cut(applet, "-b", "1", input=data) == b"\xff\n\x80\n"


def test_files(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"the quick brown fox\n")
    (tmp_path / "dir").mkdir()
    result = applet("cut", "-d", " ", "-f2", "-", "input", "missing", "dir", input=b"jumps over the lazy dog\n")
    assert result.returncode == 1
    assert result.stdout == b"over\nquick\n"
    assert result.stderr == b"cut: missing: No such file or directory\n"


def test_ten_megabyte_line(applet):
    line = b"ab:" * (3 * 1024 * 1024) + b"end"
    assert cut(applet, "-d:", "-f2-", input=line) == line[3:] + b"\n"
    assert cut(applet, "-b", "2", input=line) == b"b\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (("-b", "8-3"), b"cut: invalid range 8-3\n"),
        (("-b", "0"), b"cut: invalid range 0-0\n"),
        (("-f", "x"), b"cut: invalid number 'x'\n"),
        (("-b", ","), b"cut: missing list of positions\n"),
        ((), b"cut: expected a list of bytes, characters, or fields\n"),
        (("-b1", "-s"), b"cut: suppressing non-delimited lines makes sense only when operating on fields\n"),
        (("-b1", "-d:"), b"cut: a delimiter may be specified only when operating on fields\n"),
        (("-F1", "-d", "a("), b"cut: bad regex 'a(': Unmatched ( or \\(\n"),
        (("-F1", "-d", "["), b"cut: bad regex '[': Invalid regular expression\n"),
        (("-F1", "-d", "[[:x:]]"), b"cut: bad regex '[[:x:]]': Invalid character class name\n"),
        (("-F1", "-d", "+a"), b"cut: bad regex '+a': Invalid preceding regular expression\n"),
    ],
)
def test_errors(applet, args, message):
    result = applet("cut", *args, input=b"abc\n")
    assert (result.returncode, result.stderr) == (1, message)


def test_exclusive_lists_are_a_usage_error(applet):
    result = applet("cut", "-b1", "-f1")
    assert result.returncode == 1 and b"Usage: cut [OPTIONS] [FILE]..." in result.stderr
