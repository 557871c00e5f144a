"""pk update: fetch fresh copies of the repository indexes, like `apk update`."""

from __future__ import annotations

from apk_py import database
from apk_py.commands.info import exit_count, write
from apk_py.commands.version import repository_loaded, repository_url
from apk_py.options import Option

USAGE = ""
OPTIONS: tuple[Option, ...] = ()


def run(ctx, opts, args) -> int:
    ctx.update_cache = True  # apk update sets the maximum index age to zero
    db = database.open_database(ctx)
    failed = db.unavailable_repos
    if ctx.verbosity < 1:
        return exit_count(failed)
    lines = [f"{db.repos[bit].description} [{repository_url(db.repos[bit])}]\n"
             for bit in range(1, len(db.repos)) if repository_loaded(db, bit)]
    status = f"{failed} unavailable, 0 stale;" if failed else "OK:"
    lines.append(f"{status} {len(db.packages)} distinct packages available\n")
    write(ctx, "".join(lines))
    return exit_count(failed)
