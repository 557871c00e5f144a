"""ls: one-per-line and column layouts, long format, sorting, classification, unicode substitution."""

import os
import time


def _tree(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "inner").write_bytes(b"")
    (tmp_path / "big").write_bytes(b"x" * 5000)
    (tmp_path / "exe").write_bytes(b"")
    os.chmod(tmp_path / "exe", 0o755)
    os.symlink("big", tmp_path / "link")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / ".hidden").write_bytes(b"")


def test_one_per_line_when_not_a_terminal(applet, tmp_path):
    _tree(tmp_path)
    assert applet("ls").stdout == b"big\nd\nexe\nlink\npipe\n"
    assert applet("ls", "-A").stdout == b".hidden\nbig\nd\nexe\nlink\npipe\n"
    assert applet("ls", "-a").stdout.startswith(b".\n..\n.hidden\n")
    assert applet("ls", "-F").stdout == b"big\nd/\nexe*\nlink@\npipe|\n"
    assert applet("ls", "-p").stdout == b"big\nd/\nexe\nlink\npipe\n"


def test_columns_follow_columns_variable(applet, tmp_path):
    for index in range(1, 8):
        (tmp_path / f"file_{index}").write_bytes(b"")
    env = dict(os.environ, COLUMNS="30")
    assert applet("ls", "-C", env=env).stdout == b"file_1  file_4  file_7\nfile_2  file_5\nfile_3  file_6\n"
    assert applet("ls", "-x", env=env).stdout == b"file_1  file_2  file_3\nfile_4  file_5  file_6\nfile_7\n"


def test_long_format(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"12345")
    os.utime(tmp_path / "f", (978307200, 978307200))  # 2001-01-01, more than six months ago
    os.symlink("f", tmp_path / "l")
    out = applet("ls", "-ln", "f", "l").stdout.decode()
    old_date = time.strftime("%b ", time.localtime(978307200)) + f"{time.localtime(978307200).tm_mday:2d}  2001"
    st = os.stat(tmp_path / "f")
    expected = f"-rw-r--r--    1 {st.st_uid:<8} {st.st_gid:<8} {5:9d} {old_date} f"
    assert out.splitlines()[0] == expected
    assert out.splitlines()[1].endswith(" l -> f")
    result = applet("ls", "-l")
    assert result.stdout.startswith(b"total ")


def test_sorting(applet, tmp_path):
    for name, size, mtime in (("a", 30, 300), ("b", 10, 100), ("c", 20, 200)):
        (tmp_path / name).write_bytes(b"x" * size)
        os.utime(tmp_path / name, (mtime, mtime))
    assert applet("ls", "-S").stdout == b"a\nc\nb\n"
    assert applet("ls", "-t").stdout == b"a\nc\nb\n"
    assert applet("ls", "-tr").stdout == b"b\nc\na\n"
    for name in ("x.c", "y.a", "z.b"):
        (tmp_path / name).write_bytes(b"")
    assert applet("ls", "-X", "x.c", "y.a", "z.b").stdout == b"y.a\nz.b\nx.c\n"


def test_directories_and_recursion(applet, tmp_path):
    _tree(tmp_path)
    assert applet("ls", "-d", "d").stdout == b"d\n"
    assert applet("ls", "big", "d").stdout == b"big\n\nd:\ninner\n"
    assert applet("ls", "-R", "d").stdout == b"d:\ninner\n"
    os.symlink("d", tmp_path / "dlink")
    assert applet("ls", "dlink").stdout == b"inner\n"
    assert applet("ls", "-F", "dlink").stdout == b"dlink@\n"


def test_missing_operand(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"")
    result = applet("ls", "nope", "a")
    assert result.returncode == 1
    assert (result.stdout, result.stderr) == (b"a\n", b"ls: nope: No such file or directory\n")


def test_unprintable_names_become_question_marks(applet, tmp_path):
    for raw in (b"ok-\xc3\xa9", b"ctl-\x01", b"bad-\xff\xfe", b"wide-\xe4\xb8\xad", b"long-\xf8\x88\x80\x80\x80"):
        open(os.path.join(os.fsencode(tmp_path), raw), "wb").close()
    out = applet("ls").stdout
    assert out == "bad-??\nctl-?\nlong-?\nok-é\nwide-?\n".encode()


def test_color(applet, tmp_path):
    _tree(tmp_path)
    out = applet("ls", "--color=always", "d", "-d").stdout
    assert out == b"\x1b[1;34md\x1b[m\n"
    assert applet("ls", "--color=never", "-d", "d").stdout == b"d\n"


def test_inode_and_blocks(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x" * 5000)
    st = os.stat(tmp_path / "f")
    assert applet("ls", "-i", "f").stdout == b"%7d f\n" % st.st_ino
    assert applet("ls", "-s", "f").stdout == b"%6d f\n" % ((st.st_blocks + 1) // 2)


def test_human_sizes(applet, tmp_path):
    with open(tmp_path / "f", "wb") as handle:
        handle.truncate(123456789)
    line = applet("ls", "-lh", "f").stdout.decode()
    assert " 117.7M " in line
