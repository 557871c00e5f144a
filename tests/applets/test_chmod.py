"""chmod: octal and symbolic modes, -R, -v/-c reports, "-w" as a mode, errors."""

import os
import stat


def _mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_octal_and_symbolic(applet, tmp_path):
    f = tmp_path / "f"
    f.write_bytes(b"")
    assert applet("chmod", "640", "f").returncode == 0
    assert _mode(f) == 0o640
    assert applet("chmod", "u+x,g-r,o=u", "f").returncode == 0
    assert _mode(f) == 0o707
    assert applet("chmod", "a=r,u+w,+s", "f").returncode == 0
    assert _mode(f) == 0o6644
    assert applet("chmod", "0600", "f").returncode == 0
    assert applet("chmod", "go=u", "f").returncode == 0
    assert _mode(f) == 0o666


def test_dash_mode_is_not_an_option(applet, tmp_path):
    f = tmp_path / "f"
    f.write_bytes(b"")
    os.chmod(f, 0o666)
    assert applet("chmod", "-w", "f").returncode == 0
    assert _mode(f) == 0o444 | (0o222 & _umask())
    result = applet("chmod", "-r", "-v", "f")
    assert result.stdout.startswith(b"mode of 'f' changed to ")


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_capital_x_and_recursion(applet, tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "g").write_bytes(b"")
    os.symlink("e/g", tmp_path / "d" / "link")
    os.chmod(tmp_path / "d" / "e" / "g", 0o600)
    result = applet("chmod", "-Rv", "a=rX", "d")
    assert result.stdout.splitlines()[0] == b"mode of 'd' changed to 0555 (r-xr-xr-x)"
    assert _mode(tmp_path / "d" / "e" / "g") == 0o444
    assert _mode(tmp_path / "d" / "e") == 0o555
    assert stat.S_ISLNK(os.lstat(tmp_path / "d" / "link").st_mode)
    os.chmod(tmp_path / "d", 0o755)
    os.chmod(tmp_path / "d" / "e", 0o755)


def test_changes_report_only_changes(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.chmod(tmp_path / "f", 0o600)
    assert applet("chmod", "-c", "600", "f").stdout == b""
    assert applet("chmod", "-c", "644", "f").stdout == b"mode of 'f' changed to 0644 (rw-r--r--)\n"
    assert applet("chmod", "-v", "644", "f").stdout == b"mode of 'f' changed to 0644 (rw-r--r--)\n"


def test_symlink_on_command_line_is_followed(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.symlink("f", tmp_path / "l")
    assert applet("chmod", "600", "l").returncode == 0
    assert _mode(tmp_path / "f") == 0o600


def test_errors(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    result = applet("chmod", "xyz", "f")
    assert (result.returncode, result.stderr) == (1, b"chmod: invalid mode 'xyz'\n")
    result = applet("chmod", "-f", "644", "nope")
    assert (result.returncode, result.stderr) == (1, b"chmod: nope: No such file or directory\n")
    assert b"Usage: chmod" in applet("chmod", "644").stderr
