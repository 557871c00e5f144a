"""pk fetch: packages from local and HTTP repositories into a directory or to stdout,
verified before they are kept."""

import os

import pytest

from repo_helpers import Server
from test_cmd_info import out, world  # noqa: F401  (world is a fixture)


def repo_file(world, repo, name):
    return os.path.join(world.bases[repo], "x86_64", name)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def test_best_versions_into_a_directory(world, tmp_path):
    assert out(world.pk("fetch", "-o", str(tmp_path), "alpha", "gamma", "lib*")) == (
        "Downloading alpha-2.0-r0\nDownloading gamma-1.1-r0\nDownloading libbeta-2.0-r1\n")
    assert sorted(os.listdir(tmp_path)) == ["alpha-2.0-r0.apk", "gamma-1.1-r0.apk", "libbeta-2.0-r1.apk"]
    assert read(tmp_path / "gamma-1.1-r0.apk") == read(repo_file(world, "updates", "gamma-1.1-r0.apk"))
    assert os.stat(tmp_path / "gamma-1.1-r0.apk").st_mode & 0o777 == 0o644
    # what is already there is not fetched again
    assert out(world.pk("fetch", "--output", str(tmp_path), "gamma", "gamma<1.1")) == "Downloading gamma-1.0-r0\n"


def test_recursive_follows_the_solver(world, tmp_path):
    # the solver keeps to untagged repositories: alpha comes from main, not @edge
    assert out(world.pk("fetch", "-R", "-o", str(tmp_path), "delta")) == (
        "Downloading alpha-1.0-r0\nDownloading delta-3.1-r0\nDownloading libbeta-2.0-r1\n")
    assert sorted(os.listdir(tmp_path)) == ["alpha-1.0-r0.apk", "delta-3.1-r0.apk", "libbeta-2.0-r1.apk"]


def test_urls_simulation_and_names(world, tmp_path):
    assert out(world.pk("fetch", "--url", "--simulate", "-o", str(tmp_path), "gamma")) == (
        repo_file(world, "updates", "gamma-1.1-r0.apk") + "\n")
    assert os.listdir(tmp_path) == []
    assert out(world.pk("fetch", "-o", str(tmp_path), "--pkgname-spec", "${name}_${hash:8}.apk", "docs")) == (
        "Downloading docs-1-r0\n")
    (name,) = os.listdir(tmp_path)
    assert name.startswith("docs_") and len(name) == len("docs_12345678.apk")


def test_stdout_and_links(world, tmp_path):
    result = world.pk("fetch", "--stdout", "libbeta", binary=True)
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == read(repo_file(world, "main", "libbeta-2.0-r1.apk"))
    assert out(world.pk("fetch", "-l", "-o", str(tmp_path), "libbeta")) == "Downloading libbeta-2.0-r1\n"
    assert os.stat(tmp_path / "libbeta-2.0-r1.apk").st_ino == os.stat(repo_file(world, "main", "libbeta-2.0-r1.apk")).st_ino


def test_built_after(world, tmp_path):
    package = world.factory.package("dated", "1.0", extra_info=[("builddate", "1000")])
    base = world.factory.repository("dated", {"dated-1.0.apk": package})
    assert out(world.pk("-X", base, "fetch", "--built-after", "1000", "-o", str(tmp_path), "dated")) == ""
    assert out(world.pk("-X", base, "fetch", "--built-after", "999", "-o", str(tmp_path), "dated")) == "Downloading dated-1.0\n"


def test_over_http(world, tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    with Server(os.path.dirname(world.bases["main"])) as server:
        result = world.pk("--repositories-file", os.devnull, "-X", f"{server.url}/main", "fetch", "-R", "-o", str(output), "alpha")
    assert out(result) == "Downloading alpha-1.0-r0\nDownloading libbeta-2.0-r1\n"
    assert read(output / "alpha-1.0-r0.apk") == read(repo_file(world, "main", "alpha-1.0-r0.apk"))


def test_a_tampered_package_is_not_kept(world, tmp_path):
    root = world.copy(tmp_path)
    base = str(tmp_path / "copy")
    os.makedirs(base + "/x86_64")
    for name in os.listdir(world.bases["main"] + "/x86_64"):
        data = read(os.path.join(world.bases["main"], "x86_64", name))
        if name == "docs-1-r0.apk":
            data = data[:-40] + bytes(40)
        with open(os.path.join(base, "x86_64", name), "wb") as handle:
            handle.write(data)
    output = tmp_path / "out"
    output.mkdir()
    result = world.pk("--repositories-file", os.devnull, "-X", base, "fetch", "-o", str(output), "docs", "gamma", root=root)
    assert result.stdout == "Downloading docs-1-r0\nDownloading gamma-1.0-r0\n"
    assert result.returncode == 1 and result.stderr.startswith("ERROR: docs-1-r0: ") and result.stderr.count("\n") == 1
    assert os.listdir(output) == ["gamma-1.0-r0.apk"]


@pytest.mark.parametrize("args, status, stdout, stderr", [
    (["nosuch", "gamma", "x*"], 1, "nosuch: unable to select package (or its dependencies)\n", ""),
    (["-R", "nosuch"], 1, "", "ERROR: unable to select packages:\n  nosuch (no such package):\n    required by: world[nosuch]\n"),
    (["-R", "gamma>="], 1, "", "ERROR: 'gamma>=' is not a valid world dependency, format is name(@tag)([<>~=]version)\n"),
    (["-o", "/nonexistent/dir", "gamma"], 1, "", "ERROR: /nonexistent/dir: No such file or directory\n"),
    (["--built-after", "yesterday", "gamma"], 1, "", "ERROR: --built-after: invalid time 'yesterday'\n"),
    (["--pkgname-spec", "${name}-${release}.apk", "gamma"], 1, "",
     "ERROR: --pkgname-spec: unknown field '${release}' in '${name}-${release}.apk'\n"),
])
def test_errors(world, tmp_path, monkeypatch, args, status, stdout, stderr):
    monkeypatch.chdir(tmp_path)
    result = world.pk("fetch", *args)
    assert (result.returncode, result.stdout, result.stderr) == (status, stdout, stderr)
    assert os.listdir(tmp_path) == []


def test_missing_root(world, tmp_path):
    result = world.pk("fetch", "gamma", root=tmp_path / "missing")
    assert (result.returncode, result.stderr) == (99, "ERROR: Unable to open root: No such file or directory\n")
