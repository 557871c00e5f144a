"""Repository configuration as apk reads it: etc/apk/repositories, repositories.d, -X.

A line is `[@tag] URL`. A URL names a repository base (the index is `BASE/ARCH/APKINDEX.tar.gz`,
packages `BASE/ARCH/NAME-VER.apk`) or, with the `test:` scheme or a `.tar.gz` ending, the
index file itself (packages then sit beside it).
"""

from __future__ import annotations

import glob
import os

from apk_py.errors import FormatError


class Repository:
    """One configured repository."""

    __slots__ = ("url", "tag", "index_url", "package_base", "description", "local")

    def __init__(self, url: str, tag: str | None, arch: str):
        self.url = url
        self.tag = tag
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

    def __repr__(self) -> str:
        return f"Repository({'@' + self.tag + ' ' if self.tag else ''}{self.url})"


def parse_line(line: str, source: str, number: int, arch: str) -> Repository | None:
    """One repositories-file line; None for blank lines, comments and settings."""
    words = line.split("#", 1)[0].split() if not line.lstrip().startswith("#") else []
    if not words:
        return None
    tag = None
    if words[0].startswith("@"):
        tag = words.pop(0)[1:]
        if not tag:
            raise FormatError(source, f"line {number}: empty repository tag")
    if words and words[0] in ("v2", "v3", "ndx"):
        words.pop(0)
    if words and words[0] == "set":
        return None
    if not words:
        raise FormatError(source, f"line {number}: repository tag without a URL")
    url = words[0]
    if len(words) > 1:
        url = f"{url.rstrip('/')}/{words[1]}"
    return Repository(url, tag, arch)


def read_file(path: str, arch: str, missing_ok: bool = True) -> list[Repository]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        if missing_ok:
            return []
        raise FormatError(path, "No such file or directory") from None
    except OSError as exc:
        raise FormatError(path, exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(path, "not valid UTF-8") from None
    repos = []
    for number, line in enumerate(text.splitlines(), 1):
        repo = parse_line(line, path, number, arch)
        if repo is not None:
            repos.append(repo)
    return repos


def configured(ctx, arch: str) -> list[Repository]:
    """Every repository in effect for a run, in apk's order: file(s) first, then -X."""
    repos: list[Repository] = []
    if ctx.repositories_file:
        repos.extend(read_file(ctx.repositories_file, arch, missing_ok=False))
    else:
        repos.extend(read_file(ctx.path("etc/apk/repositories"), arch))
        for path in sorted(glob.glob(ctx.path("etc/apk/repositories.d/*.list"))):
            repos.extend(read_file(path, arch))
    for number, url in enumerate(ctx.repositories, 1):
        repo = parse_line(url, "--repository", number, arch)
        if repo is not None:
            repos.append(repo)
    seen = set()
    unique = []
    for repo in repos:
        key = (repo.tag, repo.index_url)
        if key not in seen:
            seen.add(key)
            unique.append(repo)
    return unique


def write_file(path: str, repos: list[Repository]) -> None:
    """Write a repositories file (used when building roots and images)."""
    lines = "".join((f"@{repo.tag} " if repo.tag else "") + repo.url + "\n" for repo in repos)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(lines)
