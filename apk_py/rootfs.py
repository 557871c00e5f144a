"""Safe paths inside the target root.

Every path a package names is checked before it is used: no absolute names, no `..`,
and no parent directory that is a symlink leading out of the root. Symlinks that stay
inside are followed as the root's own programs would see them, so merged-/usr layouts
(`lib -> usr/lib`) work in any root.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat

from apk_py.errors import PkError

_MAX_LINKS = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafePath(PkError):
    """A package path that would escape the root or is malformed."""


def clean_member_name(name: str) -> str:
    """The root-relative path of an archive member, or UnsafePath when it is hostile."""
    text = name
    while text.startswith("./"):
        text = text[2:]
    text = text.rstrip("/")
    if not text or text == ".":
        return ""
    if text.startswith("/"):
        raise UnsafePath(f"absolute path '{name}' in package")
    if _CONTROL.search(text):
        raise UnsafePath(f"path {name!r} in package contains control characters")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafePath(f"path '{name}' in package leaves its root ('..')")
    return "/".join(parts)


class RootFS:
    """The directory tree pk installs into, with resolved directories cached per transaction."""

    def __init__(self, root: str):
        self.root = os.path.realpath(root)
        self._dirs: dict[str, str] = {"": self.root}
        # Non-directories staged under temporary names are not on disk yet at their own
        # paths, but later members must see them there: a staged symlink is followed, a
        # staged file cannot be a parent directory.
        self.staged_links: dict[str, str] = {}
        self.staged_files: set[str] = set()

    def resolve(self, relative: str) -> str:
        """Host path of a root-relative path: parents resolved safely, the last component not followed."""
        parent, _, base = relative.rpartition("/")
        return os.path.join(self.resolve_dir(parent), base)

    def resolve_dir(self, relative: str, hops: int = 0) -> str:
        """Host path of a root-relative directory, following symlinks that stay inside the root."""
        cached = self._dirs.get(relative)
        if cached is not None:
            return cached
        if relative in self.staged_files:
            raise PkError(f"'{relative}' is a file in this transaction, not a directory")
        parent, _, base = relative.rpartition("/")
        host_parent = self.resolve_dir(parent, hops)
        candidate = os.path.join(host_parent, base)
        target = self.staged_links.get(relative)
        if target is None:
            try:
                info = os.lstat(candidate)
            except FileNotFoundError:
                return candidate  # not there yet: the caller creates it; not cached until it exists
            if not stat.S_ISLNK(info.st_mode):
                self._dirs[relative] = candidate
                return candidate
            target = os.readlink(candidate)
        if hops >= _MAX_LINKS or self._escapes(host_parent, target):
            raise UnsafePath(f"refusing to write through symlink '{relative}' that leads out of the root")
        inside = posixpath.normpath(posixpath.join(parent, target)) if not target.startswith("/") else target
        inside = inside.strip("/")
        resolved = self.resolve_dir("" if inside == "." else inside, hops + 1)
        self._dirs[relative] = resolved
        return resolved

    def _escapes(self, link_dir: str, target: str) -> bool:
        """Would the kernel, following `target` from `link_dir`, land outside the root?"""
        if self.root == "/":
            return False
        if target.startswith("/"):
            return True
        joined = os.path.normpath(os.path.join(link_dir, target))
        return joined != self.root and not joined.startswith(self.root + os.sep)

    def forget(self, relative: str) -> None:
        """Drop a cached directory (after a rename replaced it)."""
        self._dirs.pop(relative, None)
