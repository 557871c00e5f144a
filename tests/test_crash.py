"""kill -9 in the middle of a transaction, then `pk fix`: files and database agree again."""

import base64
import hashlib
import os
import signal
import subprocess
import time

import pytest

from apk_py import installed
from pkgfactory import Factory

PACKAGES = 24
FILES = 40


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    """Two versions of a repository of PACKAGES packages with FILES files each, and a meta package."""
    factory = Factory(tmp_path_factory.mktemp("crash"))
    made = {}
    for version in ("1.0-r0", "2.0-r0"):
        packages = {}
        for number in range(PACKAGES):
            name = f"p{number:02d}"
            files = {f"opt/{name}/": None}
            files.update({f"opt/{name}/f{item:02d}": os.urandom(20000) + version.encode() for item in range(FILES)})
            if version == "1.0-r0":
                files[f"opt/{name}/only-in-v1"] = b"old"
            packages[f"{name}-{version}.apk"] = factory.package(name, version, files)
        meta = factory.package("everything", version, depends=[f"p{number:02d}" for number in range(PACKAGES)])
        packages[f"everything-{version}.apk"] = meta
        made[version] = factory.repository(f"repo-{version}", packages)
    return factory, made


def start(pk_path, root, repo, *args):
    return subprocess.Popen([pk_path, "--root", str(root), "--no-cache", "-X", str(repo), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_when(process, ready) -> bool:
    """SIGKILL as soon as `ready()` holds; True when the process was still running then."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not ready():
        time.sleep(0.0005)
    process.send_signal(signal.SIGKILL)
    return process.wait() == -signal.SIGKILL


def staging(root, package):
    """Temporary files of the transaction have reached this package's directory."""
    directory = root / "opt" / package
    return lambda: directory.is_dir() and any(name.startswith(".pk-tmp.") for name in os.listdir(directory))


def placed(root, package, version=b""):
    """This package's first file is in place (with the given version's content)."""
    path = root / "opt" / package / "f00"

    def ready():
        try:
            return path.read_bytes().endswith(version)
        except OSError:
            return False

    return ready


def assert_consistent(root):
    """Every owned file exists with its recorded checksum; no temporaries; no journal."""
    entries = installed.read(str(root / "lib/apk/db/installed"))
    assert entries
    for pkg, info in entries:
        for directory in info.dirs:
            for record in directory.files:
                path = root / directory.path / record.name
                data = path.read_bytes()
                assert record.checksum == "Q1" + base64.b64encode(hashlib.sha1(data).digest()).decode(), path
    leftovers = [os.path.join(d, n) for d, _, names in os.walk(root) for n in names if n.startswith(".pk-tmp.")]
    assert leftovers == []
    assert not (root / "lib/apk/db/pk-journal").exists()


POINTS = [("staging", "p03"), ("staging", "p20"), ("placed", "p01"), ("placed", "p08"), ("placed", "p15"), ("placed", "p22")]


@pytest.mark.parametrize("phase, package", POINTS)
def test_interrupted_install_is_finished_by_fix(pk_path, repos, tmp_path, phase, package):
    factory, made = repos
    root = tmp_path / "root"
    (root / "lib/apk/db").mkdir(parents=True)
    factory.install_key(root)
    process = start(pk_path, root, made["1.0-r0"], "add", "everything")
    assert kill_when(process, staging(root, package) if phase == "staging" else placed(root, package))
    committed = "\ncommit\n" in (root / "lib/apk/db/pk-journal").read_text()
    assert committed == (phase == "placed")
    blocked = subprocess.run([pk_path, "--root", str(root), "--no-cache", "-X", str(made["1.0-r0"]), "add", "everything"],
                             capture_output=True, text=True)
    if (root / "lib/apk/db/pk-journal").exists():
        assert blocked.returncode != 0 and "run 'pk fix'" in blocked.stderr
    fixed = subprocess.run([pk_path, "--root", str(root), "--no-cache", "-X", str(made["1.0-r0"]), "fix"], capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    if committed:
        assert len(installed.read(str(root / "lib/apk/db/installed"))) == PACKAGES + 1
        assert (root / "etc/apk/world").read_text() == "everything\n"
        assert_consistent(root)
    else:
        assert not [n for d, _, names in os.walk(root) for n in names if n.startswith(".pk-tmp.")]


@pytest.mark.parametrize("package", ["p02", "p12", "p21"])
def test_interrupted_upgrade_is_finished_by_fix(pk_path, repos, tmp_path, package):
    factory, made = repos
    root = tmp_path / "root"
    (root / "lib/apk/db").mkdir(parents=True)
    factory.install_key(root)
    subprocess.run([pk_path, "--root", str(root), "--no-cache", "-X", str(made["1.0-r0"]), "add", "everything"], check=True, capture_output=True)
    process = start(pk_path, root, made["2.0-r0"], "upgrade")
    assert kill_when(process, placed(root, package, b"2.0-r0"))
    fixed = subprocess.run([pk_path, "--root", str(root), "--no-cache", "-X", str(made["2.0-r0"]), "fix"], capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert_consistent(root)
    versions = {pkg.name: pkg.version for pkg, _ in installed.read(str(root / "lib/apk/db/installed"))}
    assert set(versions.values()) == {"2.0-r0"}
    assert not list(root.glob("opt/*/only-in-v1"))
