"""End to end: packages built and traced by pk from musl binaries, served over HTTP,
installed into a fresh root, and run there."""

import os
import shutil
import subprocess

import pytest

from apk_py import apkfile
from support import fixture
from repo_helpers import Server, make_key, make_repository, mkpkg, run_pk

pytestmark = pytest.mark.skipif(shutil.which("musl-gcc") is None, reason="needs musl-gcc (Debian's musl-tools)")

GREET_C = r'''
#include <stdio.h>
void greet(const char *who) { printf("hello, %s, from libgreet\n", who); }
'''
HELLO_C = r'''
void greet(const char *who);
int main(void) { greet("musl"); return 0; }
'''
MUSL_LIBC = "/lib/x86_64-linux-musl/libc.so"


def pkginfo(path):
    with apkfile.ApkFile.open(str(path)) as package:
        return package.control[".PKGINFO"].decode()


@pytest.fixture(scope="module")
def musl_repo(tmp_path_factory, pk_path):
    work = tmp_path_factory.mktemp("musl")
    src = work / "src"
    src.mkdir()
    (src / "greet.c").write_text(GREET_C)
    (src / "hello.c").write_text(HELLO_C)
    lib_tree, hello_tree, runtime_tree = work / "libgreet", work / "hello", work / "runtime"
    (lib_tree / "usr/lib").mkdir(parents=True)
    (hello_tree / "usr/bin").mkdir(parents=True)
    (runtime_tree / "lib").mkdir(parents=True)
    library = lib_tree / "usr/lib/libgreet.so.1.0.0"
    subprocess.run(["musl-gcc", "-shared", "-fPIC", "-Wl,-soname,libgreet.so.1", "-o", str(library), str(src / "greet.c")], check=True)
    os.symlink("libgreet.so.1.0.0", lib_tree / "usr/lib/libgreet.so.1")
    subprocess.run(["musl-gcc", "-o", str(hello_tree / "usr/bin/hello"), str(src / "hello.c"), f"-L{lib_tree / 'usr/lib'}", "-l:libgreet.so.1"], check=True)
    shutil.copy(MUSL_LIBC, runtime_tree / "lib/libc.so")
    os.symlink("libc.so", runtime_tree / "lib/ld-musl-x86_64.so.1")

    key = make_key(work / "keys")
    repo = work / "repo" / "x86_64"
    repo.mkdir(parents=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    outputs = {
        "libgreet": repo / "libgreet-1.0.0-r0.apk",
        "hello": repo / "hello-1.0-r0.apk",
        "musl-runtime": repo / "musl-runtime-1.2.3-r0.apk",
    }
    common = {"arch": "x86_64", "license": "MIT"}
    mkpkg(pk_path, outputs["libgreet"], key, {"name": "libgreet", "version": "1.0.0-r0", **common}, lib_tree, env=env)
    mkpkg(pk_path, outputs["hello"], key, {"name": "hello", "version": "1.0-r0", **common}, hello_tree, env=env)
    mkpkg(pk_path, outputs["musl-runtime"], key, {"name": "musl-runtime", "version": "1.2.3-r0", **common}, runtime_tree, env=env)
    make_repository(pk_path, repo, key, list(outputs.values()))
    return {"work": work, "key": key, "repo": repo.parent, "outputs": outputs, "trees": (lib_tree, hello_tree, runtime_tree), "env": env}


def test_tracing_finds_sonames_needed_libraries_and_commands(musl_repo):
    outputs = musl_repo["outputs"]
    assert "provides = so:libgreet.so.1=1.0.0\n" in pkginfo(outputs["libgreet"])
    hello = pkginfo(outputs["hello"])
    assert "depend = so:libgreet.so.1\n" in hello
    assert "depend = so:libc.so\n" in hello
    assert "provides = cmd:hello=1.0-r0\n" in hello
    assert "provides = so:libc.so=0\n" in pkginfo(outputs["musl-runtime"])


def test_packages_are_reproducible_and_verify(musl_repo, pk_path, tmp_path):
    again = tmp_path / "hello.apk"
    mkpkg(pk_path, again, musl_repo["key"], {"name": "hello", "version": "1.0-r0", "arch": "x86_64", "license": "MIT"},
          musl_repo["trees"][1], env=musl_repo["env"])
    assert again.read_bytes() == musl_repo["outputs"]["hello"].read_bytes()
    keys = os.path.dirname(musl_repo["key"])
    result = run_pk(pk_path, "verify", "--keys-dir", keys, *[str(p) for p in musl_repo["outputs"].values()],
                    str(musl_repo["repo"] / "x86_64/APKINDEX.tar.gz"))
    assert result.stdout.count(": OK\n") == 4


def test_index_is_reproducible(musl_repo, pk_path, tmp_path):
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    packages = [str(p) for p in musl_repo["outputs"].values()]
    for output in (first, second):
        run_pk(pk_path, "index", "-o", str(output), *packages, env=musl_repo["env"])
    assert first.read_bytes() == second.read_bytes()


def test_install_over_http_and_run_in_chroot(musl_repo, pk_path, tmp_path):
    root = tmp_path / "root"
    (root / "etc/apk/keys").mkdir(parents=True)
    shutil.copy(musl_repo["key"] + ".pub", root / "etc/apk/keys")
    with Server(musl_repo["repo"]) as server:
        result = run_pk(pk_path, "--root", str(root), "--initdb", "-X", server.url, "add", "--no-cache", "hello")
    assert "Installing hello (1.0-r0)" in result.stdout
    assert "Installing libgreet (1.0.0-r0)" in result.stdout
    assert "Installing musl-runtime (1.2.3-r0)" in result.stdout
    assert result.stdout.rstrip().endswith("in 3 packages")
    ran = subprocess.run(["chroot", str(root), "/usr/bin/hello"], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "hello, musl, from libgreet\n"
    world = (root / "etc/apk/world").read_text()
    assert world == "hello\n"
