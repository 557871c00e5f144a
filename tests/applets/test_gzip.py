"""gzip, gunzip, zcat: GNU gzip interchange, file naming, BusyBox's messages, hostile input."""

import bz2
import gzip
import lzma
import os
import resource
import shutil
import subprocess
import zlib

import pytest

HELLO_GZ = b"\x1f\x8b\x08\x00\x85\x1d\xef\x45\x02\x03\xf3\x70\xf5\xf1\xf1\xe7\x02\x00\x6e\xd7\xac\xfd\x06\x00\x00\x00"


def gnu_gzip():
    path = shutil.which("gzip")
    if path is None or not subprocess.run([path, "--version"], capture_output=True).stdout.startswith(b"gzip 1."):
        pytest.skip("GNU gzip is not installed")
    return path


def test_round_trip_with_gnu_gzip_both_ways(applet, tmp_path):
    tool = gnu_gzip()
    data = b"".join(b"line %d of some text\n" % i for i in range(50000)) + bytes(range(256)) * 50
    packed = applet("gzip", "-c", input=data).stdout
    assert subprocess.run([tool, "-dc"], input=packed, capture_output=True).stdout == data
    theirs = subprocess.run([tool, "-c", "-9"], input=data, capture_output=True).stdout
    assert applet("gunzip", "-c", input=theirs).stdout == data
    assert applet("zcat", input=theirs).stdout == data


def test_header_is_busybox_like(applet):
    packed = applet("gzip", input=b"hello\n").stdout
    assert packed[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
    assert gzip.decompress(packed) == b"hello\n"


def test_levels(applet):
    data = os.urandom(2000).hex().encode() * 30
    fast = applet("gzip", "-1", "-c", input=data).stdout
    best = applet("gzip", "-9c", input=data).stdout
    assert gzip.decompress(fast) == gzip.decompress(best) == data
    assert len(best) < len(fast)
    assert best[8] == 2 and fast[8] == 4


def test_file_naming_and_removal(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"alpha\n")
    os.chmod(tmp_path / "a", 0o640)
    result = applet("gzip", "a")
    assert (result.returncode, result.stderr) == (0, b"")
    assert not (tmp_path / "a").exists()
    assert os.stat(tmp_path / "a.gz").st_mode & 0o777 == 0o640
    assert applet("gunzip", "a.gz").returncode == 0
    assert (tmp_path / "a").read_bytes() == b"alpha\n"
    assert not (tmp_path / "a.gz").exists()
    (tmp_path / "b.tgz").write_bytes(gzip.compress(b"tarball"))
    assert applet("gunzip", "-k", "b.tgz").returncode == 0
    assert (tmp_path / "b.tar").read_bytes() == b"tarball"
    assert (tmp_path / "b.tgz").exists()


def test_gunzip_messages_from_busybox_testsuite(applet, tmp_path):
    (tmp_path / "t1.gz").write_bytes(HELLO_GZ)
    (tmp_path / "t2.gz").write_bytes(HELLO_GZ)
    result = applet("gunzip", "z", "t1.gz")
    assert (result.returncode, result.stderr) == (1, b"gunzip: z: No such file or directory\n")
    assert (tmp_path / "t1").read_bytes() == b"HELLO\n"
    (tmp_path / "t.zz").write_bytes(b"")
    result = applet("gunzip", "t.zz")
    assert (result.returncode, result.stderr) == (1, b"gunzip: t.zz: unknown suffix - ignored\n")
    (tmp_path / "t2").write_bytes(b"")
    result = applet("gunzip", "t2.gz")
    assert (result.returncode, result.stderr) == (1, b"gunzip: can't open 't2': File exists\n")
    assert applet("gunzip", "-f", "t2.gz").returncode == 0
    assert (tmp_path / "t2").read_bytes() == b"HELLO\n"


def test_restores_stored_mtime(applet, tmp_path):
    (tmp_path / "t.gz").write_bytes(HELLO_GZ)
    assert applet("gunzip", "t.gz").returncode == 0
    assert os.stat(tmp_path / "t").st_mtime == 0x45EF1D85


def test_multi_member_and_trailing_garbage(applet):
    joined = gzip.compress(b"one\n") + gzip.compress(b"two\n") + b"\0\0garbage"
    result = applet("gunzip", "-c", input=joined)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"one\ntwo\n", b"")


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: b"", b"gunzip: invalid magic\n"),
        (lambda d: b"plain text", b"gunzip: invalid magic\n"),
        (lambda d: d[:15], b"gunzip: unexpected end of file\n"),
        (lambda d: d[:-2], b"gunzip: corrupted data\n"),
        (lambda d: d[:-8] + bytes([d[-8] ^ 1]) + d[-7:], b"gunzip: crc error\n"),
        (lambda d: d[:-2] + bytes([d[-2] ^ 1]) + d[-1:], b"gunzip: incorrect length\n"),
        (lambda d: d[:2] + b"\x07" + d[3:], b"gunzip: corrupted data\n"),
        (lambda d: d[:10] + b"\xff" * 8 + d[18:], b"gunzip: corrupted data\n"),
    ],
)
def test_corrupt_input_messages(applet, damage, message):
    result = applet("gunzip", input=damage(gzip.compress(b"hello\n" * 5)))
    assert (result.returncode, result.stderr) == (1, message)


def test_failed_file_leaves_source_and_no_output(applet, tmp_path):
    (tmp_path / "bad.gz").write_bytes(gzip.compress(b"data")[:-3])
    result = applet("gunzip", "bad.gz")
    assert (result.returncode, result.stderr) == (1, b"gunzip: corrupted data\n")
    assert (tmp_path / "bad.gz").exists() and not (tmp_path / "bad").exists()


def test_test_mode_and_keep(applet, tmp_path):
    (tmp_path / "ok.gz").write_bytes(HELLO_GZ)
    result = applet("gzip", "-t", "ok.gz")
    assert (result.returncode, result.stdout) == (0, b"")
    assert (tmp_path / "ok.gz").exists()
    (tmp_path / "bad.gz").write_bytes(HELLO_GZ[:-1])
    assert applet("gunzip", "-t", "bad.gz").returncode == 1
    (tmp_path / "k").write_bytes(b"keep me")
    assert applet("gzip", "-k", "k").returncode == 0
    assert (tmp_path / "k").exists() and (tmp_path / "k.gz").exists()
    assert applet("gzip", "k").stderr == b"gzip: can't open 'k.gz': File exists\n"
    assert applet("gzip", "-f", "k").returncode == 0


def test_gzip_bomb_test_mode_stays_small(pybox_path, tmp_path):
    member = gzip.compress(bytes(1 << 20), 9)
    (tmp_path / "bomb.gz").write_bytes(member * 256)

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (160 << 20, 160 << 20))

    result = subprocess.run([pybox_path, "gunzip", "-t", "bomb.gz"], cwd=tmp_path, capture_output=True, preexec_fn=limit_memory, timeout=120)
    assert (result.returncode, result.stderr) == (0, b"")


def test_zcat_reads_every_format_and_refuses_plain(applet, tmp_path):
    (tmp_path / "a.gz").write_bytes(gzip.compress(b"gz\n"))
    (tmp_path / "b.bz2").write_bytes(bz2.compress(b"bz\n"))
    (tmp_path / "c.xz").write_bytes(lzma.compress(b"xz\n"))
    result = applet("zcat", "a.gz", "b.bz2", "c.xz")
    assert (result.returncode, result.stdout) == (0, b"gz\nbz\nxz\n")
    assert (tmp_path / "a.gz").exists()
    (tmp_path / "plain").write_bytes(b"text")
    result = applet("zcat", "plain")
    assert (result.returncode, result.stderr) == (1, b"zcat: no gzip/bzip2/xz magic\n")
    result = applet("zcat", "nope")
    assert (result.returncode, result.stderr) == (1, b"zcat: nope: No such file or directory\n")


def test_multiple_files_and_single_minus(applet, tmp_path):
    (tmp_path / "foo").write_bytes(b"")
    (tmp_path / "bar").write_bytes(b"")
    assert applet("gzip", "foo", "bar").returncode == 0
    assert (tmp_path / "foo.gz").exists() and (tmp_path / "bar.gz").exists()
    assert gzip.decompress(applet("gzip", "-", input=b"foo\n").stdout) == b"foo\n"


def test_binary_data_and_ten_megabyte_line(applet):
    data = bytes(range(256)) * 4000 + b"x" * (10 << 20)
    packed = applet("gzip", input=data).stdout
    assert zlib.decompress(packed, 31) == data
    assert applet("gzip", "-d", input=packed).stdout == data


def test_directory_and_usage(applet, tmp_path):
    (tmp_path / "dir.gz").mkdir()
    result = applet("gunzip", "dir.gz")
    assert result.returncode == 1
    assert result.stderr == b"gunzip: read error: Is a directory\n"
    assert not (tmp_path / "dir").exists()
    result = applet("gunzip", "-9")
    assert result.returncode == 1
    assert b"Usage: gunzip [-cfkt] [FILE]..." in result.stderr
