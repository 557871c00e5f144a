"""cp: plain copies, -R trees with symlinks and hardlinks, -p, -n/-u/-i, messages."""

import os
import stat


def test_copies_binary_file_exactly(applet, tmp_path):
    data = bytes(range(256)) * 40000 + b"\xff\xfe no newline"
    (tmp_path / "src").write_bytes(data)
    result = applet("cp", "src", "dst")
    assert result.returncode == 0 and result.stderr == b""
    assert (tmp_path / "dst").read_bytes() == data


def test_missing_source_and_omitted_directory(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "out").mkdir()
    result = applet("cp", "nope", "dir", "out")
    assert result.returncode == 1
    assert result.stderr == (
        b"cp: can't stat 'nope': No such file or directory\n"
        b"cp: omitting directory 'dir'\n"
    )


def test_same_file_and_directory_target_checks(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"x")
    (tmp_path / "d").mkdir()
    assert applet("cp", "a", "a").stderr == b"cp: 'a' and 'a' are the same file\n"
    result = applet("cp", "-T", "a", "d")
    assert (result.returncode, result.stderr) == (1, b"cp: 'd' is a directory\n")
    result = applet("cp", "a", "b", "c")
    assert result.stderr == (
        b"cp: can't create 'c/a': No such file or directory\n"
        b"cp: can't stat 'b': No such file or directory\n"
    )


def test_recursive_copy_keeps_symlinks_and_hardlinks(applet, tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "file").write_bytes(b"data")
    os.link(src / "file", src / "sub" / "hard")
    os.symlink("file", src / "link")
    result = applet("cp", "-R", "src", "dst")
    assert result.returncode == 0, result.stderr
    dst = tmp_path / "dst"
    assert os.readlink(dst / "link") == "file"
    assert os.path.samefile(dst / "file", dst / "sub" / "hard")
    assert (dst / "sub" / "hard").read_bytes() == b"data"


def test_dereference_options(applet, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"1")
    os.symlink("f", tmp_path / "d" / "inner")
    os.symlink("d", tmp_path / "top")
    assert applet("cp", "-RL", "top", "all").returncode == 0
    assert not os.path.islink(tmp_path / "all" / "inner")
    assert applet("cp", "-RH", "top", "cmdline").returncode == 0
    assert not os.path.islink(tmp_path / "cmdline")
    assert os.path.islink(tmp_path / "cmdline" / "inner")
    assert applet("cp", "-d", "top", "kept").returncode == 0
    assert os.readlink(tmp_path / "kept") == "d"


def test_preserve_mode_and_times(applet, tmp_path):
    src = tmp_path / "src"
    src.write_bytes(b"x")
    os.chmod(src, 0o4751)
    os.utime(src, ns=(1_000_000_000_123, 2_000_000_000_456))
    assert applet("cp", "-p", "src", "dst").returncode == 0
    st = os.stat(tmp_path / "dst")
    assert stat.S_IMODE(st.st_mode) == 0o4751
    assert st.st_mtime_ns == 2_000_000_000_456


def test_no_clobber_update_and_interactive(applet, tmp_path):
    (tmp_path / "new").write_bytes(b"new")
    (tmp_path / "old").write_bytes(b"old")
    os.utime(tmp_path / "old", (1, 1))
    assert applet("cp", "-n", "new", "old").returncode == 0
    assert (tmp_path / "old").read_bytes() == b"old"
    os.utime(tmp_path / "new", (0, 0))
    os.utime(tmp_path / "old", (5, 5))
    applet("cp", "-u", "new", "old")
    assert (tmp_path / "old").read_bytes() == b"old"
    result = applet("cp", "-i", "new", "old", input=b"n\n")
    assert result.stderr == b"cp: overwrite 'old'? "
    assert (tmp_path / "old").read_bytes() == b"old"
    applet("cp", "-i", "new", "old", input=b"y\n")
    assert (tmp_path / "old").read_bytes() == b"new"


def test_verbose_parents_target_and_links(applet, tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f").write_bytes(b"f")
    (tmp_path / "out").mkdir()
    result = applet("cp", "-v", "--parents", "a/b/f", "out")
    assert result.stdout == b"'a/b/f' -> 'out/a/b/f'\n"
    assert (tmp_path / "out" / "a" / "b" / "f").read_bytes() == b"f"
    assert applet("cp", "-t", "out", "a/b/f").returncode == 0
    assert (tmp_path / "out" / "f").exists()
    applet("cp", "-s", "a/b/f", "soft")
    applet("cp", "-l", "a/b/f", "hard")
    assert os.readlink(tmp_path / "soft") == "a/b/f"
    assert os.path.samefile(tmp_path / "hard", tmp_path / "a" / "b" / "f")


def test_special_files(applet, tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "fifo")
    assert applet("cp", "-R", "d", "e").returncode == 0
    assert stat.S_ISFIFO(os.lstat(tmp_path / "e" / "fifo").st_mode)
    assert applet("cp", "/dev/null", "empty").returncode == 0
    assert stat.S_ISREG(os.stat(tmp_path / "empty").st_mode)
    assert applet("cp", "-a", "/dev/null", "node").returncode == 0
    assert stat.S_ISCHR(os.stat(tmp_path / "node").st_mode)


def test_recursion_into_itself_is_refused(applet, tmp_path):
    (tmp_path / "d").mkdir()
    result = applet("cp", "-R", "d", "d/sub")
    assert result.returncode == 1
    assert result.stderr == b"cp: recursion detected, omitting directory 'd/sub'\n"


def test_invalid_utf8_names(applet, tmp_path):
    name = os.fsdecode(b"\xff\xfename")
    (tmp_path / name).write_bytes(b"z")
    result = applet("cp", "-v", name, "copy")
    assert result.stdout == b"'\xff\xfename' -> 'copy'\n"
    assert (tmp_path / "copy").read_bytes() == b"z"


def test_usage(applet):
    result = applet("cp", "onlyone")
    assert result.returncode == 1
    assert b"Usage: cp [-arPLHpfinlsTu] SOURCE DEST" in result.stderr
