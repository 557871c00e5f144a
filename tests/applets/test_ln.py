"""ln: hard and soft links, -f, -b/-S backups, -n, -T, -v and errors."""

import os


def test_hard_and_soft_links(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x")
    assert applet("ln", "f", "hard").returncode == 0
    assert os.path.samefile(tmp_path / "f", tmp_path / "hard")
    result = applet("ln", "-sv", "f", "soft")
    assert result.stdout == b"'soft' -> 'f'\n"
    assert os.readlink(tmp_path / "soft") == "f"


def test_existing_destination(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x")
    (tmp_path / "g").write_bytes(b"y")
    result = applet("ln", "f", "g")
    assert (result.returncode, result.stderr) == (1, b"ln: g: File exists\n")
    assert applet("ln", "-sf", "f", "g").returncode == 0
    assert os.readlink(tmp_path / "g") == "f"


def test_backups(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x")
    (tmp_path / "g").write_bytes(b"old")
    assert applet("ln", "-sb", "f", "g").returncode == 0
    assert (tmp_path / "g~").read_bytes() == b"old"
    assert applet("ln", "-s", "-S", ".bak", "f", "g").returncode == 0
    assert os.readlink(tmp_path / "g.bak") == "f"


def test_into_directory_and_no_dereference(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x")
    (tmp_path / "d").mkdir()
    os.symlink("d", tmp_path / "dl")
    assert applet("ln", "-s", "../f", "d").returncode == 0
    assert os.readlink(tmp_path / "d" / "f") == "../f"
    assert applet("ln", "-snf", "f", "dl").returncode == 0
    assert os.readlink(tmp_path / "dl") == "f"
    result = applet("ln", "-sT", "f", "d")
    assert (result.returncode, result.stderr) == (1, b"ln: 'd' is a directory\n")


def test_missing_target_for_hard_link(applet):
    result = applet("ln", "nope", "x")
    assert (result.returncode, result.stderr) == (1, b"ln: nope: No such file or directory\n")


def test_single_operand_links_into_cwd(applet, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f").write_bytes(b"")
    assert applet("ln", "-s", "sub/f").returncode == 0
    assert os.readlink(tmp_path / "f") == "sub/f"


def test_usage(applet):
    assert b"Usage: ln" in applet("ln").stderr
