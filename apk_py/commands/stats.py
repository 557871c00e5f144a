"""pk stats: counts of what is installed and what the repositories offer, like `apk stats`."""

from __future__ import annotations

from apk_py import database
from apk_py.commands.info import write
from apk_py.options import Option

USAGE = ""
OPTIONS: tuple[Option, ...] = ()

# The package fields apk interns as strings (atoms) when it reads a record.
_ATOM_FIELDS = "VTULAomc"
# The owner and mode every file and directory gets unless its record says otherwise.
_DEFAULT_ACLS = ((0, 0, 0o755), (0, 0, 0o644))


def run(ctx, opts, args) -> int:
    from apk_py import scripts

    db = database.open_database(ctx)
    packages, dirs, files, size = db.installed_stats()
    triggers = scripts.read_triggers(ctx.root)
    with_triggers = sum(1 for pkg in db.installed_pkgs if triggers.get(pkg.checksum))
    write(ctx, "installed:\n"
               f"  packages: {packages}\n"
               f"  dirs: {dirs}\n"
               f"  files: {files}\n"
               f"  bytes: {size}\n"
               f"  triggers: {with_triggers}\n"
               "available:\n"
               f"  names: {len(db.known_names())}\n"
               f"  packages: {len(db.packages)}\n"
               "atoms:\n"
               f"  num: {_atom_count(db)}\n")
    return 0


def _atom_count(db) -> int:
    """How many distinct strings apk would intern for this database: the text fields and
    dependency versions of every package, world versions, architectures, repository
    tags and the owner/mode triples of installed files and directories."""
    atoms = {"noarch", db.arch}
    for pkg in db.packages.values():
        for key in _ATOM_FIELDS:
            value = pkg.get(key, None)
            if value is not None:
                atoms.add(value)
        for deps in (pkg.depends, pkg.provides, pkg.install_if):
            atoms.update(dep.version for dep in deps if dep.version is not None)
    atoms.update(dep.version for dep in db.world if dep.version is not None)
    atoms.update(tag.plain for tag in db.repo_tags[1:])
    acls = set(_DEFAULT_ACLS)
    for pkg in db.installed_pkgs:
        for directory in pkg.installed.dirs:
            acls.add(directory.acl or _DEFAULT_ACLS[0])
            acls.update(record.acl for record in directory.files if record.acl is not None)
    return len(atoms) + len(acls)
