"""cpio: newc creation (byte-identical to BusyBox), listing, extraction, -p, hostile archives."""

import os
import shutil
import stat
import subprocess

import pytest

UTC = {**os.environ, "TZ": "UTC"}


def newc(name: bytes, data: bytes = b"", mode: int = 0o100644, ino: int = 1, nlink: int = 1, mtime: int = 1700000000) -> bytes:
    """One newc member, written independently of the applet."""
    fields = (ino, mode, 0, 0, nlink, mtime, len(data), 0, 0, 0, 0, len(name) + 1, 0)
    head = b"070701" + b"".join(b"%08X" % value for value in fields) + name + b"\0"
    head += bytes(-len(head) % 4)
    return head + data + bytes(-len(data) % 4)


TRAILER = newc(b"TRAILER!!!", mode=0, ino=0, nlink=0, mtime=0)


def make_tree(root):
    (root / "d").mkdir()
    (root / "d/a").write_bytes(b"hello\n")
    os.link(root / "d/a", root / "d/b")
    os.symlink("a", root / "d/s")
    os.utime(root / "d/a", (1000000000, 1000000000))


def test_create_is_byte_identical_to_busybox(applet, tmp_path):
    busybox = shutil.which("busybox")
    if busybox is None:
        pytest.skip("busybox is not installed")
    make_tree(tmp_path)
    names = b"d\nd/a\nd/b\nd/s\n"
    theirs = subprocess.run([busybox, "cpio", "-o", "-H", "newc"], input=names, cwd=tmp_path, capture_output=True).stdout
    assert applet("cpio", "-o", "-H", "newc", input=names).stdout == theirs


def test_list_and_verbose_list(applet, tmp_path):
    archive = newc(b"dir", mode=0o40755) + newc(b"dir/f", b"12345", ino=2) + newc(b"dir/l", b"f", mode=0o120777, ino=3) + TRAILER
    result = applet("cpio", "-t", input=archive)
    assert (result.stdout, result.stderr) == (b"dir\ndir/f\ndir/l\n", b"1 blocks\n")
    result = applet("cpio", "-tv", input=archive, env=UTC)
    assert result.stdout == (
        b"drwxr-xr-x 0/0         0 2023-11-14 22:13:20 dir\n"
        b"-rw-r--r-- 0/0         5 2023-11-14 22:13:20 dir/f\n"
        b"lrwxrwxrwx 0/0         0 2023-11-14 22:13:20 dir/l -> f\n"
    )
    assert applet("cpio", "-t", "--quiet", "dir/f", input=archive).stdout == b"dir/f\n"


def test_round_trip_with_hardlinks_and_symlinks(applet, tmp_path):
    make_tree(tmp_path)
    archive = applet("cpio", "-o", "-H", "newc", input=b"./d\n./d/a\n./d/b\n./d/s\n").stdout
    out = tmp_path / "out"
    out.mkdir()
    result = applet("cpio", "-idm", input=archive, cwd=out)
    assert result.returncode == 0
    assert (out / "d/a").read_bytes() == b"hello\n"
    assert os.stat(out / "d/a").st_ino == os.stat(out / "d/b").st_ino
    assert os.readlink(out / "d/s") == "a"
    assert os.stat(out / "d/a").st_mtime == 1000000000


def test_existing_newer_files_are_kept_unless_u(applet, tmp_path):
    archive = newc(b"f", b"archive\n", mtime=1000) + TRAILER
    (tmp_path / "f").write_bytes(b"local\n")
    result = applet("cpio", "-i", input=archive)
    assert result.stderr == b"cpio: f not created: newer or same age file exists\n1 blocks\n"
    assert (tmp_path / "f").read_bytes() == b"local\n"
    assert applet("cpio", "-iu", input=archive).returncode == 0
    assert (tmp_path / "f").read_bytes() == b"archive\n"


def test_leading_dirs_need_d(applet, tmp_path):
    archive = newc(b"a/b/c", b"x") + TRAILER
    result = applet("cpio", "-i", input=archive)
    assert (result.returncode, result.stderr) == (1, b"cpio: can't open 'a/b/c': No such file or directory\n")
    assert applet("cpio", "-id", input=archive).returncode == 0
    assert (tmp_path / "a/b/c").read_bytes() == b"x"


def test_hostile_names_and_symlinks(applet, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    archive = newc(b"/abs", b"1") + newc(b"../../up", b"2", ino=2) + newc(b"link", os.fsencode(outside), mode=0o120777, ino=3) + newc(b"link/evil", b"3", ino=4) + TRAILER
    result = applet("cpio", "-id", input=archive, cwd=work)
    assert result.returncode == 1
    assert result.stderr == b"cpio: removing leading '../../' from member names\n" + f"cpio: can't create symlink 'link' to '{outside}'\n".encode()
    assert (work / "abs").read_bytes() == b"1"
    assert (work / "up").read_bytes() == b"2"
    assert not (outside / "evil").exists()


def test_damaged_archives(applet):
    assert applet("cpio", "-t", input=b"junkjunkjunk").stderr == b"cpio: short read\n"
    result = applet("cpio", "-t", input=b"x" * 200)
    assert (result.returncode, result.stderr) == (1, b"cpio: unsupported cpio format, use newc or crc\n")
    result = applet("cpio", "-t", input=b"070701" + b"zz" * 52)
    assert (result.returncode, result.stderr) == (1, b"cpio: damaged cpio file\n")
    result = applet("cpio", "-t", input=newc(b"f", b"data")[:-6])
    assert (result.returncode, result.stderr) == (1, b"cpio: short read\n")
    assert applet("cpio", "-t").returncode == 0


def test_pass_through(applet, tmp_path):
    make_tree(tmp_path)
    result = applet("cpio", "-pdv", "dest/sub", input=b"d\nd/a\nd/b\nd/s\n")
    assert result.returncode == 0
    assert result.stdout == b"d\nd/s\nd/a\nd/b\n"
    assert (tmp_path / "dest/sub/d/a").read_bytes() == b"hello\n"
    assert os.readlink(tmp_path / "dest/sub/d/s") == "a"


def test_options_file_owner_and_nul_names(applet, tmp_path):
    (tmp_path / "f one").write_bytes(b"x")
    assert applet("cpio", "-o", "-H", "newc", "-0", "-F", "a.cpio", "-R", "7:8", input=b"f one\0").returncode == 0
    listing = applet("cpio", "-tv", "-F", "a.cpio").stdout
    assert b" 7/8 " in listing and listing.endswith(b"f one\n")
    assert applet("cpio", "-i", "--to-stdout", "-F", "a.cpio").stdout == b"x"


def test_usage_errors(applet):
    for args in (("-o",), (), ("-p",)):
        result = applet("cpio", *args)
        assert result.returncode == 1
        assert b"Usage: cpio" in result.stderr
    result = applet("cpio", "-o", "-H", "newc", input=b"missing\n")
    assert (result.returncode, result.stderr) == (1, b"cpio: missing: No such file or directory\n")


def test_modes_of_extracted_files(applet, tmp_path):
    archive = newc(b"x", b"run", mode=0o104750) + newc(b"dir", mode=0o40700, ino=2) + TRAILER
    assert applet("cpio", "-i", input=archive).returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / "x").st_mode) == 0o4750
    assert stat.S_IMODE(os.stat(tmp_path / "dir").st_mode) == 0o700
