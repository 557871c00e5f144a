"""dirname: the POSIX cases, including slashes and empty names."""

import os


def test_cases(applet):
    cases = {
        "/foo/bar/baz": b"/foo/bar\n",
        "": b".\n",
        "foo/bar///baz": b"foo/bar\n",
        "/": b"/\n",
        "foo": b".\n",
        "//a//b//": b"//a\n",
        "/a": b"/\n",
        "a/": b".\n",
    }
    for arg, expected in cases.items():
        assert applet("dirname", arg).stdout == expected


def test_invalid_utf8(applet):
    assert applet("dirname", os.fsdecode(b"\xff/x")).stdout == b"\xff\n"


def test_usage(applet):
    assert b"Usage: dirname" in applet("dirname").stderr
    assert applet("dirname", "a", "b").returncode == 1
