"""The transaction journal: what a commit was doing, so an interrupted one can be finished.

Written before the root is touched, it names the transaction, the planned
changes and the world to write; directories that received temporary files are appended
as they are used. A `commit` line marks the point after which files start moving into
place. `pk fix` rolls an interrupted transaction forward (or, before `commit`, discards
its temporary files); other writers refuse to start while a journal exists.
"""

from __future__ import annotations

import os

JOURNAL_PATH = "lib/apk/db/pk-journal"
TEMP_PREFIX = ".pk-tmp."


class Journal:
    def __init__(self, root: str, txid: str):
        self.path = os.path.join(root, JOURNAL_PATH)
        self.txid = txid
        self.handle = None
        self.dirs: set[str] = set()

    def start(self, changes: list[tuple[str, str, str]], world_lines: list[str]) -> None:
        """Record the plan: (action, name, identity) triples and the world to write."""
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.handle = open(self.path, "w", encoding="utf-8", errors="surrogateescape")
        self.handle.write(f"tx {self.txid}\n")
        for action, name, identity in changes:
            self.handle.write(f"{action} {name} {identity}\n")
        for line in world_lines:
            self.handle.write(f"world {line}\n")
        self.handle.flush()

    def temp_dir(self, directory: str) -> None:
        """Note a directory that holds this transaction's temporary files."""
        if directory not in self.dirs:
            self.dirs.add(directory)
            self.handle.write(f"dir {directory}\n")
            self.handle.flush()

    def mark_commit(self) -> None:
        self.handle.write("commit\n")
        self.handle.flush()

    def finish(self) -> None:
        """The database is written: the journal is no longer needed."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class PendingTransaction:
    """An interrupted transaction found on disk."""

    def __init__(self, path: str):
        self.path = path
        self.txid = ""
        self.changes: list[tuple[str, str, str]] = []
        self.world: list[str] = []
        self.dirs: list[str] = []
        self.committed = False
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            for line in handle:
                word, _, rest = line.rstrip("\n").partition(" ")
                if word == "tx":
                    self.txid = rest
                elif word in ("install", "upgrade", "remove"):
                    name, _, identity = rest.partition(" ")
                    self.changes.append((word, name, identity))
                elif word == "world":
                    self.world.append(rest)
                elif word == "dir":
                    self.dirs.append(rest)
                elif word == "commit":
                    self.committed = True

    def remove_temporaries(self) -> None:
        """Delete the temporary files this transaction left behind."""
        prefix = f"{TEMP_PREFIX}{self.txid}."
        for directory in self.dirs:
            try:
                names = os.listdir(directory)
            except OSError:
                continue
            for name in names:
                if name.startswith(prefix):
                    try:
                        os.unlink(os.path.join(directory, name))
                    except OSError:
                        pass


def pending(root: str) -> PendingTransaction | None:
    path = os.path.join(root, JOURNAL_PATH)
    return PendingTransaction(path) if os.path.exists(path) else None
