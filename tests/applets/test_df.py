"""df: header layouts, the mount of a path, -P/-h/-i/-T/-t/-B, errors."""

import os


def test_header_and_root_line(applet):
    lines = applet("df", "/").stdout.decode().splitlines()
    assert lines[0] == "Filesystem           1K-blocks      Used Available Use% Mounted on"
    assert lines[-1].endswith("% /")
    fs = os.statvfs("/")
    total = (fs.f_blocks * fs.f_frsize + 512) // 1024
    assert int(lines[-1].split()[-5]) == total


def test_header_variants(applet):
    first = lambda *args: applet("df", *args, "/").stdout.decode().splitlines()[0]  # noqa: E731
    assert first("-P") == "Filesystem           1024-blocks    Used Available Capacity Mounted on"
    assert first("-h") == "Filesystem                Size      Used Available Use% Mounted on"
    assert first("-i") == "Filesystem              Inodes      Used Available Use% Mounted on"
    assert first("-m") == "Filesystem           1M-blocks      Used Available Use% Mounted on"
    assert first("-B", "4k") == "Filesystem           4K-blocks      Used Available Use% Mounted on"
    assert first("-T").startswith("Filesystem           Type       1K-blocks")


def test_proc_listed_by_name(applet):
    lines = applet("df", "/proc").stdout.decode().splitlines()
    assert lines[1].split() == ["proc", "0", "0", "0", "0%", "/proc"]


def test_type_filter(applet):
    lines = applet("df", "-t", "no-such-fs-type").stdout.decode().splitlines()
    assert len(lines) == 1


def test_errors(applet):
    result = applet("df", "/nonexistent/path")
    assert (result.returncode, result.stderr) == (1, b"df: /nonexistent/path: can't find mount point\n")
    assert b"Usage: df" in applet("df", "-Z").stderr
