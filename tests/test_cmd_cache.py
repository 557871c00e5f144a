"""pk cache: download the world's packages from an HTTP repository into the cache, and
clean out what the cache no longer needs."""

import os

import pytest

from repo_helpers import Server
from test_cmd_info import out, world  # noqa: F401  (world is a fixture)


@pytest.fixture
def cached(world, tmp_path):
    """A copy of the root with a cache directory, reading main and updates over HTTP."""
    root = world.copy(tmp_path)
    os.makedirs(os.path.join(root, "etc/apk/cache"))
    with Server(os.path.dirname(world.bases["main"])) as server:
        with open(os.path.join(root, "etc/apk/repositories"), "w") as handle:
            handle.write(f"{server.url}/main\n{server.url}/updates\n")
        yield root


def cache_files(root):
    return sorted(name for name in os.listdir(os.path.join(root, "etc/apk/cache")) if not name.startswith("APKINDEX."))


def test_download_the_world(world, cached):
    # docs and indexer install nothing (size 0) and orphan is in no repository: not fetched
    assert out(world.pk("cache", "download", root=cached)) == (
        "Downloading 4 packages...\n"
        "(1/4) Downloading libbeta-2.0-r1\n"
        "(2/4) Downloading alpha-1.0-r0\n"
        "(3/4) Downloading alpha-doc-1.0-r0\n"
        "(4/4) Downloading gamma-1.0-r0\n")
    names = cache_files(cached)
    assert [name.rsplit(".", 2)[0] for name in names] == ["alpha-1.0-r0", "alpha-doc-1.0-r0", "gamma-1.0-r0", "libbeta-2.0-r1"]
    assert all(len(name.rsplit(".", 2)[1]) == 8 for name in names)
    assert out(world.pk("cache", "download", root=cached)) == ""
    assert out(world.pk("cache", "-u", "download", root=cached)) == (
        "Downloading 1 packages...\n(1/1) Downloading gamma-1.1-r0\n")
    assert out(world.pk("cache", "--add-dependencies", "download", "delta", root=cached)) == (
        "Downloading 1 packages...\n(1/1) Downloading delta-3.1-r0\n")
    assert out(world.pk("-s", "cache", "download", "delta", root=cached)) == ""


def test_clean_purge_and_sync(world, cached):
    world.pk("cache", "-u", "download", root=cached, check=True)
    junk = os.path.join(cached, "etc/apk/cache/leftover.part")
    open(junk, "w").close()
    with open(os.path.join(cached, "etc/apk/repositories")) as handle:
        main = handle.readline()
    with open(os.path.join(cached, "etc/apk/repositories"), "w") as handle:
        handle.write(main)
    # gamma-1.1 is neither installed nor offered any more; the updates index is stale
    result = world.pk("-v", "cache", "clean", root=cached)
    deleted = [line.split(" ", 1)[1] for line in out(result).splitlines()]
    assert len(deleted) == 3 and deleted[2] == "leftover.part"
    assert deleted[0].startswith("APKINDEX.") and deleted[1].startswith("gamma-1.1-r0.")
    assert [name.rsplit(".", 2)[0] for name in cache_files(cached)] == ["alpha-1.0-r0", "alpha-doc-1.0-r0", "libbeta-2.0-r1"]
    assert out(world.pk("cache", "purge", root=cached)) == ""
    assert cache_files(cached) == []
    assert out(world.pk("cache", "sync", root=cached)).startswith("Downloading 4 packages...\n")
    assert len(cache_files(cached)) == 4


def test_without_a_cache_directory(world, tmp_path):
    root = world.copy(tmp_path)
    assert out(world.pk("cache", "sync", root=root)) == ""


@pytest.mark.parametrize("args, message", [
    ([], "ERROR: no cache action given: use one of sync, clean, purge, download\n"),
    (["refresh"], "ERROR: 'refresh' is not a cache action: use one of sync, clean, purge, download\n"),
])
def test_errors(world, args, message):
    result = world.pk("cache", *args)
    assert (result.returncode, result.stdout, result.stderr) == (250, "", message)


def test_bad_dependency(world, cached):
    result = world.pk("cache", "download", "gamma>=", root=cached)
    assert (result.returncode, result.stdout, result.stderr) == (250, "", "ERROR: bad dependency: gamma>=\n")
