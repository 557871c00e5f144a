"""Staging a package's data stream into the root under temporary names.

Nothing staged is visible: every file is written as `.pk-tmp.<tx>.<n>` beside its final
place, checked against its SHA-1 as it is written, and given its owner, mode, mtime and
extended attributes. Only when every package of a transaction has staged cleanly are the
temporary files renamed into place (see install.py). Path safety, file conflicts and
protected configuration files are all decided here, before anything is visible.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat

from apk_py import protected
from apk_py.apkfile import CHECKSUM_KEY
from apk_py.errors import PkError, TrustError
from apk_py.installed import DirRecord, FileRecord
from apk_py.journal import TEMP_PREFIX
from apk_py.rootfs import RootFS, clean_member_name
from apk_py.tarfmt import BLOCKDEV, CHARDEV, DIRECTORY, FIFO, HARDLINK, SYMLINK

DEFAULT_DIR_ACL = (0, 0, 0o755)
DEFAULT_FILE_ACL = (0, 0, 0o644)
_CHUNK = 1 << 20
_XATTR_PREFIX = "SCHILY.xattr."


def q1(hex_sha1: str) -> str:
    """apk's `Q1` notation (base64 SHA-1) for a hex SHA-1."""
    return "Q1" + base64.b64encode(bytes.fromhex(hex_sha1)).decode()


class IdMap:
    """User and group names resolved through the root's own passwd and group files."""

    def __init__(self, root: str):
        self.root = root
        self.users = self._read("etc/passwd")
        self.groups = self._read("etc/group")

    def _read(self, relative: str) -> dict[str, int]:
        ids = {}
        try:
            with open(os.path.join(self.root, relative), encoding="utf-8", errors="surrogateescape") as handle:
                for line in handle:
                    fields = line.split(":")
                    if len(fields) >= 3 and fields[2].isdigit():
                        ids.setdefault(fields[0], int(fields[2]))
        except OSError:
            pass
        return ids

    def uid(self, name: str, fallback: int) -> int:
        return self.users.get(name, fallback) if name else fallback

    def gid(self, name: str, fallback: int) -> int:
        return self.groups.get(name, fallback) if name else fallback


class StagedPackage:
    """One package's staged files, ready to be renamed into place."""

    def __init__(self, pkg):
        self.pkg = pkg
        self.dirs: dict[str, DirRecord] = {}
        self.renames: list[tuple[str, str]] = []  # (temporary host path, final host path)
        self.dir_modes: list[tuple[str, tuple[int, int, int]]] = []  # directories to give their ACL
        self.created_dirs: list[str] = []
        self.ownership: list[tuple] = []  # (temporary, uname, gname, FileRecord, acl) to re-check after scripts
        self.paths: set[str] = set()  # root-relative paths this package now owns
        self.changed_dirs: set[str] = set()
        self.broken = False

    def directory(self, relative: str) -> DirRecord:
        record = self.dirs.get(relative)
        if record is None:
            record = self.dirs[relative] = DirRecord(relative)
        return record

    def discard(self) -> None:
        """Remove everything staged (after a failure): temporaries, then directories we made."""
        for temporary, _ in self.renames:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        for directory in reversed(self.created_dirs):
            try:
                os.rmdir(directory)
            except OSError:
                pass


class Stager:
    """Stages packages for one transaction; knows who owns what and which files are protected."""

    def __init__(self, ctx, root: str, txid: str, journal, owners: dict, replaces_file):
        self.ctx = ctx
        self.rootfs = RootFS(root)
        self.txid = txid
        self.journal = journal
        self.owners = owners  # root-relative path -> (Package, FileRecord) currently owning it
        self.replaces_file = replaces_file  # (old owner pkg, new pkg) -> "yes" | "no" | "conflict"
        self.protected = protected.ProtectedPaths.for_root(root)
        self.ids = IdMap(root)
        self.counter = 0
        self.is_root = os.geteuid() == 0
        self.euid, self.egid = os.geteuid(), os.getegid()
        self.ready_dirs: set[str] = set()

    def _temporary(self, final: str) -> str:
        self.counter += 1
        directory = os.path.dirname(final)
        self.journal.temp_dir(directory)
        return os.path.join(directory, f"{TEMP_PREFIX}{self.txid}.{self.counter}")

    def _ensure_dirs(self, staged: StagedPackage, relative_dir: str) -> None:
        """Make sure a root-relative directory and its parents exist (new ones noted for rollback)."""
        if not relative_dir or relative_dir in self.ready_dirs:
            return
        parent = relative_dir.rpartition("/")[0]
        self._ensure_dirs(staged, parent)
        host = self.rootfs.resolve_dir(relative_dir)
        try:
            info = os.stat(host)
        except FileNotFoundError:
            os.mkdir(host, 0o755)
            staged.created_dirs.append(host)
            self.rootfs.forget(relative_dir)
        else:
            if not stat.S_ISDIR(info.st_mode):
                raise PkError(f"{staged.pkg.nvr()}: cannot create directory {relative_dir}: a file is in the way")
        self.ready_dirs.add(relative_dir)
        if relative_dir not in staged.dirs:
            staged.directory(relative_dir)

    def stage(self, pkg, apk) -> StagedPackage:
        """Stage every member of the package's data stream; on any error, undo and raise."""
        staged = StagedPackage(pkg)
        try:
            self._stage_members(staged, apk)
        except BaseException:
            staged.discard()
            raise
        return staged

    def _stage_members(self, staged: StagedPackage, apk) -> None:
        pkg = staged.pkg
        temps_by_path: dict[str, str] = {}
        for entry, reader in apk.entries():
            relative = clean_member_name(entry.name)
            if not relative:
                continue
            try:
                if entry.type == DIRECTORY:
                    self._ensure_dirs(staged, relative)
                    host = self.rootfs.resolve_dir(relative)
                else:
                    self._ensure_dirs(staged, relative.rpartition("/")[0])
                    host = self.rootfs.resolve(relative)
            except PkError as exc:
                raise PkError(f"{pkg.nvr()}: {exc.message}") from None
            if entry.type == DIRECTORY:
                uid = self.ids.uid(entry.uname, entry.uid)
                gid = self.ids.gid(entry.gname, entry.gid)
                acl = (uid, gid, entry.mode)
                record = staged.directory(relative)
                record.acl = None if acl == DEFAULT_DIR_ACL else acl
                staged.dir_modes.append((host, acl))
                continue
            decision = self._ownership(pkg, relative)
            if decision == "no":
                continue
            if os.path.isdir(host) and not os.path.islink(host):
                raise PkError(f"{pkg.nvr()}: cannot replace directory {relative} with a {'symlink' if entry.type == SYMLINK else 'file'}")
            final = host
            new_checksum = entry.pax.get(CHECKSUM_KEY)
            if entry.type == SYMLINK:
                new_checksum = hashlib.sha1(entry.linkname.encode("utf-8", "surrogateescape")).hexdigest()
            if self._keep_users_file(relative, host, entry, new_checksum):
                final = host + ".apk-new"
            temporary = self._temporary(final)
            try:
                checksum = self._write(entry, reader, temporary, temps_by_path, pkg)
            except BaseException:
                if os.path.lexists(temporary):
                    os.unlink(temporary)
                raise
            temps_by_path[relative] = temporary
            if final == host:
                if entry.type == SYMLINK:
                    self.rootfs.staged_links[relative] = entry.linkname
                else:
                    self.rootfs.staged_files.add(relative)
            staged.renames.append((temporary, final))
            uid = self.ids.uid(entry.uname, entry.uid)
            gid = self.ids.gid(entry.gname, entry.gid)
            mode = entry.mode if entry.type != SYMLINK else 0o777
            acl = (uid, gid, mode)
            directory, _, name = relative.rpartition("/")
            record = FileRecord(name, None if acl == DEFAULT_FILE_ACL else acl, q1(checksum) if checksum else "")
            staged.directory(directory).files.append(record)
            staged.ownership.append((temporary, entry.uname, entry.gname, record, acl))
            staged.paths.add(relative)
            staged.changed_dirs.add("/" + directory)

    def _ownership(self, pkg, relative: str) -> str:
        current = self.owners.get(relative)
        if current is None:
            return "yes"
        decision = self.replaces_file(current[0], pkg)
        if decision != "conflict":
            return decision
        if self.ctx.forced("overwrite"):
            self.ctx.out.warning(f"{pkg.nvr()}: overwriting {relative} owned by {current[0].nvr()}.")
            return "yes"
        raise PkError(f"{pkg.nvr()}: trying to overwrite {relative} owned by {current[0].nvr()}.")

    def _keep_users_file(self, relative: str, host: str, entry, new_checksum: str | None) -> bool:
        """Should the new version go to `.apk-new` because the user changed a protected file?"""
        mode = self.protected.mode(relative)
        if mode in (protected.NONE, protected.IGNORE):
            return False
        if mode == protected.SYMLINKS_ONLY and entry.type != SYMLINK:
            return False
        on_disk = _disk_checksum(host)
        if on_disk is None or on_disk == new_checksum:
            return False
        if mode == protected.ALL:
            return True
        current = self.owners.get(relative)
        recorded = current[1].checksum if current is not None else ""
        return q1(on_disk) != recorded

    def _write(self, entry, reader, temporary: str, temps_by_path: dict, pkg) -> str:
        """Create the temporary file for one member; returns the hex SHA-1 apk records for it."""
        if entry.type == SYMLINK:
            os.symlink(entry.linkname, temporary)
            self._finish_attributes(entry, temporary, None)
            return hashlib.sha1(entry.linkname.encode("utf-8", "surrogateescape")).hexdigest()
        if entry.type == HARDLINK:
            target = temps_by_path.get(clean_member_name(entry.linkname))
            if target is None:
                raise PkError(f"{pkg.nvr()}: {entry.name}: no hard link target ({entry.linkname}) in archive")
            os.link(target, temporary)
            return _disk_checksum(target) or ""
        if entry.type in (CHARDEV, BLOCKDEV, FIFO):
            kind = {CHARDEV: stat.S_IFCHR, BLOCKDEV: stat.S_IFBLK, FIFO: stat.S_IFIFO}[entry.type]
            if entry.type != FIFO and not self.is_root:
                raise PkError(f"{pkg.nvr()}: {entry.name}: creating device nodes needs root")
            os.mknod(temporary, kind | 0o600, os.makedev(entry.devmajor, entry.devminor))
            self._finish_attributes(entry, temporary, None)
            return ""
        created_right = self._owned_as_created(entry)
        mode = entry.mode if created_right else 0o600
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        try:
            digest = hashlib.sha1()
            while chunk := reader.read(_CHUNK):
                digest.update(chunk)
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
            expected = entry.pax.get(CHECKSUM_KEY)
            if expected and expected != digest.hexdigest():
                raise TrustError(pkg.nvr(), f"BAD file checksum: {entry.name}")
            self._finish_attributes(entry, temporary, fd, created_right)
        finally:
            os.close(fd)
        return digest.hexdigest()

    def _owned_as_created(self, entry) -> bool:
        """Does a new file already get the entry's owner (so its mode can be set at creation)?

        The stager runs with umask 0, so the creation mode is the final mode; only a file
        that must be chowned needs its mode set afterwards (chown clears set-id bits).
        """
        if not self.is_root:
            return True
        return (self.ids.uid(entry.uname, entry.uid), self.ids.gid(entry.gname, entry.gid)) == (self.euid, self.egid)

    def _finish_attributes(self, entry, path: str, fd: int | None, created_right: bool = False) -> None:
        """Owner, mode, mtime and xattrs, on the open descriptor where there is one."""
        uid = self.ids.uid(entry.uname, entry.uid)
        gid = self.ids.gid(entry.gname, entry.gid)
        is_link = entry.type == SYMLINK
        target = fd if fd is not None else path
        if self.is_root and not created_right:
            if fd is not None:
                os.fchown(fd, uid, gid)
            else:
                os.lchown(path, uid, gid)
        if not is_link and not created_right:
            if fd is not None:
                os.fchmod(fd, entry.mode)
            else:
                os.chmod(path, entry.mode)
        for key, value in entry.pax.items():
            if key.startswith(_XATTR_PREFIX):
                try:
                    os.setxattr(target, key[len(_XATTR_PREFIX):], value.encode("utf-8", "surrogateescape"), follow_symlinks=not is_link)
                except OSError as exc:
                    self.ctx.out.warning(f"{entry.name}: failed to preserve xattr {key[len(_XATTR_PREFIX):]}: {exc.strerror}")
        if fd is not None:
            os.utime(fd, (entry.mtime, entry.mtime))
        else:
            os.utime(path, (entry.mtime, entry.mtime), follow_symlinks=False)

    def refresh_owners(self, staged: StagedPackage) -> None:
        """Re-resolve user/group names after scripts ran (a pre-install may add users)."""
        fresh = IdMap(self.rootfs.root)
        if fresh.users == self.ids.users and fresh.groups == self.ids.groups:
            return
        self.ids = fresh
        if not self.is_root:
            return
        for temporary, uname, gname, record, acl in staged.ownership:
            uid, gid, mode = acl
            new_uid, new_gid = fresh.uid(uname, uid), fresh.gid(gname, gid)
            if (new_uid, new_gid) != (uid, gid):
                os.lchown(temporary, new_uid, new_gid)
                if not stat.S_ISLNK(os.lstat(temporary).st_mode):
                    os.chmod(temporary, mode)
                new_acl = (new_uid, new_gid, mode)
                record.acl = None if new_acl == DEFAULT_FILE_ACL else new_acl


def _disk_checksum(host: str) -> str | None:
    """Hex SHA-1 of what is at `host` now (a symlink's target text), None when nothing is there."""
    try:
        info = os.lstat(host)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return hashlib.sha1(os.fsencode(os.readlink(host))).hexdigest()
    if not stat.S_ISREG(info.st_mode):
        return None
    digest = hashlib.sha1()
    with open(host, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
