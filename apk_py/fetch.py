"""Getting indexes and packages from repositories: local paths in place, HTTP through `netfetch`.

Local repositories are read in place. Remote indexes are kept in the cache directory
(`APKINDEX.<hash>.tar.gz` as apk names them) and refreshed with conditional requests.
"""

from __future__ import annotations

import os

from apk_py import digests
from apk_py.errors import FormatError
from apk_py.package import identity


def cache_dir(ctx) -> str:
    """--cache-dir, else ROOT/etc/apk/cache (a symlink to var/cache/apk on Alpine)."""
    return ctx.cache_dir or ctx.path("etc/apk/cache")


def index_cache_name(repo) -> str:
    """The file name apk gives a remote index in the cache: APKINDEX.<8 hex of the URL hash>.tar.gz."""
    return f"APKINDEX.{digests.new('sha256', repo.index_url.encode()).hexdigest()[:8]}.tar.gz"


def read_index_bytes(ctx, repo) -> tuple[bytes, str]:
    """The raw APKINDEX.tar.gz of a repository and where it came from."""
    if repo.local:
        try:
            with open(repo.index_url, "rb") as handle:
                return handle.read(), repo.index_url
        except OSError as exc:
            raise FormatError(repo.index_url, exc.strerror or str(exc)) from None
    from apk_py import netfetch

    return netfetch.index_bytes(ctx, repo, os.path.join(cache_dir(ctx), index_cache_name(repo)))


def cache_enabled(ctx) -> bool:
    """A package cache is used when not --no-cache and the cache directory exists (apk's rule)."""
    return not ctx.no_cache and os.path.isdir(cache_dir(ctx))


def cached_package_name(name: str, version: str, checksum: str) -> str:
    """apk's cache file name for a package: NAME-VERSION.<8 hex of its identity>.apk."""
    return f"{name}-{version}.{identity(checksum)[:4].hex()}.apk"


def source_repository(db, pkg):
    """The first configured repository offering the package (the cache only as a last resort)."""
    mask = db.repos_of(pkg)
    for bit in range(1, len(db.repos)):
        if mask & (1 << bit):
            return db.repos[bit]
    return None


def package_file(ctx, db, pkg, scratch: str, progress=None) -> str:
    """A local file holding the package's bytes: the cache, the local repository, or a download."""
    if cache_enabled(ctx):
        cached = os.path.join(cache_dir(ctx), cached_package_name(pkg.name, pkg.version, pkg.checksum))
        if os.path.exists(cached):
            return cached
    repo = source_repository(db, pkg)
    if repo is None:
        raise FormatError(pkg.nvr(), "package is not available from any repository")
    if repo.local:
        return repo.package_url(pkg.name, pkg.version)
    from apk_py import netfetch

    target_dir = cache_dir(ctx) if cache_enabled(ctx) else scratch
    target = os.path.join(target_dir, cached_package_name(pkg.name, pkg.version, pkg.checksum))
    netfetch.download(ctx, repo.package_url(pkg.name, pkg.version), target, pkg.size or None, progress)
    return target
