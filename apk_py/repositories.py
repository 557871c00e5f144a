"""Repository configuration as apk reads it: etc/apk/repositories, repositories.d, -X.

A line is `[@tag] URL`. A URL names a repository base (the index is `BASE/ARCH/APKINDEX.tar.gz`,
packages `BASE/ARCH/NAME-VER.apk`) or, with the `test:` scheme or a `.tar.gz` ending, the
index file itself (packages then sit beside it).
"""

from __future__ import annotations

import os

from apk_py.errors import PkError


class Repository:
    """One configured repository."""

    __slots__ = ("url", "tag", "arch", "index_url", "package_base", "description", "local")

    def __init__(self, url: str, tag: str | None, arch: str):
        self.url = url
        self.tag = tag
        self.arch = arch
        self.description = ""
        location = url
        direct = False
        if location.startswith("test:"):
            location, direct = location[5:], True
        elif location.startswith("file:"):
            location = location[5:]
        if location.startswith("//") and not location.startswith("///") and direct:
            location = location[1:]
        elif location.startswith("///"):
            location = location[2:]
        self.local = not location.startswith(("http://", "https://", "ftp://"))
        if direct or location.endswith(".tar.gz"):
            self.index_url = location
            self.package_base = location.rsplit("/", 1)[0] if "/" in location else "."
        else:
            base = location.rstrip("/")
            self.index_url = f"{base}/{arch}/APKINDEX.tar.gz"
            self.package_base = f"{base}/{arch}"

    def package_url(self, name: str, version: str) -> str:
        return f"{self.package_base}/{name}-{version}.apk"

    @property
    def printable_index_url(self) -> str:
        """How apk names the repository's index in messages."""
        if self.url.startswith("test:") or self.url.endswith(".tar.gz"):
            return self.url
        return f"{self.url.rstrip('/')}/{self.arch}/APKINDEX.tar.gz"

    def __repr__(self) -> str:
        return f"Repository({'@' + self.tag + ' ' if self.tag else ''}{self.url})"


def is_url(word: str) -> bool:
    """What apk takes for a repository location: an absolute path or SCHEME://..."""
    return word.startswith("/") or "://" in word[1:]


def parse_lines(lines, label: str, arch: str, warn, keywords: bool = True) -> list[Repository]:
    """Repositories from `[@tag] [v2|v3|ndx] URL [component...]` lines, read as apk does:
    comments and `set` lines are skipped, and a malformed line ends the file (with a
    warning for an unknown keyword or a location that is not a URL or absolute path)."""
    found = []
    for number, line in enumerate(lines, 1):
        words = line.split()
        if not words or line.startswith("#"):
            continue
        if keywords and not words[0].startswith("@") and not is_url(words[0]):
            if words[0] == "set":
                continue
            if words[0] not in ("ndx", "v2", "v3"):
                warn(f"{label}:{number}: unrecogized keyword: {words[0]}")
                break
            words = words[1:]
        tag = None
        if words and words[0].startswith("@"):
            tag, words = words[0][1:], words[1:]
        if not words:
            break
        url = words[0].rstrip("/") or words[0]
        if keywords and not is_url(url):
            warn(f"{label}:{number}: invalid url: {url}")
            break
        for each in [url] if len(words) == 1 else [f"{url}/{component}" for component in words[1:]]:
            found.append(Repository(each, tag, arch))
    return found


def _read_text(path: str) -> str:
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8", "surrogateescape")


def configured(ctx, arch: str, warn) -> list[Repository]:
    """Every repository in effect for a run, in apk's order: -X ones first, then the
    --repositories-file, or etc/apk/repositories and etc/apk/repositories.d/*.list."""
    found = []
    for url in ctx.repositories:
        found.extend(parse_lines([url], "<command line>", arch, warn, keywords=False))
    if ctx.repositories_file:
        path = ctx.repositories_file
        try:
            text = _read_text(path)
        except OSError as exc:
            raise PkError(f"failed to read repositories: {path}: {exc.strerror or exc}\n"
                          f"ERROR: Failed to open apk database: {exc.strerror or exc}", 99) from None
        return found + parse_lines(text.split("\n"), path, arch, warn)
    files = [("etc/apk/repositories", ctx.path("etc/apk/repositories"))]
    directory = ctx.path("etc/apk/repositories.d")
    if os.path.isdir(directory):
        files += [(entry, os.path.join(directory, entry)) for entry in sorted(os.listdir(directory))
                  if entry.endswith(".list") and not entry.startswith(".")]
    for label, path in files:
        try:
            text = _read_text(path)
        except OSError:
            continue
        found.extend(parse_lines(text.split("\n"), label, arch, warn))
    return found
