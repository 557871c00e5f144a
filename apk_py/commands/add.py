"""pk add: add constraints to the world and commit the resulting changes, like `apk add`."""

from __future__ import annotations

import base64
import os
import struct
import time

from apk_py import commit, database, digests
from apk_py import solver as S
from apk_py import version as V
from apk_py.options import Option

USAGE = "[<OPTIONS>...] PACKAGES..."
OPTIONS = (
    Option("initdb", help="Initialize a new package database"),
    Option("latest", "l", help="Always choose the latest package by version"),
    Option("no-chown", help="Deprecated alias for --usermode"),
    Option("upgrade", "u", help="Upgrade PACKAGES and their dependencies"),
    Option("usermode", help="Create usermode database with --initdb"),
    Option("virtual", "t", "NAME", "Create virtual package NAME with given dependencies"),
)


def run(ctx, opts, args) -> int:
    args = [arg for arg in args if arg]
    flags = (S.LATEST if opts.get("latest") else 0) | (S.UPGRADE if opts.get("upgrade") else 0)
    if opts.get("initdb") and not ctx.simulate:
        from apk_py import install

        os.makedirs(ctx.root, exist_ok=True)
        install.init_database(ctx, database.arch_of(ctx))
    db = database.open_database(ctx)
    world = commit.copy_world(db.world)
    virtual_spec = opts.get("virtual")
    virtual = None
    if virtual_spec is not None:
        virtual = _virtual_dependency(ctx, db, virtual_spec)
        if virtual is None:
            return 99
        if not args:
            ctx.out.warning("creating empty virtual package")
    virtual_depends: list = []
    for arg in args:
        try:
            dep = db.parse_atom(arg, allow_tag=virtual is None)
        except database.DepFormatError:
            dep = None
        if dep is None or dep.broken:
            kind, form = ("package", "name([<>~=]version)") if virtual is not None else ("world", "name(@tag)([<>~=]version)")
            ctx.out.error(f"'{arg}' is not a valid {kind} dependency, format is {form}")
            return 99
        if virtual is not None:
            commit.deps_add(virtual_depends, dep)
        else:
            commit.deps_add(world, dep)
            S.set_name_flags(db, dep.name, flags, flags)
    if virtual is not None:
        db.add_virtual_package(virtual.name, virtual.version, virtual_depends, _virtual_checksum(virtual))
        commit.deps_add(world, virtual)
        S.set_name_flags(db, virtual.name, flags, flags)
    return commit.exit_status(commit.solve_and_commit(ctx, db, 0, world))


def _virtual_dependency(ctx, db, spec: str):
    """The `-t NAME[=VERSION]` atom, with a generated version when none is given."""
    try:
        dep = db.parse_atom(spec, allow_tag=True)
    except database.DepFormatError:
        dep = None
    if dep is not None and not dep.conflict and not dep.broken:
        if not dep.name.name.startswith(".") and not _non_repository_allowed(ctx, db):
            return None
        if dep.op == V.ANY and dep.version is None:
            dep.op = V.EQUAL
            dep.version = time.strftime("%Y%m%d.%H%M%S", time.gmtime())
            return dep
        if dep.op == V.EQUAL and dep.version is not None:
            return dep
    ctx.out.error(f"{spec}: bad package specifier")
    return None


def _non_repository_allowed(ctx, db) -> bool:
    if ctx.forced("non_repository") or db.cache_active() or not db.root_is_permanent():
        return True
    ctx.out.error("You tried to add a non-repository package to system, but it would be lost on next reboot. "
                  "Enable package caching (apk cache --help) or use --force-non-repository if you know what you are doing.")
    return False


def _virtual_checksum(dep) -> str:
    """apk's identity for a virtual package: SHA-1 of the process id, name and version."""
    digest = digests.new("sha1", struct.pack("=i", os.getpid()) + dep.name.name.encode() + b"\0" + dep.version.encode()).digest()
    return "Q1" + base64.b64encode(digest).decode()
