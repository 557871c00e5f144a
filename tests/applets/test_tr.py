"""tr: BusyBox's set syntax, -c -d -s, repeats in STRING2, and large or binary input."""

import pytest


def tr(applet, *args, input=b""):
    result = applet("tr", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "args, data, expected",
    [
        (("abc", "zyx"), b"cbaab", b"xyzzy"),
        (("[A-Z]", "[a-z]"), b"TESTING A B C", b"testing a b c"),
        (("a[b", "AXB"), b"abc[]", b"ABcX]"),
        (("[q-z]", "_Q-Z+"), b"[qwe]", b"_QWe+"),
        (("[:alpha:]", "A-ZA-Z"), b"abc", b"ABC"),
        (("[:alnum:]", "A-ZA-Zxxxxxxxxxx"), b"abc56", b"KLMFG"),
        (("[:lower:]", "[:upper:]"), b"abc56", b"ABC56"),
        (("[:space:]", "12345"), b" \t\n", b"512"),
        (("[:blank:]", "12"), b" \t", b"21"),
        (("[= =]", "X"), b"a b", b"aXb"),
        (("[:", "ab"), b"[:", b"ab"),
        (("[:punct:]", "12"), b" \t.,:", b" \t222"),
        (("[:digit:]y-z", "111111111123"), b"789abcxyz\n", b"111abcx23\n"),
        (("[:xdigit:]Gg", "1111111151242222333330xX"), b"#0123456789ABCDEFGabcdefg\n",
         b"#1111111151242222x333330X\n"),
        (("a-", "xy"), b"a-b", b"xyb"),
        (("\\n\\t\\\\", "NT/"), b"a\n\tb\\", b"aNTb/"),
        (("\\101-\\103", "x"), b"ABCD", b"xxxD"),
        (("\\x41", "z"), b"AB", b"zB"),
        (("z-a", "X"), b"az", b"az"),
        (("\\q", "XY"), b"\\q", b"XY"),
        (("abc", "[x*]"), b"abcd", b"xxxd"),
        (("abcd", "[x*2]y"), b"abcd", b"xxyy"),
    ],
)
def test_translation(applet, args, data, expected):
    assert tr(applet, *args, input=data) == expected


def test_delete_complement_and_squeeze(applet):
    assert tr(applet, "-d", "aeiou", input=b"testing\n") == b"tstng\n"
    assert tr(applet, "-cd", "[0-9A-F]", input=b"19AFH\n") == b"19AF"
    assert tr(applet, "-d", "[[:alnum:]]", input=b"t12esting\n") == b"\n"
    assert tr(applet, "-d", "[:alpha", input=b"t12esting\n") == b"t12esting\n"
    assert tr(applet, "-s", " ", input=b"a   b  c \n") == b"a b c \n"
    assert tr(applet, "-s", "a-z", input=b"aabbccAA  \n") == b"abcAA  \n"
    assert tr(applet, "-s", "ab", "xy", input=b"aabbxxcc") == b"xyxcc"
    assert tr(applet, "-cs", "a-z", "\\n", input=b"one, two;three") == b"one\ntwo\nthree"
    assert tr(applet, "-ds", "a", "b", input=b"abbba") == b"b"
    assert tr(applet, "-C", "a", "_", input=b"abc") == b"a__"


def test_squeeze_across_read_blocks(applet):
    data = b"x" + b" " * (3 * 1024 * 1024) + b"y"
    assert tr(applet, "-s", " ", input=data) == b"x y"


def test_binary_data_and_large_input(applet):
    data = bytes(range(256)) * 4096
    rotated = bytes(range(1, 256)) + b"\0"
    assert tr(applet, "\\000-\\377", "\\001-\\377\\000", input=data) == rotated * 4096
    # A descending range is empty; an empty STRING2 maps everything to "0", as in BusyBox.
    assert tr(applet, "ab", "\\377-\\000", input=b"abc") == b"00c"
    text = b"Hello, World\n" * 100000
    assert tr(applet, "a-z", "A-Z", input=text) == text.upper()


def test_errors(applet):
    result = applet("tr", "a", "")
    assert (result.returncode, result.stderr) == (1, b"tr: STRING2 cannot be empty\n")
    for args in ((), ("a", "b", "c"), ("-x", "a"), ("[=ab=]", "x")):
        result = applet("tr", *args)
        assert result.returncode == 1 and b"Usage: tr [-cds] STRING1 [STRING2]" in result.stderr


def test_options_stop_at_first_operand(applet):
    assert tr(applet, "a", "-d", input=b"abc") == b"-bc"


def _squeezed(data: bytes, members: bytes) -> bytes:
    """The reference squeeze: a run of one repeated member byte becomes one byte."""
    out = bytearray()
    for byte in data:
        if not (out and out[-1] == byte and byte in members):
            out.append(byte)
    return bytes(out)


def test_squeeze_of_large_sets(applet):
    text = b"".join(b"aa bbb  cccc zz\t\txyzzy %d\n\n\n" % n for n in range(40000)) + b"\x00\x00ee"
    lower = bytes(range(ord("a"), ord("z") + 1))
    assert tr(applet, "-s", "a-z", input=text) == _squeezed(text, lower)
    assert tr(applet, "-s", "[:space:]a-z", input=text) == _squeezed(text, lower + b" \t\n\v\f\r")
    assert tr(applet, "-cs", "a-z", input=text) == _squeezed(text, bytes(set(range(256)) - set(lower)))
    assert tr(applet, "-s", "a-z", "A-Z", input=text) == _squeezed(text.upper(), lower.upper())
    binary = bytes(range(256)) * 3 + b"\xff\xff\xfe\xfe" + b"qq" * 70000  # not ASCII: the regex way
    assert tr(applet, "-s", "\\200-\\377a-z", input=binary) == _squeezed(binary, lower + bytes(range(128, 256)))
    assert tr(applet, "-s", "a-z", input=b"x" * 100000 + b"y" * 100000) == b"xy"  # runs across blocks
