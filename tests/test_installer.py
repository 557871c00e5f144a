"""The installer at library level: what lands on disk, and everything it refuses to do."""

import hashlib
import os
import pathlib
import shutil
import stat

import pytest

from apk_py import database, dependency, install
from apk_py.context import Context
from apk_py.errors import PkError
from support import fixture, host_shell_files
from pkgfactory import Factory


@pytest.fixture(scope="module")
def factory(tmp_path_factory):
    return Factory(tmp_path_factory.mktemp("factory"))


def snapshot(root):
    """Every path under root with its type, mode and content hash (the lock file aside: it persists)."""
    state = {}
    for directory, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(directory, name)
            if os.path.relpath(path, root) == "lib/apk/db/lock":
                continue
            info = os.lstat(path)
            if os.path.islink(path):
                content = os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    content = hashlib.sha256(handle.read()).hexdigest()
            else:
                content = None
            state[os.path.relpath(path, root)] = (info.st_mode, content)
    return state


def open_db(root, repos, **settings):
    ctx = Context(root=str(root), repository=[str(r) for r in repos], arch="x86_64", no_cache=True, **settings)
    return ctx, database.open_database(ctx)


def install_names(root, repos, names, **settings):
    ctx, db = open_db(root, repos, **settings)
    by_name = {pkg.record.name: pkg.record for pkg in db.packages.values()}
    installed = {pkg.name: pkg for pkg in db.installed}
    changes = [install.Change(installed.get(name), by_name[name]) for name in names]
    world = [dependency.parse(name) for name in names]
    return install.apply(ctx, db, changes, world)


def remove_names(root, repos, names):
    ctx, db = open_db(root, repos)
    installed = {pkg.name: pkg for pkg in db.installed}
    changes = [install.Change(installed[name], None) for name in names]
    world = [dependency.parse(pkg.name) for pkg in db.installed if pkg.name not in names]
    return install.apply(ctx, db, changes, world)


def fresh_root(tmp_path, factory):
    """An empty root as `--initdb` leaves it, trusting the factory's key."""
    root = tmp_path / "root"
    (root / "lib/apk/db").mkdir(parents=True)
    factory.install_key(root)
    return root


def test_melange_packages_land_as_apk_tools_leaves_them(tmp_path):
    root = tmp_path / "root"
    (root / "etc/apk/keys").mkdir(parents=True)
    shutil.copy(fixture("melange/melange.rsa.pub"), root / "etc/apk/keys")
    repo = fixture("melange")
    install_names(root, [repo], ["custom-ca-certs-1", "custom-ca-certs-2", "pretend-baselayout", "replayout"])
    assert (root / "lib/apk/db/installed").read_text() == fixture("expected/melange-x86_64.installed").read_text()
    assert (root / "etc/apk/world").read_text() == fixture("expected/melange-x86_64.world").read_text()
    for line in fixture("expected/melange-x86_64.sha256").read_text().splitlines():
        digest, path = line.split()
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == digest, path
    tree = []
    for line in fixture("expected/melange-x86_64.tree").read_text().splitlines():
        mode, owner, path = line.split()[:3]
        info = os.lstat(root / path)
        uid, gid = owner.split(":")
        assert stat.filemode(info.st_mode) == mode, path
        assert str(info.st_uid) == uid.replace("root", "0"), path
        tree.append(path)
    assert os.stat(root / "etc/os-release").st_gid == 20


def test_upgrade_replaces_files_and_removes_old_ones(tmp_path, factory):
    root = fresh_root(tmp_path, factory)
    v1 = factory.repository("v1", {"app-1.0-r0.apk": factory.package("app", "1.0-r0", {"usr/": None, "usr/bin/": None, "usr/bin/app": b"one", "usr/share/old": b"gone soon"})})
    install_names(root, [v1], ["app"])
    assert (root / "usr/share/old").read_bytes() == b"gone soon"
    v2 = factory.repository("v2", {"app-2.0-r0.apk": factory.package("app", "2.0-r0", {"usr/": None, "usr/bin/": None, "usr/bin/app": b"two"})})
    install_names(root, [v2], ["app"])
    assert (root / "usr/bin/app").read_bytes() == b"two"
    assert not (root / "usr/share/old").exists() and not (root / "usr/share").exists()
    db_text = (root / "lib/apk/db/installed").read_text()
    assert "V:2.0-r0" in db_text and "V:1.0-r0" not in db_text and "R:old" not in db_text


def test_removal_deletes_files_and_empty_directories(tmp_path, factory):
    root = fresh_root(tmp_path, factory)
    repo = factory.repository("rm", {
        "a-1.0-r0.apk": factory.package("a", files={"opt/": None, "opt/a/": None, "opt/a/file": b"a", "opt/shared": b"x"}),
        "b-1.0-r0.apk": factory.package("b", files={"opt/": None, "opt/b": b"b"}),
    })
    install_names(root, [repo], ["a", "b"])
    remove_names(root, [repo], ["a"])
    assert not (root / "opt/a").exists() and not (root / "opt/shared").exists()
    assert (root / "opt/b").read_bytes() == b"b"
    assert (root / "etc/apk/world").read_text() == "b\n"


def test_modified_config_file_is_kept_and_new_one_written_beside_it(tmp_path, factory):
    root = fresh_root(tmp_path, factory)
    v1 = factory.repository("c1", {"conf-1.0-r0.apk": factory.package("conf", "1.0-r0", {"etc/": None, "etc/app.conf": b"default 1\n", "etc/other.conf": b"other 1\n"})})
    install_names(root, [v1], ["conf"])
    (root / "etc/app.conf").write_bytes(b"user setting\n")
    v2 = factory.repository("c2", {"conf-2.0-r0.apk": factory.package("conf", "2.0-r0", {"etc/": None, "etc/app.conf": b"default 2\n", "etc/other.conf": b"other 2\n"})})
    install_names(root, [v2], ["conf"])
    assert (root / "etc/app.conf").read_bytes() == b"user setting\n"
    assert (root / "etc/app.conf.apk-new").read_bytes() == b"default 2\n"
    assert (root / "etc/other.conf").read_bytes() == b"other 2\n"


def test_file_conflict_is_refused_unless_forced_or_replaced(tmp_path, factory):
    root = fresh_root(tmp_path, factory)
    repo = factory.repository("conflict", {
        "one-1.0-r0.apk": factory.package("one", files={"usr/": None, "usr/same": b"one"}),
        "two-1.0-r0.apk": factory.package("two", files={"usr/": None, "usr/same": b"two"}),
        "three-1.0-r0.apk": factory.package("three", files={"usr/": None, "usr/same": b"three"}, replaces=["one"]),
    })
    install_names(root, [repo], ["one"])
    before = snapshot(root)
    with pytest.raises(PkError, match="trying to overwrite usr/same owned by one-1.0-r0"):
        install_names(root, [repo], ["two"])
    assert snapshot(root) == before
    install_names(root, [repo], ["three"])
    assert (root / "usr/same").read_bytes() == b"three"
    install_names(root, [repo], ["two"], force_overwrite=True)
    assert (root / "usr/same").read_bytes() == b"two"


@pytest.mark.parametrize("bad_name", ["../escape", "/etc/absolute", "usr/../../up", "usr/\x01ctl"])
def test_hostile_member_names_are_refused_and_nothing_is_written(tmp_path, factory, bad_name):
    from apk_py.tarfmt import REGULAR, TarEntry

    root = fresh_root(tmp_path, factory)
    members = [(TarEntry("usr/", "5", 0o755), b""), (TarEntry("usr/fine", REGULAR, 0o644, size=2), b"ok"),
               (TarEntry(bad_name, REGULAR, 0o644, size=4), b"evil")]
    repo = factory.repository("hostile", {"bad-1.0-r0.apk": factory.package("bad", members=members)})
    before = snapshot(root)
    with pytest.raises(PkError):
        install_names(root, [repo], ["bad"])
    assert snapshot(root) == before
    assert not (tmp_path / "escape").exists() and not (tmp_path / "up").exists()


def test_symlink_leading_out_of_the_root_is_refused(tmp_path, factory):
    root = fresh_root(tmp_path, factory)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(str(outside), root / "data")
    (root / "var").mkdir()
    os.symlink("../../outside", root / "var/rel")
    for target in ("data", "var/rel"):
        repo = factory.repository(f"sym-{target.replace('/', '-')}", {"evil-1.0-r0.apk": factory.package("evil", files={f"{target}/payload": b"pwned"})})
        before = snapshot(root)
        with pytest.raises(PkError, match="leads out of the root"):
            install_names(root, [repo], ["evil"])
        assert snapshot(root) == before
        assert os.listdir(outside) == []


def test_symlink_inside_the_root_is_followed_even_within_one_transaction(tmp_path, factory):
    root = fresh_root(tmp_path, factory)
    repo = factory.repository("merged", {
        "layout-1.0-r0.apk": factory.package("layout", files={"usr/": None, "usr/bin/": None, "bin": ("->", "usr/bin")}),
        "tools-1.0-r0.apk": factory.package("tools", files={"bin/tool": b"\x7fELF"}, depends=["layout"]),
    })
    install_names(root, [repo], ["layout", "tools"])
    assert os.readlink(root / "bin") == "usr/bin"
    assert (root / "usr/bin/tool").read_bytes() == b"\x7fELF"


def test_a_tampered_package_changes_nothing(tmp_path, factory):
    root = fresh_root(tmp_path, factory)
    good = factory.package("victim", files={"usr/": None, "usr/file": b"x" * 5000})
    repo = factory.repository("tamper", {"victim-1.0-r0.apk": good})
    path = os.path.join(repo, "x86_64", "victim-1.0-r0.apk")
    for position in (len(good) // 3, len(good) // 2, len(good) - 30):
        data = bytearray(good)
        data[position] ^= 0x10
        with open(path, "wb") as handle:
            handle.write(data)
        before = snapshot(root)
        with pytest.raises(PkError):
            install_names(root, [repo], ["victim"])
        assert snapshot(root) == before


def test_hardlinks_symlinks_and_modes(tmp_path, factory):
    from apk_py.tarfmt import REGULAR, SYMLINK, TarEntry

    root = fresh_root(tmp_path, factory)
    members = [(TarEntry("bin/", "5", 0o755), b""),
               (TarEntry("bin/tool", REGULAR, 0o4755, size=4, mtime=1234567890), b"tool"),
               (TarEntry("bin/alias", "1", 0o4755, linkname="bin/tool"), b""),
               (TarEntry("bin/link", SYMLINK, 0o777, linkname="tool"), b"")]
    repo = factory.repository("links", {"tools-1.0-r0.apk": factory.package("tools", members=members)})
    install_names(root, [repo], ["tools"])
    tool = os.lstat(root / "bin/tool")
    assert tool.st_mode & 0o7777 == 0o4755 and tool.st_mtime == 1234567890
    assert os.lstat(root / "bin/alias").st_ino == tool.st_ino
    assert os.readlink(root / "bin/link") == "tool"
    db = (root / "lib/apk/db/installed").read_text()
    assert "R:tool\na:0:0:4755\n" in db


def test_scripts_run_in_the_root_with_versions_and_are_stored(tmp_path, factory):
    import tarfile

    from apk_py.tarfmt import REGULAR, TarEntry

    if os.geteuid() != 0:
        pytest.skip("scripts run with chroot, which needs root")
    root = fresh_root(tmp_path, factory)
    shell = {path: pathlib.Path(host).read_bytes() for path, host in host_shell_files().items()}
    members = [(TarEntry(path, REGULAR, 0o755, size=len(data)), data) for path, data in sorted(shell.items())]
    scripts = {
        ".pre-install": b"#!/bin/sh\necho \"pre-install $1 $# $APK_PACKAGE $APK_SCRIPT\" > /pre\n",
        ".post-install": b"#!/bin/sh\necho \"post-install $1 $PATH\" > /post\n",
        ".post-upgrade": b"#!/bin/sh\necho \"post-upgrade $1 $2\" > /post\n",
    }
    repo = factory.repository("scripts", {
        "shell-1.0-r0.apk": factory.package("shell", members=members),
        "scripted-1.0-r0.apk": factory.package("scripted", "1.0-r0", {"etc/": None, "etc/s": b"1"}, scripts=scripts),
    })
    install_names(root, [repo], ["shell", "scripted"])
    assert (root / "pre").read_text() == "pre-install 1.0-r0 1 scripted pre-install\n"
    assert (root / "post").read_text() == "post-install 1.0-r0 /usr/sbin:/usr/bin:/sbin:/bin\n"
    with tarfile.open(root / "lib/apk/db/scripts.tar") as stored:
        names = stored.getnames()
    assert any(name.startswith("scripted-1.0-r0.Q1") and name.endswith(".post-install") for name in names)
    repo2 = factory.repository("scripts2", {"scripted-2.0-r0.apk": factory.package("scripted", "2.0-r0", {"etc/": None, "etc/s": b"2"}, scripts=scripts)})
    install_names(root, [repo2], ["scripted"])
    assert (root / "post").read_text() == "post-upgrade 2.0-r0 1.0-r0\n"
    failing = factory.repository("fail", {"broken-1.0-r0.apk": factory.package("broken", scripts={".post-install": b"#!/bin/sh\nexit 3\n"})})
    assert install_names(root, [failing], ["broken"]) == 1


def test_out_of_disk_space_leaves_the_database_unchanged(tmp_path, factory):
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    root = tmp_path / "small"
    root.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)]).returncode != 0:
        pytest.skip("cannot mount tmpfs here")
    try:
        factory.install_key(root)
        repo = factory.repository("big", {
            "small-1.0-r0.apk": factory.package("small", files={"small": b"s"}),
            "big-1.0-r0.apk": factory.package("big", files={"big1": os.urandom(1200000), "big2": os.urandom(1200000)}),
        })
        install_names(root, [repo], ["small"])
        before = snapshot(root)
        with pytest.raises(OSError) as caught:
            install_names(root, [repo], ["big"])
        assert caught.value.errno == 28
        assert snapshot(root) == before
    finally:
        subprocess.run(["umount", str(root)])


def test_second_writer_waits_or_fails_clearly(tmp_path, factory):
    from apk_py.lock import DatabaseLock

    root = fresh_root(tmp_path, factory)
    repo = factory.repository("lock", {"a-1.0-r0.apk": factory.package("a", files={"a": b"a"})})
    with DatabaseLock(str(root)):
        with pytest.raises(PkError, match="Unable to lock database"):
            install_names(root, [repo], ["a"])
    install_names(root, [repo], ["a"], wait="1")


def test_virtual_package_is_recorded_without_files(pk_path, tmp_path):
    import subprocess

    root = tmp_path / "root"
    (root / "etc/apk/keys").mkdir(parents=True)
    shutil.copy(fixture("melange/melange.rsa.pub"), root / "etc/apk/keys")
    common = [pk_path, "--root", str(root), "--no-cache", "-X", str(fixture("melange"))]
    added = subprocess.run(common + ["--initdb", "add", "-t", ".build-deps=20240101", "pretend-baselayout"], capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    assert "(2/2) Installing .build-deps (20240101)" in added.stdout
    assert (root / "etc/apk/world").read_text() == ".build-deps=20240101\n"
    size = subprocess.run(common + ["info", "-s", "pretend-baselayout"], capture_output=True, text=True)
    assert size.stdout.startswith("pretend-baselayout-1.0.0-r0 installed size:\n")
    removed = subprocess.run(common + ["del", ".build-deps"], capture_output=True, text=True)
    assert removed.returncode == 0 and "Purging pretend-baselayout" in removed.stdout
    assert (root / "etc/apk/world").read_text() == ""


def test_cli_install_prints_what_apk_tools_prints(pk_path, tmp_path):
    import subprocess

    root = tmp_path / "root"
    (root / "etc/apk/keys").mkdir(parents=True)
    shutil.copy(fixture("melange/melange.rsa.pub"), root / "etc/apk/keys")
    result = subprocess.run([pk_path, "--root", str(root), "--initdb", "--arch", "x86_64", "--no-cache", "-X", str(fixture("melange")),
                             "add", "pretend-baselayout", "replayout", "custom-ca-certs-1", "custom-ca-certs-2"],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout + result.stderr == fixture("expected/melange-x86_64.out").read_text()
    assert (root / "lib/apk/db/installed").read_text() == fixture("expected/melange-x86_64.installed").read_text()


def test_index_signed_by_an_unknown_key_is_refused_unless_allowed(pk_path, tmp_path, factory):
    import subprocess

    root = tmp_path / "root"
    (root / "lib/apk/db").mkdir(parents=True)
    repo = factory.repository("unknown-key", {"a-1.0-r0.apk": factory.package("a", files={"a": b"a"})})
    common = [pk_path, "--root", str(root), "--no-cache", "-X", str(repo), "add", "a"]
    refused = subprocess.run(common, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "UNTRUSTED signature" in refused.stderr and "ERROR: unable to select packages:" in refused.stderr
    assert not (root / "a").exists() and not (root / "etc/apk/world").exists()
    allowed = subprocess.run(common + ["--allow-untrusted"], capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr
    assert (root / "a").read_bytes() == b"a"


def test_http_failures_leave_the_root_unchanged(pk_path, tmp_path, factory):
    import functools
    import http.server
    import subprocess

    from repo_helpers import Server

    root = fresh_root(tmp_path, factory)
    repo = factory.repository("http", {"good-1.0-r0.apk": factory.package("good", files={"good": b"g"}),
                                       "bad-1.0-r0.apk": factory.package("bad", files={"bad": b"b" * 5000})})

    class BrokenPackages(http.server.SimpleHTTPRequestHandler):
        """Serves the repository, except that `bad`'s package is always a server error."""

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.endswith("bad-1.0-r0.apk"):
                self.send_error(500)
                return
            super().do_GET()

    handler = functools.partial(BrokenPackages, directory=str(repo))
    before = snapshot(root)
    with Server(repo, handler) as server:
        result = subprocess.run([pk_path, "--root", str(root), "--no-cache", "--timeout", "2", "-X", server.url, "add", "good", "bad"],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "bad-1.0-r0.apk: 500" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_owner_names_map_through_the_roots_passwd_and_group(tmp_path, factory):
    from apk_py.tarfmt import REGULAR, TarEntry

    if os.geteuid() != 0:
        pytest.skip("changing owners needs root")
    root = fresh_root(tmp_path, factory)
    (root / "etc").mkdir(exist_ok=True)
    (root / "etc/passwd").write_text("root:x:0:0::/root:/bin/sh\napp:x:1234:1234::/home/app:/bin/sh\n")
    (root / "etc/group").write_text("root:x:0:\napp:x:1234:\n")
    members = [(TarEntry("srv/", "5", 0o755), b""),
               (TarEntry("srv/named", REGULAR, 0o640, uid=99, gid=98, size=1, uname="app", gname="app"), b"n"),
               (TarEntry("srv/numeric", REGULAR, 0o640, uid=501, gid=20, size=1, uname="nobody-here", gname="nogroup-here"), b"x")]
    repo = factory.repository("owners", {"owned-1.0-r0.apk": factory.package("owned", members=members)})
    install_names(root, [repo], ["owned"])
    named, numeric = os.lstat(root / "srv/named"), os.lstat(root / "srv/numeric")
    assert (named.st_uid, named.st_gid, named.st_mode & 0o7777) == (1234, 1234, 0o640)
    assert (numeric.st_uid, numeric.st_gid) == (501, 20)
    assert "R:named\na:1234:1234:640\n" in (root / "lib/apk/db/installed").read_text()


def test_xattrs_and_device_nodes(tmp_path, factory):
    from apk_py.tarfmt import CHARDEV, REGULAR, TarEntry

    if os.geteuid() != 0:
        pytest.skip("device nodes need root")
    root = fresh_root(tmp_path, factory)
    members = [(TarEntry("dev/", "5", 0o755), b""),
               (TarEntry("dev/null", CHARDEV, 0o666, devmajor=1, devminor=3), b""),
               (TarEntry("bin/", "5", 0o755), b""),
               (TarEntry("bin/tagged", REGULAR, 0o755, size=2, pax={"SCHILY.xattr.user.pk-test": "yes"}), b"#!")]
    repo = factory.repository("nodes", {"nodes-1.0-r0.apk": factory.package("nodes", members=members)})
    install_names(root, [repo], ["nodes"])
    node = os.lstat(root / "dev/null")
    assert stat.S_ISCHR(node.st_mode) and (os.major(node.st_rdev), os.minor(node.st_rdev)) == (1, 3)
    assert node.st_mode & 0o7777 == 0o666
    try:
        value = os.getxattr(root / "bin/tagged", "user.pk-test")
    except OSError:
        pytest.skip("this file system keeps no user xattrs")
    assert value == b"yes"


def test_triggers_run_for_the_directories_that_changed(tmp_path, factory):
    if os.geteuid() != 0:
        pytest.skip("scripts run with chroot, which needs root")
    from apk_py.tarfmt import REGULAR, TarEntry

    root = fresh_root(tmp_path, factory)
    shell = {path: pathlib.Path(host).read_bytes() for path, host in host_shell_files().items()}
    members = [(TarEntry(path, REGULAR, 0o755, size=len(data)), data) for path, data in sorted(shell.items())]
    trigger = b'#!/bin/sh\nfor dir in "$@"; do echo "$dir" >> /triggered; done\n'
    repo = factory.repository("triggers", {
        "shell-1.0-r0.apk": factory.package("shell", members=members),
        "fontconfig-1.0-r0.apk": factory.package("fontconfig", files={"usr/": None, "usr/share/": None, "usr/share/fonts/": None},
                                                 scripts={".trigger": trigger}, extra_info=[("triggers", "/usr/share/fonts/*")]),
        "font-a-1.0-r0.apk": factory.package("font-a", files={"usr/share/fonts/a/": None, "usr/share/fonts/a/a.ttf": b"a"}),
        "other-1.0-r0.apk": factory.package("other", files={"opt/": None, "opt/other": b"o"}),
    })
    install_names(root, [repo], ["shell", "fontconfig"])
    assert not (root / "triggered").exists()
    install_names(root, [repo], ["other"])
    assert not (root / "triggered").exists()
    install_names(root, [repo], ["font-a"])
    assert (root / "triggered").read_text() == "/usr/share/fonts/a\n"
    assert " /usr/share/fonts/*" in (root / "lib/apk/db/triggers").read_text()
