"""pk info against a root pk installed from signed repositories, and a real Wolfi database.

The `world` fixture here is shared by the other query command tests (list, search,
version, stats, fetch, manifest, audit): a root with seven installed packages, from a
main repository, an untagged updates repository, an @edge repository and a repository
that is gone afterwards (so `orphan` is orphaned).
"""

import os
import shutil
import subprocess

import pytest

from support import fixture
from pkgfactory import Factory

ARCH = "x86_64"


def _package(factory, name, version, files=None, info=(), **extra):
    return f"{name}-{version}.apk", factory.package(name, version, files=files or {}, extra_info=info, **extra)


def _tree(*paths, **files):
    """Directory entries for every parent of the given paths, plus the files."""
    entries = {}
    for path in list(paths) + list(files):
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            entries["/".join(parts[:depth]) + "/"] = None
    return entries


def run_pk(pk_path, root, *args, check=False, binary=False):
    """Run `pk --root ROOT ARGS` and return the completed process."""
    result = subprocess.run([pk_path, "--root", str(root), *args], capture_output=True, text=not binary, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"pk {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


class World:
    """Repositories built with pk's library and a root installed from them with the pk CLI."""

    def __init__(self, directory, pk_path):
        self.pk_path = pk_path
        factory = self.factory = Factory(os.path.join(directory, "factory"))
        alpha_files = {"usr/bin/alpha": b"alpha\n", "etc/alpha.conf": b"a=1\n"}
        doc_files = {"usr/share/doc/alpha/README": b"read me\n"}
        main = dict([
            _package(factory, "alpha", "1.0-r0", {**_tree(*alpha_files), **alpha_files},
                     [("pkgdesc", "Alpha tool"), ("url", "https://example.org/alpha"), ("origin", "alpha")],
                     depends=["so:libbeta.so.1"]),
            _package(factory, "libbeta", "2.0-r1", {"usr/": None, "usr/lib/": None, "usr/lib/libbeta.so.1": b"beta\n"},
                     [("pkgdesc", "Beta library"), ("origin", "beta")], provides=["so:libbeta.so.1=2.0"]),
            _package(factory, "docs", "1-r0", {}, [("pkgdesc", "Documentation meta package")]),
            _package(factory, "alpha-doc", "1.0-r0", {**_tree(*doc_files), **doc_files},
                     [("pkgdesc", "Alpha tool (documentation)"), ("origin", "alpha"), ("install_if", "alpha docs")]),
            _package(factory, "gamma", "1.0-r0", {"usr/": None, "usr/bin/": None, "usr/bin/gamma": b"gamma 1\n"},
                     [("pkgdesc", "Gamma")]),
            _package(factory, "delta", "3.1-r0", {"usr/": None, "usr/bin/": None, "usr/bin/delta": b"delta\n"},
                     [("pkgdesc", "Delta shell helper")], depends=["alpha"], replaces=["gamma"]),
            _package(factory, "indexer", "0.5-r0", {"usr/": None, "usr/share/": None, "usr/share/doc/": None},
                     [("pkgdesc", "Rebuilds the documentation index"), ("triggers", "/usr/share/doc/*")],
                     scripts={".trigger": b"#!/bin/sh\nexit 0\n"}),
        ])
        updates = dict([_package(factory, "gamma", "1.1-r0", {"usr/": None, "usr/bin/": None, "usr/bin/gamma": b"gamma 1.1\n"},
                                 [("pkgdesc", "Gamma")])])
        edge = dict([_package(factory, "alpha", "2.0-r0", {"usr/": None, "usr/bin/": None, "usr/bin/alpha": b"alpha 2\n"},
                              [("pkgdesc", "Alpha tool"), ("origin", "alpha")], depends=["so:libbeta.so.1"])])
        extra = dict([_package(factory, "orphan", "0.1-r0", {"opt/": None, "opt/orphan": b"o\n"},
                               [("pkgdesc", "Installed from a repository that is gone")])])
        self.packages = {"main": main, "updates": updates, "edge": edge, "extra": extra}
        self.bases = {name: factory.repository(name, packages) for name, packages in self.packages.items()}
        self.root = os.path.join(directory, "root")
        os.makedirs(self.root)
        factory.install_key(self.root)
        self.pk("--initdb", "--arch", ARCH, "--no-scripts", "-X", self.bases["main"], "-X", self.bases["extra"],
                "add", "alpha", "docs", "gamma", "orphan", "indexer", check=True)
        with open(os.path.join(self.root, "etc/apk/repositories"), "w") as handle:
            handle.write(f"{self.bases['main']}\n{self.bases['updates']}\n@edge {self.bases['edge']}\n")
        with open(os.path.join(self.root, "etc/apk/arch"), "w") as handle:
            handle.write(ARCH + "\n")

    def pk(self, *args, root=None, check=False, binary=False):
        """Run `pk --root ROOT ARGS` (ROOT: this world's unless given)."""
        return run_pk(self.pk_path, root or self.root, *args, check=check, binary=binary)

    def copy(self, destination) -> str:
        """A private copy of the root, for tests that change it."""
        target = os.path.join(str(destination), "root")
        shutil.copytree(self.root, target, symlinks=True)
        return target


@pytest.fixture(scope="session")
def world(tmp_path_factory, pk_path):
    return World(str(tmp_path_factory.mktemp("world")), pk_path)


def out(result, status=0):
    """stdout of a pk run that must have printed nothing on stderr and exited with `status`."""
    assert (result.returncode, result.stderr) == (status, ""), result.stderr
    return result.stdout


INSTALLED = ["alpha", "alpha-doc", "docs", "gamma", "indexer", "libbeta", "orphan"]
VERSIONS = {"alpha": "1.0-r0", "alpha-doc": "1.0-r0", "docs": "1-r0", "gamma": "1.0-r0", "indexer": "0.5-r0",
            "libbeta": "2.0-r1", "orphan": "0.1-r0"}


def test_without_arguments_lists_installed_names(world):
    assert out(world.pk("info")) == "".join(f"{name}\n" for name in INSTALLED)
    assert out(world.pk("-q", "info")) == "".join(f"{name}\n" for name in INSTALLED)
    assert out(world.pk("-v", "info")) == "".join(f"{name}-{VERSIONS[name]}\n" for name in INSTALLED)
    assert out(world.pk("-vv", "info")).splitlines()[:2] == ["alpha-1.0-r0 - Alpha tool",
                                                            "alpha-doc-1.0-r0 - Alpha tool (documentation)"]


def test_default_view_covers_installed_and_available_versions(world):
    assert out(world.pk("info", "alpha")) == (
        "alpha-1.0-r0 description:\nAlpha tool\n\n"
        "alpha-1.0-r0 webpage:\nhttps://example.org/alpha\n\n"
        "alpha-1.0-r0 installed size:\n10 B\n\n"
        "alpha-2.0-r0 description:\nAlpha tool\n\n"
        "alpha-2.0-r0 webpage:\n\n\n"
        "alpha-2.0-r0 installed size:\n8 B\n\n")


@pytest.mark.parametrize("args, expected", [
    (["-d", "gamma=1.0-r0"], "gamma-1.0-r0 description:\nGamma\n\n"),
    (["-w", "alpha<2"], "alpha-1.0-r0 webpage:\nhttps://example.org/alpha\n\n"),
    (["--size", "libbeta"], "libbeta-2.0-r1 installed size:\n5 B\n\n"),
    (["-R", "alpha<2"], "alpha-1.0-r0 depends on:\nso:libbeta.so.1\n\n"),
    (["-P", "libbeta"], "libbeta-2.0-r1 provides:\nso:libbeta.so.1=2.0\n\n"),
    (["-r", "libbeta"], "libbeta-2.0-r1 is required by:\nalpha-1.0-r0\n\n"),
    (["-L", "alpha<2"], "alpha-1.0-r0 contains:\netc/alpha.conf\nusr/bin/alpha\n\n"),
    (["-t", "indexer"], "indexer-0.5-r0 triggers:\n/usr/share/doc/*\n\n"),
    (["--install-if", "alpha-doc"], "alpha-doc-1.0-r0 has auto-install rule:\nalpha\ndocs\n\n"),
    (["--rinstall-if", "docs"], "docs-1-r0 affects auto-installation of:\nalpha-doc-1.0-r0\n\n"),
    (["--license", "docs"], "docs-1-r0 license:\nMIT\n\n"),
    (["-d", "so:libbeta.so.1"], "libbeta-2.0-r1 description:\nBeta library\n\n"),
])
def test_each_field(world, args, expected):
    assert out(world.pk("info", *args)) == expected


def test_fields_of_packages_that_are_not_installed(world):
    # delta is only available: the fields that need the installed database are left out.
    assert out(world.pk("info", "-R", "-r", "-L", "--replaces", "delta")) == "delta-3.1-r0 depends on:\nalpha\n\n"


def test_verbose_and_quiet_layouts(world):
    assert out(world.pk("-v", "info", "-d", "--size", "-R", "-r", "-L", "libbeta", "alpha<2")) == (
        "alpha: Alpha tool\nalpha: 10 B\nalpha: so:libbeta.so.1 \nalpha: \n"
        "alpha: etc/alpha.conf\nalpha: usr/bin/alpha\n\n"
        "libbeta: Beta library\nlibbeta: 5 B\nlibbeta: \nlibbeta: alpha-1.0-r0 \nlibbeta: usr/lib/libbeta.so.1\n\n")
    assert out(world.pk("-v", "info", "-t", "indexer")) == "indexer: trigger /usr/share/doc/*\n\n"
    assert out(world.pk("-q", "info", "-R", "-L", "alpha<2")) == "so:libbeta.so.1\n\netc/alpha.conf\nusr/bin/alpha\n\n"


def test_all_fields(world):
    assert out(world.pk("info", "-a", "gamma<1.1")) == (
        "gamma-1.0-r0 description:\nGamma\n\n"
        "gamma-1.0-r0 webpage:\n\n\n"
        "gamma-1.0-r0 installed size:\n8 B\n\n"
        "gamma-1.0-r0 depends on:\n\n"
        "gamma-1.0-r0 provides:\n\n"
        "gamma-1.0-r0 is required by:\n\n"
        "gamma-1.0-r0 contains:\nusr/bin/gamma\n\n"
        "gamma-1.0-r0 triggers:\n\n"
        "gamma-1.0-r0 has auto-install rule:\n\n"
        "gamma-1.0-r0 affects auto-installation of:\n\n"
        "gamma-1.0-r0 replaces:\n\n"
        "gamma-1.0-r0 license:\nMIT\n\n")
    # apk answers 1 when --all met a package it could only show partly (not installed)
    result = world.pk("info", "-a", "delta")
    assert result.returncode == 1 and "delta-3.1-r0 replaces" not in result.stdout
    assert "delta-3.1-r0 license:\nMIT\n\n" in result.stdout


def test_unknown_packages_count_in_the_exit_status(world):
    assert out(world.pk("info", "nosuch"), 1) == ""
    assert out(world.pk("info", "nosuch", "gamma>5", "docs"), 2).startswith("docs-1-r0 description:\n")
    assert out(world.pk("info", "no*")) == ""


def test_exists(world):
    assert out(world.pk("info", "-e", "alpha", "nosuch", "gamma>1.0-r0", "gamma<2", "so:libbeta.so.1", "!orphan"), 3) == (
        "alpha\ngamma\nlibbeta\n")
    assert out(world.pk("-v", "info", "--installed", "alpha")) == "alpha-1.0-r0\n"
    assert out(world.pk("-q", "info", "-e", "alpha")) == ""


def test_who_owns(world, tmp_path):
    root = world.copy(tmp_path)
    os.symlink("/usr/bin/alpha", os.path.join(root, "usr/bin/a-link"))
    result = world.pk("info", "-W", "/usr/bin/alpha", "/usr/share/doc/alpha/", "/usr/bin/a-link", "/etc/nothing", root=root)
    assert result.stdout == ("/usr/bin/alpha is owned by alpha-1.0-r0\n"
                             "/usr/share/doc/alpha/ is owned by alpha-doc-1.0-r0\n"
                             "/usr/bin/a-link symlink target is owned by alpha-1.0-r0\n")
    assert (result.returncode, result.stderr) == (1, "ERROR: /etc/nothing: Could not find owner package\n")
    assert out(world.pk("-q", "info", "-W", "/usr/lib/libbeta.so.1", "/etc/alpha.conf", "/usr/bin/alpha", root=root)) == (
        "alpha\nlibbeta\n")


def test_real_wolfi_database(pk_path, tmp_path):
    root = tmp_path / "root"
    (root / "lib/apk/db").mkdir(parents=True)
    shutil.copy(fixture("installed-db/wolfi-base.installed"), root / "lib/apk/db/installed")
    (root / "etc/apk").mkdir(parents=True)
    (root / "etc/apk/arch").write_text("x86_64\n")

    def run(*args):
        return run_pk(pk_path, root, *args)

    assert out(run("info", "-r", "glibc")) == (
        "glibc-2.41-r55 is required by:\nld-linux-2.41-r55\nlibcrypt1-2.41-r55\nbusybox-1.37.0-r47\nzlib-1.3.1-r51\n"
        "libcrypto3-3.5.1-r1\napk-tools-2.14.10-r6\nlibgcc-15.1.0-r3\nlibssl3-3.5.1-r1\n\n")
    assert out(run("-v", "info", "-R", "busybox")) == (
        "busybox: merged-bin merged-sbin merged-usrsbin so:ld-linux-x86-64.so.2 so:libc.so.6 so:libcrypt.so.1 "
        "so:libm.so.6 wolfi-baselayout \n")
    assert out(run("info")).split() == [
        "apk-tools", "busybox", "ca-certificates-bundle", "glibc", "glibc-locale-posix", "ld-linux", "libcrypt1",
        "libcrypto3", "libgcc", "libssl3", "libxcrypt", "wolfi-base", "wolfi-baselayout", "wolfi-keys", "zlib"]


def test_replaces_of_real_melange_packages(pk_path, tmp_path):
    root = tmp_path / "root"
    (root / "etc/apk/keys").mkdir(parents=True)
    shutil.copy(fixture("melange/melange.rsa.pub"), root / "etc/apk/keys")
    run_pk(pk_path, root, "--initdb", "--arch", "x86_64", "--no-cache", "-X", fixture("melange"), "add", "replayout", check=True)
    assert out(run_pk(pk_path, root, "info", "--replaces", "-R", "replayout")) == (
        "replayout-1.0.0-r0 depends on:\npretend-baselayout\n\nreplayout-1.0.0-r0 replaces:\npretend-baselayout\n\n")


def test_errors(world, tmp_path):
    result = world.pk("info", "alpha", root=tmp_path / "missing")
    assert (result.returncode, result.stdout, result.stderr) == (99, "", "ERROR: Unable to open root: No such file or directory\n")
    result = world.pk("info", "--bogus")
    assert (result.returncode, result.stderr) == (1, "ERROR: unrecognized option '--bogus'\n")
