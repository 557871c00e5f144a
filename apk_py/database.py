"""The package database: what is installed, what the world asks for, what the repositories offer.

It models apk-tools' database closely, because the solver's choices (and their order)
depend on it: a package seen in several places (installed, two repositories) is one node
carrying a bitmask of the repositories that offer it; every name (real or virtual) lists
its providers in the order the packages were read; repository tags pin packages.

Opening a database must stay cheap on an index of thousands of packages, of which a
command looks at a few hundred. So the database holds what it read as tables of plain
values keyed by package identity and name text (IndexTables: package rows, providers,
reverse dependencies, reverse install_if), which the solver's discovery walk reads
directly, and makes Name and Pkg objects only for what is looked at. A repository
index's tables depend on its bytes alone, so apk_py.indexcache keeps them between runs.
Index records stay raw text; their other fields are parsed when first read.
"""

from __future__ import annotations

import binascii
import gc
import os
import re
import struct
from collections import defaultdict
from collections.abc import Mapping
from itertools import chain
from operator import itemgetter

from apk_py import installed as installed_db
from apk_py import dependency, index, repositories, trust
from apk_py import version as V
from apk_py.errors import FormatError, PkError, TrustError
from apk_py.package import Package, identity

NO_TAG = 0
_HASH_BUCKETS = 20000  # apk's name hash table size: its iteration order is the rdepends order
# Fields apk's index reader understands (the rest makes apk warn that it is too old).
_KNOWN_INDEX_FIELDS = frozenset("PVTULADCSIpiomtckFMRZrqasfg")
# Patterns are compiled when first used (re keeps them): a run served by the parsed-index
# cache reads no index text.
_BAD_LINE = r"\n[^\n][^:]"
_INSTALLED_FIELDS = frozenset("CPVASITULomtckDpirqsfg")
# One index record in the usual layout: C, P, V first, then known fields with at most one
# D, p and i line in that order; groups: the record, C, P, V, D, p, i.
_OTHER_LINES = r"(?:\n[TULASIomtckFMRZrqasfg]:.*)*"
_RECORD = (r"(?:(?<=\n\n)|\A)(C:(.*)\nP:(.*)\nV:(.*)" + _OTHER_LINES + r"(?:\nD:(.*))?" + _OTHER_LINES
           + r"(?:\np:(.*))?" + _OTHER_LINES + r"(?:\ni:(.*))?" + _OTHER_LINES + r")(?=\n\n|\Z)")
# The name of each atom in a list: what follows a "!", up to a comparer or tag.
_ATOM_NAMES = r"(?<!\S)(?=\S)!?([^<>=~@\s]*)\S*"
_UNPARSABLE = (None, 0, None, None, False)
_INSTALLED_FLAGS = frozenset("fsxS")
_ABSENT = object()

# The fields of a package row (IndexTables.packages values).
ROW_NAME, ROW_RECORD, ROW_DEPENDS, ROW_PROVIDES, ROW_INSTALL_IF = range(5)
_row_name = itemgetter(ROW_NAME)
_row_provides = itemgetter(ROW_PROVIDES)


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
    for an unversioned provide (apk's null atom). The list is made when first asked for,
    from the database's providers table (identities in the order read; a package appears
    once for its name and once for each time it provides the name, in that order).
    """

    __slots__ = ("db", "name", "_providers", "solver_flags_set", "ss")

    def __init__(self, db, name: str):
        self.db = db
        self.name = name
        self._providers = None
        self.solver_flags_set = False
        self.ss = None

    @property
    def providers(self) -> list:
        if self._providers is None:
            self._providers = self.db.provider_pairs(self.name)
        return self._providers

    @property
    def rdepends(self) -> list:
        """Names with a provider depending on this one, in apk's order (its name hash table's)."""
        db = self.db
        return [db.name(text) for text in db.in_name_order(set(db.reverse_dependencies(self.name)))]

    @property
    def has_repository_providers(self) -> bool:
        return any(pkg.repos for pkg, _ in self.providers)

    @property
    def hash_key(self) -> int:
        """Where apk's name hash table keeps this name: its lists of names follow that order."""
        return self.db.bucket(self.name)

    @property
    def seen_in(self) -> int:
        """The solver run whose discovery walk reached this name (0: none did)."""
        walk = self.db.discovered
        return walk.run if walk is not None and self.name in walk.order else 0

    @property
    def order_id(self) -> int:
        """The order id the latest discovery walk gave this name."""
        walk = self.db.discovered
        return walk.order.get(self.name, 0) if walk is not None else 0

    def __repr__(self) -> str:
        return f"Name({self.name})"


class Pkg:
    """One package of the database, whatever offers it (repositories, installed db, cache).

    Its repositories and flags live in the database's tables (one package read from two
    repositories is one node), so they stay right whichever source came first.
    """

    __slots__ = ("db", "key", "name", "version", "checksum", "raw", "_fields", "_record", "installed", "repository_tag",
                 "cached", "_provided", "_depends", "_provides", "_install_if", "_uninstallable", "ss")

    def __init__(self, db, key: bytes, name, version: str, checksum: str, raw: str | None, fields: dict | None):
        self.db = db
        self.key = key  # its identity (see package.identity)
        self.name = name
        self.version = version
        self.checksum = checksum
        self.raw = raw
        self._fields = fields
        self._provided = None
        self._record = None
        self.installed = None  # InstalledInfo when installed
        self.repository_tag = NO_TAG
        self.cached = False
        self._depends = None
        self._provides = None
        self._install_if = None
        self._uninstallable = None
        self.ss = None

    @property
    def repos(self) -> int:
        """Bitmask of the repositories offering it (bit 0 is the cache)."""
        return self.db.repo_masks.get(self.key, 0)

    @property
    def cached_non_repository(self) -> bool:
        """Listed in the cache's own index (a package no repository has to offer)."""
        return self.key in self.db.non_repository

    @property
    def broken_fields(self) -> bool:
        """Its record has upper-case fields apk does not know."""
        return self.key in self.db.broken_fields

    # --- fields, parsed on first use ----------------------------------------------------

    @property
    def fields(self) -> dict:
        if self._fields is None:
            self._fields = _record_fields(self.raw)
        return self._fields

    def get(self, key: str, default: str = "") -> str:
        """One field; for an index record, read straight from its text while nothing else is needed."""
        if self._fields is None:
            if key in "Dpir":
                return _record_list(self.raw, key, default)
            return _record_value(self.raw, key, default)
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
        if self._depends is None:
            deps, broken = self.db.parse_deps(self.get("D"))
            if broken:
                self._uninstallable = True
            self._depends = deps
        return self._depends

    @property
    def provides(self) -> list:
        if self._provides is None:
            self._provides = self.db.parse_deps(self.get("p"))[0]
        return self._provides

    @property
    def provided(self) -> list[tuple[str, str | None]]:
        """(name, version or None) of its provides, as read (without Dep objects)."""
        if self._provided is None:
            self._provided = _provided_names(self.get("p"))
        return self._provided

    @property
    def install_if_names(self) -> list[str]:
        """The names its install_if field mentions, whether apk can parse it or not."""
        return _install_if_names(self.get("i"))

    @property
    def install_if(self) -> list:
        """Its install_if conditions; none when apk cannot parse them all."""
        if self._install_if is None:
            text = self.get("i")
            if text:
                deps, broken = self.db.parse_deps(text)
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


class IndexTables:
    """What an index (or the installed database) adds to a database, as plain values.

    - packages: identity -> row (see ROW_*): name, record text (None when the package was
      not read from an index: its node exists already), the names of its dependencies (up
      to the first atom apk cannot parse), of its provides, of its install_if conditions
      (none when apk cannot parse them all); in the order read;
    - providers: name -> identities of its providers in the order read, once for the
      package's own name and once for each provide of that name;
    - dependents: name -> identities of the packages depending on it;
    - rinstall_if: name -> names with a provider whose install_if mentions it, in apk's order;
    - buckets: the slot in apk's name hash table of each name those lists hold (merging
      two sources sorts them again);
    - unprovided: names a list mentions that no package here provides;
    - broken_fields: identities of packages with upper-case fields apk does not know;
    - compat: what apk warns about: (new fields, uninstallable packages, broken versions).

    Nothing in them refers to objects, so an index's tables can be stored (see
    apk_py.indexcache) and merged into any database.
    """

    __slots__ = ("packages", "providers", "dependents", "rinstall_if", "buckets", "unprovided", "broken_fields",
                 "compat")

    def __init__(self, packages: dict, providers: dict, dependents: dict, rinstall_if: dict, buckets: dict,
                 unprovided: tuple, broken_fields: frozenset, compat: tuple):
        self.packages = packages
        self.providers = providers
        self.dependents = dependents
        self.rinstall_if = rinstall_if
        self.buckets = buckets
        self.unprovided = unprovided
        self.broken_fields = broken_fields
        self.compat = compat

    def values(self) -> tuple:
        """The tables in constructor order (what the cache stores)."""
        return (self.packages, self.providers, self.dependents, self.rinstall_if, self.buckets, self.unprovided,
                self.broken_fields, self.compat)


class TablesBuilder:
    """Collects packages into IndexTables, parsing each distinct dependency list once.

    Each name is kept as one string object wherever it appears, so that the tables hold
    (and the cache stores) it once.
    """

    def __init__(self):
        self.packages: dict[bytes, tuple] = {}
        self.providers: defaultdict[str, list] = defaultdict(list)
        self.depending: defaultdict[str, list] = defaultdict(list)  # name -> identities depending on it
        self.conditioned: defaultdict[str, list] = defaultdict(list)  # name -> identities whose install_if mentions it
        self.names_of: dict[bytes, tuple] = {}  # identity -> its own and provided names
        self.unusable_conditions: dict[str, None] = {}  # names in install_if lists apk cannot use
        self.broken_fields: set[bytes] = set()
        self.new_fields = self.not_installable = self.broken_versions = False
        self._texts: dict[str, str] = {}
        self._word_names: dict[str, str] = {}  # atom -> its name, for atoms apk can parse
        self._broken_words: set[str] = set()  # those of them with an invalid version
        self._lists: dict[str, tuple] = {}

    def atom_names(self, text: str) -> tuple[tuple[str, ...], bool]:
        """The names of a list's atoms up to the first one apk cannot parse, and whether
        anything was wrong (such an atom, or an invalid version)."""
        parsed = self._lists.get(text)
        if parsed is None:
            words = text.split()
            names = list(map(self._word_names.get, words))
            if None in names:
                names, problem = self._learn_atoms(words)
            else:
                problem = not self._broken_words.isdisjoint(words)
            parsed = self._lists[text] = (tuple(names), problem)
        return parsed

    def _learn_atoms(self, words: list[str]) -> tuple[list[str], bool]:
        """atom_names for a list with atoms not met before: those are parsed (up to the
        first one apk cannot parse, where the list ends)."""
        word_names = self._word_names
        problem = False
        for position, word in enumerate(words):
            if word not in word_names:
                parts = _atom_parts(word)
                if parts is None:
                    words = words[:position]
                    problem = True
                    break
                word_names[word] = self._texts.setdefault(parts[0], parts[0])
                if parts[3]:
                    self._broken_words.add(word)
        return list(map(word_names.get, words)), problem or not self._broken_words.isdisjoint(words)

    def add(self, key: bytes, name: str, record: str, depends: str | None, provides: str | None,
            install_if: str | None) -> None:
        """One index record, from its D, p and i texts (apk's checks included)."""
        if key in self.packages:
            return
        depend_names = ()
        if depends:
            depend_names, broken = self.atom_names(depends)
            if broken:
                self.broken_versions = self.not_installable = True
        provided = ()
        if provides:
            provided, broken = self.atom_names(provides)
            if broken:
                self.broken_versions = True
        conditions = ()
        if install_if:
            conditions, broken = self.atom_names(install_if)
            if broken:
                self.broken_versions = True
                self.unusable_conditions.update(dict.fromkeys(conditions))
                conditions = ()
        self.add_parsed(key, name, record, depend_names, provided, conditions)

    def add_parsed(self, key: bytes, name: str, record: str | None, depend_names: tuple, provided: tuple,
                   conditions: tuple) -> None:
        """One package whose lists are parsed already (see IndexTables for the fields)."""
        name = self._texts.setdefault(name, name)
        self.packages[key] = (name, record, depend_names, provided, conditions)
        names = self.names_of[key] = (name,) + provided
        providers = self.providers
        for text in names:
            providers[text].append(key)
        depending = self.depending
        for target in depend_names:
            depending[target].append(key)
        for target in conditions:
            self.conditioned[target].append(key)

    def tables(self) -> IndexTables:
        """The tables of the packages added (the builder's lists become tuples)."""
        names_of = self.names_of.__getitem__

        def owners(keys: list) -> tuple[str, ...]:
            return tuple(dict.fromkeys(chain.from_iterable(map(names_of, keys))))

        providers = self.providers
        rinstall_if = {target: owners(keys) for target, keys in self.conditioned.items()}
        listed = list(dict.fromkeys(chain.from_iterable(rinstall_if.values())))
        buckets = dict(zip(listed, hash_buckets(listed)))
        for target, texts in rinstall_if.items():
            if len(texts) > 1:
                rinstall_if[target] = tuple(sorted(texts, key=lambda text: (buckets[text], text)))
        mentioned = chain(self.depending, self.conditioned, self.unusable_conditions)
        return IndexTables(self.packages, {text: tuple(keys) for text, keys in providers.items()},
                           {target: tuple(keys) for target, keys in self.depending.items()}, rinstall_if, buckets,
                           tuple(dict.fromkeys(text for text in mentioned if text not in providers)),
                           frozenset(self.broken_fields), (self.new_fields, self.not_installable, self.broken_versions))


def read_index_tables(text: str, source) -> IndexTables:
    """An APKINDEX text's tables.

    The usual layout (C, P, V first, known fields, at most one D, p and i line) is read
    with one pattern over the whole text; anything else takes the general reader.
    """
    end = len(text)
    while end and text[end - 1] == "\n":
        end -= 1
    records = re.compile(_RECORD).findall(text, 0, end) if "\r" not in text else []
    if not records or sum(map(len, [record[0] for record in records])) + 2 * len(records) - 2 != end:
        return general_index_tables(text, source)
    builder = TablesBuilder()
    add = builder.add
    a2b_base64 = binascii.a2b_base64
    for raw, checksum, name, version, depends, provides, install_if in records:
        try:
            key = a2b_base64(checksum[2:])[:20] if checksum[0] == "Q" else identity(checksum)
        except (binascii.Error, IndexError):
            key = identity(checksum)
        add(key, name, raw, depends, provides, install_if)
    return builder.tables()


def general_index_tables(text: str, source) -> IndexTables:
    """The general reader: records in any field order, repeated lines, apk's line rules."""
    if "\r" in text or re.search(_BAD_LINE, "\n" + text):
        text = _normalized_records(text, source)
    builder = TablesBuilder()
    for rec in text.split("\n\n"):
        fields = _record_fields(rec)
        for key in fields:
            if key not in _KNOWN_INDEX_FIELDS:
                builder.new_fields = True
                if key.isupper():
                    builder.not_installable = True
                    builder.broken_fields.add(identity(fields.get("C", "")))
        if "P" not in fields or "V" not in fields or "C" not in fields:
            continue
        builder.add(identity(fields["C"]), fields["P"], rec.strip("\n"), fields.get("D"), fields.get("p"),
                    fields.get("i"))
    return builder.tables()


class NameTable(Mapping):
    """Every name the database knows (what apk's name hash holds), made into Name objects on access."""

    def __init__(self, db):
        self.db = db

    def __getitem__(self, text: str) -> Name:
        if not self.db.knows_name(text):
            raise KeyError(text)
        return self.db.name(text)

    def __contains__(self, text) -> bool:
        return self.db.knows_name(text)

    def __iter__(self):
        return iter(self.db.known_texts())

    def __len__(self) -> int:
        return len(self.db.known_texts())


class PackageTable(Mapping):
    """Every package by identity (the first 20 bytes of its digest), made into Pkg objects on access."""

    def __init__(self, db):
        self.db = db

    def __getitem__(self, key: bytes) -> Pkg:
        if key not in self.db.rows:
            raise KeyError(key)
        return self.db.package_node(key)

    def __contains__(self, key) -> bool:
        return key in self.db.rows

    def __iter__(self):
        return iter(list(self.db.rows))

    def __len__(self) -> int:
        return len(self.db.rows)


class Database:
    """Everything the solver and the installer need to know about one root."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.arch = arch_of(ctx)
        self.arches = (self.arch,)
        # The tables (see IndexTables), merged over every source read.
        self.rows: dict[bytes, tuple] = {}
        self.providers_of: dict[str, tuple] = {}
        self.dependents_of: dict[str, tuple] = {}
        self.rinstall_if_of: dict[str, tuple] = {}
        self.unprovided_names: dict[str, None] = {}  # known names that may have no providers
        self.name_buckets: dict[str, int] = {}  # name hash table slots worked out so far
        self.repo_masks: dict[bytes, int] = {}
        self.non_repository: set[bytes] = set()
        self.broken_fields: set[bytes] = set()
        # The objects made from them so far.
        self.name_nodes: dict[str, Name] = {}
        self.package_nodes: dict[bytes, Pkg] = {}
        self.names = NameTable(self)
        self.packages = PackageTable(self)
        self.discovered = None  # the latest solver run's discovery walk
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
        self._reverse_dependencies: dict[str, tuple] = {}
        self._installed_stats = None

    # --- names and tags -----------------------------------------------------------------

    def name(self, text: str) -> Name:
        """The Name for `text`, made (and known from then on) when new."""
        node = self.name_nodes.get(text)
        if node is None:
            node = self.name_nodes[text] = Name(self, text)
            if text not in self.providers_of:
                self.unprovided_names[text] = None
        return node

    def knows_name(self, text: str) -> bool:
        """Does any package, dependency or world entry mention the name (apk's name hash lookup)?"""
        return text in self.providers_of or text in self.unprovided_names

    def known_texts(self) -> list[str]:
        """Every name anything mentions (what apk's name hash holds)."""
        texts = list(self.providers_of)
        texts.extend(text for text in self.unprovided_names if text not in self.providers_of)
        return texts

    def query_name(self, text: str) -> Name | None:
        """The Name if any package, dependency or world entry mentions it (apk's name hash lookup)."""
        return self.name(text) if self.knows_name(text) else None

    def known_names(self) -> list[Name]:
        """Every name anything mentions (what apk's name hash holds)."""
        return [self.name(text) for text in self.known_texts()]

    @property
    def _pending_providers(self) -> dict:
        """Providers of the names no Name object stands for yet, as (package, version) lists."""
        pending = [text for text in self.providers_of if text not in self.name_nodes]
        return {text: self.provider_pairs(text) for text in pending}

    def provider_pairs(self, text: str) -> list:
        """The (package, version) pairs providing a name (see Name), from the providers table."""
        rows = self.rows
        pairs = []
        for key in dict.fromkeys(self.providers_of.get(text, ())):
            pkg = self.package_node(key)
            if pkg.name.name == text:
                pairs.append((pkg, pkg.version))
            if text in rows[key][ROW_PROVIDES]:
                pairs.extend((pkg, version) for provided, version in pkg.provided if provided == text)
        return pairs

    def bucket(self, text: str) -> int:
        """The name's slot in apk's name hash table."""
        value = self.name_buckets.get(text)
        if value is None:
            value = self.name_buckets[text] = murmur3_32(text.encode("utf-8", "surrogateescape"), 5381) % _HASH_BUCKETS
        return value

    def hash_names(self, texts: list[str]) -> dict[str, int]:
        """The name hash table slots known, those of `texts` included (the new ones hashed together)."""
        buckets = self.name_buckets
        new = [text for text in texts if text not in buckets]
        if new:
            buckets.update(zip(new, hash_buckets(new)))
        return buckets

    def in_name_order(self, texts) -> list[str]:
        """Name texts sorted into apk's order of names (see name_order)."""
        texts = list(texts)
        buckets = self.hash_names(texts)
        return sorted(texts, key=lambda text: (buckets[text], text))

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
                parts = _atom_parts(word)
                if parts is None:
                    problem = True
                    break
                name, op, version, broken = parts
                dep = atoms[word] = Dep(self.name(name), op, version, NO_TAG, broken)
            problem |= dep.broken
            deps.append(dep)
        parsed = self._dep_lists[text] = (deps, problem)
        return parsed

    # --- packages -----------------------------------------------------------------------

    def package_node(self, key: bytes) -> Pkg:
        """The Pkg of a known identity, made from its row when first asked for."""
        node = self.package_nodes.get(key)
        if node is None:
            row = self.rows[key]
            record = row[ROW_RECORD]
            node = self.package_nodes[key] = Pkg(self, key, self.name(row[ROW_NAME]), _record_value(record, "V"),
                                                 _record_value(record, "C"), record, None)
        return node

    def add_tables(self, tables: IndexTables, repo_mask: int = 0, non_repository: bool = False) -> None:
        """Merge what a source read (apk_db_pkg_add for each package): a package whose
        identity is known already keeps its row and node and only gains `repo_mask`.

        The tables are taken over, not copied; merging walks the smaller side of each.
        """
        rows = self.rows
        duplicates = rows.keys() & tables.packages.keys() if rows else ()
        if duplicates:
            for key in duplicates:
                self.repo_masks[key] |= repo_mask
            if non_repository:
                self.non_repository.update(duplicates)
            _drop_packages(tables, duplicates)
        added = tables.packages
        self.repo_masks.update(dict.fromkeys(added, repo_mask))
        if non_repository:
            self.non_repository.update(added)
        if rows:
            rows.update(added)
        else:
            self.rows = added
        self.name_buckets = _joined(self.name_buckets, tables.buckets, _first)
        self.unprovided_names.update(dict.fromkeys(tables.unprovided))
        self.providers_of = _joined(self.providers_of, tables.providers, _concatenated)
        self.dependents_of = _joined(self.dependents_of, tables.dependents, _union)
        self._reverse_dependencies.clear()
        self.rinstall_if_of = _joined(self.rinstall_if_of, tables.rinstall_if, self._sorted_union)
        self.broken_fields |= tables.broken_fields
        new_fields, not_installable, broken_versions = tables.compat
        self.compat_newfeatures |= new_fields
        self.compat_notinstallable |= not_installable
        self.compat_depversions |= broken_versions
        for text, node in self.name_nodes.items():
            if text in tables.providers:
                node._providers = None

    def _sorted_union(self, first: tuple, second: tuple) -> tuple:
        return tuple(self.in_name_order(set(first + second)))

    def add_virtual_package(self, name: Name, version: str, depends: list, checksum: str) -> Pkg:
        """A package made up on the command line (`add -t`): cached, empty, depending on `depends`."""
        key = identity(checksum)
        if key in self.rows:
            return self.package_node(key)
        fields = {"C": checksum, "P": name.name, "V": version, "A": "noarch", "S": "0", "I": "0",
                  "T": "virtual meta package"}
        if depends:
            fields["D"] = " ".join(str(dep) for dep in depends)
        pkg = self.package_nodes[key] = Pkg(self, key, name, version, checksum, None, fields)
        pkg.cached = True
        pkg._depends = depends
        pkg._uninstallable = False
        builder = TablesBuilder()
        builder.add_parsed(key, name.name, None, tuple(dep.name.name for dep in depends), (), ())
        self.add_tables(builder.tables())
        return pkg

    def reverse_dependencies(self, text: str) -> tuple[str, ...]:
        """Names with a provider depending on the name (apk's rdepends; in no set order, and
        a name may come more than once)."""
        found = self._reverse_dependencies.get(text)
        if found is None:
            rows = list(map(self.rows.__getitem__, self.dependents_of.get(text, ())))
            found = tuple(chain(map(_row_name, rows), chain.from_iterable(map(_row_provides, rows))))
            self._reverse_dependencies[text] = found
        return found

    def rinstall_if(self, name: Name) -> list[Name]:
        """Names with a provider whose install_if mentions `name`, in apk's order."""
        return [self.name(text) for text in self.rinstall_if_of.get(name.name, ())]

    def register_record(self, record: Package, pkg: Pkg) -> None:
        self._record_nodes[id(record)] = pkg

    def repos_of(self, record: Package) -> int:
        """Repository bitmask of a Package record (bit 0: the cache)."""
        pkg = self._record_nodes.get(id(record))
        if pkg is None:
            return 0
        return pkg.repos | (1 if pkg.cached else 0)

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
        builder = TablesBuilder()
        for record, info in entries:
            fields = record.fields
            if any(key not in _INSTALLED_FIELDS for key in fields) or any(c not in _INSTALLED_FLAGS for c in fields.get("f", "")):
                if not self.ctx.forced("old_apk"):
                    self.ctx.out.error("This apk-tools is too old to handle installed packages")
                    raise_open_failure("v2 database format error")
            if not fields.get("C") or "V" not in fields:
                raise_open_failure("v2 database format error")
            key = identity(fields["C"])
            pkg = self.package_nodes.get(key)
            if pkg is None and key in self.rows:
                pkg = self.package_node(key)
            if pkg is None:
                pkg = Pkg(self, key, self.name(record.name), record.version, fields["C"], None, fields)
                pkg.installed = info
                pkg.repository_tag = self.tag_id(fields.get("s"))
                pkg._record = record
                self.package_nodes[key] = pkg
                builder.add_parsed(key, record.name, None, tuple(dep.name.name for dep in pkg.depends),
                                   tuple(provided for provided, _ in pkg.provided),
                                   tuple(dep.name.name for dep in pkg.install_if))
            elif pkg.installed is None:
                pkg.installed = info
            self._record_nodes[id(record)] = pkg
            if pkg.installed is info:
                self.installed.append(record)
                self.installed_info[id(record)] = info
                self.installed_pkgs.append(pkg)
        self.add_tables(builder.tables())

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
        """Read every configured index, verifying signatures, as apk opens its repositories.

        An index's tables come from the parsed-index cache when it has them.
        """
        from apk_py import fetch, indexcache

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
        cache = indexcache.IndexCache.for_context(self.ctx)
        for repo, tag_mask in merged:
            bit = len(self.repos)
            remote = not repo.local or repo.url.startswith("test:")
            self.repos.append(repo)
            self.repo_remote.append(remote)
            printable = repo.printable_index_url
            try:
                data, source = fetch.read_index_bytes(self.ctx, repo)
                body, _, _ = index.verify(data, source, self.keys, self.ctx.allow_untrusted)
                cached = cache.load(data) if cache is not None else None
                if cached is None:
                    raw, repo.description = index.unpack(body, source)
                    tables = read_index_tables(str(raw, "utf-8", "surrogateescape"), source)
                    if cache is not None:
                        cache.store(data, repo.description, tables)
                else:
                    repo.description, tables = cached
                self.add_tables(tables, 1 << bit)
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
        """Register every record of an APKINDEX text (repo_bit None: the cache's own index)."""
        self.add_tables(read_index_tables(text, source), 1 << repo_bit if repo_bit is not None else 0, repo_bit is None)

    def _add_records(self, text: str, repo_mask: int, cached: bool, source) -> None:
        """Register an index text with the general reader (whatever its layout)."""
        self.add_tables(general_index_tables(text, source), repo_mask, cached)

    def finish_loading(self) -> None:
        """Mark cached packages, warn as apk does."""
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
    """Sort names into apk's order, hashing the new ones together (a list of every known
    name brings thousands at once)."""
    if names:
        names[0].db.hash_names([name.name for name in names])
        names.sort(key=name_order)


def hash_buckets(texts: list[str]) -> list[int]:
    """The name hash table slot of each name."""
    encoded = [text.encode("utf-8", "surrogateescape") for text in texts]
    if len(encoded) > 8:
        return [value % _HASH_BUCKETS for value in murmur3_32_many(encoded, 5381)]
    return [murmur3_32(text, 5381) % _HASH_BUCKETS for text in encoded]


def _joined(old: dict, new: dict, combine) -> dict:
    """Two tables keyed by name as one: combine(old value, new value) where both have the
    name. Only the smaller one is walked; the other is updated in place and returned."""
    if len(old) >= len(new):
        for text, value in new.items():
            present = old.get(text, _ABSENT)
            old[text] = value if present is _ABSENT else combine(present, value)
        return old
    for text, value in old.items():
        added = new.get(text, _ABSENT)
        new[text] = value if added is _ABSENT else combine(value, added)
    return new


def _first(first, second):
    return first


def _concatenated(first: tuple, second: tuple) -> tuple:
    return first + second


def _union(first: tuple, second: tuple) -> tuple:
    return tuple(dict.fromkeys(first + second))


def _drop_packages(tables: IndexTables, keys) -> None:
    """Take packages out of tables before they are merged (their identity is known already)."""
    providers = tables.providers
    for key in keys:
        row = tables.packages.pop(key)
        for text in (row[ROW_NAME],) + row[ROW_PROVIDES]:
            providers[text] = tuple(entry for entry in providers[text] if entry != key)


def _atom_parts(word: str) -> tuple | None:
    """(name, op, version, broken) of a package list's atom, None when apk cannot parse it.

    The usual `name` and `name=version` atoms are split without the general parser.
    """
    name, equals, version = word.partition("=")
    if name and not ("<" in word or ">" in word or "~" in word or "@" in word or word[0] == "!"
                     or "=" in version or (equals and not version)):
        if equals:
            return name, V.EQUAL, version, not V.is_valid(version)
        return name, V.ANY, None, False
    name, op, version, _, broken = _split_atom(word, False)
    if name is None:
        return None
    return name, op, version, broken


def _split_atom(word: str, allow_tag: bool) -> tuple:
    """(name, op, version, tag, broken) of an atom, or (None, ...) when apk cannot parse it."""
    try:
        return dependency.split(word, allow_tag)
    except dependency.DependencyError:
        return _UNPARSABLE


def _record_value(record: str, key: str, default=None):
    """A field of a record's text (its last line, as apk reads them)."""
    start = record.rfind("\n" + key + ":")
    if start < 0:
        if not record.startswith(key + ":"):
            return default
        start = -1
    end = record.find("\n", start + 3)
    return record[start + 3 : end] if end >= 0 else record[start + 3 :]


def _record_list(record: str, key: str, default: str = "") -> str:
    """A list field of a record's text: its repeated lines add up, as apk reads them."""
    start = record.find("\n" + key + ":")
    if start < 0:
        if not record.startswith(key + ":"):
            return default
        start = -1
    return _list_field(record, "\n" + key + ":", start)


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
    return not (not text or "<" in text or ">" in text or "~" in text or "@" in text or "!" in text or "==" in text
                or "= " in text or " =" in text or "  " in text or "\t" in text or "\v" in text or "\f" in text
                or text[0] in "= " or text[-1] in "= ")


def _install_if_names(text: str) -> list[str]:
    return re.findall(_ATOM_NAMES, text)


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
