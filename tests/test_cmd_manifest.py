"""pk manifest: checksums of installed files and of the files in package files."""

import hashlib
import os

from support import fixture
from test_cmd_info import out, world  # noqa: F401  (world is a fixture)


def sha1(data: bytes) -> str:
    return "sha1:" + hashlib.sha1(data).hexdigest()


ALPHA_CONF, ALPHA, LIBBETA = sha1(b"a=1\n"), sha1(b"alpha\n"), sha1(b"beta\n")
GAMMA_1, GAMMA_1_1 = sha1(b"gamma 1\n"), sha1(b"gamma 1.1\n")


def test_installed_packages(world):
    assert out(world.pk("manifest", "libbeta", "alpha")) == (
        f"{ALPHA_CONF}  etc/alpha.conf\n"
        f"{ALPHA}  usr/bin/alpha\n"
        f"{LIBBETA}  usr/lib/libbeta.so.1\n")
    assert out(world.pk("-v", "manifest", "gamma", "delta", "so:libbeta.so.1")) == (
        f"gamma: {GAMMA_1}  usr/bin/gamma\n")
    assert out(world.pk("manifest")) == ""


def test_package_files(world):
    path = os.path.join(world.bases["updates"], "x86_64", "gamma-1.1-r0.apk")
    assert out(world.pk("manifest", path)) == f"{GAMMA_1_1}  usr/bin/gamma\n"
    assert out(world.pk("-v", "manifest", path)) == f"{path}: {GAMMA_1_1}  usr/bin/gamma\n"


def test_real_melange_package(world):
    path = str(fixture("melange/x86_64/replayout-1.0.0-r0.apk"))
    result = world.pk("manifest", path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"ERROR: {path}: UNTRUSTED signature\n"
    assert out(world.pk("--allow-untrusted", "manifest", path)) == (
        "sha1:ca5e527bbb8a5cc9c4c2d2b4e29618d8ca3be5f8  etc/os-release\n"
        "sha1:e96777756f6f4231dc64abfb5a3e499e69b76b6d  var/lib/db/sbom/replayout-1.0.0-r0.spdx.json\n")


def test_errors(world, tmp_path):
    # apk reports an unreadable file and carries on: the exit status stays 0
    result = world.pk("manifest", "nosuch", "gamma")
    assert result.stdout == f"{GAMMA_1}  usr/bin/gamma\n"
    assert (result.returncode, result.stderr) == (0, "ERROR: nosuch: No such file or directory\n")
    junk = tmp_path / "junk.apk"
    junk.write_bytes(b"not a package")
    result = world.pk("manifest", str(junk))
    assert result.returncode == 0 and result.stderr.startswith(f"ERROR: {junk}: ") and result.stderr.count("\n") == 1
    result = world.pk("manifest", "gamma", root=tmp_path / "missing")
    assert (result.returncode, result.stderr) == (99, "ERROR: Unable to open root: No such file or directory\n")
