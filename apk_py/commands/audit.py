"""pk audit: compare the file system with what the installed packages recorded, like
`apk audit`. Each finding is a letter and a root-relative path:

  A  added (no package owns it, or a protected path to back up whatever it holds)
  U  updated (content differs from the package's)
  M  owner or mode differs (--check-permissions)
  D  directory no package owns (d: the same, descended into with --recursive)
  m  directory owner or mode differs (--check-permissions)
  X  missing (--system, --full)
  e  could not be read
"""

from __future__ import annotations

import binascii
import fnmatch
import hashlib
import os
import stat

from apk_py import database, protected
from apk_py.commands.info import nvr, write
from apk_py.options import Option

USAGE = "[<OPTIONS>...] [DIRECTORIES...]"
OPTIONS = (
    Option("backup", help="Report changed configuration: what a backup should hold (the default)"),
    Option("check-permissions", help="Also report files and directories whose owner or mode changed"),
    Option("details", help="Show the recorded and the found owner, mode and checksum of each finding"),
    Option("full", help="Audit everything except configuration and run-time data"),
    Option("ignore-busybox-symlinks", help="Skip unowned symlinks to busybox"),
    Option("packages", help="List the packages with findings instead of the paths"),
    Option("protected-paths", None, "FILE", "Read the protected path rules from FILE"),
    Option("recursive", "r", help="Descend into directories no package owns"),
    Option("system", help="Audit the files packages installed outside protected paths"),
)

BACKUP, SYSTEM, FULL = "backup", "system", "full"
# What --full leaves alone: configuration is for --backup, the rest is run-time data.
FULL_RULES = ("+etc", "@etc/init.d", "-dev", "-home", "-lib/apk", "-lib/rc/cache", "-proc", "-root", "-run", "-sys",
              "-tmp", "-var")
BUSYBOX_TARGETS = ("/bin/busybox", "/bin/bbsuid", "/bin/busybox-extras")
APK_NEW_SUFFIX = ".apk-new"
_ALGORITHMS = {16: "md5", 20: "sha1", 32: "sha256", 64: "sha512"}
_NOT_PROTECTED = (protected.NONE, protected.IGNORE)
_DEFAULT_DIR_ACL = (0, 0, 0o755)
_DEFAULT_FILE_ACL = (0, 0, 0o644)


def run(ctx, opts, args) -> int:
    mode = FULL if opts.get("full") else SYSTEM if opts.get("system") else BACKUP
    if mode == FULL:
        rules = protected.ProtectedPaths(FULL_RULES)
    elif opts.get("protected_paths"):
        rules = _rules_from_file(ctx, opts["protected_paths"])
        if rules is None:
            return 250
    else:
        rules = protected.ProtectedPaths.for_root(ctx.root)
    db = database.open_database(ctx, repositories_too=False)
    auditor = _Auditor(ctx, db, rules, mode, opts)
    failed = False
    if not args:
        auditor.walk("")
    for arg in args:
        if not arg.startswith("/"):
            ctx.out.warning(f"{arg}: relative path skipped.")
            continue
        relative = arg.strip("/")
        if not os.path.isdir(ctx.path(relative)):
            ctx.out.error(f"{arg}: {'Not a directory' if os.path.lexists(ctx.path(relative)) else 'No such file or directory'}")
            failed = True
            continue
        auditor.walk(relative)
    if mode != BACKUP:
        auditor.report_missing()
    return 250 if failed else 0


def _rules_from_file(ctx, path: str):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        ctx.out.error(f"unable to read protected path file: {path}: {exc.strerror}")
        return None
    rules = protected.ProtectedPaths(())
    for line in lines:
        rules.add(line)
    return rules


class _Auditor:
    """Walks the tree, compares each entry with the installed database and reports."""

    def __init__(self, ctx, db, rules, mode: str, opts):
        self.ctx = ctx
        self.rules = rules
        self.mode = mode
        self.recursive = bool(opts.get("recursive"))
        self.check_permissions = bool(opts.get("check_permissions"))
        self.details = bool(opts.get("details"))
        self.packages_only = bool(opts.get("packages"))
        self.ignore_busybox = bool(opts.get("ignore_busybox_symlinks"))
        self.verbosity = ctx.verbosity
        self.files = {}  # path -> (package, FileRecord), the first package listing it
        self.dir_acls = {}  # owned directory -> its owner and mode
        self.known_dirs = {""}  # owned directories and their parents
        for pkg in db.installed_pkgs:
            for directory in pkg.installed.dirs:
                self.dir_acls.setdefault(directory.path, directory.acl or _DEFAULT_DIR_ACL)
                parent = directory.path
                while parent not in self.known_dirs:
                    self.known_dirs.add(parent)
                    parent = parent.rpartition("/")[0]
                prefix = directory.path + "/" if directory.path else ""
                for record in directory.files:
                    self.files.setdefault(prefix + record.name, (pkg, record))
        self.audited = set()
        self.examined_dirs = set()
        self.reported_packages = set()

    # --- walking ------------------------------------------------------------------------------

    def walk(self, directory: str) -> None:
        self.examined_dirs.add(directory)
        self._walk(directory)

    def _walk(self, directory: str) -> None:
        try:
            names = sorted(os.listdir(self.ctx.path(directory) if directory else self.ctx.root))
        except OSError:
            return
        for name in names:
            path = f"{directory}/{name}" if directory else name
            try:
                info = os.lstat(self.ctx.path(path))
            except OSError:
                self.audited.add(path)
                self.report("e", path, self.files.get(path))
                continue
            if stat.S_ISDIR(info.st_mode):
                self._directory(path, info)
            else:
                self._file(path, info)

    def _directory(self, path: str, info) -> None:
        protection = self.rules.mode(path)
        descend = True
        reason = None
        if self.mode == BACKUP:
            descend = self._has_protected_children(path)
            if protection not in _NOT_PROTECTED:
                reason = self._audit_directory(path, info)
        elif self.mode == SYSTEM:
            if path not in self.known_dirs:
                return
            reason = self._audit_directory(path, info)
        elif protection == protected.NONE:
            reason = self._audit_directory(path, info)
        elif protection == protected.IGNORE:
            descend = False
        if reason:
            self.report(reason, path + "/", None, info, directory=path)
        if reason != "D" and descend:
            self._walk(path)

    def _audit_directory(self, path: str, info) -> str | None:
        self.examined_dirs.add(path)
        if path not in self.known_dirs:
            return "d" if self.recursive else "D"
        acl = self.dir_acls.get(path)
        if self.check_permissions and acl is not None and _differs(info, acl):
            return "m"
        return None

    def _has_protected_children(self, path: str) -> bool:
        """Could anything below this directory be protected (so --backup must look)?"""
        if self.rules.mode(path) not in _NOT_PROTECTED:
            return True
        parts = path.split("/")
        for pattern, mode in self.rules.rules:
            pattern_parts = pattern.split("/")
            if mode not in _NOT_PROTECTED and len(pattern_parts) > len(parts) and all(
                    fnmatch.fnmatchcase(part, wanted) for part, wanted in zip(parts, pattern_parts)):
                return True
        return False

    def _file(self, path: str, info) -> None:
        protection = self.rules.mode(path)
        owner = self.files.get(path)
        if owner is not None:
            self.audited.add(path)
        is_link = stat.S_ISLNK(info.st_mode)
        reason = None
        if self.mode == FULL:
            if protection in (protected.IGNORE, protected.ALL, protected.CHANGED) or (protection == protected.SYMLINKS_ONLY and is_link):
                return
        elif self.mode == BACKUP:
            if protection in _NOT_PROTECTED or (protection == protected.SYMLINKS_ONLY and not is_link):
                return
            if protection == protected.ALL:
                reason = "A"
            if (owner is None or reason == "A") and path.endswith(APK_NEW_SUFFIX):
                return
        elif owner is None or protection not in _NOT_PROTECTED:
            return
        if owner is None and self.ignore_busybox and is_link and self._busybox_link(path):
            return
        found = (info, b"")
        if reason is None:
            reason, found = self._audit_file(path, info, owner)
        if reason:
            self.report(reason, path, owner, found[0], found_digest=found[1])

    def _busybox_link(self, path: str) -> bool:
        try:
            return os.readlink(self.ctx.path(path)) in BUSYBOX_TARGETS
        except OSError:
            return False

    def _audit_file(self, path: str, info, owner):
        """The reason to report a file (None when it matches), with what was found."""
        if owner is None and not self.details:
            return "A", (info, b"")
        algorithm, recorded = _digest(owner[1].checksum) if owner is not None else ("sha256", b"")
        try:
            found = _file_digest(self.ctx.path(path), info, algorithm or "sha256")
        except OSError:
            return "e", (info, b"")
        if owner is None:
            return "A", (info, found)
        is_link = stat.S_ISLNK(info.st_mode)
        if algorithm is None:
            changed = is_link or stat.S_ISREG(info.st_mode)
        else:
            changed = found != recorded
        if changed:
            return "U", (info, found)
        if self.check_permissions and _differs(info, owner[1].acl or _DEFAULT_FILE_ACL):
            return "M", (info, found)
        return None, (info, found)

    # --- reporting ----------------------------------------------------------------------------

    def report(self, reason: str, path: str, owner, info=None, found_digest: bytes = b"", directory: str | None = None) -> None:
        if self.packages_only:
            if owner is None or owner[0] in self.reported_packages:
                return
            self.reported_packages.add(owner[0])
            write(self.ctx, f"{owner[0].name.name if self.verbosity < 1 else nvr(owner[0])}\n")
            return
        if self.verbosity < 1:
            write(self.ctx, f"{path}\n")
            return
        lines = []
        if self.details:
            recorded = None
            if owner is not None:
                recorded = (owner[1].acl or _DEFAULT_FILE_ACL, _digest(owner[1].checksum)[1])
            elif directory is not None and reason not in ("D", "d"):
                recorded = (self.dir_acls.get(directory, _DEFAULT_DIR_ACL), b"")
            if recorded is not None:
                lines.append("- " + _attributes(recorded[0], recorded[1]))
            if info is not None:
                lines.append("+ " + _attributes((info.st_uid, info.st_gid, info.st_mode), found_digest))
        lines.append(f"{reason} {path}")
        write(self.ctx, "".join(line + "\n" for line in lines))

    def report_missing(self) -> None:
        """X: files packages installed in the examined directories that are gone."""
        for path, owner in self.files.items():
            if path in self.audited or path.rpartition("/")[0] not in self.examined_dirs:
                continue
            if self.rules.mode(path) == protected.IGNORE:
                continue
            self.report("X", path, owner)


def _differs(info, acl) -> bool:
    uid, gid, mode = acl
    return (info.st_mode & 0o7777) != (mode & 0o7777) or info.st_uid != uid or info.st_gid != gid


def _attributes(acl, digest: bytes) -> str:
    uid, gid, mode = acl
    text = f"mode={mode & 0o7777:o} uid={uid} gid={gid}"
    return text + (f" hash={digest.hex()}" if digest else "")


def _digest(checksum: str) -> tuple[str | None, bytes]:
    """(algorithm, digest) of an installed file's `Q1...`/`X1...` checksum."""
    try:
        if checksum.startswith("Q"):
            digest = binascii.a2b_base64(checksum[2:])
        elif checksum.startswith("X"):
            digest = bytes.fromhex(checksum[2:])
        else:
            return None, b""
    except (binascii.Error, ValueError):
        return None, b""
    return _ALGORITHMS.get(len(digest)), digest


def _file_digest(host_path: str, info, algorithm: str) -> bytes:
    """The digest apk compares: of a file's content, or of a symlink's target."""
    digest = hashlib.new(algorithm)
    if stat.S_ISLNK(info.st_mode):
        digest.update(os.fsencode(os.readlink(host_path)))
    elif stat.S_ISREG(info.st_mode):
        with open(host_path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    else:
        return b""
    return digest.digest()
