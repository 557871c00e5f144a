"""Getting indexes and packages from repositories: local paths now, HTTP through `netfetch`.

Local repositories are read in place. Remote indexes are kept in the cache directory
(`APKINDEX.<hash>.tar.gz` as apk names them) and refreshed with conditional requests.
"""

from __future__ import annotations

import hashlib
import os

from apk_py import index
from apk_py.errors import FormatError


def cache_dir(ctx) -> str:
    """--cache-dir, else ROOT/etc/apk/cache (a symlink to var/cache/apk on Alpine)."""
    return ctx.cache_dir or ctx.path("etc/apk/cache")


def index_cache_name(repo) -> str:
    """The file name apk gives a remote index in the cache: APKINDEX.<8 hex of the URL hash>.tar.gz."""
    return f"APKINDEX.{hashlib.sha1(repo.index_url.encode()).hexdigest()[:8]}.tar.gz"


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


def load_index(ctx, repo, keys: dict) -> index.Index:
    """Fetch (or read), verify and parse a repository's index."""
    data, source = read_index_bytes(ctx, repo)
    return index.load(data, source, keys, ctx.allow_untrusted)
