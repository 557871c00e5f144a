"""The real alpine-baselayout (aarch64) installs with pk-built stand-ins for its dependencies,
its scripts run in the root, and what lands matches the package's own manifest."""

import hashlib
import os
import shutil
import tarfile

import pytest

from apk_py import apkfile
from support import fixture, host_shell_files
from repo_helpers import make_key, make_repository, mkpkg, run_pk

PACKAGE = "alpine/packages/alpine-baselayout-3.2.0-r23.apk"
ALPINE_KEY = "alpine/keys/alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub"


def shell_tree(tree):
    """The host's /bin/sh stand-in, laid out under `tree`."""
    for path, host in host_shell_files().items():
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(host, target)


@pytest.fixture(scope="module")
def installed_root(tmp_path_factory, pk_path):
    if os.geteuid() != 0:
        pytest.skip("package scripts run with chroot, which needs root")
    work = tmp_path_factory.mktemp("baselayout")
    key = make_key(work / "keys")
    repo = work / "repo" / "aarch64"
    repo.mkdir(parents=True)
    shell = work / "shell"
    shell_tree(shell)
    outputs = [repo / "alpine-baselayout-data-3.2.0-r23.apk", repo / "host-sh-1.0-r0.apk", repo / "musl-standin-1.2.3-r0.apk"]
    mkpkg(pk_path, outputs[0], key, {"name": "alpine-baselayout-data", "version": "3.2.0-r23", "arch": "aarch64"})
    mkpkg(pk_path, outputs[1], key, {"name": "host-sh", "version": "1.0-r0", "arch": "aarch64", "provides": "/bin/sh", "provider-priority": "100"}, shell)
    mkpkg(pk_path, outputs[2], key, {"name": "musl-standin", "version": "1.2.3-r0", "arch": "aarch64",
                                     "provides": "so:libc.musl-aarch64.so.1=1"})
    real = repo / os.path.basename(PACKAGE)
    shutil.copy(fixture(PACKAGE), real)
    make_repository(pk_path, repo, key, outputs + [real])
    root = work / "root"
    (root / "etc/apk/keys").mkdir(parents=True)
    shutil.copy(key + ".pub", root / "etc/apk/keys")
    shutil.copy(fixture(ALPINE_KEY), root / "etc/apk/keys")
    result = run_pk(pk_path, "--root", str(root), "--initdb", "--arch", "aarch64", "--no-cache", "-X", str(repo.parent),
                    "add", "alpine-baselayout")
    return root, result


def test_dependencies_are_satisfied_by_the_stand_ins(installed_root):
    root, result = installed_root
    for name in ("alpine-baselayout-data", "host-sh", "musl-standin", "alpine-baselayout"):
        assert f"Installing {name} (" in result.stdout
    assert "Executing alpine-baselayout-3.2.0-r23.pre-install" in result.stdout
    assert "Executing alpine-baselayout-3.2.0-r23.post-install" in result.stdout
    assert result.stdout.rstrip().endswith("in 4 packages")
    assert (root / "etc/apk/arch").read_text() == "aarch64\n"


def test_files_match_the_package_manifest(installed_root):
    root, _ = installed_root
    with apkfile.ApkFile.open(str(fixture(PACKAGE))) as package:
        checked = 0
        for entry, reader in package.entries():
            path = root / entry.name.rstrip("/")
            info = os.lstat(path)
            if entry.is_dir:
                assert os.path.isdir(path), entry.name
                assert info.st_mode & 0o7777 == entry.mode, entry.name
            elif entry.type == "2":
                assert os.readlink(path) == entry.linkname, entry.name
            else:
                assert hashlib.sha1(path.read_bytes()).hexdigest() == entry.pax[apkfile.CHECKSUM_KEY], entry.name
                assert info.st_mode & 0o7777 == entry.mode, entry.name
            checked += 1
    assert checked == 83


def test_scripts_are_kept_in_the_database(installed_root):
    root, _ = installed_root
    with apkfile.ApkFile.open(str(fixture(PACKAGE))) as package:
        scripts = package.scripts()
        identity = package.checksum
    with tarfile.open(root / "lib/apk/db/scripts.tar") as stored:
        kept = {member.name: stored.extractfile(member).read() for member in stored.getmembers()}
    for name, body in scripts.items():
        assert kept[f"alpine-baselayout-3.2.0-r23.{identity}{name}"] == body
    db = (root / "lib/apk/db/installed").read_text()
    assert "P:alpine-baselayout\nV:3.2.0-r23\nA:aarch64\n" in db
    assert "R:mkmntdirs\n" in db
