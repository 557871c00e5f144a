"""mv: renames, moves into directories, -n/-i/-T/-t, cross-device fallback."""

import os


def test_rename_and_move_into_directory(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"1")
    (tmp_path / "b").write_bytes(b"2")
    (tmp_path / "d").mkdir()
    assert applet("mv", "a", "c").returncode == 0
    assert (tmp_path / "c").read_bytes() == b"1" and not (tmp_path / "a").exists()
    result = applet("mv", "-v", "b", "c", "d")
    assert result.stdout == b"'b' -> 'd/b'\n'c' -> 'd/c'\n"
    assert sorted(os.listdir(tmp_path / "d")) == ["b", "c"]


def test_missing_source_and_directory_into_itself(applet, tmp_path):
    result = applet("mv", "nope", "x")
    assert (result.returncode, result.stderr) == (1, b"mv: can't rename 'nope': No such file or directory\n")
    (tmp_path / "d").mkdir()
    result = applet("mv", "d", "d/sub")
    assert result.returncode == 1
    assert result.stderr == b"mv: can't rename 'd': Invalid argument\n"


def test_no_clobber_and_interactive(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"a")
    (tmp_path / "b").write_bytes(b"b")
    assert applet("mv", "-n", "a", "b").returncode == 0
    assert (tmp_path / "b").read_bytes() == b"b"
    result = applet("mv", "-i", "a", "b", input=b"n\n")
    assert result.stderr == b"mv: overwrite 'b'? "
    assert (tmp_path / "a").exists()
    applet("mv", "-i", "a", "b", input=b"y\n")
    assert (tmp_path / "b").read_bytes() == b"a"


def test_no_target_directory_and_target_option(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"f")
    (tmp_path / "empty").mkdir()
    (tmp_path / "d").mkdir()
    result = applet("mv", "-T", "f", "d")
    assert (result.returncode, result.stderr) == (1, b"mv: 'd' is a directory\n")
    assert applet("mv", "-T", "empty", "d").returncode == 0
    assert not (tmp_path / "empty").exists()
    assert applet("mv", "-t", "d", "f").returncode == 0
    assert (tmp_path / "d" / "f").exists()


def test_symlink_moves_as_itself(applet, tmp_path):
    os.symlink("target", tmp_path / "link")
    assert applet("mv", "link", "moved").returncode == 0
    assert os.readlink(tmp_path / "moved") == "target"


def test_cross_device_move_copies_tree(applet, tmp_path):
    shm = "/dev/shm"
    if not os.path.isdir(shm) or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        import pytest

        pytest.skip("no second filesystem")
    src = tmp_path / "tree"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "f").write_bytes(b"payload")
    os.symlink("sub/f", src / "link")
    os.chmod(src / "sub" / "f", 0o640)
    dest = os.path.join(shm, f"pybox-mv-test-{os.getpid()}")
    try:
        assert applet("mv", "tree", dest).returncode == 0
        assert not src.exists()
        assert open(os.path.join(dest, "sub", "f"), "rb").read() == b"payload"
        assert os.readlink(os.path.join(dest, "link")) == "sub/f"
        assert os.stat(os.path.join(dest, "sub", "f")).st_mode & 0o777 == 0o640
    finally:
        import shutil

        shutil.rmtree(dest, ignore_errors=True)


def test_usage(applet):
    result = applet("mv", "a")
    assert result.returncode == 1 and b"Usage: mv" in result.stderr
