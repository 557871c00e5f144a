"""tar: creating, listing and extracting, GNU tar interchange, BusyBox's messages, hostile archives."""

import io
import os
import shutil
import stat
import subprocess
import tarfile

import pytest

from support import needs_shared

UTC = {**os.environ, "TZ": "UTC"}


def gnu_tar():
    path = shutil.which("tar")
    if path is None or b"GNU tar" not in subprocess.run([path, "--version"], capture_output=True).stdout:
        pytest.skip("GNU tar is not installed")
    return path


def make_tar(members, fmt=tarfile.GNU_FORMAT) -> bytes:
    """An archive built with Python's tarfile: members are (TarInfo, data or None)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def member(name, data=b"", kind=tarfile.REGTYPE, mode=0o644, mtime=1700000000, **extra):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.mtime = mtime
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.uname = info.gname = "root"
    for key, value in extra.items():
        setattr(info, key, value)
    return info, data if kind == tarfile.REGTYPE else None


def snapshot(root):
    """Everything a round trip must keep: types, modes, mtimes, contents, links, hard link groups."""
    entries, inodes = {}, {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            info = os.lstat(path)
            record = [stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid]
            if stat.S_ISLNK(info.st_mode):
                record.append(os.readlink(path))
            else:
                record.append(int(info.st_mtime))
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    record.append(handle.read())
                inodes.setdefault(info.st_ino, []).append(rel)
            entries[rel] = record
    return entries, sorted(sorted(group) for group in inodes.values() if len(group) > 1)


LONG_DIR = "d" * 60 + "/" + "e" * 70 + "/" + "f" * 40


def build_tree(root):
    """Symlinks, hard links, odd modes and times, 150+ character names and link targets."""
    os.makedirs(root / LONG_DIR)
    long_file = root / LONG_DIR / ("file_" + "x" * 60)
    long_file.write_bytes(b"deep\n")
    (root / "plain").write_bytes(b"plain\n" * 1000)
    os.link(root / "plain", root / "hard")
    os.link(long_file, root / "hard_to_long")
    os.symlink("plain", root / "sym")
    os.symlink("../" + "t" * 150, root / "long_symlink")
    os.chmod(root / "plain", 0o4751)
    os.mkdir(root / "closed", 0o705)
    (root / "bad\udcffname").write_bytes(b"not utf-8 name\n")
    (root / "big").write_bytes(bytes(range(256)) * 8192)
    for path, when in ((root / "plain", 1000000000), (root / "closed", 1200000000), (root / "big", 1300000000)):
        os.utime(path, (when, when))
    os.utime(root / LONG_DIR, (1100000000, 1100000000))


def test_round_trip_pybox_to_gnu_tar(applet, tmp_path):
    tar = gnu_tar()
    build_tree(tmp_path / "src")
    for flag in ("", "z"):
        created = applet("tar", f"c{flag}f", f"a{flag}.tar", "-C", "src", ".")
        assert created.returncode == 0, created.stderr
        out = tmp_path / f"gnu{flag}"
        out.mkdir()
        subprocess.run([tar, f"x{flag}f", f"a{flag}.tar", "-C", str(out)], cwd=tmp_path, check=True)
        assert snapshot(out) == snapshot(tmp_path / "src")


def test_round_trip_gnu_tar_to_pybox(applet, tmp_path):
    tar = gnu_tar()
    build_tree(tmp_path / "src")
    for fmt, flag in (("gnu", ""), ("posix", ""), ("gnu", "z"), ("posix", "J")):
        archive = f"{fmt}.tar{flag}"
        subprocess.run([tar, f"--format={fmt}", f"-c{flag}f", archive, "-C", "src", "."], cwd=tmp_path, check=True)
        out = tmp_path / f"out_{fmt}{flag}"
        out.mkdir()
        extracted = applet("tar", "xf", archive, "-C", out.name)
        assert extracted.returncode == 0, extracted.stderr
        assert extracted.stderr == b""
        assert snapshot(out) == snapshot(tmp_path / "src")


def test_listing_matches_gnu_names(applet, tmp_path):
    tar = gnu_tar()
    build_tree(tmp_path / "src")
    subprocess.run([tar, "cf", "g.tar", "-C", "src", "."], cwd=tmp_path, check=True)
    ours = applet("tar", "tf", "g.tar").stdout.splitlines()
    theirs = subprocess.run([tar, "tf", "g.tar"], cwd=tmp_path, capture_output=True).stdout.splitlines()
    assert ours == [name.replace(b"\\377", b"?") for name in theirs]


def test_output_is_byte_identical_to_busybox(applet, tmp_path):
    busybox = shutil.which("busybox")
    if busybox is None:
        pytest.skip("busybox is not installed")
    build_tree(tmp_path / "src")
    subprocess.run([busybox, "tar", "cf", "bb.tar", "src"], cwd=tmp_path, check=True)
    assert applet("tar", "cf", "py.tar", "src").returncode == 0
    assert (tmp_path / "py.tar").read_bytes() == (tmp_path / "bb.tar").read_bytes()


def test_verbose_listing_format(applet, tmp_path):
    archive = make_tar(
        [
            member("dir/", kind=tarfile.DIRTYPE, mode=0o755),
            member("dir/file", b"12345", mode=0o640, uname="fm3", gname="users"),
            member("dir/link", kind=tarfile.SYMTYPE, mode=0o777, linkname="file"),
            member("dir/hard", kind=tarfile.LNKTYPE, linkname="dir/file"),
        ]
    )
    (tmp_path / "a.tar").write_bytes(archive)
    result = applet("tar", "tvf", "a.tar", env=UTC)
    assert result.stdout == (
        b"drwxr-xr-x root/root         0 2023-11-14 22:13:20 dir/\n"
        b"-rw-r----- fm3/users         5 2023-11-14 22:13:20 dir/file\n"
        b"lrwxrwxrwx root/root         0 2023-11-14 22:13:20 dir/link -> file\n"
        b"-rw-r--r-- root/root         0 2023-11-14 22:13:20 dir/hard -> dir/file\n"
    )
    assert applet("tar", "tf", "a.tar").stdout == b"dir/\ndir/file\ndir/link\ndir/hard\n"
    assert applet("tar", "xvf", "a.tar").stdout == b"dir/\ndir/file\ndir/link\ndir/hard\n"
    assert (tmp_path / "dir/hard").read_bytes() == b"12345"
    assert os.readlink(tmp_path / "dir/link") == "file"


def test_create_verbose_goes_to_stderr_when_archive_is_stdout(applet, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d/f").write_bytes(b"x")
    result = applet("tar", "cvf", "-", "d")
    assert result.stderr == b"d/\nd/f\n"
    assert applet("tar", "tf", "-", input=result.stdout).stdout == b"d/\nd/f\n"
    assert applet("tar", "cvf", "x.tar", "d").stdout == b"d/\nd/f\n"


def test_alpine_package_lists_signature_control_and_data(applet):
    package = needs_shared("fixtures", "alpine", "packages", "alpine-baselayout-3.2.0-r23.apk")
    result = applet("tar", "-tzf", str(package))
    assert result.returncode == 0
    names = result.stdout.splitlines()
    assert names[0] == b".SIGN.RSA.alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub"
    assert names[1] == b".PKGINFO"
    assert b"etc/crontabs/root" in names
    assert len(names) == 89
    assert applet("tar", "-tf", str(package)).stdout.splitlines() == names


def test_pax_headers_and_unknown_keys(applet, tmp_path):
    info, data = member("short", b"content")
    info.pax_headers = {"path": "ü/" + "p" * 120, "APK-TOOLS.checksum.SHA1": "abc", "uname": "paxuser", "mtime": "1600000000.5"}
    link, _ = member("l", kind=tarfile.SYMTYPE, linkname="x" * 130)
    (tmp_path / "p.tar").write_bytes(make_tar([(info, data), (link, None)], fmt=tarfile.PAX_FORMAT))
    listing = applet("tar", "tvf", "p.tar", env=UTC)
    assert listing.returncode == 0
    assert listing.stderr == b""
    lines = listing.stdout.splitlines()
    assert lines[0] == b"-rw-r--r-- paxuser/root         7 2020-09-13 12:26:40 " + "ü/".encode() + b"p" * 120
    assert lines[1].endswith(b"l -> " + b"x" * 130)
    assert applet("tar", "xf", "p.tar").returncode == 0
    assert (tmp_path / "ü" / ("p" * 120)).read_bytes() == b"content"
    assert os.path.getmtime(tmp_path / "ü" / ("p" * 120)) == 1600000000


def test_path_traversal_and_absolute_names_are_stripped(applet, tmp_path):
    archive = make_tar([member("../../escape", b"a"), member("/abs/file", b"b"), member("ok/../../x", b"c")])
    (tmp_path / "work").mkdir()
    (tmp_path / "work/t.tar").write_bytes(archive)
    result = applet("tar", "xf", "t.tar", cwd=tmp_path / "work")
    assert result.returncode == 0
    assert result.stderr == b"tar: removing leading '../../' from member names\n"
    assert (tmp_path / "work/escape").read_bytes() == b"a"
    assert (tmp_path / "work/abs/file").read_bytes() == b"b"
    assert (tmp_path / "work/x").read_bytes() == b"c"
    assert not (tmp_path / "escape").exists()


def test_symlink_escape_is_never_written_through(applet, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    archive = make_tar([member("link", kind=tarfile.SYMTYPE, linkname=str(outside)), member("link/evil", b"pwned")])
    (tmp_path / "work").mkdir()
    (tmp_path / "work/t.tar").write_bytes(archive)
    result = applet("tar", "xf", "t.tar", cwd=tmp_path / "work")
    assert result.returncode == 1
    assert result.stderr == f"tar: can't create symlink 'link' to '{outside}'\n".encode()
    assert not (outside / "evil").exists()
    assert (tmp_path / "work/link/evil").read_bytes() == b"pwned"


def test_symlink_then_file_of_same_name(applet, tmp_path):
    target = tmp_path / "victim"
    target.write_bytes(b"")
    archive = make_tar([member("passwd", kind=tarfile.SYMTYPE, linkname=str(target)), member("passwd", b"root::0:0")])
    (tmp_path / "work").mkdir()
    (tmp_path / "work/t.tar").write_bytes(archive)
    for extra in ((), ("-k",)):
        result = applet("tar", "xf", "t.tar", *extra, cwd=tmp_path / "work")
        assert result.stderr == f"tar: can't create symlink 'passwd' to '{target}'\n".encode()
        assert target.read_bytes() == b""
        os.unlink(tmp_path / "work/passwd")


def test_relative_symlink_is_created_at_once_and_hardlinks_at_the_end(applet, tmp_path):
    archive = make_tar([member("f", b"data"), member("s", kind=tarfile.SYMTYPE, linkname="f"), member("h", kind=tarfile.LNKTYPE, linkname="f")])
    (tmp_path / "t.tar").write_bytes(archive)
    assert applet("tar", "xf", "t.tar").returncode == 0
    assert os.readlink(tmp_path / "s") == "f"
    assert os.stat(tmp_path / "h").st_ino == os.stat(tmp_path / "f").st_ino


def test_truncated_archives(applet, tmp_path):
    archive = make_tar([member("a", b"x" * 5000), member("b", b"y" * 100)])
    assert applet("tar", "tf", "-", input=archive[:700]).stderr == b"tar: short read\n"
    result = applet("tar", "xf", "-", input=archive[:2048])
    assert (result.returncode, result.stderr) == (1, b"tar: short read\n")
    result = applet("tar", "tf", "-", input=archive[:100])
    assert (result.returncode, result.stderr) == (1, b"tar: short read\n")
    header_end = 512 + 5120 + 512 + 512
    assert applet("tar", "tf", "-", input=archive[:header_end]).returncode == 0


def test_empty_and_zero_archives(applet):
    result = applet("tar", "xvf", "-")
    assert (result.returncode, result.stderr) == (1, b"tar: short read\n")
    assert applet("tar", "xvf", "-", input=bytes(1024)).returncode == 0
    result = applet("tar", "xvzf", "-")
    assert result.returncode == 1
    assert result.stderr == b"tar: invalid magic\ntar: short read\n"


def test_bad_checksum_and_magic(applet):
    archive = bytearray(make_tar([member("a", b"data")]))
    archive[0] ^= 1
    assert applet("tar", "tf", "-", input=bytes(archive)).stderr == b"tar: invalid tar header checksum\n"
    junk = b"this is not a tar archive at all" * 20
    result = applet("tar", "tf", "-", input=junk)
    assert (result.returncode, result.stderr) == (1, b"tar: invalid tar magic\n")
    corrupt = bytearray(make_tar([member("a", b"data")]))
    corrupt[124:136] = b"99999999999\0"
    corrupt[148:156] = b"%06o\0 " % (sum(corrupt[:148]) + sum(corrupt[156:512]) + 256)
    assert applet("tar", "tf", "-", input=bytes(corrupt)).stderr == b"tar: corrupted octal value in tar header\n"


def test_compressed_input_is_detected(applet, tmp_path):
    import bz2
    import gzip
    import lzma

    archive = make_tar([member("a", b"data")])
    for packed in (gzip.compress(archive), bz2.compress(archive), lzma.compress(archive)):
        assert applet("tar", "tf", "-", input=packed).stdout == b"a\n"
    members = gzip.compress(archive[:512]) + gzip.compress(archive[512:])
    assert applet("tar", "tzf", "-", input=members).stdout == b"a\n"
    damaged = bytearray(gzip.compress(archive))
    damaged[-8] ^= 1
    result = applet("tar", "tzf", "-", input=bytes(damaged))
    assert (result.returncode, result.stdout, result.stderr) == (1, b"a\n", b"tar: crc error\n")


def test_create_compressed_by_option_and_extension(applet, tmp_path):
    import bz2
    import gzip
    import lzma

    (tmp_path / "f").write_bytes(b"hello\n")
    for option, name, opener in (("-z", "a.tgz", gzip.decompress), ("-j", "a.tbz", bz2.decompress), ("-J", "a.txz", lzma.decompress)):
        assert applet("tar", "c" + option[1] + "f", name, "f").returncode == 0
        assert tarfile.open(fileobj=io.BytesIO(opener((tmp_path / name).read_bytes()))).getnames() == ["f"]
    assert applet("tar", "-caf", "b.tar.xz", "f").returncode == 0
    assert lzma.decompress((tmp_path / "b.tar.xz").read_bytes())[:1] == b"f"


def test_extract_selected_members_and_excludes(applet, tmp_path):
    archive = make_tar([member("foo", b"1"), member("bar", b"2"), member("baz", b"3"), member("dir/", kind=tarfile.DIRTYPE), member("dir/sub", b"4")])
    (tmp_path / "t.tar").write_bytes(archive)
    (tmp_path / "ex").write_bytes(b"foo\n")
    result = applet("tar", "xf", "t.tar", "foo", "bar", "-X", "ex")
    assert result.returncode == 0
    assert sorted(os.listdir(tmp_path)) == ["bar", "ex", "t.tar"]
    assert applet("tar", "tf", "t.tar", "dir").stdout == b"dir/\ndir/sub\n"
    assert applet("tar", "tf", "t.tar", "--exclude", "ba*").stdout == b"foo\ndir/\ndir/sub\n"
    (tmp_path / "list").write_bytes(b"baz\ndir/\n")
    assert applet("tar", "tf", "t.tar", "-T", "list").stdout == b"baz\ndir/\ndir/sub\n"
    missing = applet("tar", "xf", "t.tar", "nope")
    assert (missing.returncode, missing.stderr) == (1, b"tar: nope: not found in archive\n")


def test_create_excludes_and_no_recursion(applet, tmp_path):
    for name in ("d/keep", "d/skip.o", "d/sub/skip.o", "d/sub/keep"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    applet("tar", "cf", "a.tar", "--exclude", "*.o", "d")
    names = sorted(applet("tar", "tf", "a.tar").stdout.splitlines())
    assert names == [b"d/", b"d/keep", b"d/sub/", b"d/sub/keep"]
    applet("tar", "cf", "b.tar", "--no-recursion", "d")
    assert applet("tar", "tf", "b.tar").stdout == b"d/\n"


def test_to_stdout_strip_components_and_keep_old(applet, tmp_path):
    archive = make_tar([member("top/", kind=tarfile.DIRTYPE), member("top/a", b"first\n"), member("top/b", b"second\n")])
    (tmp_path / "t.tar").write_bytes(archive)
    assert applet("tar", "xOf", "t.tar").stdout == b"first\nsecond\n"
    assert applet("tar", "Ox", input=archive).stdout == b"first\nsecond\n"
    assert applet("tar", "xf", "t.tar", "--strip-components=1").returncode == 0
    assert (tmp_path / "a").read_bytes() == b"first\n"
    (tmp_path / "a").write_bytes(b"local\n")
    result = applet("tar", "xkf", "t.tar", "--strip-components", "1")
    assert (result.returncode, result.stderr) == (1, b"tar: can't open 'a': File exists\n")
    assert (tmp_path / "a").read_bytes() == b"local\n"


def test_overwrite_writes_through_existing_hardlink(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"WRONG\n")
    os.link(tmp_path / "input", tmp_path / "input_hard")
    archive = make_tar([member("input_hard", b"Ok\n")])
    (tmp_path / "t.tar").write_bytes(archive)
    assert applet("tar", "xf", "t.tar", "--overwrite").returncode == 0
    assert (tmp_path / "input").read_bytes() == b"Ok\n"
    assert applet("tar", "xf", "t.tar").returncode == 0
    assert os.stat(tmp_path / "input").st_ino != os.stat(tmp_path / "input_hard").st_ino


def test_modes_times_and_touch(applet, tmp_path):
    archive = make_tar([member("ro/", kind=tarfile.DIRTYPE, mode=0o555, mtime=1000), member("ro/f", b"x", mode=0o4755, mtime=2000)])
    (tmp_path / "t.tar").write_bytes(archive)
    assert applet("tar", "xf", "t.tar").returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / "ro").st_mode) == 0o555
    assert stat.S_IMODE(os.stat(tmp_path / "ro/f").st_mode) == 0o4755
    assert os.stat(tmp_path / "ro").st_mtime == 1000
    assert os.stat(tmp_path / "ro/f").st_mtime == 2000
    os.chmod(tmp_path / "ro", 0o755)
    shutil.rmtree(tmp_path / "ro")
    assert applet("tar", "xmf", "t.tar").returncode == 0
    assert os.stat(tmp_path / "ro/f").st_mtime > 2000


def test_to_command(applet, tmp_path):
    archive = make_tar([member("a", b"one\n", mode=0o600), member("d/", kind=tarfile.DIRTYPE)])
    result = applet("tar", "x", "--to-command", 'printf "%s %s %s " "$TAR_FILENAME" "$TAR_MODE" "$TAR_SIZE"; cat', input=archive)
    assert result.stdout == b"a 600 4 one\n"
    failing = applet("tar", "x", "--to-command", "exit 3", input=archive)
    assert (failing.returncode, failing.stderr) == (1, b"tar: 'exit 3' returned status 3\n")


def test_binary_names_and_data_round_trip(applet, tmp_path):
    name = b"bin\xff\xfe\x01name"
    path = os.path.join(os.fsencode(tmp_path), b"src", name)
    os.makedirs(os.path.dirname(path))
    with open(path, "wb") as handle:
        handle.write(bytes(range(256)) * 100)
    assert applet("tar", "cf", "a.tar", "src").returncode == 0
    assert applet("tar", "tf", "a.tar").stdout == b"src/\nsrc/bin??\x3fname\n"
    os.rename(tmp_path / "src", tmp_path / "old")
    assert applet("tar", "xf", "a.tar").returncode == 0
    with open(path, "rb") as handle:
        assert handle.read() == bytes(range(256)) * 100


def test_create_errors_are_delayed(applet, tmp_path):
    (tmp_path / "ok").write_bytes(b"fine")
    result = applet("tar", "cf", "a.tar", "missing", "ok")
    assert result.returncode == 1
    assert result.stderr == b"tar: missing: No such file or directory\ntar: error exit delayed from previous errors\n"
    assert applet("tar", "tf", "a.tar").stdout == b"ok\n"
    result = applet("tar", "cf", "b.tar")
    assert (result.returncode, result.stderr) == (1, b"tar: empty archive\n")


def test_create_removes_unsafe_prefix_and_skips_itself(applet, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d/f").write_bytes(b"x")
    result = applet("tar", "cf", "d/self.tar", "./../" + tmp_path.name + "/d/../d")
    assert result.stderr == (
        f"tar: removing leading './../{tmp_path.name}/d/../' from member names\n"
        f"tar: ./../{tmp_path.name}/d/../d/self.tar: file is the archive; skipping\n"
    ).encode()
    assert applet("tar", "tf", "d/self.tar").stdout == b"d/\nd/f\n"


def test_missing_archive_and_usage(applet, tmp_path):
    result = applet("tar", "xf", "nope.tar")
    assert (result.returncode, result.stderr) == (1, b"tar: can't open 'nope.tar': No such file or directory\n")
    for args in (("v",), ("tx",), ("-cx",)):
        result = applet("tar", *args)
        assert result.returncode == 1
        assert b"Usage: tar c|x|t" in result.stderr
    result = applet("tar", "xf", "-", "-C", "nodir", input=bytes(1024))
    assert result.stderr == b"tar: can't change directory to 'nodir': No such file or directory\n"


def test_devices_and_fifos_when_root(applet, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("creating device nodes needs root")
    os.mkfifo(tmp_path / "fifo")
    os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert applet("tar", "cf", "a.tar", "fifo", "null").returncode == 0
    os.unlink(tmp_path / "fifo")
    os.unlink(tmp_path / "null")
    assert applet("tar", "xf", "a.tar").returncode == 0
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)
    node = os.lstat(tmp_path / "null")
    assert stat.S_ISCHR(node.st_mode) and node.st_rdev == os.makedev(1, 3)


def test_ten_megabyte_member(applet, tmp_path):
    data = os.urandom(1024) * 10240
    (tmp_path / "big").write_bytes(data)
    archive = applet("tar", "cf", "-", "big").stdout
    assert len(archive) == 512 + len(data) + 1024
    assert applet("tar", "xOf", "-", input=archive).stdout == data
