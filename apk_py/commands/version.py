"""pk version: compare version strings, check them, or compare installed with available."""

from apk_py import version as V
from apk_py.options import Option

USAGE = "[<OPTIONS>...] [<packages>...]"
OPTIONS = (
    Option("all", "a", help="Consider packages from all repository tags"),
    Option("check", "c", help="Check versions for validity; exit status is the number of invalid ones"),
    Option("indexes", "I", help="Print description and versions of indexes"),
    Option("limit", "l", "CHARS", "Limit output to packages with status matching one of CHARS"),
    Option("test", "t", help="Compare two version strings: prints <, = or >"),
)


def run(ctx, opts, args) -> int:
    if opts.get("test"):
        return _test(ctx, args)
    if opts.get("check"):
        invalid = [text for text in args if not V.is_valid(text)]
        for text in invalid:
            ctx.out.stdout.write(text + "\n")
        return min(len(invalid), 255)
    return _list(ctx, opts, args)


def _test(ctx, args) -> int:
    """`version -t A B`: apk validates both first and prints nothing for invalid input."""
    if len(args) != 2:
        from apk_py.errors import PkError

        raise PkError("version -t needs exactly two versions")
    first, second = args
    if not (V.is_valid(first) and V.is_valid(second)):
        return 1
    ctx.out.stdout.write(V.result_char(V.compare(first, second)) + "\n")
    return 0


def _list(ctx, opts, args) -> int:
    """Installed packages against the best version the repositories offer (or, with -I,
    the repositories themselves)."""
    from apk_py import database
    from apk_py.commands.info import say, sorted_matching_names, write

    db = database.open_database(ctx)
    if opts.get("indexes"):
        write(ctx, "".join(f"{db.repos[bit].description} [{repository_url(db.repos[bit])}]\n"
                           for bit in range(1, len(db.repos)) if repository_loaded(db, bit)))
        return 0
    limit = opts.get("limit")
    if limit is None and not args and ctx.verbosity == 1:
        limit = "<"
    rows = []
    width = 39
    names = [name for _, name in sorted_matching_names(db, args)] if args else _installed_names(db)
    for name in names:
        row = _status(db, name, bool(opts.get("all"))) if name is not None else None
        if row is None or (limit and row[1] not in limit):
            continue
        rows.append(row)
        width = max(width, len(f"{row[0].name.name}-{row[0].version}"))
    say(ctx, f"{'Installed:':<{width}}   Available:")
    lines = []
    for installed, result, latest, tag in rows:
        if ctx.verbosity <= 0:
            lines.append(f"{installed.name.name}\n")
        else:
            lines.append(f"{installed.name.name + '-' + installed.version:<{width}} {result} {latest.version} {tag}\n")
    write(ctx, "".join(lines))
    return 0


def _installed_names(db) -> list:
    """The names of installed packages in display order (the only ones with a status)."""
    from apk_py.commands.info import name_key

    return sorted({pkg.name: None for pkg in db.installed_pkgs}, key=lambda name: name_key(name.name))


def _status(db, name, all_tags: bool):
    """(installed, comparison character, best available, its tag) for an installed name."""
    from apk_py.commands.info import installed_package

    installed = installed_package(name)
    if installed is None:
        return None
    allowed = db.repo_tags[installed.repository_tag].allowed_repos
    latest, latest_repos = installed, 0
    for pkg, _ in name.providers:
        if pkg.name is not name or not pkg.repos or not (all_tags or pkg.repos & allowed):
            continue
        order = V.compare(pkg.version, latest.version)
        if order == V.GREATER:
            latest, latest_repos = pkg, pkg.repos
        elif order == V.EQUAL:
            latest_repos |= pkg.repos
    tag = next((number for number in range(1, len(db.repo_tags)) if latest_repos & db.repo_tags[number].allowed_repos), 0)
    return installed, V.result_char(V.compare(installed.version, latest.version)), latest, db.repo_tags[tag].tag


def repository_loaded(db, bit: int) -> bool:
    """Did this repository's index load (so some tag allows it)?"""
    return any(tag.allowed_repos & (1 << bit) for tag in db.repo_tags)


def repository_url(repo) -> str:
    """apk's printable repository URL: the URL as configured, any password masked."""
    url = repo.url
    scheme, separator, rest = url.partition("://")
    authority = rest.split("/", 1)[0]
    if not separator or "@" not in authority:
        return url
    credentials = authority.split("@", 1)[0]
    if ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:*{rest[len(credentials):]}"
