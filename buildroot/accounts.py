"""Users, groups and /etc/os-release from the config, merged into what the packages ship.

As apko does, the packages' /etc/passwd and /etc/group are kept and the configured
accounts are added to them (replacing an entry of the same name), so a base layout's
system users survive; each configured user gets its home directory, owned by it.
"""

from __future__ import annotations

from apk_py.errors import PkError
from buildroot.config import ImageConfig, OSRelease
from buildroot.tree import Tree

PASSWD, GROUP, OS_RELEASE = "etc/passwd", "etc/group", "etc/os-release"


def _lines(data: bytes | None) -> list[list[str]]:
    text = (data or b"").decode("utf-8", "surrogateescape")
    return [line.split(":") for line in text.splitlines() if line and not line.startswith("#")]


def _merge(existing: list[list[str]], added: list[list[str]]) -> bytes:
    """Entries by name: an added entry replaces the same name in place, new names follow in config order."""
    position = {fields[0]: number for number, fields in enumerate(existing)}
    merged = list(existing)
    for fields in added:
        if fields[0] in position:
            merged[position[fields[0]]] = fields
        else:
            position[fields[0]] = len(merged)
            merged.append(fields)
    return "".join(":".join(fields) + "\n" for fields in merged).encode("utf-8", "surrogateescape")


def apply(tree: Tree, config: ImageConfig) -> None:
    """Write etc/passwd and etc/group (when the config has accounts) and make the users' homes."""
    if config.groups:
        groups = [[group.groupname, "x", str(group.gid), ",".join(group.members)] for group in config.groups]
        tree.add_file(GROUP, _merge(_lines(tree.read_file(GROUP)), groups))
    if config.users:
        users = [[user.username, "x", str(user.uid), str(user.gid), user.username, user.homedir, user.shell] for user in config.users]
        tree.add_file(PASSWD, _merge(_lines(tree.read_file(PASSWD)), users))
        for user in config.users:
            home = user.homedir.strip("/")
            if not home:
                continue
            created: list[str] = []
            path = tree.make_dirs(home, created)
            if created:
                node = tree.nodes[path]
                node.uid, node.gid = user.uid, user.gid
    if config.run_as and not config.run_as.split(":")[0].isdigit():
        name = config.run_as.split(":")[0]
        if name not in {fields[0] for fields in _lines(tree.read_file(PASSWD))}:
            raise PkError(f"{config.source}: accounts.run-as: no user '{name}' in the image's /etc/passwd")


def names(tree: Tree) -> tuple[dict[int, str], dict[int, str]]:
    """uid -> user name and gid -> group name from the image's own files (first entry wins)."""
    result: tuple[dict[int, str], dict[int, str]] = ({}, {})
    for table, path in zip(result, (PASSWD, GROUP)):
        for fields in _lines(tree.read_file(path)):
            if len(fields) >= 3 and fields[2].isdigit():
                table.setdefault(int(fields[2]), fields[0])
    return result


_OS_RELEASE_FIELDS = (("id", "ID"), ("name", "NAME"), ("pretty_name", "PRETTY_NAME"), ("version_id", "VERSION_ID"),
                      ("home_url", "HOME_URL"), ("bug_report_url", "BUG_REPORT_URL"))


def _quote(value: str) -> str:
    if value and all(char.isalnum() or char in "._-" for char in value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`") + '"'


def write_os_release(tree: Tree, release: OSRelease) -> None:
    """etc/os-release: the packages' file with the configured fields replaced or added."""
    wanted = {key: getattr(release, attribute) for attribute, key in _OS_RELEASE_FIELDS if getattr(release, attribute)}
    lines = []
    for line in (tree.read_file(OS_RELEASE) or b"").decode("utf-8", "surrogateescape").splitlines():
        key = line.partition("=")[0].strip()
        if key in wanted:
            lines.append(f"{key}={_quote(wanted.pop(key))}")
        else:
            lines.append(line)
    for _, key in _OS_RELEASE_FIELDS:
        if key in wanted:
            lines.append(f"{key}={_quote(wanted[key])}")
    tree.add_file(OS_RELEASE, "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape"))
