"""The package database: what is installed, what the world asks for, what the repositories offer.

It models apk-tools' database closely, because the solver's choices (and their order)
depend on it: a package seen in several places (installed, two repositories) is one node
carrying a bitmask of the repositories that offer it; every name (real or virtual) lists
its providers in the order the packages were read; repository tags pin packages.

Opening a database must stay cheap on an index of thousands of packages, so index
records are kept as raw text. Loading only extracts what the name graph needs (name,
version, identity, dependencies text, provides, install_if), with one pattern over the
whole index when it has the usual layout; dependencies and the other fields are parsed
when the solver or a command first looks at a package. Reverse dependency lists are kept
in apk's hash-table order and grow as packages get parsed, which is all the solver walks.
"""

from __future__ import annotations

import binascii
import gc
import os
import re
import struct

from apk_py import installed as installed_db
from apk_py import dependency, index, repositories, trust
from apk_py import version as V
from apk_py.errors import FormatError, PkError, TrustError
from apk_py.package import Package, identity

NO_TAG = 0
_HASH_BUCKETS = 20000  # apk's name hash table size: its iteration order is the rdepends order
_COMPARER_CHARS = frozenset("<>=~")
# Fields apk's index reader understands (the rest makes apk warn that it is too old).
_KNOWN_INDEX_FIELDS = "PVTULADCSIpiomtckFMRZrqasfg"
# Patterns over index text with a newline put in front, so every line starts after "\n".
_UNKNOWN_FIELD = re.compile(r"\n[^%s\n]:" % _KNOWN_INDEX_FIELDS)
_BAD_LINE = re.compile(r"\n[^\n][^:]")
_DEP_LINES = re.compile(r"\n[Dpi]:([^\n]*)")
_VERSIONED_ATOM = re.compile(r"[<>=~]+[^\s]*")
_INSTALLED_FIELDS = frozenset("CPVASITULomtckDpirqsfg")
# One index record in the usual layout: C, P, V first, then known fields with at most one
# D, p and i line in that order; groups: the record, C, P, V, D, p, i.
_OTHER_LINES = r"(?:\n[TULASIomtckFMRZrqasfg]:.*)*"
_RECORD = re.compile(r"(?:(?<=\n\n)|\A)(C:(.*)\nP:(.*)\nV:(.*)" + _OTHER_LINES + r"(?:\nD:(.*))?"
                     + _OTHER_LINES + r"(?:\np:(.*))?" + _OTHER_LINES + r"(?:\ni:(.*))?" + _OTHER_LINES
                     + r")(?=\n\n|\Z)")
# The name of each atom in a list: what follows a "!", up to a comparer or tag.
_ATOM_NAMES = re.compile(r"(?<!\S)(?=\S)!?([^<>=~@\s]*)\S*")
# What follows an atom's name, from its first comparer.
_OPERATOR_TAIL = re.compile(r"[<>=~]\S*")
# Lines holding such a tail in a form other than the usual ones apk surely accepts (an
# operator and a valid version, version.py's pattern): those get the exact check.
_UNUSUAL_VERSION_PART = re.compile(r"^(?!(?:=|<|>|<=|>=|~|>~|<~)%s$).*$" % V.VALID_PATTERN, re.M)
_UNPARSABLE = (None, 0, None, None, False)
_INSTALLED_FLAGS = frozenset("fsxS")


class Dep:
    """One dependency atom as apk holds it: a Name, an operator mask, a version, a tag."""

    __slots__ = ("name", "op", "version", "tag", "broken")

    def __init__(self, name, op: int, version: str | None, tag: int = NO_TAG, broken: bool = False):
        self.name = name
        self.op = op
        self.version = version
        self.tag = tag
        self.broken = broken

    @property
    def conflict(self) -> bool:
        return bool(self.op & V.CONFLICT)

    def __str__(self) -> str:
        """apk's DEP_FMT: [!]name[op version]."""
        text = ("!" if self.op & V.CONFLICT else "") + self.name.name
        if self.version is not None:
            text += V.op_text(self.op) + self.version
        return text

    def __repr__(self) -> str:
        return f"Dep({self})"


class Name:
    """A package name or virtual name with its providers, as (package, version) pairs.

    The version is the package's own for its real name and for versioned provides, None
    for an unversioned provide (apk's null atom).
    """

    __slots__ = ("name", "providers", "dependents", "_rdepends", "_rdepends_from", "_rinstall_if", "_hash_key",
                 "solver_flags_set", "ss", "seen_in", "order_id", "no_iif", "rinstall_if_walked")

    def __init__(self, name: str, providers: list):
        self.name = name
        self.providers = providers
        self.dependents: list = []  # parsed packages depending on this name
        self._rdepends = None
        self._rdepends_from = 0
        self._rinstall_if = None
        self._hash_key = None
        self.solver_flags_set = False
        self.ss = None
        self.seen_in = 0  # the solver run that discovered it, with what it found then:
        self.order_id = 0
        self.no_iif = False
        self.rinstall_if_walked = 0

    @property
    def rdepends_unordered(self) -> list:
        """Names with a provider depending on this one (as far as parsed), in no set order."""
        if self._rdepends is None or self._rdepends_from != len(self.dependents):
            found = {}
            for pkg in self.dependents:
                found[pkg.name] = None
                if pkg.provided:
                    for provided in pkg.provided_names:
                        found[provided] = None
            self._rdepends = list(found)
            self._rdepends_from = len(self.dependents)
        return self._rdepends

    @property
    def rdepends(self) -> list:
        """The same names in apk's order (its name hash table's)."""
        names = list(self.rdepends_unordered)
        sort_names(names)
        return names

    @property
    def has_repository_providers(self) -> bool:
        return any(pkg.repos for pkg, _ in self.providers)

    @property
    def hash_key(self) -> int:
        """Where apk's name hash table keeps this name: its lists of names follow that order."""
        if self._hash_key is None:
            self._hash_key = murmur3_32(self.name.encode("utf-8", "surrogateescape"), 5381) % _HASH_BUCKETS
        return self._hash_key

    def __repr__(self) -> str:
        return f"Name({self.name})"


class Pkg:
    """One package of the database, whatever offers it (repositories, installed db, cache)."""

    __slots__ = ("db", "name", "version", "checksum", "raw", "_fields", "_record", "repos", "installed", "repository_tag",
                 "cached", "cached_non_repository", "broken_fields", "provided", "_provided_names", "install_if_names",
                 "depends_text", "_depends", "_provides", "_install_if", "_uninstallable", "ss", "seen_in", "iif_failed",
                 "provides_walked", "provides_cursor", "install_if_walked")

    def __init__(self, db, name, version: str, checksum: str, raw: str | None, fields: dict | None,
                 depends_text: str | None = None, repos: int = 0, cached_non_repository: bool = False):
        self.db = db
        self.name = name
        self.version = version
        self.checksum = checksum
        self.raw = raw
        self._fields = fields
        self.depends_text = depends_text  # the D field when loading already found it
        self.provided = ()  # (name, version or None) of its provides, as read
        self._provided_names = None
        self.install_if_names = ()
        self._record = None
        self.repos = repos
        self.installed = None  # InstalledInfo when installed
        self.repository_tag = NO_TAG
        self.cached = False
        self.cached_non_repository = cached_non_repository
        self.broken_fields = False
        self._depends = None
        self._provides = None
        self._install_if = None
        self._uninstallable = None
        self.ss = None
        self.seen_in = 0  # the solver run that discovered it, and whether its install_if can fire
        self.iif_failed = True
        self.provides_walked = 0  # the discovery run walking its provides, and how far it got
        self.provides_cursor = 0
        self.install_if_walked = 0

    # --- fields, parsed on first use ----------------------------------------------------

    @property
    def fields(self) -> dict:
        if self._fields is None:
            self._fields = _record_fields(self.raw)
        return self._fields

    def get(self, key: str, default: str = "") -> str:
        """One field; for an index record, read straight from its text while nothing else is needed.

        A list field's repeated lines add up; otherwise the last line wins, as apk reads them.
        """
        if self._fields is None:
            raw = self.raw
            if key in "Dpir":
                start = raw.find("\n" + key + ":")
                if start < 0:
                    if not raw.startswith(key + ":"):
                        return default
                    start = -1
                return _list_field(raw, "\n" + key + ":", start)
            start = raw.rfind("\n" + key + ":")
            if start < 0:
                if not raw.startswith(key + ":"):
                    return default
                start = -1
            end = raw.find("\n", start + 3)
            return raw[start + 3 : end] if end >= 0 else raw[start + 3 :]
        return self._fields.get(key, default)

    def _int(self, key: str) -> int:
        text = self.get(key)
        end = 0
        while end < len(text) and text[end].isdigit():
            end += 1
        return int(text[:end]) if end else 0

    @property
    def installed_size(self) -> int:
        return self._int("I")

    @property
    def size(self) -> int:
        return self._int("S")

    @property
    def provider_priority(self) -> int:
        return self._int("k")

    @property
    def arch(self) -> str | None:
        return self.get("A", None)

    @property
    def record(self) -> Package:
        """The package as a Package record (what the installer and the info commands use)."""
        if self._record is None:
            self._record = Package(dict(self.fields), self.db.repos[_lowest_bit(self.repos)] if self.repos else None)
            self.db.register_record(self._record, self)
        return self._record

    # --- dependency lists ---------------------------------------------------------------

    @property
    def depends(self) -> list:
        """Parsed on first use; the package then counts among its targets' dependents."""
        if self._depends is None:
            text = self.depends_text
            deps, broken = self.db.parse_deps(self.get("D") if text is None else text)
            if broken:
                self._uninstallable = True
            self._depends = deps
            for dep in deps:
                dep.name.dependents.append(self)
        return self._depends

    @property
    def provides(self) -> list:
        if self._provides is None:
            self._provides = self.db.parse_deps(self.get("p"))[0]
        return self._provides

    @property
    def provided_names(self) -> list:
        """Names this package provides besides its own."""
        if self._provided_names is None:
            name_of = self.db.name
            self._provided_names = [name_of(provided) for provided, _ in self.provided]
        return self._provided_names

    @property
    def install_if(self) -> list:
        if self._install_if is None:
            if self.install_if_names:
                deps, broken = self.db.parse_deps(self.get("i"))
                self._install_if = [] if broken else deps
            else:
                self._install_if = []
        return self._install_if

    @property
    def uninstallable(self) -> bool:
        """apk refuses a package with broken dependencies, unknown upper-case fields or a foreign arch."""
        if self._uninstallable is None:
            self.depends
            if self._uninstallable is None:
                arch = self.arch
                self._uninstallable = self.broken_fields or not (arch is None or arch == "noarch" or arch in self.db.arches)
        return self._uninstallable

    def nvr(self) -> str:
        return f"{self.name.name}-{self.version}"

    def __repr__(self) -> str:
        return f"Pkg({self.nvr()})"


class RepoTag:
    """A repository tag (`@testing`): the repositories it allows."""

    __slots__ = ("tag", "plain", "allowed_repos")

    def __init__(self, plain: str):
        self.plain = plain
        self.tag = "@" + plain if plain else ""
        self.allowed_repos = 0


class Database:
    """Everything the solver and the installer need to know about one root."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.arch = arch_of(ctx)
        self.arches = (self.arch,)
        self.names: dict[str, Name] = {}
        self._pending_providers: dict[str, list] = {}
        self._rinstall_if_index: dict[str, list] = {}
        self.packages: dict[bytes, Pkg] = {}  # identity (first 20 bytes of the digest) -> package
        self.installed: list[Package] = []
        self.installed_info: dict[int, installed_db.InstalledInfo] = {}
        self.installed_pkgs: list[Pkg] = []
        self._record_nodes: dict[int, Pkg] = {}
        self.repos: list = [None]  # bit 0 is the cache, configured repositories from bit 1
        self.repo_remote: list[bool] = [False]
        self.repo_tags: list[RepoTag] = [RepoTag("")]
        self.available_repos = 0
        self.local_repos = 0
        self.unavailable_repos = 0
        self.world: list[Dep] = []
        self.keys: dict = {}
        self.compat_newfeatures = False
        self.compat_notinstallable = False
        self.compat_depversions = False
        self.performing_preupgrade = False
        self.reopen_requested = False  # after a preupgrade changed the root
        self.solver_touched: list = []  # names and packages holding solver state
        self.solver_runs = 0
        self._atoms: dict[str, Dep] = {}
        self._dep_lists: dict[str, tuple[list[Dep], bool]] = {}
        self._all_names = None
        self._installed_stats = None

    # --- names and tags -----------------------------------------------------------------

    def name(self, text: str) -> Name:
        """The Name for `text`, created (with the providers read so far) when new."""
        entry = self.names.get(text)
        if entry is None:
            entry = self.names[text] = Name(text, self._pending_providers.pop(text, []))
        return entry

    def query_name(self, text: str) -> Name | None:
        """The Name if any package, dependency or world entry mentions it (apk's name hash lookup)."""
        entry = self.names.get(text)
        if entry is not None or text in self._pending_providers:
            return self.name(text)
        if self._all_names is None:
            self._all_names = self._mentioned_names()
        return self.name(text) if text in self._all_names else None

    def known_names(self) -> list[Name]:
        """Every name anything mentions (what apk's name hash holds)."""
        if self._all_names is None:
            self._all_names = self._mentioned_names()
        texts = self._all_names.union(self.names, self._pending_providers)
        return [self.name(text) for text in texts]

    def _mentioned_names(self) -> set[str]:
        found = set(self._rinstall_if_index)
        for pkg in self.packages.values():
            for key in "Di":
                value = pkg.fields.get(key)
                if value:
                    for word in value.split():
                        found.add(_atom_name(word))
        return found

    def tag_id(self, plain: str | None) -> int:
        """apk_db_get_tag_id: the id of a tag, created (with no repositories) when new."""
        if not plain:
            return NO_TAG
        plain = plain[1:] if plain.startswith("@") else plain
        for number, tag in enumerate(self.repo_tags):
            if number and tag.plain == plain:
                return number
        self.repo_tags.append(RepoTag(plain))
        return len(self.repo_tags) - 1

    def pinning_mask_repos(self, pinning_mask: int) -> int:
        repos = 0
        for number, tag in enumerate(self.repo_tags):
            if pinning_mask & (1 << number):
                repos |= tag.allowed_repos
        return repos

    # --- dependency atoms ---------------------------------------------------------------

    def parse_atom(self, word: str, allow_tag: bool = False) -> Dep:
        """One atom (apk_blob_pull_dep) as a new Dep; raises DepFormatError when apk cannot parse it."""
        name, op, version, tag, broken = _split_atom(word, allow_tag)
        if name is None:
            raise DepFormatError(word)
        return Dep(self.name(name), op, version, self.tag_id(tag) if tag else NO_TAG, broken)

    def parse_deps(self, text: str) -> tuple[list[Dep], bool]:
        """A package's dependency list (apk_blob_pull_deps): atoms up to the first unparsable
        one, and whether anything was wrong (an unparsable atom or an invalid version).

        Package atoms carry no tags and are never changed, so equal atoms share one Dep and
        equal lists (many packages depend on just the C library) one list.
        """
        parsed = self._dep_lists.get(text)
        if parsed is not None:
            return parsed
        deps = []
        problem = False
        atoms = self._atoms
        for word in text.split():
            dep = atoms.get(word)
            if dep is None:
                name, equals, version = word.partition("=")
                if name and not ("<" in word or ">" in word or "~" in word or "@" in word or word[0] == "!"
                                 or "=" in version or (equals and not version)):
                    if equals:
                        dep = Dep(self.name(name), V.EQUAL, version, NO_TAG, not V.is_valid(version))
                    else:
                        dep = Dep(self.name(name), V.ANY, None)
                else:
                    name, op, version, _, broken = _split_atom(word, False)
                    if name is None:
                        problem = True
                        break
                    dep = Dep(self.name(name), op, version, NO_TAG, broken)
                atoms[word] = dep
            problem |= dep.broken
            deps.append(dep)
        parsed = self._dep_lists[text] = (deps, problem)
        return parsed

    # --- packages -----------------------------------------------------------------------

    def add_package(self, pkg: Pkg, provides: list[tuple[str, str | None]], install_if: list[str]) -> Pkg:
        """apk_db_pkg_add: register a package, or merge it into the one with the same identity."""
        key = identity(pkg.checksum)
        existing = self.packages.get(key)
        if existing is not None:
            existing.repos |= pkg.repos
            existing.cached_non_repository |= pkg.cached_non_repository
            if existing.installed is None and pkg.installed is not None:
                existing.installed = pkg.installed
            return existing
        self.packages[key] = pkg
        pkg.provided = provides
        pkg.install_if_names = install_if
        pkg.name.providers.append((pkg, pkg.version))
        names = self.names
        for provided, version in provides:
            entry = names.get(provided)
            if entry is not None:
                entry.providers.append((pkg, version))
            else:
                self._pending_providers.setdefault(provided, []).append((pkg, version))
        if install_if:
            for target in install_if:
                self._rinstall_if_index.setdefault(target, []).append(pkg)
        return pkg

    def add_virtual_package(self, name: Name, version: str, depends: list, checksum: str) -> Pkg:
        """A package made up on the command line (`add -t`): cached, empty, depending on `depends`."""
        fields = {"C": checksum, "P": name.name, "V": version, "A": "noarch", "S": "0", "I": "0",
                  "T": "virtual meta package"}
        if depends:
            fields["D"] = " ".join(str(dep) for dep in depends)
        pkg = Pkg(self, name, version, checksum, None, fields)
        pkg.cached = True
        pkg._depends = depends
        pkg._uninstallable = False
        pkg = self.add_package(pkg, (), ())
        for dep in depends:
            dep.name.dependents.append(pkg)
        return pkg

    def rinstall_if(self, name: Name) -> list[Name]:
        """Names with a provider whose install_if mentions `name`, in apk's order."""
        if name._rinstall_if is None:
            candidates = self._rinstall_if_index.get(name.name)
            if not candidates:
                name._rinstall_if = ()
                return ()
            found = {}
            for pkg in candidates:
                found[pkg.name] = None
                for provided in pkg.provided_names:
                    found[provided] = None
            names = list(found)
            if len(names) > 1:
                sort_names(names)
            name._rinstall_if = names
        return name._rinstall_if

    def register_record(self, record: Package, pkg: Pkg) -> None:
        self._record_nodes[id(record)] = pkg

    def node_of(self, record: Package) -> Pkg | None:
        return self._record_nodes.get(id(record))

    def repos_of(self, record: Package) -> int:
        """Repository bitmask of a Package record (bit 0: the cache)."""
        pkg = self._record_nodes.get(id(record))
        if pkg is None:
            return 0
        return pkg.repos | (1 if pkg.cached else 0)

    def is_installed(self, record: Package) -> bool:
        return id(record) in self.installed_info

    def pkg_available(self, pkg: Pkg) -> bool:
        return bool(pkg.repos & self.available_repos)

    def pkg_repos(self, pkg: Pkg) -> int:
        """Repositories of a package, plus those its installed tag allows (get_pkg_repos)."""
        if pkg.installed is not None:
            return pkg.repos | self.repo_tags[pkg.repository_tag].allowed_repos
        return pkg.repos

    def installed_stats(self) -> tuple[int, int, int, int]:
        """(packages, dirs, files, bytes) of the installed database, as apk counts them."""
        if self._installed_stats is None:
            dirs, files = set(), set()
            for record in self.installed:
                for directory in self.installed_info[id(record)].dirs:
                    path = directory.path
                    while path not in dirs:
                        dirs.add(path)
                        if not path:
                            break
                        path = path.rpartition("/")[0]
                    files.update((directory.path, entry.name) for entry in directory.files)
            total = sum(record.installed_size for record in self.installed)
            self._installed_stats = (len(self.installed), len(dirs), len(files), total)
        return self._installed_stats

    # --- loading ------------------------------------------------------------------------

    def load_world(self) -> None:
        path = self.ctx.path("etc/apk/world")
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", "surrogateescape")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise_open_failure(exc.strerror or str(exc))
        for word in text.split():
            try:
                dep = self.parse_atom(word, allow_tag=True)
            except DepFormatError:
                raise_open_failure("dependency format is invalid")
            if dep.broken:
                raise_open_failure("package version is invalid")
            self.world.append(dep)

    def load_installed(self) -> None:
        path = self.ctx.path("lib/apk/db/installed")
        try:
            entries = installed_db.read(path)
        except FormatError:
            raise_open_failure("v2 database format error")
        for record, info in entries:
            fields = record.fields
            if any(key not in _INSTALLED_FIELDS for key in fields) or any(c not in _INSTALLED_FLAGS for c in fields.get("f", "")):
                if not self.ctx.forced("old_apk"):
                    self.ctx.out.error("This apk-tools is too old to handle installed packages")
                    raise_open_failure("v2 database format error")
            if not fields.get("C") or "V" not in fields:
                raise_open_failure("v2 database format error")
            pkg = Pkg(self, self.name(record.name), record.version, fields["C"], None, fields)
            pkg.installed = info
            pkg.repository_tag = self.tag_id(fields.get("s"))
            pkg._record = record
            provides = _provided_names(fields.get("p", ""))
            pkg = self.add_package(pkg, provides, _install_if_names(fields.get("i", "")))
            self._record_nodes[id(record)] = pkg
            if pkg.installed is info:
                self.installed.append(record)
                self.installed_info[id(record)] = info
                self.installed_pkgs.append(pkg)
        for pkg in self.installed_pkgs:
            pkg.depends

    def load_cache_index(self) -> None:
        """On a volatile root, etc/apk/cache/installed lists the non-repository packages."""
        if not self.cache_active() or self.root_is_permanent():
            return
        path = os.path.join(self.cache_dir(), "installed")
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", "surrogateescape")
        except OSError:
            return
        self.add_index_text(text, None, path)

    def cache_dir(self) -> str:
        return self.ctx.cache_dir or self.ctx.path("etc/apk/cache")

    def cache_active(self) -> bool:
        return not self.ctx.no_cache and os.path.isdir(self.cache_dir())

    def root_is_permanent(self) -> bool:
        return str(self.ctx.root_tmpfs or "no").lower() in ("no", "n", "0", "false", "auto")

    def load_repositories(self) -> None:
        """Read every configured index, verifying signatures, as apk opens its repositories."""
        from apk_py import fetch

        self.keys = trust.load_keys(self.ctx.keys_directory)
        merged: list[tuple[repositories.Repository, int]] = []
        for repo in repositories.configured(self.ctx, self.arch, self.ctx.out.warning):
            tag = self.tag_id(repo.tag)
            for number, (other, mask) in enumerate(merged):
                if other.index_url == repo.index_url and other.package_base == repo.package_base:
                    merged[number] = (other, mask | (1 << tag))
                    break
            else:
                merged.append((repo, 1 << tag))
        for repo, tag_mask in merged:
            bit = len(self.repos)
            remote = not repo.local or repo.url.startswith("test:")
            self.repos.append(repo)
            self.repo_remote.append(remote)
            printable = repo.printable_index_url
            try:
                data, source = fetch.read_index_bytes(self.ctx, repo)
                raw, repo.description, _, _ = index.open_verified(data, source, self.keys, self.ctx.allow_untrusted)
                text = str(raw, "utf-8", "surrogateescape")
                self.add_index_text(text, bit, source)
            except PkError as exc:
                action = "fetching" if remote and self.ctx.no_cache else "opening"
                if remote:
                    self.unavailable_repos += 1
                self.ctx.out.warning(f"{action} {printable}: {_apk_error_text(exc)}")
                continue
            if not remote:
                self.local_repos |= 1 << bit
            if not remote or not self.ctx.no_network:
                self.available_repos |= 1 << bit
            for tag_number in range(len(self.repo_tags)):
                if tag_mask & (1 << tag_number):
                    self.repo_tags[tag_number].allowed_repos |= 1 << bit

    def add_index_text(self, text: str, repo_bit: int | None, source) -> None:
        """Register every record of an APKINDEX text (repo_bit None: the cache's own index).

        Records are kept as text; only what the name graph needs is picked out here. The
        usual layout (C, P, V first, known fields, at most one D, p and i line) is read with
        one pattern over the whole text; anything else takes the general reader.
        """
        repo_mask = 1 << repo_bit if repo_bit is not None else 0
        cached = repo_bit is None
        end = len(text)
        while end and text[end - 1] == "\n":
            end -= 1
        records = _RECORD.findall(text, 0, end) if "\r" not in text else []
        if not records or sum(map(len, [record[0] for record in records])) + 2 * len(records) - 2 != end:
            self._add_records(text, repo_mask, cached, source)
            return
        names = self.names
        packages = self.packages
        pending = self._pending_providers
        rinstall_if_index = self._rinstall_if_index
        a2b_base64 = binascii.a2b_base64
        loaded = []
        for raw, checksum, name_text, version, depends, provides, install_if in records:
            name = names.get(name_text)
            if name is None:
                name = names[name_text] = Name(name_text, pending.pop(name_text, []))
            pkg = Pkg(self, name, version, checksum, raw, None, depends, repo_mask, cached)
            try:
                key = a2b_base64(checksum[2:])[:20] if checksum[0] == "Q" else identity(checksum)
            except (binascii.Error, IndexError):
                key = identity(checksum)
            existing = packages.get(key)
            if existing is not None:
                existing.repos |= repo_mask
                existing.cached_non_repository |= cached
                loaded.append(existing)
                continue
            loaded.append(pkg)
            packages[key] = pkg
            name.providers.append((pkg, version))
            if provides:
                pkg.provided = provided_list = _provided_names(provides)
                for provided, provided_version in provided_list:
                    entry = names.get(provided)
                    if entry is not None:
                        entry.providers.append((pkg, provided_version))
                    else:
                        pending.setdefault(provided, []).append((pkg, provided_version))
            if install_if:
                pkg.install_if_names = targets = _install_if_names(install_if)
                for target in targets:
                    rinstall_if_index.setdefault(target, []).append(pkg)
        for column in (4, 5, 6):
            self._check_dependency_column(records, column, loaded)

    def _check_dependency_column(self, records: list, column: int, loaded: list) -> None:
        """Find the packages of a fast-read index whose D, p or i list apk cannot fully parse.

        Each record gives one line of the joined column, so a line number is a package.
        """
        joined = "\n".join([record[column] for record in records])
        suspects = {atom for atom in joined.split() if "@" in atom} if "@" in joined else set()
        parts = set(_OPERATOR_TAIL.findall(joined))
        if parts:
            unusual = _UNUSUAL_VERSION_PART.findall("\n".join(parts))
            suspects.update(part for part in unusual if not _version_part_ok(part))
        checked = set()
        for suspect in suspects:
            position = joined.find(suspect)
            while position >= 0:
                pkg = loaded[joined.count("\n", 0, position)]
                if id(pkg) not in checked:
                    checked.add(id(pkg))
                    self._check_dependency_lists(pkg)
                position = joined.find(suspect, position + 1)

    def _add_records(self, text: str, repo_mask: int, cached: bool, source) -> None:
        """The general reader: records in any field order, repeated lines, apk's line rules."""
        if "\r" in text or _BAD_LINE.search("\n" + text):
            text = _normalized_records(text, source)
        names = self.names
        pending = self._pending_providers
        for rec in text.split("\n\n"):
            fields = _record_fields(rec)
            if "P" not in fields or "V" not in fields or "C" not in fields:
                continue
            name_text = fields["P"]
            rec = rec.strip("\n")
            name = names.get(name_text)
            if name is None:
                name = names[name_text] = Name(name_text, pending.pop(name_text, []))
            pkg = Pkg(self, name, fields["V"], fields["C"], rec, None, None, repo_mask, cached)
            self.add_package(pkg, _provided_names(fields.get("p", "")), _install_if_names(fields.get("i", "")))
        self._check_fields("\n" + text)

    def _check_fields(self, text: str) -> None:
        """Mark what apk flags: unknown fields, and dependency lists it cannot (fully) parse."""
        for match in _UNKNOWN_FIELD.finditer(text):
            self.compat_newfeatures = True
            if match.group()[1].isupper():
                self.compat_notinstallable = True
                pkg = self._package_around(text, match.start())
                if pkg is not None:
                    pkg.broken_fields = True
        lines = "\n".join(_DEP_LINES.findall(text))
        suspects = {atom for atom in lines.split() if "@" in atom} if "@" in lines else set()
        suspects.update(part for part in set(_VERSIONED_ATOM.findall(lines)) if not _version_part_ok(part))
        checked = set()
        for suspect in suspects:
            position = text.find(suspect)
            while position >= 0:
                pkg = self._package_around(text, position)
                if pkg is not None and id(pkg) not in checked:
                    checked.add(id(pkg))
                    self._check_dependency_lists(pkg)
                position = text.find(suspect, position + 1)

    def _package_around(self, text: str, position: int) -> Pkg | None:
        start = max(text.rfind("\n\n", 0, position) + 2, 0)
        end = text.find("\n\n", position)
        fields = _record_fields(text[start : end if end >= 0 else len(text)])
        return self.packages.get(identity(fields.get("C", "")))

    def _check_dependency_lists(self, pkg: Pkg) -> None:
        for key in "Dpi":
            value = pkg.fields.get(key)
            if not value or not self.parse_deps(value)[1]:
                continue
            self.compat_depversions = True
            if key == "D":
                self.compat_notinstallable = True
            elif key == "i":
                for target in _install_if_names(value):
                    listed = self._rinstall_if_index.get(target)
                    if listed and pkg in listed:
                        listed.remove(pkg)

    def finish_loading(self) -> None:
        """Apply marks that waited for their package, mark cached packages, warn as apk does."""
        self._mark_cached()
        if self.compat_newfeatures:
            self.ctx.out.warning("This apk-tools is OLD! Some packages %s."
                                 % ("are not installable" if self.compat_notinstallable else "might not function properly"))
        if self.compat_depversions:
            self.ctx.out.warning("The indexes contain broken packages which %s."
                                 % ("are not installable" if self.compat_notinstallable else "might not function properly"))

    def _mark_cached(self) -> None:
        """Packages whose file sits in the cache directory (NAME-VERSION.HASH8.apk) are cached."""
        if not self.cache_active():
            return
        try:
            entries = os.listdir(self.cache_dir())
        except OSError:
            return
        for entry in entries:
            if not entry.endswith(".apk"):
                continue
            for cut in range(1, len(entry)):
                if entry[cut] != "-":
                    continue
                name = self.names.get(entry[:cut])
                if name is None:
                    continue
                for pkg, _ in name.providers:
                    if pkg.name is name and cache_file_name(pkg) == entry:
                        pkg.cached = True


class DepFormatError(ValueError):
    """An atom apk cannot parse."""


def _lowest_bit(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def name_order(name: Name):
    """Sort key giving apk's order of names: by hash bucket (collisions are rare)."""
    return name.hash_key, name.name


def sort_names(names: list) -> None:
    """Sort names into apk's order, hashing the new ones together (install_if lists of names
    like "docs" bring a thousand at once)."""
    new = [name for name in names if name._hash_key is None]
    if len(new) > 8:
        texts = [name.name.encode("utf-8", "surrogateescape") for name in new]
        for name, value in zip(new, murmur3_32_many(texts, 5381)):
            name._hash_key = value % _HASH_BUCKETS
    names.sort(key=name_order)


def _atom_name(word: str) -> str:
    return dependency.ATOM.match(word).group(2).partition("@")[0]


def _split_atom(word: str, allow_tag: bool) -> tuple:
    """(name, op, version, tag, broken) of an atom, or (None, ...) when apk cannot parse it."""
    try:
        return dependency.split(word, allow_tag)
    except dependency.DependencyError:
        return _UNPARSABLE


def _version_part_ok(part: str) -> bool:
    """Is `<op><version>` (what follows a name in an atom) something apk accepts?"""
    cut = 0
    while cut < len(part) and part[cut] in _COMPARER_CHARS:
        cut += 1
    op, version = part[:cut], part[cut:]
    mask = V.op_mask(op)
    if not mask or not version:
        return False
    return (mask & V.CHECKSUM) == V.CHECKSUM or V.is_valid(version)


def _list_field(rec: str, key: str, start: int) -> str:
    """A list field's value (`key` is "\\nX:", found at `start`); repeated lines of the same
    field add to the list, as apk reads them."""
    end = rec.find("\n", start + 3)
    if end < 0:
        return rec[start + 3 :]
    value = rec[start + 3 : end]
    again = rec.find(key, end)
    while again >= 0:
        end = rec.find("\n", again + 3)
        value += " " + (rec[again + 3 : end] if end >= 0 else rec[again + 3 :])
        again = rec.find(key, again + 3) if end >= 0 else -1
    return value


def _provided_names(text: str) -> list[tuple[str, str | None]]:
    """(name, version or None) of each provides atom, without building Dep objects."""
    if _plain_provides(text):
        return [(name, version or None) for name, _, version in [word.partition("=") for word in text.split(" ")]]
    found = []
    for word in text.split():
        parsed = _split_atom(word, False)
        if parsed[0] is None:
            break
        found.append((parsed[0], parsed[2]))
    return found


def _plain_provides(text: str) -> bool:
    """Only `name` and `name=version` words, one space apart (string scans: faster than a pattern)."""
    return not (not text or "<" in text or ">" in text or "~" in text or "@" in text or "==" in text
                or "= " in text or " =" in text or "  " in text or "\t" in text or "\v" in text or "\f" in text
                or text[0] in "= " or text[-1] in "= ")


def _install_if_names(text: str) -> list[str]:
    return _ATOM_NAMES.findall(text)


def _record_fields(record: str) -> dict[str, str]:
    """A raw index record's fields; repeated list fields add up as apk reads them."""
    fields: dict[str, str] = {}
    for line in record.split("\n"):
        if len(line) < 2:
            continue
        key = line[0]
        if key in fields and key in "Dpir":
            fields[key] += " " + line[2:]
        else:
            fields[key] = line[2:]
    return fields


def _normalized_records(text: str, source) -> str:
    """Records separated the way apk reads them: any line shorter than two characters ends one."""
    lines = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if len(line) < 2:
            lines.append("")
        elif line[1] != ":":
            raise FormatError(source, "v2 database format error")
        else:
            lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _apk_error_text(exc: PkError) -> str:
    """How apk names a failure to read an index."""
    if isinstance(exc, TrustError):
        return exc.reason.split(":", 1)[0]
    reason = getattr(exc, "reason", exc.message)
    return "No such file or directory" if "No such file" in reason else reason


def cache_file_name(pkg: Pkg) -> str:
    """apk's cache file name for a package node (see fetch.cached_package_name)."""
    from apk_py.fetch import cached_package_name

    return cached_package_name(pkg.name.name, pkg.version, pkg.checksum)


def murmur3_32(data: bytes, seed: int) -> int:
    """MurmurHash3 (x86, 32-bit): apk-tools' name hash function."""
    mask = 0xFFFFFFFF
    h = seed & mask
    length = len(data)
    blocks = length // 4
    for offset in range(0, blocks * 4, 4):
        k = int.from_bytes(data[offset : offset + 4], "little")
        k = (k * 0xCC9E2D51) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * 0x1B873593) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    tail = data[blocks * 4 :]
    if tail:
        k = int.from_bytes(tail, "little")
        k = (k * 0xCC9E2D51) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * 0x1B873593) & mask
        h ^= k
    h ^= length
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h


def murmur3_32_many(texts: list[bytes], seed: int) -> list[int]:
    """murmur3_32 of many strings at once: each gets a 64-bit lane of a few big integers, so
    every step of the hash is one integer operation for all of them (32-bit values times
    32-bit constants never carry into the next lane; shifts are masked back into it)."""
    count = len(texts)
    order = sorted(range(count), key=lambda position: -len(texts[position]))
    lengths = [len(texts[position]) for position in order]
    width = (lengths[0] + 3) & ~3
    padded = b"".join([texts[position].ljust(width, b"\0") for position in order])

    def lanes(value: int) -> int:
        return int.from_bytes(value.to_bytes(8, "little") * count, "little")

    low = lanes(0xFFFFFFFF)
    h = lanes(seed)
    step = lanes(0xE6546B64)
    lane_bytes = bytearray(8 * count)
    full = count
    for block in range(width // 4):
        while full and lengths[full - 1] < 4 * (block + 1):
            full -= 1
        for byte in range(4):
            lane_bytes[byte::8] = padded[4 * block + byte :: width]
        k = (int.from_bytes(lane_bytes, "little") * 0xCC9E2D51) & low
        k = ((((k << 15) | (k >> 17)) & low) * 0x1B873593) & low
        h ^= k
        mixed = ((((h << 13) | (h >> 19)) & low) * 5 + step) & low
        h ^= (h ^ mixed) & low & ((1 << (64 * full)) - 1)
    h ^= int.from_bytes(struct.pack("<%dQ" % count, *lengths), "little")
    h ^= (h >> 16) & low
    h = (h * 0x85EBCA6B) & low
    h ^= (h >> 13) & low
    h = (h * 0xC2B2AE35) & low
    h ^= (h >> 16) & low
    values = struct.unpack("<%dQ" % count, h.to_bytes(8 * count, "little"))
    result = [0] * count
    for position, original in enumerate(order):
        result[original] = values[position]
    return result


def raise_open_failure(reason: str):
    """apk's two-line failure to open a database (exit status 99)."""
    raise OpenFailure(reason)


class OpenFailure(PkError):
    def __init__(self, reason: str):
        super().__init__(f"Unable to read database: {reason}\nERROR: Failed to open apk database: {reason}", 99)
        self.reason = reason


def arch_of(ctx) -> str:
    """--arch, else ROOT/etc/apk/arch, else this machine's."""
    if ctx.arch:
        return ctx.arch
    try:
        with open(ctx.path("etc/apk/arch"), encoding="utf-8") as handle:
            text = handle.read().split()
            if text:
                return text[0]
    except OSError:
        pass
    from apk_py.cli import host_arch

    return host_arch()


def open_database(ctx, repositories_too: bool = True) -> Database:
    """Load a root's world, installed database and (optionally) repositories, in apk's order."""
    if not os.path.isdir(ctx.root):
        raise PkError("Unable to open root: No such file or directory", 99)
    with BuildingObjects():
        db = Database(ctx)
        db.load_world()
        db.load_installed()
        db.load_cache_index()
        if repositories_too:
            db.load_repositories()
        db.finish_loading()
    return db


class BuildingObjects:
    """Loading and solving build tens of thousands of objects that live until the command
    ends: the cycle collector would only rescan them, so it is paused meanwhile, and what
    was built is then left out of later collections."""

    def __enter__(self) -> None:
        self.collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info) -> None:
        if self.collecting:
            gc.freeze()
            gc.enable()
