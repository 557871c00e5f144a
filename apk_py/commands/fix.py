"""pk fix: reinstall, upgrade or repair installed packages without changing the world."""

from __future__ import annotations

import os

from apk_py import commit, database
from apk_py import solver as S
from apk_py.options import Option

USAGE = "[<OPTIONS>...] [PACKAGES...]"
OPTIONS = (
    Option("depends", "d", help="Fix all dependencies too"),
    Option("directory-permissions", help="Reset all directory permissions"),
    Option("reinstall", "r", help="Reinstall the package (default)"),
    Option("upgrade", "u", help="Upgrade the package if an upgrade is available"),
    Option("xattr", "x", help="Fix packages with broken xattrs"),
)


def run(ctx, opts, args) -> int:
    args = [arg for arg in args if arg]
    db = database.open_database(ctx)
    if not ctx.simulate:
        from apk_py import install

        if install.recover(ctx, db):
            db = database.open_database(ctx)
    flags = (S.REINSTALL if opts.get("reinstall") else 0) | (S.UPGRADE if opts.get("upgrade") else 0)
    if not flags:
        flags = S.REINSTALL
    inheritable = flags if opts.get("depends") else 0
    if not args:
        for pkg in db.installed_pkgs:
            broken = pkg.get("f")
            if "f" in broken or "s" in broken or ("x" in broken and opts.get("xattr")):
                S.set_name_flags(db, pkg.name, flags, inheritable)
    else:
        errors = 0
        for pattern, name in commit.matching_names(db, args):
            if name is None:
                ctx.out.error(f"Package '{pattern}' not found")
                errors += 1
                continue
            S.set_name_flags(db, name, flags, inheritable)
        if errors:
            return commit.exit_status(errors)
    if opts.get("directory_permissions") and not ctx.simulate and not _fix_directory_permissions(ctx, db):
        ctx.out.error("Failed to fix directory permissions")
        return 99
    return commit.exit_status(commit.solve_and_commit(ctx, db, 0, db.world))


def _fix_directory_permissions(ctx, db) -> bool:
    """Give every directory the owner and mode its installed package records."""
    ok = True
    for record in db.installed:
        for directory in db.installed_info[id(record)].dirs:
            if not directory.path:
                continue
            uid, gid, mode = directory.acl or (0, 0, 0o755)
            path = ctx.path(directory.path)
            try:
                status = os.lstat(path)
                if (status.st_mode & 0o7777) != mode:
                    os.chmod(path, mode)
                if (status.st_uid, status.st_gid) != (uid, gid) and os.geteuid() == 0:
                    os.lchown(path, uid, gid)
            except FileNotFoundError:
                continue
            except OSError as exc:
                ctx.out.warning(f"failed to update directory {directory.path}: {exc.strerror}")
                ok = False
    return ok
