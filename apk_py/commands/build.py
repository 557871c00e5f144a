"""pk build: build package recipes (repo-index/NAME/recipe.toml) into a signed repository."""

import os

from apk_py import recipes
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "-o DIR -k KEY.rsa [--arch ARCH] [--description TEXT] RECIPE_DIR..."
OPTIONS = (
    Option("output", "o", "DIR", "Repository directory to write (packages go to DIR/ARCH/)"),
    Option("key", "k", "KEY", "RSA private key signing the packages and the index"),
    Option("description", "d", "TEXT", "Index description"),
)


def run(ctx, opts, args) -> int:
    from apk_py.database import arch_of

    if not opts.get("output") or not opts.get("key"):
        raise PkError("build: -o DIR and -k KEY.rsa are required")
    directories = []
    for path in args or ["repo-index"]:
        directories.extend([path] if os.path.isfile(os.path.join(path, recipes.RECIPE_FILE)) else recipes.discover(path))
    if not directories:
        raise PkError("build: no recipes found")
    arch = arch_of(ctx)
    built = recipes.build_repository(directories, opts["output"], opts["key"], arch, opts.get("description") or "")
    for path in built:
        ctx.out.msg(f">>> {os.path.basename(path)}")
    ctx.out.msg(f"OK: {len(built)} packages in {os.path.join(opts['output'], arch)}")
    return 0
