"""pk update: fresh indexes from local and HTTP repositories, apk's summary and status."""

import os

from apk_py import mkindex
from repo_helpers import Server
from test_cmd_info import out, world  # noqa: F401  (world is a fixture)


def test_local_repositories(world):
    bases = world.bases
    assert out(world.pk("update")) == (
        f" [{bases['main']}]\n [{bases['updates']}]\n [{bases['edge']}]\nOK: 10 distinct packages available\n")
    assert out(world.pk("-q", "update")) == ""


def test_descriptions_and_http(world, tmp_path):
    root = world.copy(tmp_path)
    os.makedirs(os.path.join(root, "etc/apk/cache"))
    arch_dir = os.path.join(world.bases["updates"], "x86_64")
    index = os.path.join(str(tmp_path), "described", "x86_64", "APKINDEX.tar.gz")
    os.makedirs(os.path.dirname(index))
    with open(index, "wb") as handle:
        handle.write(mkindex.build_index([os.path.join(arch_dir, "gamma-1.1-r0.apk")], description="v3.99.1-7-gdeadbeef"))
    mkindex.sign_file(index, world.factory.key)
    os.link(os.path.join(arch_dir, "gamma-1.1-r0.apk"), os.path.join(os.path.dirname(index), "gamma-1.1-r0.apk"))
    with Server(str(tmp_path)) as server:
        with open(os.path.join(root, "etc/apk/repositories"), "w") as handle:
            handle.write(f"{world.bases['main']}\n{server.url}/described\n")
        assert out(world.pk("update", root=root)) == (
            f" [{world.bases['main']}]\nv3.99.1-7-gdeadbeef [{server.url}/described]\nOK: 9 distinct packages available\n")
    cached = [name for name in os.listdir(os.path.join(root, "etc/apk/cache")) if name.startswith("APKINDEX.")]
    assert len(cached) == 1


def test_unavailable_repositories(world, tmp_path):
    root = world.copy(tmp_path)
    missing = str(tmp_path / "gone")
    with open(os.path.join(root, "etc/apk/repositories"), "w") as handle:
        handle.write(f"{world.bases['main']}\nhttp://127.0.0.1:1/gone\n")
    result = world.pk("--repositories-file", os.path.join(root, "etc/apk/repositories"), "-X", missing, "update", root=root)
    # a missing local repository is warned about, only remote ones count as unavailable
    assert result.stdout == f" [{world.bases['main']}]\n1 unavailable, 0 stale; 8 distinct packages available\n"
    assert result.returncode == 1
    assert [line.split(" ", 2)[:2] for line in result.stderr.splitlines()] == [["WARNING:", "opening"], ["WARNING:", "opening"]]
    result = world.pk("-q", "--repositories-file", os.devnull, "-X", missing, "update", root=root)
    assert (result.returncode, result.stdout) == (0, "")


def test_missing_root(world, tmp_path):
    result = world.pk("update", root=tmp_path / "missing")
    assert (result.returncode, result.stderr) == (99, "ERROR: Unable to open root: No such file or directory\n")
