"""basename: directory and suffix stripping, -a/-s, odd inputs."""


def test_basic_forms(applet):
    cases = {
        ("/a/b/",): b"b\n",
        ("a.c", ".c"): b"a\n",
        ("foo", "foo"): b"foo\n",
        ("//",): b"/\n",
        ("",): b"\n",
        ("-a", "x/y", "z/w"): b"y\nw\n",
        ("-s", ".c", "a.c", "b.c"): b"a\nb\n",
    }
    for args, expected in cases.items():
        assert applet("basename", *args).stdout == expected


def test_invalid_utf8_passes_through(applet):
    import os

    assert applet("basename", os.fsdecode(b"dir/\xff\xfe")).stdout == b"\xff\xfe\n"


def test_usage(applet):
    assert b"Usage: basename" in applet("basename").stderr
    assert applet("basename", "a", "b", "c").returncode == 1
