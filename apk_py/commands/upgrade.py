"""pk upgrade: upgrade the installed packages (apk-tools itself first), like `apk upgrade`."""

from __future__ import annotations

from apk_py import commit, database
from apk_py import solver as S
from apk_py import version as V
from apk_py.options import Option

USAGE = "[<OPTIONS>...] [PACKAGES...]"
OPTIONS = (
    Option("available", "a", help="Reset all packages to versions available from current repositories"),
    Option("ignore", help="Upgrade all other packages than the ones listed"),
    Option("latest", "l", help="Select latest version of package (if it is not pinned)"),
    Option("preupgrade", help="Upgrade the preupgrade dependencies first (the default)"),
    Option("no-preupgrade", help="Do not upgrade the preupgrade dependencies first"),
    Option("preupgrade-only", help="Only upgrade the preupgrade dependencies"),
    Option("preupgrade-depends", None, "DEPS", "Add or modify preupgrade dependencies", repeat=True),
    Option("prune", help="Prune the WORLD by removing packages which are no longer available"),
    Option("self-upgrade", help="Alias for --preupgrade"),
    Option("no-self-upgrade", help="Alias for --no-preupgrade"),
    Option("self-upgrade-only", help="Alias for --preupgrade-only"),
)

# Asked for before anything else is upgraded, like apk-tools does for itself.
DEFAULT_PREUPGRADE = "apk-tools"


def run(ctx, opts, args) -> int:
    db = database.open_database(ctx)
    if commit.check_world(db, db.world):
        ctx.out.error("Not continuing with upgrade due to missing repository tags.")
        return 99
    if db.unavailable_repos and not ctx.forced("missing_repositories"):
        ctx.out.error("Not continuing due to stale/unavailable repositories. Use --force-missing-repositories to continue.")
        return 99
    flags = S.UPGRADE
    if opts.get("available"):
        flags |= S.AVAILABLE
    if opts.get("latest"):
        flags |= S.LATEST
    preupgrade_only = bool(opts.get("preupgrade_only") or opts.get("self_upgrade_only"))
    preupgrade = not (opts.get("no_preupgrade") or opts.get("no_self_upgrade"))
    if (preupgrade_only or ctx.root == "/") and preupgrade and not args:
        result = preupgrade_first(ctx, db, flags, preupgrade_only, opts.get("preupgrade_depends") or [])
        if result:
            return commit.exit_status(result)
        if db.reopen_requested:
            db = database.open_database(ctx)
    if preupgrade_only:
        return 0

    world = db.world
    if opts.get("prune") or flags & S.AVAILABLE:
        world = commit.copy_world(db.world)
        if flags & S.AVAILABLE:
            for dep in world:
                if dep.op == V.CHECKSUM:
                    dep.op = V.ANY
                    dep.version = None
        if opts.get("prune"):
            world = [dep for dep in world if any(db.pkg_available(pkg) for pkg, _ in dep.name.providers)]
    if args:
        if not opts.get("ignore"):
            flags &= ~S.UPGRADE
        errors = 0
        for pattern, name in commit.matching_names(db, args):
            if name is None:
                ctx.out.error(f"Package '{pattern}' not found")
                errors += 1
                continue
            S.set_name_flags(db, name, S.INSTALLED if opts.get("ignore") else S.UPGRADE, 0)
        if errors:
            return commit.exit_status(errors)
    return commit.exit_status(commit.solve_and_commit(ctx, db, flags, world))


def preupgrade_first(ctx, db, flags: int, preupgrade_only: bool, extra: list[str]) -> int:
    """apk_do_preupgrade: upgrade apk-tools (and --preupgrade-depends) in a transaction of its own."""
    deps: list = []
    for text in [DEFAULT_PREUPGRADE] + list(extra):
        invalid = False
        for word in text.split():
            try:
                commit.deps_add(deps, db.parse_atom(word))
            except database.DepFormatError:
                invalid = True
        if invalid:
            ctx.out.warning(f"Ignored invalid preupgrade dependencies from: {text}")
    wanted = False
    for dep in deps:
        installed = commit.installed_package(dep.name)
        if not S.dep_is_materialized(dep, installed):
            continue
        for pkg, _ in dep.name.providers:
            if pkg.repos and S.version_match(pkg.version, V.GREATER, installed.version):
                S.set_name_flags(db, dep.name, flags, 0)
                wanted = True
                break
    if not wanted:
        return 0
    db.performing_preupgrade = True
    try:
        changeset, errors = S.solve(db, 0, db.world)
        if errors:
            ctx.out.warning("Failed to perform initial preupgrade, continuing with a full upgrade.")
            return 0
        if not changeset.num_total_changes:
            return 0
        if not preupgrade_only and ctx.simulate:
            ctx.out.warning("This simulation might not reliable as a preupgrade is available.")
            return 0
        if preupgrade_only:
            db.performing_preupgrade = False
        ctx.out.msg("Preupgrading:")
        result = commit.commit_changeset(ctx, db, changeset, db.world)
        if result < 0 or preupgrade_only:
            return result
        ctx.out.msg("Continuing with the main upgrade transaction:")
        db.reopen_requested = True
        return 0
    finally:
        db.performing_preupgrade = False
