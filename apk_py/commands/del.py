"""pk del: remove constraints from the world and commit the resulting changes, like `apk del`."""

from __future__ import annotations

from apk_py import commit, database
from apk_py import solver as S
from apk_py import version as V
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PACKAGES..."
OPTIONS = (Option("rdepends", "r", help="Recursively delete all top-level reverse dependencies, too"),)

_WAS_WORLD_CONFLICT = 1
_IS_WORLD_DEPENDENCY = 2


def run(ctx, opts, args) -> int:
    args = [arg for arg in args if arg]
    db = database.open_database(ctx)
    original = list(db.world)
    world = commit.copy_world(db.world)
    recursive = bool(opts.get("rdepends"))
    visited: set = set()
    errors = 0

    def delete_pkg(pkg) -> None:
        commit.deps_del(world, pkg.name)
        S.set_name_flags(db, pkg.name, S.REMOVE, 0)
        if recursive:
            for dep in pkg.provides:
                commit.deps_del(world, dep.name)
            for pkg0, _ in S.reverse_dependencies(pkg, S.DEP_SATISFIES, installed_only=True, once=visited):
                delete_pkg(pkg0)

    for pattern, name in commit.matching_names(db, args):
        if name is None:
            ctx.out.error(f"No such package: {pattern}")
            errors += 1
            continue
        pkg = commit.installed_package(name)
        if pkg is not None:
            delete_pkg(pkg)
        else:
            commit.deps_del(world, name)
    if errors:
        return commit.exit_status(errors)

    changeset, result = S.solve(db, 0, world)
    if result:
        commit.print_errors(ctx, db, changeset, world)
        return commit.exit_status(result)
    if ctx.verbosity >= 1 and args:
        _explain_kept(ctx, db, changeset, original, world, args)
    return commit.exit_status(commit.commit_changeset(ctx, db, changeset, world))


def _explain_kept(ctx, db, changeset, original, world, args) -> None:
    """`World updated, but the following packages are not removed due to:` and why."""
    state: dict = {}
    for dep in original:
        if dep.op & V.CONFLICT:
            state[dep.name] = state.get(dep.name, 0) | _WAS_WORLD_CONFLICT
    for dep in world:
        if not dep.op & V.CONFLICT:
            state[dep.name] = state.get(dep.name, 0) | _IS_WORLD_DEPENDENCY
    marked = {change.new_pkg for change in changeset.changes if change.new_pkg is not None}
    verbose = ctx.verbosity >= 2
    out = ctx.out
    header = False
    names = {}
    for pattern in args:
        if "*" in pattern:
            for _, name in commit.matching_names(db, [pattern]):
                names[name.name] = name
        else:
            name = db.query_name(pattern)
            if name is not None:
                names[name.name] = name
    for name in sorted(names.values(), key=lambda name: S.name_display_key(name.name)):
        if state.get(name, 0) & _WAS_WORLD_CONFLICT:
            continue
        indent = commit.Indented(out.stdout, commit.output_width(out.stdout))
        visited: set = set()

        def show(pkg0) -> None:
            nonlocal header
            if not header:
                out.msg("World updated, but the following packages are not removed due to:")
                header = True
            if not indent.indent:
                indent.group(0, f"  {name.name}:")
            if state.get(pkg0.name, 0) & _IS_WORLD_DEPENDENCY:
                indent.item(pkg0.name.name)
            for dep in pkg0.provides:
                if state.get(dep.name, 0) & _IS_WORLD_DEPENDENCY:
                    indent.item(dep.name.name)
            for target in [pkg0.name] + [dep.name for dep in pkg0.provides]:
                for name0 in target.rdepends:
                    for pkg1, _ in name0.providers:
                        if pkg1 not in marked or pkg1 in visited:
                            continue
                        visited.add(pkg1)
                        if any(S.dep_analyze(pkg1, dep1, pkg0) & S.DEP_SATISFIES for dep1 in pkg1.depends):
                            show(pkg1)
            for dep in pkg0.install_if:
                for pkg1, _ in dep.name.providers:
                    if pkg1 not in marked or pkg1 in visited:
                        continue
                    visited.add(pkg1)
                    if not verbose and not state.get(pkg1.name, 0) & _IS_WORLD_DEPENDENCY:
                        continue
                    show(pkg1)

        for pkg, _ in name.providers:
            if pkg in marked:
                show(pkg)
        indent.end()
    if header:
        out.stdout.write("\n")
        out.stdout.flush()

