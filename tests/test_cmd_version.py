"""pk version without -t/-c: installed packages against what the repositories offer."""

from test_cmd_info import out, world  # noqa: F401  (world is a fixture)

HEADER = "Installed:                                Available:\n"


def test_only_upgrades_by_default(world):
    assert out(world.pk("version")) == HEADER + "gamma-1.0-r0                            < 1.1-r0 \n"


def test_all_tags(world):
    assert out(world.pk("version", "-a")) == HEADER + (
        "alpha-1.0-r0                            < 2.0-r0 @edge\n"
        "gamma-1.0-r0                            < 1.1-r0 \n")


def test_limit_and_names(world):
    assert out(world.pk("version", "-l", "=")) == HEADER + (
        "alpha-1.0-r0                            = 1.0-r0 \n"
        "alpha-doc-1.0-r0                        = 1.0-r0 \n"
        "docs-1-r0                               = 1-r0 \n"
        "indexer-0.5-r0                          = 0.5-r0 \n"
        "libbeta-2.0-r1                          = 2.0-r1 \n"
        "orphan-0.1-r0                           = 0.1-r0 \n")
    # with names given every status shows, and names nothing installed carries are skipped
    assert out(world.pk("version", "gamma", "delta", "lib*", "nosuch")) == HEADER + (
        "gamma-1.0-r0                            < 1.1-r0 \n"
        "libbeta-2.0-r1                          = 2.0-r1 \n")
    assert out(world.pk("version", "-l", "", "orphan")) == HEADER + "orphan-0.1-r0                           = 0.1-r0 \n"


def test_quiet_lists_names(world):
    assert out(world.pk("-q", "version", "-l", "<")) == "gamma\n"
    assert out(world.pk("-q", "version")) == "alpha\nalpha-doc\ndocs\ngamma\nindexer\nlibbeta\norphan\n"


def test_indexes(world):
    bases = world.bases
    assert out(world.pk("version", "-I")) == f" [{bases['main']}]\n [{bases['updates']}]\n [{bases['edge']}]\n"


def test_long_names_widen_the_columns(world, tmp_path):
    root = world.copy(tmp_path)
    name = "a-package-with-a-rather-long-name-indeed"
    base = world.factory.repository("long", {f"{name}-1.0.apk": world.factory.package(name, "1.0")})
    world.pk("--no-scripts", "-X", base, "add", name, root=root, check=True)
    assert out(world.pk("-X", base, "version", "-l", "=", "a-*", root=root)) == (
        f"{'Installed:':<{len(name) + 4}}   Available:\n{name}-1.0 = 1.0 \n")


def test_test_and_check_still_work(world):
    assert out(world.pk("version", "-t", "1.0", "1.1")) == "<\n"
    assert out(world.pk("version", "-c", "1.0", "bad!", "2"), 1) == "bad!\n"


def test_errors(world, tmp_path):
    result = world.pk("version", root=tmp_path / "missing")
    assert (result.returncode, result.stderr) == (99, "ERROR: Unable to open root: No such file or directory\n")
    result = world.pk("version", "-l")
    assert (result.returncode, result.stderr) == (1, "ERROR: option requires an argument -- 'l'\n")
