"""diff: unified output as BusyBox prints it, the comparison options, directories, exit codes."""

import os


def write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_identical_files_exit_zero(applet, tmp_path):
    write(tmp_path / "a", b"one\ntwo\n")
    write(tmp_path / "b", b"one\ntwo\n")
    result = applet("diff", "a", "b")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    assert applet("diff", "-s", "a", "b").stdout == b"Files a and b are identical\n"


def test_unified_output_and_exit_one(applet, tmp_path):
    write(tmp_path / "a", b"a\nb\nc\n")
    write(tmp_path / "b", b"a\nB\nc\nd")
    result = applet("diff", "a", "b")
    assert result.returncode == 1
    assert result.stdout == (
        b"--- a\n+++ b\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n\\ No newline at end of file\n"
    )


def test_hunks_split_by_context(applet, tmp_path):
    old = b"".join(b"%d\n" % n for n in range(1, 21))
    write(tmp_path / "a", old)
    write(tmp_path / "b", old.replace(b"2\n", b"two\n", 1).replace(b"19\n", b"nineteen\n"))
    assert applet("diff", "-U", "1", "a", "b").stdout == (
        b"--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n@@ -18,3 +18,3 @@\n 18\n-19\n+nineteen\n 20\n"
    )
    assert applet("diff", "-U0", "a", "b").stdout == (
        b"--- a\n+++ b\n@@ -2 +2 @@\n-2\n+two\n@@ -19 +19 @@\n-19\n+nineteen\n"
    )
    merged = applet("diff", "--unified=9", "a", "b").stdout
    assert merged.count(b"@@ -") == 1


def test_hunk_choice_matches_busybox(applet, tmp_path):
    write(tmp_path / "a", b"x\na\nb\nx\na\nb\n")
    write(tmp_path / "b", b"a\nb\nx\na\nb\nx\n")
    assert applet("diff", "a", "b").stdout == (
        b"--- a\n+++ b\n@@ -1,6 +1,6 @@\n-x\n a\n b\n x\n a\n b\n+x\n"
    )


def test_stdin_and_labels(applet, tmp_path):
    write(tmp_path / "b", b"qwe\nasd\n")
    result = applet("diff", "-L", "old", "-L", "new", "-", "b", input=b"asd\n")
    assert result.stdout == b"--- old\n+++ new\n@@ -1 +1,2 @@\n+qwe\n asd\n"
    twice = applet("diff", "-", "-", input=b"whatever")
    assert (twice.returncode, twice.stdout) == (0, b"")


def test_empty_files(applet, tmp_path):
    write(tmp_path / "e", b"")
    write(tmp_path / "a", b"a\n")
    assert applet("diff", "e", "a").stdout == b"--- e\n+++ a\n@@ -0,0 +1 @@\n+a\n"
    assert applet("diff", "a", "e").stdout == b"--- a\n+++ e\n@@ -1 +0,0 @@\n-a\n"


def test_whitespace_and_case_options(applet, tmp_path):
    write(tmp_path / "a", b"a  b\nHello\nend")
    write(tmp_path / "b", b"a\tb \nhello\nend\n")
    assert applet("diff", "-b", "-i", "a", "b").returncode == 0
    assert applet("diff", "-w", "-i", "a", "b").returncode == 0
    result = applet("diff", "-b", "a", "b")
    assert result.returncode == 1
    # context lines always come from the old file
    assert result.stdout == b"--- a\n+++ b\n@@ -1,3 +1,3 @@\n a  b\n-Hello\n+hello\n end\n\\ No newline at end of file\n"


def test_blank_line_option(applet, tmp_path):
    write(tmp_path / "a", b"a\n")
    write(tmp_path / "b", b"\na\n\n")
    assert applet("diff", "-B", "a", "b").returncode == 0
    write(tmp_path / "c", b"\nb\n\n")
    assert applet("diff", "-B", "a", "c").stdout == b"--- a\n+++ c\n@@ -1 +1,3 @@\n-a\n+\n+b\n+\n"


def test_tab_options(applet, tmp_path):
    write(tmp_path / "a", b"x\tyy\n")
    write(tmp_path / "b", b"z\n")
    assert applet("diff", "-t", "a", "b").stdout == b"--- a\n+++ b\n@@ -1 +1 @@\n-x       yy\n+z\n"
    assert applet("diff", "-T", "a", "b").stdout == b"--- a\n+++ b\n@@ -1 +1 @@\n-\tx\tyy\n+\tz\n"


def test_brief_and_binary(applet, tmp_path):
    write(tmp_path / "a", b"one\n")
    write(tmp_path / "b", b"two\n")
    result = applet("diff", "-q", "a", "b")
    assert (result.returncode, result.stdout) == (1, b"Files a and b differ\n")
    write(tmp_path / "x", b"\x00\x01binary\xff")
    write(tmp_path / "y", b"\x00\x02binary\xff")
    result = applet("diff", "x", "y")
    assert (result.returncode, result.stdout) == (1, b"Files x and y differ\n")
    text = applet("diff", "-a", "x", "y").stdout
    assert text.startswith(b"--- x\n+++ y\n@@ -1 +1 @@\n-\x00\x01binary\xff\n\\ No newline")


def test_missing_file_is_trouble(applet, tmp_path):
    write(tmp_path / "a", b"a\n")
    result = applet("diff", "a", "nope")
    assert result.returncode == 2
    assert result.stderr == b"diff: can't stat 'nope': No such file or directory\n"
    result = applet("diff", "-N", "a", "nope")
    assert result.stdout == b"--- a\n+++ nope\n@@ -1 +0,0 @@\n-a\n"


def test_file_against_directory(applet, tmp_path):
    (tmp_path / "d").mkdir()
    write(tmp_path / "d" / "f", b"1\n")
    write(tmp_path / "f", b"2\n")
    assert applet("diff", "f", "d").stdout == b"--- f\n+++ d/f\n@@ -1 +1 @@\n-2\n+1\n"
    result = applet("diff", "-", "d", input=b"")
    assert (result.returncode, result.stderr) == (1, b"diff: can't compare stdin to a directory\n")


def test_directories(applet, tmp_path):
    for name in ("r1/sub", "r2/sub", "r1/only1", "r2/only2"):
        (tmp_path / name).mkdir(parents=True)
    write(tmp_path / "r1/sub/x", b"1\n")
    write(tmp_path / "r2/sub/x", b"2\n")
    write(tmp_path / "r1/file", b"f\n")
    write(tmp_path / "r1/same", b"s\n")
    write(tmp_path / "r2/same", b"s\n")
    os.mkfifo(tmp_path / "r2/file")
    plain = applet("diff", "r1", "r2")
    assert plain.returncode == 1
    assert plain.stdout == (
        b"File r2/file is not a regular file or directory and was skipped\n"
        b"Only in r1: only1\nOnly in r2: only2\nCommon subdirectories: r1/sub and r2/sub\n"
    )
    recursive = applet("diff", "-r", "r1/", "r2")
    assert recursive.stdout == (
        b"File r2/file is not a regular file or directory and was skipped\n"
        b"--- r1/sub/x\n+++ r2/sub/x\n@@ -1 +1 @@\n-1\n+2\n"
    )
    brief = applet("diff", "-rqs", "r1", "r2")
    assert b"Files r1/same and r2/same are identical\nFiles r1/sub/x and r2/sub/x differ\n" in brief.stdout


def test_new_file_in_directories(applet, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write(tmp_path / "a" / "gone", b"old\n")
    write(tmp_path / "b" / "new", b"fresh\n")
    result = applet("diff", "-rN", "a", "b")
    assert result.stdout == (
        b"--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-old\n"
        b"--- /dev/null\n+++ b/new\n@@ -0,0 +1 @@\n+fresh\n"
    )


def test_large_input_and_long_line(applet, tmp_path):
    old = b"".join(b"line %d\n" % n for n in range(100000))
    write(tmp_path / "a", old)
    write(tmp_path / "b", old.replace(b"line 50000\n", b"x" * (10 * 1024 * 1024) + b"\n"))
    result = applet("diff", "a", "b")
    assert result.returncode == 1
    assert result.stdout.startswith(b"--- a\n+++ b\n@@ -49998,7 +49998,7 @@\n line 49997\n")
    assert len(result.stdout) > 10 * 1024 * 1024


def test_usage_errors(applet, tmp_path):
    result = applet("diff", "onlyone")
    assert result.returncode == 1
    assert b"Usage: diff [-abBdiNqrTstw]" in result.stderr
    assert applet("diff", "-U", "x", "a", "b").stderr == b"diff: invalid number 'x'\n"
