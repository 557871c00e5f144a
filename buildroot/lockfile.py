"""Lock files: the exact packages (name, version, identity) an image was resolved to, per architecture.

`pk image lock` writes one; `pk image build --lockfile` installs exactly what it lists,
in its order, instead of asking the solver, so a later build reproduces the image even
after the repositories gained newer versions. Identities (apk's `Q1` checksums) are
checked against the index and against each package file, so nothing else can slip in.
The lock records the config's package list; a config whose list changed no longer
matches its lock, and the build says so rather than building a stale set.
"""

from __future__ import annotations

import json

from apk_py.errors import PkError
from buildroot.resolve import Resolution

LOCK_VERSION = "pk-image-lock/v1"


class Lock:
    def __init__(self, world: list[str], packages: dict[str, list[tuple[str, str, str]]]):
        self.world = world
        self.packages = packages  # apk arch -> [(name, version, identity)] in install order


def render(config_name: str, world: list[str], repositories: list[str], keys: list[str], resolutions: list[Resolution]) -> bytes:
    packages = []
    for resolution in resolutions:
        for resolved in resolution.packages:
            record = resolved.record
            packages.append({"name": record.name, "version": record.version, "architecture": resolution.platform.apk_arch,
                             "checksum": record.checksum, "url": resolved.url})
    document = {
        "version": LOCK_VERSION,
        "config": config_name,
        "contents": {"world": world, "repositories": repositories, "keyring": keys, "packages": packages},
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"


def read(path: str) -> Lock:
    try:
        with open(path, "rb") as handle:
            document = json.loads(handle.read())
    except OSError as exc:
        raise PkError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise PkError(f"{path}: not a JSON lock file ({exc})") from None
    if not isinstance(document, dict) or document.get("version") != LOCK_VERSION:
        raise PkError(f"{path}: not a pk image lock file (version must be '{LOCK_VERSION}')")
    contents = document.get("contents")
    if not isinstance(contents, dict) or not isinstance(contents.get("packages"), list) or not isinstance(contents.get("world"), list):
        raise PkError(f"{path}: lock file has no contents.world and contents.packages lists")
    packages: dict[str, list[tuple[str, str, str]]] = {}
    for number, entry in enumerate(contents["packages"]):
        fields = [entry.get(key) if isinstance(entry, dict) else None for key in ("name", "version", "checksum", "architecture")]
        if not all(isinstance(value, str) and value for value in fields):
            raise PkError(f"{path}: contents.packages[{number}] needs name, version, checksum and architecture")
        name, version, checksum, arch = fields
        packages.setdefault(arch, []).append((name, version, checksum))
    return Lock([str(word) for word in contents["world"]], packages)


def check(lock: Lock, path: str, world: list[str], arch: str) -> list[tuple[str, str, str]]:
    """The locked packages for one architecture, after checking the lock belongs to this config."""
    if sorted(lock.world) != sorted(world):
        raise PkError(f"{path}: lock file was made for packages {' '.join(lock.world)}, the config asks for {' '.join(world)}: run 'pk image lock' again")
    if arch not in lock.packages:
        raise PkError(f"{path}: lock file has no packages for {arch} (it has {', '.join(sorted(lock.packages)) or 'none'})")
    return lock.packages[arch]
