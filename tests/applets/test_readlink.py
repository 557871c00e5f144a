"""readlink: plain link targets, -f/-e/-m canonicalisation, -n/-z, -v errors."""

import os


def test_plain(applet, tmp_path):
    os.symlink("some/target", tmp_path / "l")
    (tmp_path / "f").write_bytes(b"")
    assert applet("readlink", "l").stdout == b"some/target\n"
    assert applet("readlink", "-n", "l").stdout == b"some/target"
    assert applet("readlink", "-z", "l").stdout == b"some/target\0"
    result = applet("readlink", "f")
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", b"")
    assert applet("readlink", "-v", "f").stderr == b"readlink: f: cannot read link: not a symlink\n"


def test_canonicalize(applet, tmp_path):
    base = os.path.realpath(tmp_path).encode()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"")
    os.symlink("d/f", tmp_path / "l")
    os.symlink("missing", tmp_path / "dangling")
    assert applet("readlink", "-f", "l").stdout == base + b"/d/f\n"
    assert applet("readlink", "-f", "d/../d/./f").stdout == base + b"/d/f\n"
    assert applet("readlink", "-f", "dangling").stdout == base + b"/missing\n"
    assert applet("readlink", "-f", "nope/x").returncode == 1
    assert applet("readlink", "-e", "dangling").returncode == 1
    assert applet("readlink", "-m", "nope/x/../y").stdout == base + b"/nope/y\n"


def test_loops(applet, tmp_path):
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    assert applet("readlink", "-f", "a").returncode == 1
    assert applet("readlink", "-fv", "a").stderr == b"readlink: a: Too many levels of symbolic links\n"


def test_usage(applet):
    assert b"Usage: readlink" in applet("readlink", "a", "b").stderr
