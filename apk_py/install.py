"""Carrying out a change set on disk: fetch, verify, stage, commit, record.

The order is what makes it safe:
1. every package is fetched and verified (signature, identity against its index entry,
   data hash) before the root is touched;
2. a journal records the plan; every package is then staged under temporary names, with
   path safety, file conflicts and protected files decided while nothing is visible yet;
   any failure (bad checksum, conflict, full disk) removes what was staged and leaves the
   root and its database exactly as they were;
3. past the journal's commit mark, each change runs its scripts around the renames that
   put its files in place, and removes what the old version had and the new one lacks;
4. the installed database, scripts, triggers and world are written atomically, triggers
   run, and the journal goes. An interruption in step 3 is finished by `pk fix`.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import tempfile
import time

from apk_py import apkfile, fetch, journal, progress, scripts
from apk_py.errors import PkError
from apk_py.extract import Stager
from apk_py.installed import InstalledInfo
from apk_py.lock import DatabaseLock
from apk_py.package import Package, canonical_order

FETCH_WORKERS = 4


class Change:
    """One step of a transaction: install (old None), remove (new None), upgrade or reinstall."""

    __slots__ = ("old", "new", "reinstall")

    def __init__(self, old: Package | None, new: Package | None, reinstall: bool = False):
        self.old = old
        self.new = new
        self.reinstall = reinstall

    @property
    def action(self) -> str:
        if self.new is None:
            return "remove"
        return "install" if self.old is None else "upgrade"


def _matches(dep, pkg: Package) -> bool:
    """Does a replaces/conflict atom name this package (by name or a provided name)?"""
    if dep.name == pkg.name:
        return dep.matches_version(pkg.version)
    return any(p.name == dep.name for p in pkg.provides)


class Transaction:
    """One commit of a change set into a root."""

    def __init__(self, ctx, db):
        self.ctx = ctx
        self.db = db
        self.root = ctx.root
        self.txid = f"{os.getpid()}{int(time.time() * 1000) % 100000:05d}"
        self.files: dict[int, str] = {}  # id(new package) -> verified local .apk path
        self.opened: dict[int, apkfile.ApkFile] = {}
        self.staged = {}
        self.removing: set[int] = set()
        self.changed_dirs: set[str] = set()
        self.scratch = None
        self.journal = journal.Journal(self.root, self.txid)
        self.failed_scripts = 0
        self.owners: dict = {}
        self.log_lines: list[str] = []
        self.stager = None
        self.script_store = scripts.ScriptStore(self.root)
        self.triggers = scripts.read_triggers(self.root)

    # --- 1. fetch and verify ---------------------------------------------------------------

    def fetch_and_verify(self, packages: list[Package], progress=None) -> None:
        """Download (or locate) and fully verify every package, concurrently."""
        self.scratch = tempfile.mkdtemp(prefix="pk-fetch.")

        def one(pkg: Package):
            path = fetch.package_file(self.ctx, self.db, pkg, self.scratch, progress)
            package = apkfile.ApkFile.open(path)
            try:
                package.verify(self.db.keys, self.ctx.allow_untrusted, pkg.checksum or None)
            except BaseException:
                package.close()
                raise
            return pkg, package

        workers = min(FETCH_WORKERS, max(1, len(packages)))
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            futures = [pool.submit(one, pkg) for pkg in packages]
            errors = []
            for future in futures:
                try:
                    pkg, package = future.result()
                    self.opened[id(pkg)] = package
                except Exception as exc:
                    errors.append(exc)
        if errors:
            self.close()
            raise errors[0]

    # --- 2. stage ---------------------------------------------------------------------------

    def _owners(self) -> dict:
        owners = {}
        for pkg in self.db.installed:
            info = self.db.installed_info[id(pkg)]
            for directory in info.dirs:
                prefix = directory.path + "/" if directory.path else ""
                for record in directory.files:
                    owners[prefix + record.name] = (pkg, record, directory)
        return owners

    def replaces_file(self, owner: Package, new: Package) -> str:
        """apk's rule for a path both packages ship: "yes" (take it), "no" (keep owner's) or "conflict"."""
        if owner.name == new.name or id(owner) in self.removing:
            return "yes"
        owner_priority = owner.replaces_priority if any(_matches(dep, new) for dep in owner.replaces) else -1
        new_priority = new.replaces_priority if any(_matches(dep, owner) for dep in new.replaces) else -1
        if owner_priority > new_priority:
            return "no"
        if new_priority >= 0:
            return "yes"
        if owner.get("o") and owner.get("o") == new.get("o"):
            return "yes"
        return "conflict"

    def stage(self, changes: list[Change], world_atoms) -> None:
        """Stage every new package; all or nothing."""
        self.removing = {id(change.old) for change in changes if change.old is not None}
        plan = [(change.action, (change.new or change.old).name, (change.new or change.old).checksum) for change in changes]
        self.journal.start(plan, [str(atom) for atom in world_atoms])
        owners = self.owners = self._owners()
        stager = self.stager = Stager(self.ctx, self.root, self.txid, self.journal, owners, self.replaces_file)
        previous_umask = os.umask(0)
        try:
            for change in changes:
                if change.new is None:
                    continue
                if not self.has_file(change.new):
                    self.staged[id(change.new)] = (change.new, None, None)
                    continue
                package = self.opened[id(change.new)]
                record = self._installed_record(change.new, package)
                staged = stager.stage(record, package)
                self._take_ownership(owners, staged)
                self.staged[id(change.new)] = (record, staged, package)
        except BaseException:
            for _, staged, _ in self.staged.values():
                staged.discard()
            self.journal.finish()
            self.close()
            raise
        finally:
            os.umask(previous_umask)

    def _installed_record(self, pkg: Package, package: apkfile.ApkFile) -> Package:
        """The package as the installed database records it: index fields plus r/q from .PKGINFO."""
        fields = dict(pkg.fields)
        for key in ("r", "q"):
            value = package.pkginfo.get(key)
            if value:
                fields[key] = value
        record = Package(canonical_order(fields), pkg.repository)
        return record

    def _take_ownership(self, owners: dict, staged) -> None:
        """Paths the new package now owns leave their previous owner's record."""
        for directory in staged.dirs.values():
            prefix = directory.path + "/" if directory.path else ""
            for record in directory.files:
                path = prefix + record.name
                previous = owners.get(path)
                if previous is not None and previous[0].name != staged.pkg.name and previous[2] is not directory:
                    try:
                        previous[2].files.remove(previous[1])
                    except ValueError:
                        pass
                owners[path] = (staged.pkg, record, directory)

    # --- 3. commit ---------------------------------------------------------------------------

    def begin_commit(self) -> None:
        self.journal.mark_commit()

    def run_change(self, change: Change) -> None:
        """Put one change in place: scripts around renames, then the old version's leftovers go."""
        new_entry = self.staged.get(id(change.new)) if change.new is not None else None
        if change.new is None:
            self._run_stored(change.old, "pre-deinstall", [change.old.version])
            self._remove_files(change.old, keep=set())
            self._run_stored(change.old, "post-deinstall", [change.old.version])
            self._forget(change.old)
            return
        record, staged, package = new_entry
        upgrading = change.old is not None
        if package is None:
            self._record_virtual(change, record)
            return
        pkg_scripts = package.scripts()
        versions = [record.version, change.old.version] if upgrading else [record.version]
        self._run_new(record, pkg_scripts, ".pre-upgrade" if upgrading else ".pre-install", versions)
        self.stager.refresh_owners(staged)
        for host, acl in staged.dir_modes:
            self._apply_dir_acl(host, acl)
        for temporary, final in staged.renames:
            os.rename(temporary, final)
        self.changed_dirs |= staged.changed_dirs
        if upgrading:
            self._remove_files(change.old, keep=staged.paths)
            self._forget(change.old)
        info = InstalledInfo(list(staged.dirs.values()))
        self.db.installed.append(record)
        self.db.installed_info[id(record)] = info
        self.script_store.set(record, pkg_scripts)
        globs = package.pkginfo.get("triggers", "").split()
        if globs:
            self.triggers[record.checksum] = globs
        self._run_new(record, pkg_scripts, ".post-upgrade" if upgrading else ".post-install", versions)

    def _record_virtual(self, change: Change, record: Package) -> None:
        """A virtual package (`add -t NAME`) only enters the database: it has no files."""
        if change.old is not None:
            self._remove_files(change.old, keep=set())
            self._forget(change.old)
        self.db.installed.append(record)
        self.db.installed_info[id(record)] = InstalledInfo()

    def has_file(self, pkg: Package) -> bool:
        """Virtual packages made on the command line exist only in the database: nothing to fetch."""
        return pkg.size > 0 or self.db.repos_of(pkg) > 1

    def _apply_dir_acl(self, host: str, acl) -> None:
        uid, gid, mode = acl
        try:
            if os.geteuid() == 0:
                os.lchown(host, uid, gid)
            os.chmod(host, mode)
        except OSError as exc:
            self.ctx.out.warning(f"{host}: failed to set permissions: {exc.strerror}")

    def _run_new(self, pkg, pkg_scripts: dict, name: str, args: list[str]) -> None:
        body = pkg_scripts.get(name)
        if body is not None and not scripts.run(self.ctx, self.root, pkg, name.lstrip("."), body, args):
            self.failed_scripts += 1

    def _run_stored(self, pkg, action: str, args: list[str]) -> None:
        body = self.script_store.get(pkg, action)
        if body is not None and not scripts.run(self.ctx, self.root, pkg, action, body, args):
            self.failed_scripts += 1

    def _forget(self, pkg: Package) -> None:
        self.db.installed = [p for p in self.db.installed if p is not pkg]
        self.db.installed_info.pop(id(pkg), None)
        self.script_store.forget(pkg)
        self.triggers.pop(pkg.checksum, None)

    def _remove_files(self, pkg: Package, keep: set[str]) -> None:
        """Delete the files `pkg` owns that nobody keeps, then its directories that became empty."""
        info = self.db.installed_info.get(id(pkg))
        if info is None:
            return
        from apk_py.rootfs import RootFS

        rootfs = RootFS(self.root)
        for path in info.paths():
            owner = self.owners.get(path)
            if path in keep or (owner is not None and owner[0] is not pkg):
                continue
            self.owners.pop(path, None)
            try:
                os.unlink(rootfs.resolve(path))
                self.changed_dirs.add("/" + path.rpartition("/")[0])
            except FileNotFoundError:
                pass
            except OSError as exc:
                self.ctx.out.warning(f"{pkg.nvr()}: could not remove {path}: {exc.strerror}")
        other_dirs = set()
        for other in self.db.installed:
            if other is not pkg:
                other_dirs.update(d.path for d in self.db.installed_info[id(other)].dirs)
        for directory in sorted((d.path for d in info.dirs), key=len, reverse=True):
            if directory and directory not in other_dirs:
                try:
                    os.rmdir(rootfs.resolve(directory))
                except OSError:
                    pass

    # --- 4. record ---------------------------------------------------------------------------

    def finish(self, world_atoms) -> None:
        """Write the database, world, scripts and triggers; run triggers; drop the journal."""
        from apk_py import installed as installed_db
        from apk_py import world
        from apk_py.fsutil import atomic_write

        entries = [(pkg, self.db.installed_info[id(pkg)]) for pkg in self.db.installed]
        atomic_write(os.path.join(self.root, "lib/apk/db/installed"), installed_db.format(entries))
        self.script_store.save()
        scripts.write_triggers(self.root, self.triggers)
        world.write(os.path.join(self.root, "etc/apk/world"), world_atoms)
        self.journal.finish()
        self._write_log()
        self._run_triggers()
        self.close()

    def log(self, line: str) -> None:
        """Remember a progress line for var/log/apk.log."""
        self.log_lines.append(line)

    def _write_log(self) -> None:
        """Append this transaction's progress lines to var/log/apk.log, as apk-tools 3 does."""
        if not self.log_lines:
            return
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        path = os.path.join(self.root, "var/log/apk.log")
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "a", encoding="utf-8", errors="surrogateescape") as handle:
                handle.writelines(f"{stamp} {line}\n" for line in self.log_lines)
        except OSError as exc:
            self.ctx.out.warning(f"{path}: {exc.strerror}")

    def _run_triggers(self) -> None:
        for pkg in self.db.installed:
            globs = self.triggers.get(pkg.checksum)
            if not globs:
                continue
            matched = scripts.matching_dirs(globs, self.changed_dirs)
            body = self.script_store.get(pkg, "trigger")
            if matched and body is not None and not scripts.run(self.ctx, self.root, pkg, "trigger", body, matched):
                self.failed_scripts += 1

    def close(self) -> None:
        for package in self.opened.values():
            package.close()
        self.opened = {}
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


def init_database(ctx, arch: str) -> None:
    """`--initdb`: the directories of an empty database, and the root's architecture."""
    for directory in ("etc/apk", "lib/apk/db"):
        os.makedirs(ctx.path(directory), exist_ok=True)
    arch_file = ctx.path("etc/apk/arch")
    if not os.path.exists(arch_file):
        from apk_py.fsutil import atomic_write

        atomic_write(arch_file, f"{arch}\n".encode())


def describe(number: int, total: int, change: Change) -> str:
    """A plain progress line for a change (what the log gets when the caller prints nothing)."""
    pkg = change.new or change.old
    verb = {"install": "Installing", "remove": "Purging", "upgrade": "Replacing"}[change.action]
    return f"({number}/{total}) {verb} {pkg.name} ({pkg.version})"


def refuse_if_interrupted(root: str) -> None:
    """A half-finished transaction must be completed by `pk fix` before anything else writes."""
    if journal.pending(root) is not None:
        raise PkError("an interrupted transaction must be completed first: run 'pk fix'")


def apply(ctx, db, changes: list[Change], world_atoms, announce=None) -> int:
    """Carry out `changes` and record `world_atoms`; returns the number of failed scripts.

    `announce(index, change)` is called just before each change is put in place, so the
    caller can print apk's progress line for it; what it returns goes to var/log/apk.log.
    """
    new_packages = [change.new for change in changes if change.new is not None]
    bar = None
    if progress.wanted(ctx):
        bar = progress.ProgressBar(len(changes), sum(pkg.size for pkg in new_packages))
    with DatabaseLock(ctx.root, float(ctx.wait or 0)):
        refuse_if_interrupted(ctx.root)
        tx = Transaction(ctx, db)
        try:
            tx.fetch_and_verify([pkg for pkg in new_packages if tx.has_file(pkg)], bar.add_bytes if bar else None)
            tx.stage(changes, world_atoms)
            tx.begin_commit()
            for number, change in enumerate(changes, 1):
                if bar:
                    bar.clear()
                line = announce(number, change) if announce is not None else None
                tx.log(line or describe(number, len(changes), change))
                tx.run_change(change)
                if bar:
                    bar.package_done()
            tx.finish(world_atoms)
        finally:
            if bar:
                bar.clear()
        return tx.failed_scripts


def recover(ctx, db) -> bool:
    """Finish (or discard) a transaction that was interrupted; True when there was one.

    Before its commit mark nothing was visible: the temporary files are removed and the plan
    dropped. After it, the plan is carried out again from the start: staging overwrites
    what was already renamed into place, the old versions' leftovers are removed, and the
    database and world are written. Packages come from the repositories or the cache.
    """
    from apk_py import dependency

    pending = journal.pending(ctx.root)
    if pending is None:
        return False
    pending.remove_temporaries()
    os.unlink(pending.path)
    if not pending.committed:
        ctx.out.msg("Discarded an interrupted transaction (no file had been changed yet)")
        return True
    by_identity = {pkg.record.checksum: pkg.record for pkg in db.packages.values() if pkg.checksum}
    installed = {pkg.name: pkg for pkg in db.installed}
    changes = []
    for action, name, identity in pending.changes:
        old = installed.get(name)
        if action == "remove":
            if old is not None:
                changes.append(Change(old, None))
            continue
        new = by_identity.get(identity)
        if new is None:
            raise PkError(f"cannot finish the interrupted transaction: {name} ({identity}) is in no repository or cache")
        changes.append(Change(old, new, reinstall=old is not None and old.checksum == identity))
    world_atoms = [dependency.parse(line, allow_tag=True) for line in pending.world]
    ctx.out.msg(f"Finishing an interrupted transaction ({len(changes)} changes)")
    apply(ctx, db, changes, world_atoms,
          lambda number, change: ctx.out.msg(f"({number}/{len(changes)}) Finishing {(change.new or change.old).name}"))
    return True
