"""pk fetch: download packages (optionally with their dependencies) into a directory or to
standard output, like `apk fetch`. Every package is verified before it is kept."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time

from apk_py import apkfile, database
from apk_py.commands.info import (NAME, Query, apk_reason, exit_count, nvr, open_repositories, query_matches, say,
                                  sort_packages)
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PACKAGES..."
OPTIONS = (
    Option("available", help="Consider only packages available from the repositories"),
    Option("built-after", None, "TIME", "Only fetch packages built after TIME (seconds since the epoch or 'YYYY-MM-DD HH:MM:SS')"),
    Option("link", "l", help="Hard link packages of local repositories instead of copying them"),
    Option("output", "o", "DIR", "Write the packages into DIR"),
    Option("pkgname-spec", None, "SPEC", "Name the files by SPEC, of ${name} ${version} ${arch} ${hash} (default ${name}-${version}.apk)"),
    Option("recursive", "R", help="Fetch the packages and everything they depend on"),
    Option("stdout", "s", help="Write the packages to standard output"),
    Option("url", help="Print each package's URL instead of 'Downloading' lines"),
    Option("world", help="Fetch the world and everything it depends on, as well as PACKAGES"),
)

DEFAULT_SPEC = "${name}-${version}.apk"
_SPEC_FIELD = re.compile(r"\$\{([^}:]*)(?::([0-9]+))?\}")
_SPEC_KEYS = ("name", "version", "arch", "hash")
NOT_IN_A_REPOSITORY = "could not find a repo which provides this package (check repositories file and run 'apk update')"


def run(ctx, opts, args) -> int:
    spec = opts.get("pkgname_spec") or DEFAULT_SPEC
    _check_spec(spec)
    built_after = _parse_time(opts["built_after"]) if opts.get("built_after") else 0
    output = opts.get("output") or "."
    to_stdout = bool(opts.get("stdout"))
    if to_stdout:
        ctx.out.verbosity = 0
    elif not os.path.isdir(output):
        raise PkError(f"{output}: {'Not a directory' if os.path.exists(output) else 'No such file or directory'}")
    recursive = bool(opts.get("recursive") or opts.get("world"))
    db = open_repositories(ctx, with_world=bool(opts.get("world")))
    available = bool(opts.get("available"))
    packages, errors = (_with_dependencies(ctx, db, args, bool(opts.get("world")), available) if recursive
                        else _best_matches(ctx, db, args, available))
    if errors:
        return exit_count(errors)
    packages = sort_packages([pkg for pkg in dict.fromkeys(packages)
                              if not (built_after and pkg.get("t").isdigit() and built_after >= int(pkg.get("t")))])
    fetcher = _Fetcher(ctx, db, output, spec, to_stdout, bool(opts.get("link")), bool(opts.get("url")))
    return exit_count(sum(fetcher.fetch(pkg) for pkg in packages))


def _best_matches(ctx, db, args, available: bool) -> tuple[list, int]:
    """The best package of each argument (installed first, else the highest version)."""
    packages = []
    errors = 0

    def report(_name, pkg, text):
        nonlocal errors
        if pkg is not None:
            packages.append(pkg)
        elif "*" not in text:
            say(ctx, f"{text}: unable to select package (or its dependencies)")
            errors += 1

    query_matches(db, Query(match=(NAME,), available=available), args, report)
    return packages, errors


def _with_dependencies(ctx, db, args, world: bool, available: bool) -> tuple[list, int]:
    """Everything a solver run for the arguments (and the world) would install."""
    from apk_py import commit
    from apk_py import solver as S

    deps = commit.copy_world(db.world) if world else []
    for arg in args:
        try:
            dep = db.parse_atom(arg, allow_tag=True)
        except database.DepFormatError:
            dep = None
        if dep is None or dep.broken:
            ctx.out.error(f"'{arg}' is not a valid world dependency, format is name(@tag)([<>~=]version)")
            return [], 1
        deps.append(dep)
    changeset, failures = S.solve(db, S.IGNORE_CONFLICT | (S.AVAILABLE if available else 0), deps)
    if failures:
        commit.print_errors(ctx, db, changeset, deps)
        return [], 1
    return [change.new_pkg for change in changeset.changes if change.new_pkg is not None], 0


def _check_spec(spec: str) -> None:
    for match in _SPEC_FIELD.finditer(spec):
        if match.group(1) not in _SPEC_KEYS:
            raise PkError(f"--pkgname-spec: unknown field '${{{match.group(1)}}}' in '{spec}'")


def file_name(spec: str, pkg) -> str:
    """A package's file name from a spec such as `${name}-${version}.apk` (`${hash:8}` cuts)."""

    def field(match):
        key, length = match.group(1), match.group(2)
        if key == "name":
            value = pkg.name.name
        elif key == "version":
            value = pkg.version
        elif key == "arch":
            value = pkg.get("A")
        else:
            value = database.identity(pkg.checksum).hex()
        return value[: int(length)] if length else value

    return _SPEC_FIELD.sub(field, spec)


def _parse_time(text: str) -> int:
    """`YYYY-MM-DD HH:MM:SS` in local time, or seconds since the epoch."""
    try:
        return int(time.mktime(time.strptime(text, "%Y-%m-%d %H:%M:%S")))
    except ValueError:
        pass
    if text.isdigit() and int(text):
        return int(text)
    raise PkError(f"--built-after: invalid time '{text}'")


def package_source(db, pkg) -> tuple[str, bool] | None:
    """apk_db_select_repo: where to get a package, as (path or URL, is local); the cache
    first, then a local repository, then the first remote one."""
    if pkg.cached:
        return os.path.join(db.cache_dir(), database.cache_file_name(pkg)), True
    repos = pkg.repos & db.available_repos
    if not repos:
        return None
    if repos & db.local_repos:
        repos &= db.local_repos
    repo = db.repos[(repos & -repos).bit_length() - 1]
    return repo.package_url(pkg.name.name, pkg.version), repo.local


def verified_copy(ctx, db, pkg, location: str, local: bool, directory: str) -> str:
    """Copy or download a package into `directory` and check that it is the package the
    index describes, signed by a trusted key; returns the file's path."""
    scratch = os.path.join(directory, "package.apk")
    if local:
        shutil.copyfile(location, scratch)
        source = os.stat(location)
        os.utime(scratch, ns=(source.st_atime_ns, source.st_mtime_ns))
    else:
        from apk_py import netfetch

        netfetch.download(ctx, location, scratch, pkg.size or None)
    os.chmod(scratch, 0o644)
    with apkfile.ApkFile.open(scratch) as package:
        package.verify(db.keys, ctx.allow_untrusted, pkg.checksum)
    return scratch


class _Fetcher:
    """Gets packages one by one: skip what is already there, verify, then keep or print."""

    def __init__(self, ctx, db, output: str, spec: str, to_stdout: bool, link: bool, show_url: bool):
        self.ctx = ctx
        self.db = db
        self.output = output
        self.spec = spec
        self.to_stdout = to_stdout
        self.link = link
        self.show_url = show_url

    def fetch(self, pkg) -> int:
        """Fetch one package; returns the number of errors (0 or 1)."""
        source = package_source(self.db, pkg)
        if source is None:
            self.ctx.out.error(f"{nvr(pkg)}: {NOT_IN_A_REPOSITORY}")
            return 1
        location, local = source
        target = os.path.join(self.output, file_name(self.spec, pkg))
        if not self.to_stdout:
            try:
                if os.stat(target).st_size == pkg.size:
                    return 0
            except OSError:
                pass
        say(self.ctx, location if self.show_url else f"Downloading {nvr(pkg)}")
        if self.ctx.simulate:
            return 0
        try:
            self._fetch(pkg, location, local, target)
        except PkError as exc:
            self.ctx.out.error(f"{nvr(pkg)}: {apk_reason(exc)}")
            return 1
        except OSError as exc:
            self.ctx.out.error(f"{nvr(pkg)}: {exc.strerror or exc}")
            return 1
        return 0

    def _fetch(self, pkg, location: str, local: bool, target: str) -> None:
        directory = tempfile.mkdtemp(prefix=".pk-fetch.", dir=None if self.to_stdout else self.output)
        try:
            scratch = verified_copy(self.ctx, self.db, pkg, location, local, directory)
            if self.to_stdout:
                self._copy_to_stdout(scratch)
            elif not (local and self.link and self._hard_link(location, target)):
                os.replace(scratch, target)
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    def _hard_link(self, location: str, target: str) -> bool:
        staged = target + ".pk-link"
        try:
            os.link(location, staged)
        except OSError:
            return False
        os.replace(staged, target)
        return True

    def _copy_to_stdout(self, path: str) -> None:
        stream = self.ctx.out.stdout
        stream.flush()
        sink = getattr(stream, "buffer", stream)
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, sink)
        sink.flush()
