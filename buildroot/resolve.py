"""Choosing, fetching and verifying an image's packages with pk's own resolver and installer.

An image is what `pk --root EMPTY --initdb add PKGS` would install, so the same code
decides it: a database is opened on an empty temporary root with the config's
repositories, keys and architecture, the solver computes the change set for the world,
and the packages are taken in its install order (dependencies first). A lock file
replaces the solver: its exact packages, found by identity in the same repositories.
Fetching and verification (signature, identity against the index, data hash) are the
installer's, so no unverified byte reaches an image.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from apk_py import commit, database, fetch
from apk_py import solver as S
from apk_py.context import Context
from apk_py.errors import PkError
from apk_py.install import Transaction
from apk_py.package import Package
from buildroot.platforms import Platform


@dataclass
class ResolvedPackage:
    record: Package  # the repository index record
    apk: object  # the opened, verified apk_py.apkfile.ApkFile (None when only resolving)
    url: str  # where its file comes from


class Resolution:
    """One architecture's packages in install order, open for reading; close() releases them."""

    def __init__(self, platform: Platform, packages: list[ResolvedPackage], transaction: Transaction, scratch: str):
        self.platform = platform
        self.packages = packages
        self.transaction = transaction
        self.scratch = scratch

    def replaces_file(self, owner: Package, new: Package) -> str:
        """The installer's rule for a path two packages ship (replaces, replaces_priority, origin)."""
        return self.transaction.replaces_file(owner, new)

    def close(self) -> None:
        self.transaction.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def resolve(ctx, platform: Platform, world: list[str], repositories: list[str], keys: dict[str, bytes],
            locked: list[tuple[str, str, str]] | None = None, fetch_packages: bool = True) -> Resolution:
    """Open, solve (or follow `locked` (name, version, identity) triples), then fetch and verify
    unless only the choice is wanted (a lock file needs identities, not package bytes)."""
    scratch = tempfile.mkdtemp(prefix="pk-image.")
    try:
        sub = _context(ctx, scratch, platform, repositories, keys)
        db = database.open_database(sub)
        _check_repositories(db, platform)
        records = _locked_records(db, locked, platform) if locked is not None else _solve(sub, db, world, platform)
        transaction = Transaction(sub, db)
        if fetch_packages:
            transaction.fetch_and_verify(records)
        packages = []
        for record in records:
            repo = fetch.source_repository(db, record)
            url = repo.package_url(record.name, record.version) if repo is not None else ""
            packages.append(ResolvedPackage(record, transaction.opened.get(id(record)), url))
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return Resolution(platform, packages, transaction, scratch)


def _context(ctx, scratch: str, platform: Platform, repositories: list[str], keys: dict[str, bytes]) -> Context:
    """A pk context on an empty root inside `scratch`, trusting exactly the config's keys."""
    root = os.path.join(scratch, "root")
    keys_dir = os.path.join(scratch, "keys")
    os.makedirs(root)
    os.makedirs(keys_dir)
    for name, data in keys.items():
        with open(os.path.join(keys_dir, name), "wb") as handle:
            handle.write(data)
    return Context(root=root, repository=repositories, keys_dir=keys_dir, arch=platform.apk_arch,
                   allow_untrusted=ctx.allow_untrusted, cache_dir=ctx.cache_dir, no_network=ctx.no_network,
                   timeout=ctx.timeout, output=ctx.out)


def _check_repositories(db, platform: Platform) -> None:
    """pk add carries on past an unreadable repository; an image would silently differ, so refuse."""
    if len(db.repos) <= 1:
        raise PkError("no repositories: set contents.repositories in the config (or pass -X REPO)")
    for bit in range(1, len(db.repos)):
        if not db.available_repos & (1 << bit):
            raise PkError(f"{platform.apk_arch}: repository {db.repos[bit].url} could not be read")


def _solve(ctx, db, world: list[str], platform: Platform) -> list[Package]:
    atoms: list = []
    for word in world:
        try:
            dep = db.parse_atom(word, allow_tag=True)
        except database.DepFormatError:
            dep = None
        if dep is None or dep.broken:
            raise PkError(f"contents.packages: '{word}' is not a valid dependency, format is name(@tag)([<>~=]version)")
        commit.deps_add(atoms, dep)
    if commit.check_world(db, atoms):
        raise PkError(f"{platform.apk_arch}: a repository tag in contents.packages names no repository")
    changeset, errors = S.solve(db, 0, atoms)
    if errors:
        commit.print_errors(ctx, db, changeset, atoms)
        raise PkError(f"{platform.apk_arch}: unable to select packages for the image")
    return [change.new_pkg.record for change in changeset.changes if change.new_pkg is not None]


def _locked_records(db, locked: list[tuple[str, str, str]], platform: Platform) -> list[Package]:
    """The locked packages, each found among its name's providers by version and identity."""
    records = []
    for name_text, version, identity in locked:
        name = db.query_name(name_text)
        providers = name.providers if name is not None else ()
        found = [pkg for pkg, _ in providers if pkg.name is name and pkg.version == version and pkg.checksum == identity]
        if not found:
            raise PkError(f"{platform.apk_arch}: locked package {name_text}-{version} ({identity}) is in no configured repository")
        records.append(found[0].record)
    return records
