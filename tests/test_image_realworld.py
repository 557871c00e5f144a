"""pk image on real-world packages: melange-built fixtures (checked against apk-tools' own result) and Alpine's index."""

import hashlib
import os
import stat

from apk_py import index, trust
from support import fixture
from image_helpers import layer_members, read_json, run

MELANGE_WORLD = ["custom-ca-certs-1", "custom-ca-certs-2", "pretend-baselayout", "replayout"]


def test_melange_image_matches_what_apk_tools_installs(pk_path, tmp_path):
    """The layer holds the tree and installed database apk-tools leaves for the same packages."""
    repo = fixture("melange", "x86_64").parent
    config = tmp_path / "melange.yaml"
    config.write_text("contents:\n  repositories: [%s]\n  keyring: [%s]\n  packages:\n%s" % (
        repo, fixture("melange", "melange.rsa.pub"), "".join(f"    - {name}\n" for name in MELANGE_WORLD)))
    run([pk_path, "image", "build", config, "--output", tmp_path / "image"])
    members = layer_members(tmp_path / "image")
    assert members["lib/apk/db/installed"][1].decode() == fixture("expected", "melange-x86_64.installed").read_text()
    assert members["etc/apk/world"][1].decode() == fixture("expected", "melange-x86_64.world").read_text()
    for line in fixture("expected", "melange-x86_64.sha256").read_text().splitlines():
        digest, path = line.split()
        assert hashlib.sha256(members[path[2:]][1]).hexdigest() == digest, path
    for line in fixture("expected", "melange-x86_64.tree").read_text().splitlines():
        mode, owner, path = line.split()[:3]
        if path in (".", "./var/log"):
            continue  # the root itself, and the directory of apk-tools' own log, which images do not carry
        info = members[path[2:]][0]
        kind = stat.S_IFDIR if info.isdir() else stat.S_IFLNK if info.issym() else stat.S_IFREG
        assert stat.filemode(kind | info.mode) == mode, path
        assert str(info.uid) == owner.split(":")[0].replace("root", "0"), path


def test_lock_of_alpine_base_from_the_real_alpine_index(pk_path, tmp_path):
    """apko's classic config (alpine-base from v3.16/main) resolves to Alpine's own packages and identities."""
    source = fixture("alpine", "v3.16", "main", "x86_64", "APKINDEX.tar.gz")
    keys = fixture("alpine", "keys")
    repository = tmp_path / "alpine" / "x86_64"
    repository.mkdir(parents=True)
    os.symlink(source, repository / "APKINDEX.tar.gz")
    config = tmp_path / "alpine.yaml"
    keyring = "".join(f"    - {keys / name}\n" for name in sorted(os.listdir(keys)))
    config.write_text(f"contents:\n  repositories: [{repository.parent}]\n  keyring:\n{keyring}  packages: [alpine-base]\n"
                      "archs: [x86_64]\nentrypoint:\n  command: /bin/sh -l\n")
    run([pk_path, "image", "lock", config])
    locked = read_json(tmp_path / "alpine.lock.json")["contents"]["packages"]
    by_name = {entry["name"]: entry for entry in locked}
    assert {"alpine-base", "alpine-baselayout", "busybox", "musl", "apk-tools", "alpine-keys"} <= set(by_name)
    order = [entry["name"] for entry in locked]
    assert order.index("musl") < order.index("busybox") < order.index("alpine-base")
    real = {pkg.name: pkg for pkg in index.read(str(source), trust.load_keys(str(keys))).packages}
    for entry in locked:
        assert (entry["version"], entry["checksum"]) == (real[entry["name"]].version, real[entry["name"]].checksum)
        assert entry["url"].endswith(f"/x86_64/{entry['name']}-{entry['version']}.apk")
