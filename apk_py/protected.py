"""Protected paths: configuration files the user may have changed and apk must not clobber.

Rules come from apk's built-in defaults and `{etc,lib}/apk/protected_paths.d/*.list`;
each line is a mode character and a path or glob:
  `+` protect when changed, `-` do not protect, `@` protect changed symlinks only,
  `!` always protect. The most specific (longest) matching rule wins.
"""

from __future__ import annotations

import fnmatch
import glob
import os

NONE, IGNORE, CHANGED, SYMLINKS_ONLY, ALL = range(5)
_MODES = {"-": IGNORE, "+": CHANGED, "@": SYMLINKS_ONLY, "!": ALL}
DEFAULT_RULES = ("+etc", "@etc/init.d", "!etc/apk")


class ProtectedPaths:
    """The protection mode of any root-relative path."""

    def __init__(self, rules=DEFAULT_RULES):
        self.rules: list[tuple[str, int]] = []
        for rule in rules:
            self.add(rule)

    def add(self, line: str) -> None:
        line = line.strip()
        if not line or line.startswith("#"):
            return
        mode = _MODES.get(line[0])
        if mode is None:
            mode = CHANGED
        else:
            line = line[1:]
        self.rules.append((line.strip("/"), mode))

    @classmethod
    def for_root(cls, root: str) -> "ProtectedPaths":
        paths = cls()
        for pattern in ("lib/apk/protected_paths.d/*.list", "etc/apk/protected_paths.d/*.list"):
            for path in sorted(glob.glob(os.path.join(root, pattern))):
                try:
                    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
                        for line in handle:
                            paths.add(line)
                except OSError:
                    continue
        return paths

    def mode(self, path: str) -> int:
        """Protection of a file: the longest rule matching the path or one of its parents."""
        best, best_len = NONE, -1
        for pattern, mode in self.rules:
            if len(pattern) <= best_len:
                continue
            if pattern[:1] not in ("*", "?", "[") and path[:1] != pattern[:1]:
                continue  # cheap rejection: most paths share no first letter with any rule
            if path == pattern or path.startswith(pattern + "/") or fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern + "/*"):
                best, best_len = mode, len(pattern)
        return best
