"""The files that make the image a pk/apk root: world, repositories, keys, arch, installed database.

They are what `pk --root DIR --initdb add PKGS` leaves behind, so that `pk` run inside the
image knows what is installed, which files each package owns, where to get more and
which keys to trust. Package scripts are never run (as with apko), but they are kept in
lib/apk/db/scripts.tar exactly as the installer stores them.
"""

from __future__ import annotations

from apk_py import dependency, installed, world
from apk_py.errors import PkError
from apk_py.scripts import SCRIPTS_TAR, TRIGGERS_FILE, scripts_tar, triggers_text
from buildroot.tree import PackageInstaller, Tree

WORLD_FILE = "etc/apk/world"
REPOSITORIES_FILE = "etc/apk/repositories"
KEYS_DIR = "etc/apk/keys"
ARCH_FILE = "etc/apk/arch"
INSTALLED_FILE = "lib/apk/db/installed"


def world_bytes(packages: list[str]) -> bytes:
    """etc/apk/world for the config's package list, sorted as apk writes it."""
    atoms = []
    for word in packages:
        try:
            atoms.append(dependency.parse(word, allow_tag=True))
        except dependency.DependencyError as exc:
            raise PkError(f"contents.packages: '{word}' is not a valid dependency ({exc})") from None
    return world.format(atoms)


def write(tree: Tree, installer: PackageInstaller, packages: list[str], repositories: list[str], keys: dict[str, bytes],
          arch: str) -> None:
    """Add the database and apk configuration to the tree (owned by root, timestamped with the epoch)."""
    tree.add_file(WORLD_FILE, world_bytes(packages))
    tree.add_file(REPOSITORIES_FILE, "".join(f"{line}\n" for line in repositories).encode())
    tree.add_file(ARCH_FILE, f"{arch}\n".encode())
    tree.make_dirs(KEYS_DIR)
    for name in sorted(keys):
        tree.add_file(f"{KEYS_DIR}/{name}", keys[name])
    tree.add_file(INSTALLED_FILE, installed.format(installer.installed))
    tree.add_file(SCRIPTS_TAR, scripts_tar(installer.scripts))
    tree.add_file(TRIGGERS_FILE, triggers_text(installer.triggers))
