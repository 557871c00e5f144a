"""pk list: apk's line format, its filters and its ways of matching patterns."""

import pytest

from support import fixture
from test_cmd_info import out, run_pk, world  # noqa: F401  (world is a fixture)

ALL = (
    "alpha-1.0-r0 x86_64 {alpha} (MIT) [installed]\n"
    "alpha-2.0-r0 x86_64 {alpha} (MIT)\n"
    "alpha-doc-1.0-r0 x86_64 {alpha} (MIT) [installed]\n"
    "delta-3.1-r0 x86_64 {delta} (MIT)\n"
    "docs-1-r0 x86_64 {docs} (MIT) [installed]\n"
    "gamma-1.0-r0 x86_64 {gamma} (MIT) [installed]\n"
    "gamma-1.1-r0 x86_64 {gamma} (MIT) [upgradable from: gamma-1.0-r0]\n"
    "indexer-0.5-r0 x86_64 {indexer} (MIT) [installed]\n"
    "libbeta-2.0-r1 x86_64 {beta} (MIT) [installed]\n"
    "orphan-0.1-r0 x86_64 {orphan} (MIT) [installed]\n"
)


def lines(*names):
    return "".join(line + "\n" for line in ALL.splitlines() if line.split(" ")[0] in names)


def test_everything(world):
    assert out(world.pk("list")) == ALL


@pytest.mark.parametrize("args, expected", [
    (["-I"], lines("alpha-1.0-r0", "alpha-doc-1.0-r0", "docs-1-r0", "gamma-1.0-r0", "indexer-0.5-r0", "libbeta-2.0-r1",
                   "orphan-0.1-r0")),
    (["-u"], lines("gamma-1.1-r0")),
    (["--upgradeable"], lines("gamma-1.1-r0")),
    (["-O"], lines("orphan-0.1-r0")),
    (["-a", "gamma"], lines("gamma-1.0-r0", "gamma-1.1-r0")),
    (["-a", "orphan"], ""),
    (["-I", "-a"], ""),  # --installed reads no system repositories, so nothing counts as available
    (["-o", "beta"], lines("libbeta-2.0-r1")),
    (["-o", "alph*"], lines("alpha-1.0-r0", "alpha-2.0-r0", "alpha-doc-1.0-r0")),
    (["-d", "alpha"], lines("delta-3.1-r0")),
    (["-d", "so:*"], lines("alpha-1.0-r0", "alpha-2.0-r0")),
    (["ALPHA*"], lines("alpha-1.0-r0", "alpha-2.0-r0", "alpha-doc-1.0-r0")),
    (["?amma", "docs"], lines("docs-1-r0", "gamma-1.0-r0", "gamma-1.1-r0")),
    (["so:libbeta.so.1"], ""),
    (["nosuch"], ""),
])
def test_filters_and_patterns(world, args, expected):
    assert out(world.pk("list", *args)) == expected


def test_providers(world):
    assert out(world.pk("list", "-P", "so:*", "gamma")) == (
        "<gamma> gamma-1.0-r0 x86_64 {gamma} (MIT) [installed]\n"
        "<gamma> gamma-1.1-r0 x86_64 {gamma} (MIT) [upgradable from: gamma-1.0-r0]\n"
        "<so:libbeta.so.1> libbeta-2.0-r1 x86_64 {beta} (MIT) [installed]\n")


def test_manifest_and_verbosity(world):
    assert out(world.pk("list", "--manifest", "*a")) == "alpha 1.0-r0\ngamma 1.0-r0\nlibbeta 2.0-r1\n"
    assert out(world.pk("-q", "list", "-u")) == "gamma\n"
    assert out(world.pk("-v", "list", "delta")) == "delta-3.1-r0 x86_64 {delta} (MIT)\n  Delta shell helper\n\n"
    assert out(world.pk("-vv", "list", "alpha<2")) == (
        "alpha-1.0-r0 x86_64 {alpha} (MIT) [installed]\n  Alpha tool\n  <https://example.org/alpha>\n\n")


def test_real_alpine_index(pk_path, tmp_path):
    root = tmp_path / "root"
    (root / "etc/apk").mkdir(parents=True)
    (root / "etc/apk/arch").write_text("x86_64\n")
    result = run_pk(pk_path, root, "--allow-untrusted", "-X", fixture("alpine/v3.16/main"), "list", "busybox", "musl*")
    assert result.stdout == (
        "busybox-1.35.0-r17 x86_64 {busybox} (GPL-2.0-only)\n"
        "musl-1.2.3-r2 x86_64 {musl} (MIT)\n"
        "musl-dbg-1.2.3-r2 x86_64 {musl} (MIT)\n"
        "musl-dev-1.2.3-r2 x86_64 {musl} (MIT)\n"
        "musl-libintl-1.2.3-r2 x86_64 {musl} (MIT)\n"
        "musl-nscd-1.1.1-r0 x86_64 {musl-nscd} (MIT)\n"
        "musl-nscd-dev-1.1.1-r0 x86_64 {musl-nscd} (MIT)\n"
        "musl-nscd-doc-1.1.1-r0 x86_64 {musl-nscd} (MIT)\n"
        "musl-obstack-1.2.3-r0 x86_64 {musl-obstack} (LGPL-2.1-or-later)\n"
        "musl-obstack-dev-1.2.3-r0 x86_64 {musl-obstack} (LGPL-2.1-or-later)\n"
        "musl-utils-1.2.3-r2 x86_64 {musl} (MIT BSD GPL2+)\n")
    assert result.stderr == "WARNING: The indexes contain broken packages which are not installable.\n"


def test_errors(world, tmp_path):
    result = world.pk("list", root=tmp_path / "missing")
    assert (result.returncode, result.stderr) == (99, "ERROR: Unable to open root: No such file or directory\n")
    result = world.pk("list", "--origin=x")
    assert (result.returncode, result.stderr) == (1, "ERROR: option '--origin' doesn't allow an argument\n")
