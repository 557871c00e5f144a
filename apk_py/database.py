"""The package database: what is installed, what the world asks for, what the repositories offer.

Opening a database reads the root's configuration and every repository index and links
them into one graph of names and providers, which the solver walks. A package that appears
in several places (installed and in two repositories) is one object carrying a bitmask of
the repositories that have it, exactly as apk-tools models it.
"""

from __future__ import annotations

import os

from apk_py import installed as installed_db
from apk_py import repositories, trust, version, world
from apk_py.errors import FormatError, PkError
from apk_py.package import KNOWN_FIELDS, Package

CACHE_REPO = 0  # bit 0: packages found in the local cache (etc/apk/cache/installed)
FIRST_REPO = 1  # bits 1..: configured repositories, in order


class Name:
    """A package name or virtual name, with every package that provides it.

    `providers` holds (package, version) pairs: version is the package's own for its real
    name and for versioned provides (`p:so:libc.so=1`), None for unversioned provides.
    """

    __slots__ = ("name", "providers", "rdepends", "rinstall_if")

    def __init__(self, name: str):
        self.name = name
        self.providers: list[tuple[Package, str | None]] = []
        self.rdepends: list[Name] = []
        self.rinstall_if: list[Name] = []

    def __repr__(self) -> str:
        return f"Name({self.name})"


class Database:
    """Everything the solver and the installer need to know about one root."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.arch = arch_of(ctx)
        self.names: dict[str, Name] = {}
        self.packages: dict[str, Package] = {}  # identity checksum -> package
        self.installed: list[Package] = []
        self.installed_info: dict[int, installed_db.InstalledInfo] = {}
        self.repos: list[repositories.Repository | None] = [None]  # slot 0 is the cache
        self.repo_tags: list[str] = [""]  # tag id 0: untagged
        self.package_repos: dict[int, int] = {}  # id(package) -> repository bitmask
        self.world = []
        self.broken_indexes = False
        self.keys: dict = {}

    # --- loading ---------------------------------------------------------------------

    def tag_id(self, tag: str | None) -> int:
        if not tag:
            return 0
        if tag not in self.repo_tags:
            self.repo_tags.append(tag)
        return self.repo_tags.index(tag)

    def name(self, text: str) -> Name:
        entry = self.names.get(text)
        if entry is None:
            entry = self.names[text] = Name(text)
        return entry

    def add_package(self, pkg: Package, repo_bit: int | None) -> Package:
        """Register a package (deduplicated by identity) as available from `repo_bit`."""
        key = pkg.checksum or f"{pkg.name}-{pkg.version}"
        existing = self.packages.get(key)
        if existing is None:
            self.packages[key] = existing = pkg
            self.package_repos[id(pkg)] = 0
        if repo_bit is not None:
            self.package_repos[id(existing)] |= 1 << repo_bit
        return existing

    def load_installed(self) -> None:
        path = self.ctx.path("lib/apk/db/installed")
        for pkg, info in installed_db.read(path):
            pkg = self.add_package(pkg, None)
            self.installed.append(pkg)
            self.installed_info[id(pkg)] = info

    def load_world(self) -> None:
        self.world = world.read(self.ctx.path("etc/apk/world"))

    def load_repositories(self) -> None:
        """Read every configured index (and the cache's), verifying signatures."""
        from apk_py import fetch

        self.keys = trust.load_keys(self.ctx.keys_directory)
        for repo in repositories.configured(self.ctx, self.arch):
            bit = len(self.repos)
            self.repos.append(repo)
            self.tag_id(repo.tag)
            try:
                loaded = fetch.load_index(self.ctx, repo, self.keys)
            except PkError as exc:
                if not self.ctx.forced("missing_repositories"):
                    self.ctx.out.warning(f"{repo.url}: {getattr(exc, 'reason', exc.message)}")
                continue
            repo.description = loaded.description
            for pkg in loaded.packages:
                self.add_package(pkg, bit)
        if not self.ctx.no_cache:
            cache_index = os.path.join(fetch.cache_dir(self.ctx), "installed")
            if os.path.exists(cache_index):
                from apk_py import index

                try:
                    with open(cache_index, "rb") as handle:
                        text = handle.read()
                    for pkg in index.parse_text(text, cache_index):
                        self.add_package(pkg, CACHE_REPO)
                except (OSError, FormatError) as exc:
                    self.ctx.out.warning(f"{cache_index}: {exc}")

    def link_names(self) -> None:
        """Build the name graph: providers, reverse dependencies and install_if triggers."""
        for pkg in self.packages.values():
            if not self.installable(pkg) and id(pkg) not in self.installed_info:
                continue
            self.name(pkg.name).providers.append((pkg, pkg.version))
            for dep in pkg.provides:
                if dep.name != pkg.name:
                    provided = dep.version if dep.version is not None and not dep.conflict else None
                    self.name(dep.name).providers.append((pkg, provided))
        for pkg in list(self.packages.values()):
            owner = self.name(pkg.name)
            for dep in pkg.depends:
                target = self.name(dep.name)
                if owner not in target.rdepends:
                    target.rdepends.append(owner)
            for dep in pkg.install_if:
                target = self.name(dep.name)
                if owner not in target.rinstall_if:
                    target.rinstall_if.append(owner)

    def installable(self, pkg: Package) -> bool:
        """Records with an invalid version or unknown upper-case fields are broken, and
        foreign architectures are never offered (apk's rules)."""
        if not version.is_valid(pkg.version) or any(key.isupper() and key not in KNOWN_FIELDS for key in pkg.fields):
            self.broken_indexes = True
            return False
        return pkg.arch in ("", "noarch", "all", self.arch)

    # --- queries -----------------------------------------------------------------------

    def repos_of(self, pkg: Package) -> int:
        return self.package_repos.get(id(pkg), 0)

    def is_installed(self, pkg: Package) -> bool:
        return id(pkg) in self.installed_info


def arch_of(ctx) -> str:
    """--arch, else ROOT/etc/apk/arch, else this machine's."""
    if ctx.arch:
        return ctx.arch
    try:
        with open(ctx.path("etc/apk/arch"), encoding="utf-8") as handle:
            text = handle.read().strip()
            if text:
                return text
    except OSError:
        pass
    from apk_py.cli import host_arch

    return host_arch()


def open_database(ctx, repositories_too: bool = True) -> Database:
    """Load a root's installed database, world and (optionally) repositories."""
    if not os.path.isdir(ctx.root):
        raise PkError(f"Unable to open root: {ctx.root}: No such file or directory")
    db = Database(ctx)
    db.load_installed()
    db.load_world()
    if repositories_too:
        db.load_repositories()
    db.link_names()
    return db
