"""The config's `paths` entries, applied after the packages as apko applies them.

directory (mkdir -p), empty-file, hardlink (to `source`), symlink (pointing at `source`),
permissions (owner and mode of what is there). `recursive` extends a directory's owner (and
a permissions entry's owner and mode) to everything below it. Only the in-memory tree
changes: owners are recorded for the layer, never applied with chown.
"""

from __future__ import annotations

from apk_py.errors import PkError
from buildroot.config import PathMutation
from buildroot.tree import DIR, FILE, LINK, Node, Tree

_DEFAULT_MODES = {"directory": 0o755, "empty-file": 0o644, "hardlink": None, "symlink": 0o777, "permissions": None}


def apply(tree: Tree, mutations: list[PathMutation], source: str) -> None:
    for number, mutation in enumerate(mutations):
        try:
            _apply_one(tree, mutation)
        except PkError as exc:
            raise PkError(f"{source}: paths[{number}] ({mutation.type} /{mutation.path}): {exc.message}") from None


def _place(tree: Tree, path: str) -> str:
    """The resolved location of a new non-directory entry; refuses to replace a directory."""
    tree.make_dirs(path.rpartition("/")[0])
    resolved = tree.resolve(path)
    existing = tree.nodes.get(resolved)
    if existing is not None and existing.kind == DIR:
        raise PkError("a directory is in the way")
    return resolved


def _apply_one(tree: Tree, mutation: PathMutation) -> None:
    mode = mutation.permissions if mutation.permissions is not None else _DEFAULT_MODES[mutation.type]
    if mutation.type == "directory":
        resolved = tree.make_dirs(mutation.path)
        node = tree.nodes[resolved]
        node.mode, node.uid, node.gid = mode, mutation.uid, mutation.gid
        if mutation.recursive:
            for path in tree.below(resolved):
                tree.nodes[path].uid, tree.nodes[path].gid = mutation.uid, mutation.gid
    elif mutation.type == "empty-file":
        tree.nodes[_place(tree, mutation.path)] = Node(FILE, mode, mutation.uid, mutation.gid, tree.epoch)
    elif mutation.type == "symlink":
        tree.nodes[_place(tree, mutation.path)] = Node(LINK, 0o777, mutation.uid, mutation.gid, tree.epoch, target=mutation.source)
    elif mutation.type == "hardlink":
        target = tree.nodes.get(tree.resolve(mutation.source.strip("/")))
        if target is None or target.kind != FILE:
            raise PkError(f"hard link source /{mutation.source.strip('/')} is not a regular file in the image")
        tree.nodes[_place(tree, mutation.path)] = target
        target.uid, target.gid = mutation.uid, mutation.gid
        if mode is not None:
            target.mode = mode
    else:
        resolved = tree.resolve(mutation.path)
        if resolved not in tree.nodes:
            raise PkError("nothing at that path to change")
        targets = [resolved] + (tree.below(resolved) if mutation.recursive else [])
        for path in targets:
            node = tree.nodes[path]
            node.uid, node.gid = mutation.uid, mutation.gid
            if mode is not None and node.kind != LINK:
                node.mode = mode
