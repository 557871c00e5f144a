"""What every operation needs to know about the run: root, repositories, trust, flags, output.

The CLI fills a Context from apk's global options; library callers build one directly.
"""

from __future__ import annotations

import os
import sys

FORCE_FLAGS = ("force", "force_broken_world", "force_overwrite", "force_old_apk", "force_non_repository", "force_refresh", "force_missing_repositories")


class Output:
    """apk-style messages: plain lines on stdout, WARNING:/ERROR: on stderr, in order.

    Both streams are flushed at each message so that interleaving matches apk when a
    caller captures stdout and stderr together.
    """

    def __init__(self, verbosity: int = 1, stdout=None, stderr=None):
        self.verbosity = verbosity
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

    def msg(self, text: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(text + "\n")
            self.stdout.flush()

    def warning(self, text: str) -> None:
        """Warnings survive one -q (as apk's do); -qq silences them."""
        if self.verbosity >= 0:
            self._err("WARNING: " + text)

    def error(self, text: str) -> None:
        self._err("ERROR: " + text)

    def _err(self, text: str) -> None:
        self.stdout.flush()
        self.stderr.write(text + "\n")
        self.stderr.flush()


class Context:
    """Settings for one pk run; defaults are apk's."""

    def __init__(self, **settings):
        self.root = settings.pop("root", None) or "/"
        self.repositories: list[str] = list(settings.pop("repository", None) or [])
        self.repositories_file = settings.pop("repositories_file", None)
        self.keys_dir = settings.pop("keys_dir", None)
        self.allow_untrusted = bool(settings.pop("allow_untrusted", False))
        self.arch = settings.pop("arch", None)
        self.cache_dir = settings.pop("cache_dir", None)
        self.cache_max_age = settings.pop("cache_max_age", None)
        self.no_cache = bool(settings.pop("no_cache", False))
        self.update_cache = bool(settings.pop("update_cache", False))
        self.simulate = bool(settings.pop("simulate", False))
        self.interactive = bool(settings.pop("interactive", False))
        self.progress = settings.pop("progress", None)
        self.no_network = bool(settings.pop("no_network", False))
        self.no_scripts = bool(settings.pop("no_scripts", False))
        self.root_tmpfs = settings.pop("root_tmpfs", None)
        self.timeout = settings.pop("timeout", None)
        self.wait = settings.pop("wait", None)
        self.force = {flag for flag in FORCE_FLAGS if settings.pop(flag, False)}
        verbosity = 1 + int(settings.pop("verbose", 0) or 0) - int(settings.pop("quiet", 0) or 0)
        self.out = settings.pop("output", None) or Output(verbosity)
        self.extra = settings

    @property
    def verbosity(self) -> int:
        return self.out.verbosity

    def forced(self, flag: str) -> bool:
        """Is `--force-<flag>` (or plain --force, which implies them all) in effect?"""
        return "force" in self.force or ("force_" + flag) in self.force

    def path(self, *parts: str) -> str:
        """A path inside the root (parts are relative to it)."""
        return os.path.join(self.root, *parts)

    @property
    def keys_directory(self) -> str:
        return self.keys_dir or self.path("etc/apk/keys")
