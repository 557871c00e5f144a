"""HTTP(S) downloads for indexes and packages, with requests.

One pooled session per thread (connection reuse), connect and read timeouts, bounded
retries with exponential backoff on connection errors, stalls, truncation and 5xx
answers, and conditional requests for indexes already in the cache. Nothing here writes
into the root: files land in the cache or a temporary directory and are verified by the
caller before use.
"""

from __future__ import annotations

import email.utils
import os
import threading
import time

import requests

from apk_py.errors import PkError

ATTEMPTS = 4
BACKOFF = 0.2  # seconds before the second attempt; doubles each time
CHUNK = 1 << 16
_local = threading.local()


class FetchError(PkError):
    """A download that failed for good (after retries), naming the URL and why."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class _Retry(Exception):
    """A transient failure worth another attempt."""


def session() -> requests.Session:
    if getattr(_local, "session", None) is None:
        s = requests.Session()
        s.headers["User-Agent"] = "pk/0.1 (apk-tools compatible)"
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        s.mount("http://", adapter)
        s.mount("https://", adapter)
        _local.session = s
    return _local.session


def _timeouts(ctx) -> tuple[float, float]:
    seconds = float(ctx.timeout) if ctx.timeout else 60.0
    return (min(seconds, 30.0), seconds)


def _with_retries(ctx, url: str, attempt_once):
    """Run `attempt_once()` until it succeeds, raising FetchError after ATTEMPTS transient failures."""
    if ctx.no_network:
        raise FetchError(url, "network access is disabled (--no-network)")
    delay = BACKOFF
    last = "unknown error"
    for attempt in range(ATTEMPTS):
        try:
            return attempt_once()
        except _Retry as exc:
            last = str(exc)
        except requests.exceptions.Timeout:
            last = "timed out"
        except requests.exceptions.ConnectionError as exc:
            last = f"connection failed ({_short(exc)})"
        except requests.exceptions.ChunkedEncodingError:
            last = "truncated transfer (connection dropped)"
        except requests.exceptions.RequestException as exc:
            raise FetchError(url, _short(exc)) from None
        if attempt + 1 < ATTEMPTS:
            time.sleep(delay)
            delay *= 2
    raise FetchError(url, f"{last} (after {ATTEMPTS} attempts)")


def _short(exc: Exception) -> str:
    text = str(exc).split("\n", 1)[0]
    return text[:200]


def _check_status(response: requests.Response) -> None:
    if response.status_code >= 500 or response.status_code == 429:
        response.close()
        raise _Retry(f"{response.status_code} {response.reason}")
    if response.status_code >= 400:
        response.close()
        raise PkError(f"{response.url}: {response.status_code} {response.reason}")


def download(ctx, url: str, destination: str, expected_size: int | None = None, progress=None) -> None:
    """Download `url` to `destination` (written beside it, then renamed), retrying transient failures."""
    partial = destination + ".part"

    def attempt():
        with session().get(url, stream=True, timeout=_timeouts(ctx)) as response:
            _check_status(response)
            received = 0
            with open(partial, "wb") as out:
                for chunk in response.iter_content(CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    if progress is not None:
                        progress(len(chunk))
                    if expected_size is not None and received > expected_size:
                        raise _Retry(f"server sent more than the expected {expected_size} bytes")
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) != received:
                raise _Retry(f"truncated transfer ({received} of {declared} bytes)")
            if expected_size is not None and received != expected_size:
                raise _Retry(f"truncated transfer ({received} of {expected_size} bytes)")
        os.replace(partial, destination)

    try:
        _with_retries(ctx, url, attempt)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def index_bytes(ctx, repo, cached_path: str) -> tuple[bytes, str]:
    """A remote index: the cached copy when fresh, else fetched (conditionally) into the cache."""
    url = repo.index_url
    fresh_enough = _cache_is_fresh(ctx, cached_path)
    if fresh_enough or ctx.no_network:
        try:
            with open(cached_path, "rb") as handle:
                return handle.read(), cached_path
        except OSError:
            if ctx.no_network:
                raise FetchError(url, "not in the cache and network access is disabled") from None

    def attempt():
        headers = {}
        if os.path.exists(cached_path) and not ctx.forced("refresh"):
            headers["If-Modified-Since"] = email.utils.formatdate(os.stat(cached_path).st_mtime, usegmt=True)
        response = session().get(url, headers=headers, timeout=_timeouts(ctx))
        if response.status_code == 304:
            _mark_checked(cached_path)
            with open(cached_path, "rb") as handle:
                return handle.read()
        _check_status(response)
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) != len(response.content):
            raise _Retry(f"truncated transfer ({len(response.content)} of {declared} bytes)")
        return response.content, response.headers.get("Last-Modified")

    result = _with_retries(ctx, url, attempt)
    if isinstance(result, bytes):
        return result, cached_path
    data, last_modified = result
    if ctx.no_cache or not os.path.isdir(os.path.dirname(cached_path)):
        return data, url
    from apk_py.fsutil import atomic_write

    atomic_write(cached_path, data)
    if last_modified:
        parsed = email.utils.parsedate_to_datetime(last_modified)
        os.utime(cached_path, (parsed.timestamp(), parsed.timestamp()))
    return data, cached_path


def _mark_checked(path: str) -> None:
    """Record "checked just now" in the file's ctime, keeping mtime = the server's Last-Modified."""
    status = os.stat(path)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def _cache_is_fresh(ctx, path: str) -> bool:
    """apk refreshes indexes older than --cache-max-age minutes (4 hours by default); -U forces it."""
    if ctx.update_cache or ctx.forced("refresh") or ctx.no_cache:
        return False
    try:
        age = time.time() - os.stat(path).st_ctime
    except OSError:
        return False
    max_age = float(ctx.cache_max_age) * 60 if ctx.cache_max_age else 4 * 3600
    return age < max_age
