"""pk audit: changes to a root pk installed, in apk's letters and paths."""

import os

import pytest

from test_cmd_info import out, world  # noqa: F401  (world is a fixture)


@pytest.fixture
def changed(world, tmp_path):
    """A copy of the world's root with every kind of change audit reports."""
    root = world.copy(tmp_path)

    def put(path, data):
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w") as handle:
            handle.write(data)

    put("etc/alpha.conf", "changed\n")  # a changed configuration file
    put("etc/local.conf", "new\n")  # a new one
    put("etc/alpha.conf.apk-new", "x\n")  # a new version apk left beside it: not for backups
    put("etc/conf.d/sub/f", "y\n")  # a new directory
    os.unlink(os.path.join(root, "usr/bin/gamma"))  # a missing file
    put("usr/lib/libbeta.so.1", "2\n")  # a changed file
    os.chmod(os.path.join(root, "usr/bin/alpha"), 0o700)  # a changed mode
    os.symlink("/bin/busybox", os.path.join(root, "usr/bin/ls"))
    put("usr/bin/stray", "o\n")
    return root


def test_pristine_root(world):
    assert out(world.pk("audit")) == "D etc/apk/\n"


@pytest.mark.parametrize("args, expected", [
    (["audit"], "U etc/alpha.conf\nD etc/apk/\nD etc/conf.d/\nA etc/local.conf\n"),
    (["audit", "--backup", "-r"], "U etc/alpha.conf\nd etc/apk/\nA etc/apk/arch\nd etc/apk/keys/\nA etc/apk/keys/factory.rsa.pub\n"
                                  "A etc/apk/repositories\nA etc/apk/world\nd etc/conf.d/\nd etc/conf.d/sub/\nA etc/conf.d/sub/f\n"
                                  "A etc/local.conf\n"),
    (["audit", "--system"], "U usr/lib/libbeta.so.1\nX usr/bin/gamma\n"),
    (["audit", "--system", "/usr/bin"], "X usr/bin/gamma\n"),
    (["audit", "--full"], "D lib/\nA usr/bin/ls\nA usr/bin/stray\nU usr/lib/libbeta.so.1\nX usr/bin/gamma\n"),
    (["audit", "--full", "--ignore-busybox-symlinks"], "D lib/\nA usr/bin/stray\nU usr/lib/libbeta.so.1\nX usr/bin/gamma\n"),
    (["audit", "--packages", "--system"], "libbeta-2.0-r1\ngamma-1.0-r0\n"),
    (["-q", "audit", "--packages", "--system"], "libbeta\ngamma\n"),
    (["-q", "audit"], "etc/alpha.conf\netc/apk/\netc/conf.d/\netc/local.conf\n"),
])
def test_reports(world, changed, args, expected):
    assert out(world.pk(*args, root=changed)) == expected


AS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="files keep the owners packages give them only when pk runs as root")


@AS_ROOT
def test_permissions(world, changed):
    assert out(world.pk("audit", "--system", "--check-permissions", root=changed)) == (
        "M usr/bin/alpha\nU usr/lib/libbeta.so.1\nX usr/bin/gamma\n")
    assert out(world.pk("-q", "audit", "--packages", "--system", "--check-permissions", root=changed)) == (
        "alpha\nlibbeta\ngamma\n")


@AS_ROOT
def test_details(world, changed):
    assert out(world.pk("audit", "--details", "/etc/", root=changed)) == (
        "- mode=644 uid=0 gid=0 hash=9dc9cfd3b38b77561ec22b49a723432e26181003\n"
        "+ mode=644 uid=0 gid=0 hash=2f6933b5ee0f5fdd823d9717d8729f3c2523811b\n"
        "U etc/alpha.conf\n"
        "+ mode=755 uid=0 gid=0\nD etc/apk/\n"
        "+ mode=755 uid=0 gid=0\nD etc/conf.d/\n"
        "+ mode=644 uid=0 gid=0 hash=7aa7a5359173d05b63cfd682e3c38487f3cb4f7f1d60659fe59fab1505977d4c\n"
        "A etc/local.conf\n")


def test_protected_paths_file(world, changed, tmp_path):
    rules = tmp_path / "rules.list"
    rules.write_text("+usr/bin\n-usr/bin/stray\n")
    assert out(world.pk("audit", "--protected-paths", str(rules), root=changed)) == "A usr/bin/ls\n"


def test_errors(world, changed, tmp_path):
    result = world.pk("audit", "usr", "/usr/share/doc", root=changed)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "WARNING: usr: relative path skipped.\n")
    result = world.pk("audit", "/nowhere", "/etc", root=changed)
    assert result.stdout == "U etc/alpha.conf\nD etc/apk/\nD etc/conf.d/\nA etc/local.conf\n"
    assert (result.returncode, result.stderr) == (250, "ERROR: /nowhere: No such file or directory\n")
    result = world.pk("audit", "--protected-paths", str(tmp_path / "none.list"), root=changed)
    assert (result.returncode, result.stderr) == (
        250, f"ERROR: unable to read protected path file: {tmp_path / 'none.list'}: No such file or directory\n")
    result = world.pk("audit", root=tmp_path / "missing")
    assert (result.returncode, result.stderr) == (99, "ERROR: Unable to open root: No such file or directory\n")
