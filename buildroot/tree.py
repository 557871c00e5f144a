"""The image's root filesystem, held in memory and filled the way pk's installer fills a root.

Nothing is extracted to disk: each package's data stream is read once, every file is
checked against its APK-TOOLS.checksum.SHA1 as the installer checks it, and the result is
a map of paths to nodes carrying the owners, modes and contents the layer will record.
So building an image needs no root privileges (owners are data, never chown calls) and
the layer can be written in any order we like (sorted, for reproducible bytes).

Packages are applied in install order with the installer's rules (apk_py/extract.py):
implicit parent directories, directory entries that re-set owner and mode, the
replaces/origin decision when two packages ship one path, refusal to replace a directory
by a file, symlinked parents followed (merged /usr). The installed database is recorded
exactly as the installer records it, so `pk` inside the image sees what `pk add` leaves.
"""

from __future__ import annotations

import hashlib
import posixpath

from apk_py.apkfile import CHECKSUM_KEY
from apk_py.errors import PkError, TrustError
from apk_py.extract import DEFAULT_DIR_ACL, DEFAULT_FILE_ACL, q1
from apk_py.installed import DirRecord, FileRecord, InstalledInfo
from apk_py.package import Package, canonical_order
from apk_py.rootfs import clean_member_name
from apk_py.tarfmt import BLOCKDEV, CHARDEV, DIRECTORY, FIFO, HARDLINK, SYMLINK

DIR, FILE, LINK, SPECIAL = "dir", "file", "symlink", "special"
XATTR_PREFIX = "SCHILY.xattr."
_MAX_LINKS = 40
_CHUNK = 1 << 20


class Node:
    """One inode of the image: hard links to a file are several paths sharing one Node."""

    __slots__ = ("kind", "mode", "uid", "gid", "mtime", "data", "target", "xattrs", "device_type", "devmajor", "devminor")

    def __init__(self, kind: str, mode: int, uid: int = 0, gid: int = 0, mtime: int = 0, data: bytes = b"", target: str = "",
                 xattrs: dict | None = None, device_type: str = "", devmajor: int = 0, devminor: int = 0):
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.mtime = mtime
        self.data = data
        self.target = target
        self.xattrs = xattrs or {}
        self.device_type = device_type
        self.devmajor = devmajor
        self.devminor = devminor


class Tree:
    """Paths (root-relative, no leading slash, symlinks in parents resolved) to nodes."""

    def __init__(self, epoch: int):
        self.epoch = epoch
        self.nodes: dict[str, Node] = {}

    def clamp(self, mtime: int) -> int:
        """Timestamps never exceed SOURCE_DATE_EPOCH, so the layer does not record when it was built."""
        return min(mtime, self.epoch)

    # --- paths ---------------------------------------------------------------------------

    def resolve_dir(self, relative: str, hops: int = 0) -> str:
        """Where a directory path really lies: symlinks in it followed, inside the image."""
        resolved = ""
        for part in relative.split("/") if relative else ():
            candidate = f"{resolved}/{part}" if resolved else part
            node = self.nodes.get(candidate)
            if node is not None and node.kind == LINK:
                if hops >= _MAX_LINKS:
                    raise PkError(f"too many levels of symbolic links at '{candidate}'")
                candidate = self.resolve_dir(self._link_destination(resolved, candidate, node.target), hops + 1)
            elif node is not None and node.kind != DIR:
                raise PkError(f"'{candidate}' is a file, not a directory")
            resolved = candidate
        return resolved

    def resolve(self, relative: str) -> str:
        """Where a path lies: its parents resolved, its last component not followed."""
        parent, _, base = relative.rpartition("/")
        directory = self.resolve_dir(parent)
        return f"{directory}/{base}" if directory else base

    @staticmethod
    def _link_destination(link_dir: str, link: str, target: str) -> str:
        joined = posixpath.normpath(target if target.startswith("/") else posixpath.join("/", link_dir, target))
        if not joined.startswith("/"):
            raise PkError(f"symlink '{link}' leads out of the image")
        return joined.strip("/")

    def make_dirs(self, relative: str, created: list | None = None) -> str:
        """`mkdir -p` (mode 0755, root): returns the resolved path; new directories are appended to `created`."""
        if not relative:
            return ""
        parent, _, base = relative.rpartition("/")
        directory = self.make_dirs(parent, created)
        path = f"{directory}/{base}" if directory else base
        node = self.nodes.get(path)
        if node is None:
            self.nodes[path] = Node(DIR, 0o755, mtime=self.epoch)
            if created is not None:
                created.append(relative)
            return path
        if node.kind == LINK:
            return self.make_dirs(self.resolve_dir(path), created)
        if node.kind != DIR:
            raise PkError(f"cannot create directory '{relative}': a file is in the way")
        return path

    def resolve_file(self, relative: str, hops: int = 0) -> str:
        """Where a file path leads, following a symlink in its last component too (as open() does)."""
        path = self.resolve(relative)
        node = self.nodes.get(path)
        if node is None or node.kind != LINK:
            return path
        if hops >= _MAX_LINKS:
            raise PkError(f"too many levels of symbolic links at '{relative}'")
        parent = path.rpartition("/")[0]
        return self.resolve_file(self._link_destination(parent, path, node.target), hops + 1)

    def add_file(self, relative: str, data: bytes, mode: int = 0o644, uid: int = 0, gid: int = 0) -> None:
        """A generated file (database, accounts, keys), written through symlinks as a program writing it would;
        parents are made as needed, and the timestamp is the epoch."""
        self.make_dirs(relative.rpartition("/")[0])
        path = self.resolve_file(relative)
        self.make_dirs(path.rpartition("/")[0])
        existing = self.nodes.get(path)
        if existing is not None and existing.kind == DIR:
            raise PkError(f"cannot write '{relative}': a directory is in the way")
        self.nodes[path] = Node(FILE, mode, uid, gid, self.epoch, data=data)

    def read_file(self, relative: str) -> bytes | None:
        """A regular file's contents (through symlinks), None when there is none."""
        try:
            node = self.nodes.get(self.resolve_file(relative))
        except PkError:
            return None
        return node.data if node is not None and node.kind == FILE else None

    def below(self, path: str):
        """Every path strictly inside directory `path` (resolved)."""
        prefix = path + "/" if path else ""
        return [other for other in self.nodes if other.startswith(prefix) and other != path]


class PackageInstaller:
    """Applies packages to a Tree in install order, recording the installed database as pk's installer does."""

    def __init__(self, tree: Tree, replaces_file):
        self.tree = tree
        self.replaces_file = replaces_file  # (owner Package, new Package) -> "yes" | "no" | "conflict"
        self.ready_dirs: set[str] = set()
        self.owners: dict[str, tuple[Package, FileRecord, DirRecord]] = {}
        self.installed: list[tuple[Package, InstalledInfo]] = []
        self.scripts: dict[str, dict[str, bytes]] = {}
        self.triggers: dict[str, list[str]] = {}

    def install(self, pkg: Package, apk) -> Package:
        """Add one package's files; returns its installed-database record."""
        record = installed_record(pkg, apk)
        dirs: dict[str, DirRecord] = {}
        try:
            self._apply(record, apk, dirs)
        except TrustError:
            raise  # already names the package
        except PkError as exc:
            raise PkError(f"{record.nvr()}: {exc.message}") from None
        self.installed.append((record, InstalledInfo(list(dirs.values()))))
        actions = {name.lstrip("."): body for name, body in apk.scripts().items()}
        if actions:
            self.scripts[f"{record.name}-{record.version}.{record.checksum}"] = actions
        globs = apk.pkginfo.get("triggers", "").split()
        if globs:
            self.triggers[record.checksum] = globs
        return record

    def _ensure_dirs(self, relative: str, dirs: dict[str, DirRecord]) -> None:
        if not relative or relative in self.ready_dirs:
            return
        self._ensure_dirs(relative.rpartition("/")[0], dirs)
        path = self.tree.resolve_dir(relative)
        node = self.tree.nodes.get(path)
        if node is None:
            self.tree.nodes[path] = Node(DIR, 0o755, mtime=self.tree.epoch)
        elif node.kind != DIR:
            raise PkError(f"cannot create directory {relative}: a file is in the way")
        self.ready_dirs.add(relative)
        dirs.setdefault(relative, DirRecord(relative))

    def _apply(self, pkg: Package, apk, dirs: dict[str, DirRecord]) -> None:
        tree = self.tree
        nodes = tree.nodes
        in_package: dict[str, Node] = {}
        taken: list[tuple[str, FileRecord, DirRecord]] = []
        for entry, reader in apk.entries():
            relative = clean_member_name(entry.name)
            if not relative:
                continue
            if entry.type == DIRECTORY:
                self._ensure_dirs(relative, dirs)
                node = nodes[tree.resolve_dir(relative)]
                node.mode, node.uid, node.gid, node.mtime = entry.mode, entry.uid, entry.gid, tree.clamp(entry.mtime)
                node.xattrs = _xattrs(entry)
                acl = (entry.uid, entry.gid, entry.mode)
                dirs.setdefault(relative, DirRecord(relative)).acl = None if acl == DEFAULT_DIR_ACL else acl
                continue
            directory, _, name = relative.rpartition("/")
            self._ensure_dirs(directory, dirs)
            path = tree.resolve(relative)
            if self._decision(pkg, relative, path) == "no":
                continue
            existing = nodes.get(path)
            if existing is not None and existing.kind == DIR:
                raise PkError(f"cannot replace directory {relative} with a {'symlink' if entry.type == SYMLINK else 'file'}")
            node, checksum = self._node(entry, reader, in_package, pkg)
            nodes[path] = node
            in_package[relative] = node
            acl = (entry.uid, entry.gid, entry.mode if entry.type != SYMLINK else 0o777)
            record = FileRecord(name, None if acl == DEFAULT_FILE_ACL else acl, q1(checksum) if checksum else "")
            owner_dir = dirs.setdefault(directory, DirRecord(directory))
            owner_dir.files.append(record)
            taken.append((path, record, owner_dir))
        for path, record, owner_dir in taken:
            previous = self.owners.get(path)
            if previous is not None and previous[0].name != pkg.name and previous[2] is not owner_dir:
                if previous[1] in previous[2].files:
                    previous[2].files.remove(previous[1])
            self.owners[path] = (pkg, record, owner_dir)

    def _decision(self, pkg: Package, relative: str, path: str) -> str:
        current = self.owners.get(path)
        if current is None:
            return "yes"
        decision = self.replaces_file(current[0], pkg)
        if decision == "conflict":
            raise PkError(f"trying to overwrite {relative} owned by {current[0].nvr()}.")
        return decision

    def _node(self, entry, reader, in_package: dict[str, Node], pkg: Package) -> tuple[Node, str]:
        """The node a member becomes, and the hex SHA-1 apk records for it (checked where the package gives one)."""
        mtime = self.tree.clamp(entry.mtime)
        xattrs = _xattrs(entry)
        if entry.type == SYMLINK:
            checksum = hashlib.sha1(entry.linkname.encode("utf-8", "surrogateescape")).hexdigest()
            return Node(LINK, 0o777, entry.uid, entry.gid, mtime, target=entry.linkname, xattrs=xattrs), checksum
        if entry.type == HARDLINK:
            target = in_package.get(clean_member_name(entry.linkname))
            if target is None or target.kind != FILE:
                raise PkError(f"{entry.name}: no hard link target ({entry.linkname}) in archive")
            return target, hashlib.sha1(target.data).hexdigest()
        if entry.type in (CHARDEV, BLOCKDEV, FIFO):
            return Node(SPECIAL, entry.mode, entry.uid, entry.gid, mtime, xattrs=xattrs, device_type=entry.type,
                        devmajor=entry.devmajor, devminor=entry.devminor), ""
        if not entry.is_file:
            raise PkError(f"{entry.name}: unsupported tar member type '{entry.type}'")
        digest = hashlib.sha1()
        parts = []
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            parts.append(chunk)
        checksum = digest.hexdigest()
        expected = entry.pax.get(CHECKSUM_KEY)
        if expected and expected != checksum:
            raise TrustError(pkg.nvr(), f"BAD file checksum: {entry.name}")
        data = parts[0] if len(parts) == 1 else b"".join(parts)
        return Node(FILE, entry.mode, entry.uid, entry.gid, mtime, data=data, xattrs=xattrs), checksum


def _xattrs(entry) -> dict[str, str]:
    """Extended attributes (file capabilities, ...) travel as PAX records into the layer."""
    return {key: value for key, value in entry.pax.items() if key.startswith(XATTR_PREFIX)}


def installed_record(pkg: Package, apk) -> Package:
    """The package as the installed database records it: index fields plus r/q from .PKGINFO (as install.py does)."""
    fields = dict(pkg.fields)
    for key in ("r", "q"):
        value = apk.pkginfo.get(key)
        if value:
            fields[key] = value
    return Package(canonical_order(fields), pkg.repository)
