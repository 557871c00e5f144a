"""split: line and byte pieces, suffix length and prefix, exhausted suffixes, errors."""


def _pieces(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.name != "input"}


def test_lines_default_prefix(applet, tmp_path):
    result = applet("split", "-l", "2", input=b"a\nb\nc\nd\ne")
    assert result.returncode == 0
    assert _pieces(tmp_path) == {"xaa": b"a\nb\n", "xab": b"c\nd\n", "xac": b"e"}


def test_bytes_with_suffix_length_and_prefix(applet, tmp_path):
    (tmp_path / "input").write_bytes(bytes(range(256)) * 8)
    assert applet("split", "-b", "1k", "-a", "1", "input", "part.").returncode == 0
    assert _pieces(tmp_path) == {"part.a": bytes(range(256)) * 4, "part.b": bytes(range(256)) * 4}


def test_default_thousand_lines_and_huge_line(applet, tmp_path):
    line = b"q" * (10 * 1024 * 1024)
    data = b"".join(b"%d\n" % n for n in range(1500)) + line
    assert applet("split", input=data).returncode == 0
    pieces = _pieces(tmp_path)
    assert pieces["xaa"] == b"".join(b"%d\n" % n for n in range(1000))
    assert pieces["xab"] == b"".join(b"%d\n" % n for n in range(1000, 1500)) + line


def test_suffixes_exhausted(applet, tmp_path):
    result = applet("split", "-l", "1", "-a", "1", input=b"x\n" * 27)
    assert (result.returncode, result.stderr) == (1, b"split: suffixes exhausted\n")
    assert len(_pieces(tmp_path)) == 26


def test_errors(applet):
    assert applet("split", "nope").stderr == b"split: can't open 'nope': No such file or directory\n"
    assert applet("split", "-b", "0").stderr == b"split: invalid number '0'\n"
    assert applet("split", "-l", "x").stderr == b"split: invalid number 'x'\n"
    assert applet("split", "a", "b", "c").stderr.split(b"\n")[2].startswith(b"Usage: split ")
