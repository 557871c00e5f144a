"""Image configs: apko's YAML schema, read strictly into typed values.

Existing apko configs must build unchanged, so key names and meanings follow apko
(`contents.repositories`, `entrypoint.command`, `work-dir`, `accounts.run-as`, `paths`,
`os-release` ...). Anything else is refused with the dotted name of the key, because a
misspelt key silently ignored would build a different image than the author meant.
Relative local paths (repositories, keys, `include`) are taken from the config's folder,
so a config and the repository beside it build from any working directory.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field

from apk_py.errors import PkError
from buildroot import platforms

PATH_TYPES = ("directory", "empty-file", "hardlink", "symlink", "permissions")
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

_TOP_KEYS = ("contents", "entrypoint", "cmd", "stop-signal", "work-dir", "accounts", "archs", "environment", "paths",
             "vcs-url", "annotations", "volumes", "os-release", "include")
_CONTENTS_KEYS = ("repositories", "build_repositories", "runtime_repositories", "keyring", "packages")
_ENTRYPOINT_KEYS = ("type", "command", "shell-fragment", "services")
_ACCOUNTS_KEYS = ("run-as", "users", "groups")
_USER_KEYS = ("username", "uid", "gid", "shell", "homedir")
_GROUP_KEYS = ("groupname", "gid", "members")
_PATH_KEYS = ("path", "type", "uid", "gid", "permissions", "source", "recursive")
_OS_RELEASE_KEYS = ("id", "name", "pretty-name", "version-id", "home-url", "bug-report-url")


@dataclass(frozen=True)
class User:
    username: str
    uid: int
    gid: int
    shell: str
    homedir: str


@dataclass(frozen=True)
class Group:
    groupname: str
    gid: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class PathMutation:
    """One `paths` entry: `path` inside the image (no leading slash), what to make of it."""

    path: str
    type: str
    uid: int
    gid: int
    permissions: int | None
    source: str
    recursive: bool


@dataclass(frozen=True)
class OSRelease:
    id: str = ""
    name: str = ""
    pretty_name: str = ""
    version_id: str = ""
    home_url: str = ""
    bug_report_url: str = ""


@dataclass
class ImageConfig:
    """Everything an image build needs from its config, validated."""

    source: str
    packages: list[str]
    repositories: list[str] = field(default_factory=list)  # used to build and written into the image
    build_repositories: list[str] = field(default_factory=list)  # used to build only
    runtime_repositories: list[str] = field(default_factory=list)  # written into the image only
    keyring: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    stop_signal: str = ""
    work_dir: str = ""
    users: list[User] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    run_as: str = ""
    archs: list[platforms.Platform] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    paths: list[PathMutation] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)
    volumes: list[str] = field(default_factory=list)
    os_release: OSRelease | None = None

    @property
    def directory(self) -> str:
        return os.path.dirname(os.path.abspath(self.source))

    def local_path(self, location: str) -> str:
        """A repository or key location as pk opens it: URLs as they are, relative paths from the config's folder."""
        if "://" in location or location.startswith(("test:", "file:")) or os.path.isabs(location):
            return location
        return os.path.join(self.directory, location)

    def env_list(self) -> list[str]:
        """`KEY=value` lines, sorted by key, with apko's default PATH when the config sets none."""
        env = dict(self.environment)
        env.setdefault("PATH", DEFAULT_PATH)
        return [f"{key}={env[key]}" for key in sorted(env)]


def load(path: str) -> ImageConfig:
    """Read, merge (`include`) and validate a config file."""
    raw = _load_merged(path, ())
    return _Validator(path).config(raw)


def _read_yaml(path: str) -> dict:
    import yaml

    try:
        with open(path, "rb") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise PkError(f"{path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PkError(f"{path}: invalid YAML: {problem}{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PkError(f"{path}: an image config must be a mapping of keys")
    return data


def _load_merged(path: str, seen: tuple[str, ...]) -> dict:
    """apko's (deprecated) `include`: the included file is the base, this file is merged over it."""
    real = os.path.realpath(path)
    if real in seen:
        raise PkError(f"{path}: 'include' loops back to itself")
    data = _read_yaml(path)
    included = data.pop("include", None)
    if included is None:
        return data
    if not isinstance(included, str) or not included:
        raise PkError(f"{path}: 'include' must be a file name")
    base_path = included if os.path.isabs(included) else os.path.join(os.path.dirname(os.path.abspath(path)), included)
    return _merge(_load_merged(base_path, seen + (real,)), data)


def _merge(base, over):
    """Deep merge as apko's include does: mappings merge, lists append, scalars are replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(over, list):
        return base + over
    return over


class _Validator:
    """Checks one raw config, naming the file and the dotted key in every message."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, message: str):
        raise PkError(f"{self.source}: {message}")

    def mapping(self, value, where: str, allowed) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(f"'{where}' must be a mapping")
        for key in value:
            if key not in allowed:
                name = f"{where}.{key}" if where else str(key)
                self.fail(f"unknown key '{name}'")
        return value

    def string(self, value, where: str, default: str = "") -> str:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(f"'{where}' must be a string")
        return str(value)

    def strings(self, value, where: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, (str, int, float)) and not isinstance(item, bool) for item in value):
            self.fail(f"'{where}' must be a list of strings")
        return [str(item) for item in value]

    def string_map(self, value, where: str) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(f"'{where}' must be a mapping of strings")
        return {str(key): self.string(item, f"{where}.{key}") for key, item in value.items()}

    def number(self, value, where: str, default: int | None = None, limit: int = 0xFFFFFFFF) -> int | None:
        if value is None:
            return default
        if isinstance(value, str):
            text = value.strip().lower()
            try:
                value = int(text[2:], 8) if text.startswith("0o") else int(text, 8) if text.startswith("0") and len(text) > 1 else int(text)
            except ValueError:
                self.fail(f"'{where}' must be a number")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            self.fail(f"'{where}' must be a number from 0 to {limit}")
        return value

    def config(self, raw: dict) -> ImageConfig:
        self.mapping(raw, "", _TOP_KEYS)
        contents = self.mapping(raw.get("contents"), "contents", _CONTENTS_KEYS)
        packages = self.strings(contents.get("packages"), "contents.packages")
        if not packages:
            self.fail("'contents.packages' must list at least one package")
        config = ImageConfig(
            source=self.source,
            packages=packages,
            repositories=self.strings(contents.get("repositories"), "contents.repositories"),
            build_repositories=self.strings(contents.get("build_repositories"), "contents.build_repositories"),
            runtime_repositories=self.strings(contents.get("runtime_repositories"), "contents.runtime_repositories"),
            keyring=self.strings(contents.get("keyring"), "contents.keyring"),
            cmd=self._split(self.string(raw.get("cmd"), "cmd"), "cmd"),
            stop_signal=self.string(raw.get("stop-signal"), "stop-signal"),
            work_dir=self.string(raw.get("work-dir"), "work-dir"),
            environment=self.string_map(raw.get("environment"), "environment"),
            annotations=self.string_map(raw.get("annotations"), "annotations"),
            volumes=self.strings(raw.get("volumes"), "volumes"),
        )
        config.entrypoint = self._entrypoint(raw.get("entrypoint"))
        self._accounts(raw.get("accounts"), config)
        try:
            config.archs = platforms.parse_list(self.strings(raw.get("archs"), "archs"))
        except PkError as exc:
            self.fail(f"'archs': {exc.message}")
        config.paths = self._paths(raw.get("paths"))
        vcs_url = self.string(raw.get("vcs-url"), "vcs-url")
        if vcs_url:
            url, _, revision = vcs_url.partition("@")
            config.annotations.setdefault("org.opencontainers.image.source", url)
            if revision:
                config.annotations.setdefault("org.opencontainers.image.revision", revision)
        config.os_release = self._os_release(raw.get("os-release"))
        return config

    def _split(self, text: str, where: str) -> list[str]:
        try:
            return shlex.split(text)
        except ValueError as exc:
            self.fail(f"'{where}': {exc}")

    def _entrypoint(self, value) -> list[str]:
        entry = self.mapping(value, "entrypoint", _ENTRYPOINT_KEYS)
        kind = self.string(entry.get("type"), "entrypoint.type")
        if kind or entry.get("services"):
            self.fail("'entrypoint.type: service-bundle' (s6 services) is not supported: use entrypoint.command")
        fragment = self.string(entry.get("shell-fragment"), "entrypoint.shell-fragment")
        if fragment:
            return ["/bin/sh", "-c", fragment]
        return self._split(self.string(entry.get("command"), "entrypoint.command"), "entrypoint.command")

    def _accounts(self, value, config: ImageConfig) -> None:
        accounts = self.mapping(value, "accounts", _ACCOUNTS_KEYS)
        config.run_as = self.string(accounts.get("run-as"), "accounts.run-as")
        for number, item in enumerate(self._list(accounts.get("groups"), "accounts.groups")):
            where = f"accounts.groups[{number}]"
            group = self.mapping(item, where, _GROUP_KEYS)
            name = self.string(group.get("groupname"), f"{where}.groupname")
            if not name:
                self.fail(f"'{where}.groupname' is required")
            config.groups.append(Group(name, self.number(group.get("gid"), f"{where}.gid", 0),
                                       tuple(self.strings(group.get("members"), f"{where}.members"))))
        for number, item in enumerate(self._list(accounts.get("users"), "accounts.users")):
            where = f"accounts.users[{number}]"
            user = self.mapping(item, where, _USER_KEYS)
            name = self.string(user.get("username"), f"{where}.username")
            if not name:
                self.fail(f"'{where}.username' is required")
            uid = self.number(user.get("uid"), f"{where}.uid", 0)
            config.users.append(User(name, uid, self.number(user.get("gid"), f"{where}.gid", uid),
                                     self.string(user.get("shell"), f"{where}.shell", "/bin/sh"),
                                     self.string(user.get("homedir"), f"{where}.homedir", f"/home/{name}")))

    def _list(self, value, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"'{where}' must be a list")
        return value

    def _paths(self, value) -> list[PathMutation]:
        mutations = []
        for number, item in enumerate(self._list(value, "paths")):
            where = f"paths[{number}]"
            entry = self.mapping(item, where, _PATH_KEYS)
            path = self.string(entry.get("path"), f"{where}.path").strip("/")
            if not path:
                self.fail(f"'{where}.path' is required")
            kind = self.string(entry.get("type"), f"{where}.type")
            if kind not in PATH_TYPES:
                self.fail(f"'{where}.type' must be one of {', '.join(PATH_TYPES)}")
            source = self.string(entry.get("source"), f"{where}.source")
            if kind in ("hardlink", "symlink") and not source:
                self.fail(f"'{where}.source' is required for a {kind}")
            recursive = entry.get("recursive", False)
            if not isinstance(recursive, bool):
                self.fail(f"'{where}.recursive' must be true or false")
            mutations.append(PathMutation(path, kind, self.number(entry.get("uid"), f"{where}.uid", 0),
                                          self.number(entry.get("gid"), f"{where}.gid", 0),
                                          self.number(entry.get("permissions"), f"{where}.permissions", None, 0o7777),
                                          source, recursive))
        return mutations

    def _os_release(self, value) -> OSRelease | None:
        if value is None:
            return None
        entry = self.mapping(value, "os-release", _OS_RELEASE_KEYS)
        return OSRelease(**{key.replace("-", "_"): self.string(entry.get(key), f"os-release.{key}") for key in _OS_RELEASE_KEYS})
