"""stat: default and terse layouts, -c directives with widths, -L, -f, errors."""

import os
import time


def test_format_directives(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"12345")
    os.chmod(tmp_path / "f", 0o640)
    st = os.stat(tmp_path / "f")
    result = applet("stat", "-c", "%a|%A|%s|%F|%u|%g|%h|%i|%n|%%|%X", "f")
    expected = f"640|-rw-r-----|5|regular file|{st.st_uid}|{st.st_gid}|1|{st.st_ino}|f|%|{int(st.st_atime)}\n"
    assert result.stdout == expected.encode()
    assert applet("stat", "-c", "%5s|%-5s|%05s|%.3n|", "f").stdout == b"    5|5    |00005|f|\n"


def test_symlinks(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.symlink("f", tmp_path / "l")
    assert applet("stat", "-c", "%N %F", "l").stdout == b"'l' -> 'f' symbolic link\n"
    assert applet("stat", "-L", "-c", "%F", "l").stdout == b"regular empty file\n"


def test_default_layout(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.utime(tmp_path / "f", ns=(1, 2_000_000_123))
    lines = applet("stat", "f").stdout.decode().splitlines()
    assert lines[0] == "  File: f"
    assert lines[1].startswith("  Size: 0         \tBlocks: 0          IO Block: ")
    assert lines[1].endswith(" regular empty file")
    assert lines[3].startswith("Access: (0644/-rw-r--r--)  Uid: (")
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(2)) + ".000000123"
    assert lines[5].startswith("Modify: " + stamp + " ")


def test_terse(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    st = os.stat(tmp_path / "f")
    fields = applet("stat", "-t", "f").stdout.split()
    assert fields[:4] == [b"f", b"3", str(st.st_blocks).encode(), b"81a4"]
    assert len(fields) == 15


def test_device_and_filesystem(applet, tmp_path):
    assert applet("stat", "-c", "%t,%T %F", "/dev/null").stdout == b"1,3 character special file\n"
    out = applet("stat", "-f", "-c", "%n %T", "/proc").stdout
    assert out == b"/proc proc\n"
    lines = applet("stat", "-f", ".").stdout.decode().splitlines()
    assert lines[0] == '  File: "."' and lines[2].startswith("Block size: ")


def test_errors(applet):
    result = applet("stat", "nope")
    assert (result.returncode, result.stderr) == (1, b"stat: can't stat 'nope': No such file or directory\n")
    result = applet("stat", "-f", "nope")
    assert result.stderr == b"stat: can't read file system information for 'nope': No such file or directory\n"
    assert b"Usage: stat" in applet("stat").stderr
