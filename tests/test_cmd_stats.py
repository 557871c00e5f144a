"""pk stats: apk's counts of the installed database and the repositories."""

import shutil

from support import fixture
from test_cmd_info import out, run_pk, world  # noqa: F401  (world is a fixture)


def test_world(world):
    assert out(world.pk("stats")) == (
        "installed:\n"
        "  packages: 7\n"
        "  dirs: 9\n"
        "  files: 6\n"
        "  bytes: 33\n"
        "  triggers: 1\n"
        "available:\n"
        "  names: 9\n"
        "  packages: 10\n"
        "atoms:\n"
        "  num: 27\n")


def test_real_wolfi_database(pk_path, tmp_path):
    root = tmp_path / "root"
    (root / "lib/apk/db").mkdir(parents=True)
    shutil.copy(fixture("installed-db/wolfi-base.installed"), root / "lib/apk/db/installed")
    text = out(run_pk(pk_path, root, "--arch", "x86_64", "stats"))
    assert text.splitlines()[:10] == [
        "installed:", "  packages: 15", "  dirs: 42", "  files: 91", "  bytes: 16288834", "  triggers: 0",
        "available:", "  names: 71", "  packages: 15", "atoms:"]


def test_errors(world, tmp_path):
    result = world.pk("stats", root=tmp_path / "missing")
    assert (result.returncode, result.stdout, result.stderr) == (
        99, "", "ERROR: Unable to open root: No such file or directory\n")
