"""link: exactly two operands, BusyBox's error wording."""

import os


def test_makes_hard_link(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"x")
    assert applet("link", "f", "g").returncode == 0
    assert os.path.samefile(tmp_path / "f", tmp_path / "g")


def test_errors(applet):
    result = applet("link", "nope", "x")
    assert result.returncode == 1
    assert result.stderr == b"link: can't create hardlink 'x' to 'nope': No such file or directory\n"
    assert b"Usage: link FILE LINK" in applet("link", "one").stderr
