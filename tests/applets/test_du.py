"""du: tree totals in 1K blocks, -a/-s/-c/-d, -h/-m/-b units, hardlinks counted once."""

import os


def _blocks(path):
    return os.lstat(path).st_blocks


def _tree(tmp_path):
    (tmp_path / "t" / "s").mkdir(parents=True)
    (tmp_path / "t" / "f1").write_bytes(os.urandom(5000))
    (tmp_path / "t" / "s" / "f2").write_bytes(os.urandom(100000))
    os.link(tmp_path / "t" / "f1", tmp_path / "t" / "hl")


def test_totals(applet, tmp_path):
    _tree(tmp_path)
    t = tmp_path / "t"
    sub = _blocks(t / "s") + _blocks(t / "s" / "f2")
    top = _blocks(t) + _blocks(t / "f1") + sub
    assert applet("du", "t").stdout == b"%d\tt/s\n%d\tt\n" % (sub // 2, top // 2)
    assert applet("du", "-s", "t").stdout == b"%d\tt\n" % (top // 2)
    assert applet("du", "-sc", "t").stdout == b"%d\tt\n%d\ttotal\n" % (top // 2, top // 2)
    assert applet("du", "-d", "0", "t").stdout == b"%d\tt\n" % (top // 2)
    linked = applet("du", "-l", "-s", "t").stdout
    assert linked == b"%d\tt\n" % ((top + _blocks(t / "f1")) // 2)


def test_all_files_and_units(applet, tmp_path):
    _tree(tmp_path)
    out = applet("du", "-a", "t").stdout.decode().splitlines()
    names = [line.split("\t")[1] for line in out]
    assert names.count("t/f1") + names.count("t/hl") == 1  # the second link is not counted
    assert "t/s/f2" in names
    (tmp_path / "m").write_bytes(b"\0" * (1 << 20))
    assert applet("du", "-m", "m").stdout == b"1\tm\n"
    assert applet("du", "-h", "m").stdout == b"1.0M\tm\n"
    assert applet("du", "-b", "t/s/f2").stdout == b"100000\tt/s/f2\n"


def test_symlinks_not_followed(applet, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(os.urandom(50000))
    os.symlink("d", tmp_path / "link")
    assert applet("du", "link").stdout == b"0\tlink\n"
    assert applet("du", "-sH", "link").stdout == applet("du", "-s", "d").stdout.replace(b"\td", b"\tlink")


def test_errors(applet):
    result = applet("du", "nope")
    assert (result.returncode, result.stderr) == (1, b"du: nope: No such file or directory\n")
