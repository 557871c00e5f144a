"""One image build, from a validated config to written outputs; and lock files from the same resolution.

For each architecture, in turn (so only one architecture's packages are in memory):
resolve and verify the packages, apply them to an in-memory tree in install order, add
the apk database, accounts, os-release and `paths` mutations, write the layer, and make
the image config and manifest. Then the images (under an index when there are several)
go to the chosen output, with an SBOM per architecture when asked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from apk_py.errors import PkError
from buildroot import accounts, apkdb, layer, lockfile, mutations, oci, resolve, sbom
from buildroot.config import ImageConfig
from buildroot.platforms import Platform, parse
from buildroot.tree import PackageInstaller, Tree


@dataclass
class BuildRequest:
    config: ImageConfig
    output: str
    output_format: str = "oci"
    tag: str | None = None
    archs: list[Platform] = field(default_factory=list)  # empty: the config's, else the lock's, else this machine's
    sbom_dir: str | None = None
    lockfile: str | None = None
    compression: str = layer.GZIP
    extra_repositories: list[str] = field(default_factory=list)  # -X: used to build, not written into the image
    extra_keys_dir: str | None = None  # --keys-dir: trusted and installed like the config's keyring
    source_date_epoch: int | None = None  # None: the newest package build date


@dataclass
class PackageSummary:
    name: str
    version: str
    license: str


@dataclass
class BuildResult:
    images: oci.ImageSet
    packages: dict[str, list[PackageSummary]]  # apk arch -> installed packages in install order
    sbom_files: list[str]
    epoch: int


def source_date_epoch(environ=os.environ) -> int | None:
    """SOURCE_DATE_EPOCH from the environment (reproducible-builds.org), None when unset."""
    text = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise PkError(f"SOURCE_DATE_EPOCH must be a number of seconds, not '{text}'")
    return int(text)


def _location(config: ImageConfig, line: str) -> str:
    """A repository line with any @tag kept and a relative local path taken from the config's folder."""
    words = line.split()
    if words and words[0].startswith("@") and len(words) > 1:
        return f"{words[0]} {config.local_path(words[1])}"
    return config.local_path(line.strip())


def build_repositories(config: ImageConfig, extra: list[str]) -> list[str]:
    return [_location(config, line) for line in config.repositories + config.build_repositories] + list(extra)


def image_repositories(config: ImageConfig) -> list[str]:
    """etc/apk/repositories of the image: as the config writes them (build-only ones left out)."""
    return config.repositories + config.runtime_repositories


def load_keys(ctx, config: ImageConfig, extra_keys_dir: str | None) -> dict[str, bytes]:
    """The keyring (file name -> public key bytes): the config's keys (paths or URLs), then --keys-dir's."""
    keys: dict[str, bytes] = {}
    for location in config.keyring:
        path = config.local_path(location)
        name = os.path.basename(path.rstrip("/"))
        if path.startswith(("http://", "https://")):
            keys[name] = _download_key(ctx, path)
            continue
        try:
            with open(path, "rb") as handle:
                keys[name] = handle.read()
        except OSError as exc:
            raise PkError(f"{config.source}: contents.keyring: {path}: {exc.strerror or exc}") from None
    if extra_keys_dir:
        try:
            names = sorted(os.listdir(extra_keys_dir))
        except OSError as exc:
            raise PkError(f"{extra_keys_dir}: {exc.strerror or exc}") from None
        for name in names:
            path = os.path.join(extra_keys_dir, name)
            if name.endswith(".pub") and os.path.isfile(path):
                with open(path, "rb") as handle:
                    keys[name] = handle.read()
    return keys


def _download_key(ctx, url: str) -> bytes:
    import requests

    try:
        response = requests.get(url, timeout=float(ctx.timeout or 60))
    except requests.RequestException as exc:
        raise PkError(f"contents.keyring: {url}: {exc}") from None
    if response.status_code != 200:
        raise PkError(f"contents.keyring: {url}: HTTP {response.status_code}")
    return response.content


def target_platforms(config: ImageConfig, requested: list[Platform], lock: lockfile.Lock | None) -> list[Platform]:
    if requested:
        return requested
    if config.archs:
        return config.archs
    if lock is not None and lock.packages:
        return [parse(arch) for arch in sorted(lock.packages)]
    return [parse("host")]


def newest_build_date(resolution: resolve.Resolution) -> int:
    return max((resolved.record.build_time for resolved in resolution.packages), default=0)


def assemble(config: ImageConfig, resolution: resolve.Resolution, keys: dict[str, bytes], epoch: int) -> Tree:
    """The image's file tree: packages in install order, the apk database, accounts, os-release, paths."""
    tree = Tree(epoch)
    installer = PackageInstaller(tree, resolution.replaces_file)
    for resolved in resolution.packages:
        installer.install(resolved.record, resolved.apk)
    apkdb.write(tree, installer, config.packages, image_repositories(config), keys, resolution.platform.apk_arch)
    accounts.apply(tree, config)
    if config.os_release is not None:
        accounts.write_os_release(tree, config.os_release)
    mutations.apply(tree, config.paths, config.source)
    return tree


def build(ctx, request: BuildRequest) -> BuildResult:
    config = request.config
    lock = lockfile.read(request.lockfile) if request.lockfile else None
    keys = load_keys(ctx, config, request.extra_keys_dir)
    repositories = build_repositories(config, request.extra_repositories)
    images, packages, sbom_files, epochs = [], {}, [], []
    name = os.path.splitext(os.path.basename(config.source))[0]
    for platform in target_platforms(config, request.archs, lock):
        locked = lockfile.check(lock, request.lockfile, config.packages, platform.apk_arch) if lock is not None else None
        with resolve.resolve(ctx, platform, config.packages, repositories, keys, locked) as resolution:
            epoch = request.source_date_epoch if request.source_date_epoch is not None else newest_build_date(resolution)
            tree = assemble(config, resolution, keys, epoch)
            users, groups = accounts.names(tree)
            image_layer = layer.make(tree, users, groups, request.compression)
            image = oci.make_image(config, platform, image_layer, epoch, f"{len(resolution.packages)} packages from {name}")
            images.append(image)
            epochs.append(epoch)
            packages[platform.apk_arch] = [PackageSummary(item.record.name, item.record.version, item.record.get("L"))
                                           for item in resolution.packages]
            if request.sbom_dir:
                os.makedirs(request.sbom_dir, exist_ok=True)
                path = os.path.join(request.sbom_dir, sbom.file_name(image))
                with open(path, "wb") as handle:
                    handle.write(sbom.render(sbom.document(image, resolution.packages, name, epoch)))
                sbom_files.append(path)
    result = oci.image_set(images, config.annotations)
    epoch = max(epochs)
    oci.write(request.output, request.output_format, result, request.tag, epoch)
    return BuildResult(result, packages, sbom_files, epoch)


def lock(ctx, config: ImageConfig, output: str, archs: list[Platform], extra_repositories: list[str],
         extra_keys_dir: str | None) -> dict[str, list[PackageSummary]]:
    """Resolve every architecture and write the lock file; returns what was locked."""
    keys = load_keys(ctx, config, extra_keys_dir)
    repositories = build_repositories(config, extra_repositories)
    resolutions = []
    try:
        for platform in target_platforms(config, archs, None):
            resolutions.append(resolve.resolve(ctx, platform, config.packages, repositories, keys, fetch_packages=False))
        data = lockfile.render(os.path.basename(config.source), config.packages, image_repositories(config), sorted(keys), resolutions)
        locked = {resolution.platform.apk_arch: [PackageSummary(item.record.name, item.record.version, item.record.get("L"))
                                                 for item in resolution.packages] for resolution in resolutions}
    finally:
        for resolution in resolutions:
            resolution.close()
    with open(output, "wb") as handle:
        handle.write(data)
    return locked
