"""paste: parallel and serial merging, delimiter lists with escapes, stdin sharing."""


def paste(applet, *args, input=b""):
    result = applet("paste", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_parallel_and_serial(applet, tmp_path):
    (tmp_path / "foo").write_bytes(b"foo1\nfoo2\nfoo3\n")
    (tmp_path / "bar").write_bytes(b"bar1\nbar2\nbar3")
    assert paste(applet, "foo", "bar") == b"foo1\tbar1\nfoo2\tbar2\nfoo3\tbar3\n"
    assert paste(applet, "-s", "foo", "bar") == b"foo1\tfoo2\tfoo3\nbar1\tbar2\tbar3\n"


def test_stdin_operands_take_lines_in_turn(applet):
    data = b"line1\nline2\nline3\nline4\nline5\nline6\n"
    assert paste(applet, "-", "-", "-", input=data) == b"line1\tline2\tline3\nline4\tline5\tline6\n"


def test_delimiter_lists_and_escapes(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"foo1\nbar1\nfoo2\nbar2\nfoo3\n")
    assert paste(applet, "-s", "-d", "\\t\\n", "f") == b"foo1\tbar1\nfoo2\tbar2\nfoo3\n"
    assert paste(applet, "-s", "-d", ",:", "f") == b"foo1,bar1:foo2,bar2:foo3\n"
    assert paste(applet, "-d", "\\0", "f", "f") == b"foo1foo1\nbar1bar1\nfoo2foo2\nbar2bar2\nfoo3foo3\n"
    assert paste(applet, "-d", "\\z", "-s", "f") == b"foo1\\bar1zfoo2\\bar2zfoo3\n"


def test_shorter_file_drops_its_delimiter_like_busybox(applet, tmp_path):
    (tmp_path / "long").write_bytes(b"a1\na2\n")
    (tmp_path / "short").write_bytes(b"b1\n")
    assert paste(applet, "short", "long") == b"b1\ta1\na2\n"
    assert paste(applet, "long", "short") == b"a1\tb1\na2\t"


def test_binary_lines(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"\xff\x00\n")
    assert paste(applet, "a", "-", input=b"\xfe\n") == b"\xff\x00\t\xfe\n"


def test_errors(applet, tmp_path):
    result = applet("paste", "-d", "", "x")
    assert (result.returncode, result.stderr) == (1, b"paste: -d '' is not supported\n")
    result = applet("paste", "missing", "-")
    assert (result.returncode, result.stdout, result.stderr) == (
        1, b"", b"paste: missing: No such file or directory\n"
    )
    (tmp_path / "dir").mkdir()
    assert paste(applet, "dir", "-", input=b"x\n") == b"x\n"


def test_many_rows_and_unequal_files(applet, tmp_path):
    left = [b"l%d" % n for n in range(150000)]
    right = [b"r%d" % n for n in range(100000)]
    (tmp_path / "left").write_bytes(b"\n".join(left) + b"\n")
    (tmp_path / "right").write_bytes(b"\n".join(right))  # no final newline
    rows = b"".join(b"%s,%s\n" % pair for pair in zip(left, right))
    # with the last file done, rows lose their newline (BusyBox only ends a row after the last file)
    assert paste(applet, "-d", ",", "left", "right") == rows + b"".join(b"%s," % line for line in left[100000:])
    # a done file is skipped, and the delimiters cycle over the files still giving lines
    rows = [b"%s:%s;%s" % (a, b, b) for a, b in zip(right, left)] + [b"%s:%s" % (b, b) for b in left[100000:]]
    assert paste(applet, "-d", ":;", "right", "left", "left") == b"\n".join(rows) + b"\n"
