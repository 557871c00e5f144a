"""Package recipes (repo-index/NAME/recipe.toml) and building them into a signed repository.

A recipe is a small TOML manifest: the package's metadata, optional `files/` copied into
the package tree, optional scripts, and an optional build step (a shell command run with
DESTDIR pointing at the tree). Builds honour SOURCE_DATE_EPOCH, so a repository built
twice from the same inputs is byte-identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib

from apk_py import mkindex, mkpkg
from apk_py.errors import PkError

RECIPE_FILE = "recipe.toml"
_KNOWN_KEYS = {"name", "version", "description", "url", "license", "arch", "origin", "maintainer", "depends",
               "provides", "replaces", "install-if", "provider-priority", "replaces-priority", "triggers",
               "scripts", "build", "trace"}
_LIST_KEYS = ("depends", "provides", "replaces", "install-if", "triggers")


class Recipe:
    """One package recipe, validated on load."""

    def __init__(self, directory: str, manifest: dict):
        self.directory = os.path.abspath(directory)
        unknown = sorted(set(manifest) - _KNOWN_KEYS)
        if unknown:
            raise PkError(f"{self.manifest_path}: unknown key '{unknown[0]}'")
        for key in ("name", "version"):
            if not isinstance(manifest.get(key), str) or not manifest[key]:
                raise PkError(f"{self.manifest_path}: '{key}' must be a non-empty string")
        self.manifest = manifest

    @property
    def manifest_path(self) -> str:
        return os.path.join(self.directory, RECIPE_FILE)

    @property
    def name(self) -> str:
        return self.manifest["name"]

    @property
    def version(self) -> str:
        return self.manifest["version"]

    def info(self, arch: str) -> dict[str, list[str]]:
        """The recipe's metadata as mkpkg --info pairs."""
        pairs = []
        for key, value in self.manifest.items():
            if key in ("scripts", "build", "trace"):
                continue
            if key == "arch":
                value = arch if value == "host" else value
            values = value if isinstance(value, list) else [value]
            if key in _LIST_KEYS and not isinstance(value, list):
                raise PkError(f"{self.manifest_path}: '{key}' must be a list")
            pairs.extend(f"{key}:{item}" for item in values)
        if "arch" not in self.manifest:
            pairs.append("arch:noarch")
        return mkpkg.parse_info(pairs)

    def scripts(self) -> dict[str, bytes]:
        scripts = {}
        for kind, path in (self.manifest.get("scripts") or {}).items():
            if kind not in mkpkg.SCRIPT_TYPES:
                raise PkError(f"{self.manifest_path}: unknown script type '{kind}'")
            with open(os.path.join(self.directory, path), "rb") as handle:
                scripts[kind] = handle.read()
        return scripts

    def populate(self, tree: str, project: str, arch: str) -> None:
        """Fill the package tree: copy files/, then run the build step with DESTDIR=tree."""
        files = os.path.join(self.directory, "files")
        if os.path.isdir(files):
            shutil.copytree(files, tree, symlinks=True, dirs_exist_ok=True)
        command = self.manifest.get("build")
        if command:
            env = dict(os.environ, DESTDIR=tree, RECIPE_DIR=self.directory, PROJECT_DIR=project, PYTHON=sys.executable, ARCH=arch)
            result = subprocess.run(["sh", "-ec", command], env=env, cwd=self.directory, capture_output=True, text=True)
            if result.returncode != 0:
                detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
                raise PkError(f"{self.name}: build step failed ({result.returncode}): {detail[0]}")


def load(directory: str) -> Recipe:
    path = os.path.join(directory, RECIPE_FILE)
    try:
        with open(path, "rb") as handle:
            manifest = tomllib.load(handle)
    except OSError as exc:
        raise PkError(f"{path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PkError(f"{path}: {exc}") from None
    return Recipe(directory, manifest)


def discover(base: str) -> list[str]:
    """Recipe directories under `base`, sorted by name."""
    try:
        names = sorted(os.listdir(base))
    except OSError as exc:
        raise PkError(f"{base}: {exc.strerror}") from None
    return [os.path.join(base, name) for name in names if os.path.isfile(os.path.join(base, name, RECIPE_FILE))]


def build_repository(recipe_dirs: list[str], output: str, key: str, arch: str, description: str = "", project: str | None = None) -> list[str]:
    """Build every recipe into OUTPUT/ARCH/NAME-VERSION.apk and write a signed index there."""
    project = project or os.getcwd()
    repo = os.path.join(output, arch)
    os.makedirs(repo, exist_ok=True)
    signer = (key, os.path.basename(key) + ".pub", "sha1")
    built = []
    for directory in recipe_dirs:
        recipe = load(directory)
        with tempfile.TemporaryDirectory(prefix=f"pk-build-{recipe.name}.") as tree:
            recipe.populate(tree, project, arch)
            data = mkpkg.make(recipe.info(arch), tree, recipe.scripts(), recipe.manifest.get("trace", True), signer)
        path = os.path.join(repo, f"{recipe.name}-{recipe.version}.apk")
        with open(path, "wb") as handle:
            handle.write(data)
        built.append(path)
    index = os.path.join(repo, "APKINDEX.tar.gz")
    with open(index, "wb") as handle:
        handle.write(mkindex.build_index(built, description))
    mkindex.sign_file(index, key)
    return built
