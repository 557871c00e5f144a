"""head: first or all-but-last lines and bytes, headers, the obsolete -N form, hostile input."""

LINES = b"".join(b"line %d\n" % n for n in range(1, 13))


def test_default_ten_lines_and_counts(applet):
    assert applet("head", input=LINES).stdout == LINES.split(b"line 11")[0]
    assert applet("head", "-n", "2", input=LINES).stdout == b"line 1\nline 2\n"
    assert applet("head", "-3", input=LINES).stdout == b"line 1\nline 2\nline 3\n"
    assert applet("head", "-c", "9", input=LINES).stdout == b"line 1\nli"
    assert applet("head", "-n", "0", input=LINES).stdout == b""


def test_all_but_the_last(applet):
    assert applet("head", "-n", "-9", input=LINES).stdout == b"line 1\nline 2\nline 3\n"
    assert applet("head", "-c", "-10", input=LINES).stdout == LINES[:-10]
    # an unterminated last line counts as a line
    assert applet("head", "-n", "-1", input=b"a\nb\nc").stdout == b"a\nb\n"
    assert applet("head", "-n", "-5", input=b"a\nb\n").stdout == b""


def test_size_suffixes(applet, tmp_path):
    data = bytes(range(256)) * 16
    (tmp_path / "f").write_bytes(data)
    assert applet("head", "-c", "1k", "f").stdout == data[:1024]
    assert applet("head", "-c", "2b", "f").stdout == data[:1024]
    assert applet("head", "-c", "1M", "f").stdout == data
    result = applet("head", "-c", "1x", "f")
    assert (result.returncode, result.stderr) == (1, b"head: invalid number '1x'\n")


def test_headers_for_several_files_and_q_v(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"A\n")
    (tmp_path / "b").write_bytes(b"B")
    assert applet("head", "a", "b").stdout == b"==> a <==\nA\n\n==> b <==\nB"
    assert applet("head", "-q", "a", "b").stdout == b"A\nB"
    assert applet("head", "-v", input=b"x\n").stdout == b"==> standard input <==\nx\n"


def test_missing_file_and_directory_report_and_continue(applet, tmp_path):
    (tmp_path / "ok").write_bytes(b"fine\n")
    (tmp_path / "dir").mkdir()
    result = applet("head", "nope", "dir", "ok")
    assert result.returncode == 1
    assert result.stdout == b"\n==> dir <==\n\n==> ok <==\nfine\n"
    assert result.stderr == b"head: nope: No such file or directory\nhead: dir: Is a directory\n"


def test_binary_and_huge_line(applet, tmp_path):
    binary = b"\xff\xfe\x00\x80\n" * 3
    assert applet("head", "-n", "2", input=binary).stdout == b"\xff\xfe\x00\x80\n" * 2
    line = b"x" * (10 * 1024 * 1024)
    (tmp_path / "big").write_bytes(line + b"\nsecond\n")
    assert applet("head", "-n", "1", "big").stdout == line + b"\n"
    assert applet("head", "-n", "-1", "big").stdout == line + b"\n"
