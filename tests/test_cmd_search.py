"""pk search: substring and exact matches over what the repositories offer."""

import pytest

from support import fixture
from test_cmd_info import out, run_pk, world  # noqa: F401  (world is a fixture)


@pytest.mark.parametrize("args, expected", [
    # substrings of names and provided names; the best (highest) version of each name
    (["a"], "alpha-2.0-r0\nalpha-doc-1.0-r0\ndelta-3.1-r0\ngamma-1.1-r0\nlibbeta-2.0-r1\n"),
    (["LIBBETA.SO"], "libbeta-2.0-r1\n"),
    (["-a", "gamma"], "gamma-1.0-r0\ngamma-1.1-r0\n"),
    (["-e", "alpha"], "alpha-2.0-r0\n"),
    (["-x", "so:libbeta.so.1"], "libbeta-2.0-r1\n"),
    (["-e", "alpha<2"], "alpha-1.0-r0\n"),
    (["-e", "alp*"], "alpha-2.0-r0\nalpha-doc-1.0-r0\n"),
    (["-d", "helper"], "delta-3.1-r0\n"),
    (["--has-origin", "alpha"], "alpha-1.0-r0\nalpha-2.0-r0\nalpha-doc-1.0-r0\n"),
    (["-o", "doc"], "alpha-1.0-r0\ndocs-1-r0\n"),
    (["orphan"], ""),  # only installed, from a repository that is gone
])
def test_matches(world, args, expected):
    assert out(world.pk("search", *args)) == expected


def test_without_patterns_every_package(world):
    assert out(world.pk("-q", "search")) == "alpha\nalpha\nalpha-doc\ndelta\ndocs\ngamma\ngamma\nindexer\nlibbeta\n"


def test_verbosity(world):
    assert out(world.pk("-q", "search", "gam")) == "gamma\n"
    assert out(world.pk("-v", "search", "-d", "documentation")) == (
        "alpha-doc-1.0-r0 - Alpha tool (documentation)\ndocs-1-r0 - Documentation meta package\n"
        "indexer-0.5-r0 - Rebuilds the documentation index\n")


def test_reverse_dependencies(world):
    assert out(world.pk("search", "-r", "-e", "alpha", "libbeta")) == (
        "alpha-2.0-r0 is required by:\ndelta-3.1-r0\nlibbeta-2.0-r1 is required by:\nalpha-1.0-r0\nalpha-2.0-r0\n")
    assert out(world.pk("-q", "search", "-r", "-e", "alpha", "libbeta")) == "delta\nalpha\nalpha\n"


def test_exact_misses_count(world):
    assert out(world.pk("search", "-e", "nosuch", "gamma", "other"), 2) == "gamma-1.1-r0\n"
    assert out(world.pk("search", "nosuch")) == ""


def test_real_alpine_index(pk_path, tmp_path):
    root = tmp_path / "root"
    (root / "etc/apk/keys").mkdir(parents=True)
    for key in fixture("alpine/keys").iterdir():
        (root / "etc/apk/keys" / key.name).write_bytes(key.read_bytes())
    (root / "etc/apk/arch").write_text("x86_64\n")
    result = run_pk(pk_path, root, "-X", fixture("alpine/v3.16/main"), "search", "-e", "busybox", "cmd:bash")
    assert result.stdout == "bash-5.1.16-r2\nbusybox-1.35.0-r17\n"
    assert result.stderr == "WARNING: The indexes contain broken packages which are not installable.\n"


def test_errors(world, tmp_path):
    result = world.pk("search", "x", root=tmp_path / "missing")
    assert (result.returncode, result.stderr) == (99, "ERROR: Unable to open root: No such file or directory\n")
    result = world.pk("search", "-Z")
    assert (result.returncode, result.stderr) == (1, "ERROR: invalid option -- 'Z'\n")
