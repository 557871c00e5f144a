"""pk manifest: the checksum of every file of installed packages or package files, as
`ALGORITHM:HEX  path` lines, like `apk manifest`."""

from __future__ import annotations

import binascii

from apk_py import apkfile, database
from apk_py.commands.info import apk_reason, sort_packages, sorted_matching_names, write
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PACKAGES..."
OPTIONS: tuple[Option, ...] = ()

# Digest algorithm names by digest length, as apk prints them.
_ALGORITHMS = {16: "md5", 20: "sha1", 32: "sha256", 64: "sha512"}


def run(ctx, opts, args) -> int:
    if not args:
        return 0
    db = database.open_database(ctx)
    for match, name in sorted_matching_names(db, args):
        if name is None:
            _package_file(ctx, match, db.keys)
            continue
        prefix = f"{name.name}: " if ctx.verbosity > 1 else ""
        installed = [pkg for pkg, _ in name.providers if pkg.name is name and pkg.installed is not None]
        lines = []
        for pkg in sort_packages(installed):
            for directory in pkg.installed.dirs:
                for record in directory.files:
                    path = f"{directory.path}/{record.name}" if directory.path else record.name
                    lines.append(f"{prefix}{_digest_text(record.checksum)}  {path}\n")
        write(ctx, "".join(lines))
    return 0


def _digest_text(checksum: str) -> str:
    """`sha1:HEX` for an installed file's `Q1...`/`X1...` checksum (`none:` without one)."""
    try:
        if checksum.startswith("Q"):
            digest = binascii.a2b_base64(checksum[2:])
        elif checksum.startswith("X"):
            digest = bytes.fromhex(checksum[2:])
        else:
            digest = b""
    except (binascii.Error, ValueError):
        digest = b""
    if not digest:
        return "none:"
    return f"{_ALGORITHMS.get(len(digest), 'unknown')}:{digest.hex()}"


def _package_file(ctx, path: str, keys: dict) -> None:
    """The regular files of a package file with their recorded SHA-1, once it verifies."""
    prefix = f"{path}: " if ctx.verbosity > 1 else ""
    lines = []
    try:
        with apkfile.ApkFile.open(path) as package:
            package.verify(keys, ctx.allow_untrusted)
            for entry, _ in package.entries():
                if entry.is_file:
                    digest = entry.pax.get(apkfile.CHECKSUM_KEY)
                    lines.append(f"{prefix}{'sha1:' + digest if digest else 'none:'}  {entry.name}\n")
    except PkError as exc:
        write(ctx, "".join(lines))
        ctx.out.error(f"{path}: {apk_reason(exc)}")
        return
    write(ctx, "".join(lines))

