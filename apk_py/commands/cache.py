"""pk cache: clean the package cache or fill it with what the world needs, like `apk cache`."""

from __future__ import annotations

import os
import shutil
import tempfile

from apk_py import database
from apk_py.commands.fetch import package_source, verified_copy
from apk_py.commands.info import apk_reason, nvr, say
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "[<OPTIONS>...] sync | clean | purge | download [DEPENDENCIES...]"
OPTIONS = (
    Option("add-dependencies", help="Download the world's packages as well as DEPENDENCIES"),
    Option("available", "a", help="Select only packages the repositories offer"),
    Option("ignore-conflict", help="Ignore conflicts when selecting packages"),
    Option("latest", "l", help="Select the latest version of each package (unless pinned)"),
    Option("upgrade", "u", help="Select upgrades of installed packages"),
)

ACTIONS = ("sync", "clean", "purge", "download")
# apk's status for a request it rejects (a negative result).
INVALID = 250


def run(ctx, opts, args) -> int:
    if not args or args[0] not in ACTIONS:
        what = f"'{args[0]}' is not a cache action" if args else "no cache action given"
        ctx.out.error(f"{what}: use one of {', '.join(ACTIONS)}")
        return INVALID
    from apk_py import solver as S

    action = args[0]
    flags = ((S.AVAILABLE if opts.get("available") else 0) | (S.IGNORE_CONFLICT if opts.get("ignore_conflict") else 0)
             | (S.LATEST if opts.get("latest") else 0) | (S.UPGRADE if opts.get("upgrade") else 0))
    db = database.open_database(ctx)
    download = action in ("sync", "download") and db.cache_active()
    if download and (flags or opts.get("add_dependencies")) and db.unavailable_repos and not ctx.forced("missing_repositories"):
        ctx.out.error("Not continuing due to stale/unavailable repositories. Use --force-missing-repositories to continue.")
        return 3
    if action != "download":
        _clean(ctx, db, purge=action == "purge")
    if download:
        return _download(ctx, db, args[1:], flags, bool(opts.get("add_dependencies")))
    return 0


def _clean(ctx, db, purge: bool) -> None:
    """Delete what the cache no longer needs: packages no repository offers and nothing
    has installed, packages of local repositories, and files that are neither packages
    nor the index of a configured repository. Purging deletes installed packages too."""
    from apk_py import fetch

    directory = db.cache_dir()
    try:
        entries = sorted(os.listdir(directory))
    except OSError:
        return
    packages = {database.cache_file_name(pkg): pkg for pkg in db.packages.values()}
    indexes = {fetch.index_cache_name(repo) for repo in db.repos[1:]}
    for entry in entries:
        if entry == "installed" or entry in indexes:
            continue
        pkg = packages.get(entry)
        if pkg is not None and not (
                (purge and (db.root_is_permanent() or pkg.installed is None))
                or pkg.repos & db.local_repos
                or (pkg.installed is None and not db.pkg_available(pkg))):
            continue
        if ctx.verbosity >= 2:
            say(ctx, f"deleting {entry}")
        if ctx.simulate:
            continue
        path = os.path.join(directory, entry)
        try:
            os.unlink(path)
        except IsADirectoryError:
            _remove_empty_directory(path)
        except OSError as exc:
            ctx.out.warning(f"{path}: {exc.strerror}")


def _remove_empty_directory(path: str) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


def _download(ctx, db, args: list[str], flags: int, add_dependencies: bool) -> int:
    """Download into the cache every remote package the solution for the world (or the
    given dependencies) holds that the cache lacks."""
    from apk_py import commit
    from apk_py import solver as S

    deps = commit.copy_world(db.world) if not args or add_dependencies else []
    for arg in args:
        try:
            deps.append(db.parse_atom(arg, allow_tag=True))
        except database.DepFormatError:
            ctx.out.error(f"bad dependency: {arg}")
            return INVALID
    changeset, _ = S.solve(db, flags, deps)
    wanted = [change.new_pkg for change in changeset.changes
              if change.new_pkg is not None and not change.new_pkg.cached and not change.new_pkg.repos & db.local_repos
              and change.new_pkg.installed_size and package_source(db, change.new_pkg) is not None]
    if not wanted:
        return 0
    say(ctx, f"Downloading {len(wanted)} packages...")
    digits = len(str(len(wanted)))
    errors = 0
    for number, pkg in enumerate(wanted, 1):
        say(ctx, f"({number:>{digits}}/{len(wanted)}) Downloading {nvr(pkg)}")
        if ctx.simulate:
            continue
        try:
            _cache_package(ctx, db, pkg)
        except PkError as exc:
            ctx.out.error(f"{nvr(pkg)}: {apk_reason(exc)}")
            errors += 1
        except OSError as exc:
            ctx.out.error(f"{nvr(pkg)}: {exc.strerror or exc}")
            errors += 1
    return INVALID if errors else 0


def _cache_package(ctx, db, pkg) -> None:
    location, local = package_source(db, pkg)
    cache = db.cache_dir()
    scratch = tempfile.mkdtemp(prefix=".pk-fetch.", dir=cache)
    try:
        os.replace(verified_copy(ctx, db, pkg, location, local, scratch), os.path.join(cache, database.cache_file_name(pkg)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
