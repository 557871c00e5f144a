"""rm: files, -r trees, -f silence, -i prompts, -v messages, refusal of . and .."""

import os


def test_removes_files_and_reports_missing(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"")
    result = applet("rm", "a", "nope")
    assert result.returncode == 1
    assert result.stderr == b"rm: can't remove 'nope': No such file or directory\n"
    assert not (tmp_path / "a").exists()
    assert applet("rm", "-f", "nope").returncode == 0
    assert applet("rm", "-f").returncode == 0


def test_directories_need_recursion(applet, tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f").write_bytes(b"x")
    result = applet("rm", "d")
    assert (result.returncode, result.stderr) == (1, b"rm: 'd' is a directory\n")
    result = applet("rm", "-rv", "d")
    assert result.returncode == 0
    assert result.stdout == b"removed 'd/e/f'\nremoved directory: 'd/e'\nremoved directory: 'd'\n"
    assert not (tmp_path / "d").exists()


def test_refuses_dot_and_dotdot(applet, tmp_path):
    (tmp_path / "d").mkdir()
    result = applet("rm", "-rf", ".", "d/..")
    assert result.returncode == 1
    assert result.stderr == b"rm: can't remove '.' or '..'\nrm: can't remove '.' or '..'\n"
    assert (tmp_path / "d").exists()


def test_interactive(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"")
    result = applet("rm", "-i", "a", input=b"n\n")
    assert result.stderr == b"rm: remove 'a'? "
    assert (tmp_path / "a").exists()
    applet("rm", "-i", "a", input=b"y\n")
    assert not (tmp_path / "a").exists()


def test_symlink_is_removed_not_followed(applet, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "keep").write_bytes(b"")
    os.symlink("d", tmp_path / "link")
    assert applet("rm", "-r", "link").returncode == 0
    assert (tmp_path / "d" / "keep").exists() and not os.path.lexists(tmp_path / "link")


def test_invalid_utf8_name(applet, tmp_path):
    name = os.fsdecode(b"bad\xffname")
    (tmp_path / name).write_bytes(b"")
    result = applet("rm", "-v", name)
    assert result.stdout == b"removed 'bad\xffname'\n"


def test_usage(applet):
    assert b"Usage: rm" in applet("rm").stderr
