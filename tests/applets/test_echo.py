"""echo: option words, escapes (BusyBox's rules) and raw bytes."""


def test_plain_arguments_and_newline(applet):
    assert applet("echo", "foo", "bar").stdout == b"foo bar\n"
    assert applet("echo").stdout == b"\n"
    assert applet("echo", "-n", "word").stdout == b"word"


def test_only_n_e_E_words_are_options(applet):
    assert applet("echo", "-").stdout == b"-\n"
    assert applet("echo", "-neEZ").stdout == b"-neEZ\n"
    assert applet("echo", "--", "-n").stdout == b"-- -n\n"
    assert applet("echo", "--help").stdout == b"--help\n"
    assert applet("echo", "a", "-n").stdout == b"a -n\n"
    assert applet("echo", "-nn", "-e", "x\\ty").stdout == b"x\ty"


def test_escapes_only_with_e(applet):
    assert applet("echo", "a\\tb").stdout == b"a\\tb\n"
    assert applet("echo", "-e", "a\\tb\\n").stdout == b"a\tb\n\n"
    # -E does not cancel an earlier -e in BusyBox
    assert applet("echo", "-e", "-E", "a\\tb").stdout == b"a\tb\n"


def test_octal_and_hex_escapes(applet):
    out = applet("echo", "-ne", "\\00041z", "\\0041z", "\\041z", "\\41z", "\\x41\\x4\\xg\\777\\08")
    assert out.stdout == b"\x041z !z !z !z A\x04\\xg?7\x008"
    assert applet("echo", "-e", "-n", "msg\\n\\0").stdout == b"msg\n\0"


def test_unknown_escapes_and_trailing_backslash_stay(applet):
    assert applet("echo", "-e", "\\q", "a\\").stdout == b"\\q a\\\n"


def test_backslash_c_ends_output(applet):
    assert applet("echo", "-e", "a\\cb", "c").stdout == b"a"


def test_invalid_utf8_passes_through(applet):
    assert applet("echo", "-e", b"\xff\\n\xfe").stdout == b"\xff\n\xfe\n"


def test_largest_possible_argument(applet):
    big = b"y" * (128 * 1024 - 1)
    assert applet("echo", "-e", big, big).stdout == big + b" " + big + b"\n"
