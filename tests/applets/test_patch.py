"""patch: applying, reversing, creating and removing files, failures as BusyBox reports them."""

import os

PATCH = b"""--- a/input.orig
+++ b/input
@@ -1,3 +1,4 @@
 one
+inserted
 two
 three
"""


def test_patches_named_file_with_strip(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"one\ntwo\nthree\n")
    os.chmod(tmp_path / "input", 0o640)
    result = applet("patch", "-p1", input=PATCH)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"patching file input\n", b"")
    assert (tmp_path / "input").read_bytes() == b"one\ninserted\ntwo\nthree\n"
    assert os.stat(tmp_path / "input").st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["input"]


def test_default_strips_all_directories(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"one\ntwo\nthree\n")
    assert applet("patch", input=PATCH).returncode == 0
    assert (tmp_path / "input").read_bytes() == b"one\ninserted\ntwo\nthree\n"


def test_reverse_and_input_option(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"one\ninserted\ntwo\nthree\n")
    (tmp_path / "p.diff").write_bytes(PATCH)
    result = applet("patch", "-R", "-i", "p.diff")
    assert result.returncode == 0
    assert (tmp_path / "input").read_bytes() == b"one\ntwo\nthree\n"


def test_file_operands(applet, tmp_path):
    (tmp_path / "other").write_bytes(b"one\ntwo\nthree\n")
    (tmp_path / "p.diff").write_bytes(PATCH)
    result = applet("patch", "other", "p.diff")
    assert result.stdout == b"patching file other\n"
    assert (tmp_path / "other").read_bytes() == b"one\ninserted\ntwo\nthree\n"


def test_offset_search_and_several_hunks(applet, tmp_path):
    lines = [b"line %d\n" % n for n in range(1, 41)]
    (tmp_path / "f").write_bytes(b"extra\nextra\n" + b"".join(lines))
    patch = (
        b"--- f\n+++ f\n"
        b"@@ -4,3 +4,3 @@\n line 4\n-line 5\n+LINE 5\n line 6\n"
        b"@@ -30,4 +30,5 @@\n line 30\n line 31\n+new\n line 32\n line 33\n"
    )
    result = applet("patch", input=patch)
    assert result.returncode == 0
    data = (tmp_path / "f").read_bytes()
    assert b"line 4\nLINE 5\nline 6\n" in data
    assert b"line 31\nnew\nline 32\n" in data


def test_repeated_context_uses_line_numbers(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x\ny\nx\ny\nx\ny\n")
    patch = b"--- f\n+++ f\n@@ -3,2 +3,3 @@\n x\n+added\n y\n"
    assert applet("patch", input=patch).returncode == 0
    assert (tmp_path / "f").read_bytes() == b"x\ny\nx\nadded\ny\nx\ny\n"


def test_already_applied_hunk_fails_or_is_skipped(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"abc\ndef\n123\n")
    patch = b"--- input.old\n+++ input\n@@ -1,2 +1,3 @@\n abc\n+def\n 123\n"
    result = applet("patch", input=patch)
    assert result.returncode == 1
    assert result.stdout == b"patching file input\n"
    assert result.stderr == b"Possibly reversed hunk 1 at 4\nHunk 1 FAILED 1/1.\n abc\n+def\n 123\n"
    assert (tmp_path / "input").read_bytes() == b"abc\ndef\n123\n"
    result = applet("patch", "-N", input=patch)
    assert (result.returncode, result.stderr) == (0, b"")
    assert (tmp_path / "input").read_bytes() == b"abc\ndef\n123\n"


def test_failed_hunk_leaves_file_untouched(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"a\nb\nc\nd\ne\n")
    patch = b"--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -5 +5 @@\n-zzz\n+E\n"
    result = applet("patch", input=patch)
    assert result.returncode == 1
    assert result.stderr == b"Hunk 2 FAILED 5/5.\n-zzz\n+E\n"
    assert (tmp_path / "f").read_bytes() == b"a\nb\nc\nd\ne\n"


def test_creates_and_removes_files(applet, tmp_path):
    create = b"--- /dev/null\n+++ new/dir/file\n@@ -0,0 +1,2 @@\n+hello\n+world\n"
    result = applet("patch", "-p0", input=create)
    assert (result.returncode, result.stdout) == (0, b"creating new/dir/file\n")
    assert (tmp_path / "new/dir/file").read_bytes() == b"hello\nworld\n"
    remove = b"--- new/dir/file\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-hello\n-world\n"
    result = applet("patch", "-p0", "-E", input=remove)
    assert (result.returncode, result.stdout) == (0, b"removing new/dir/file\n")
    assert not (tmp_path / "new/dir/file").exists()


def test_emptied_file_without_e_is_truncated(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"gone\n")
    result = applet("patch", input=b"--- f\n+++ f\n@@ -1 +0,0 @@\n-gone\n")
    assert result.stdout == b"patching file f\n"
    assert (tmp_path / "f").read_bytes() == b""


def test_zero_context_hunks(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"1\n2\n3\n4\n5\n")
    patch = b"--- f\n+++ f\n@@ -1 +0,0 @@\n-1\n@@ -3 +2 @@\n-3\n+three\n@@ -5,0 +5 @@\n+6\n"
    assert applet("patch", input=patch).returncode == 0
    assert (tmp_path / "f").read_bytes() == b"2\nthree\n4\n5\n6\n"


def test_no_newline_markers(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"a\nlast")
    patch = (
        b"--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-last\n\\ No newline at end of file\n+final\n"
        b"\\ No newline at end of file\n"
    )
    assert applet("patch", input=patch).returncode == 0
    assert (tmp_path / "f").read_bytes() == b"a\nfinal"


def test_dry_run_changes_nothing(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"one\ntwo\nthree\n")
    result = applet("patch", "--dry-run", input=PATCH)
    assert (result.returncode, result.stdout) == (0, b"patching file input\n")
    assert (tmp_path / "input").read_bytes() == b"one\ntwo\nthree\n"
    assert sorted(os.listdir(tmp_path)) == ["input"]


def test_binary_content_and_missing_file(applet, tmp_path):
    (tmp_path / "b").write_bytes(b"\x00\xff\n\x01\n")
    patch = b"--- b\n+++ b\n@@ -1,2 +1,2 @@\n \x00\xff\n-\x01\n+\x02\n"
    assert applet("patch", input=patch).returncode == 0
    assert (tmp_path / "b").read_bytes() == b"\x00\xff\n\x02\n"
    result = applet("patch", input=b"--- x/nope\n+++ x/nope\n@@ -1 +1 @@\n-a\n+b\n")
    assert result.returncode == 1
    assert result.stdout == b"patching file nope\n"
    assert result.stderr == b"patch: can't open 'nope': No such file or directory\n"


def test_directory_as_file_and_garbage(applet, tmp_path):
    (tmp_path / "d").mkdir()
    result = applet("patch", input=b"--- d\n+++ d\n@@ -1 +1 @@\n-a\n+b\n")
    assert result.returncode == 1
    assert result.stderr == b"patch: can't open 'd': Is a directory\n"
    garbage = applet("patch", input=b"\x00\xffnot a patch\n")
    assert (garbage.returncode, garbage.stdout, garbage.stderr) == (0, b"", b"")


def test_missing_patch_file(applet, tmp_path):
    result = applet("patch", "-i", "nope.diff")
    assert result.returncode == 1
    assert result.stderr == b"patch: can't open 'nope.diff': No such file or directory\n"
