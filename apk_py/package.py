"""The package record: what an index entry, a .PKGINFO and an installed-database entry describe.

A record keeps every field exactly as read (unknown ones included, in their order), so
writing it back is lossless; typed accessors parse the common fields on demand, because
an index holds thousands of packages and most are never looked at closely.
"""

from __future__ import annotations

import binascii

from apk_py import dependency

# Index field letter <-> .PKGINFO key, in the order apk-tools writes index records.
INDEX_ORDER = "CPVASITULomtckDpirq"
PKGINFO_KEYS = {
    "pkgname": "P",
    "pkgver": "V",
    "arch": "A",
    "size": "I",
    "pkgdesc": "T",
    "url": "U",
    "license": "L",
    "origin": "o",
    "maintainer": "m",
    "builddate": "t",
    "commit": "c",
    "provider_priority": "k",
    "depend": "D",
    "provides": "p",
    "install_if": "i",
    "replaces": "r",
    "replaces_priority": "q",
}
LIST_FIELDS = frozenset("Dpir")


class Package:
    """One package record. `fields` maps index letters to raw text values."""

    __slots__ = ("name", "version", "fields", "repository", "_depends", "_provides", "_install_if", "_replaces")

    def __init__(self, fields: dict[str, str], repository=None):
        self.fields = fields
        self.name = fields.get("P", "")
        self.version = fields.get("V", "")
        self.repository = repository
        self._depends = self._provides = self._install_if = self._replaces = None

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)

    def _int(self, key: str) -> int:
        try:
            return int(self.fields.get(key, "0"))
        except ValueError:
            return 0

    @property
    def checksum(self) -> str:
        """The identity checksum (`Q1` + base64 SHA-1 of the control stream), or ''."""
        return self.fields.get("C", "")

    @property
    def arch(self) -> str:
        return self.fields.get("A", "")

    @property
    def size(self) -> int:
        return self._int("S")

    @property
    def installed_size(self) -> int:
        return self._int("I")

    @property
    def description(self) -> str:
        return self.fields.get("T", "")

    @property
    def build_time(self) -> int:
        return self._int("t")

    @property
    def provider_priority(self) -> int:
        return self._int("k")

    @property
    def replaces_priority(self) -> int:
        return self._int("q")

    @property
    def depends(self) -> list:
        if self._depends is None:
            self._depends = dependency.parse_list(self.fields.get("D", ""))
        return self._depends

    @property
    def provides(self) -> list:
        if self._provides is None:
            self._provides = dependency.parse_list(self.fields.get("p", ""))
        return self._provides

    @property
    def install_if(self) -> list:
        if self._install_if is None:
            self._install_if = dependency.parse_list(self.fields.get("i", ""))
        return self._install_if

    @property
    def replaces(self) -> list:
        if self._replaces is None:
            self._replaces = dependency.parse_list(self.fields.get("r", ""))
        return self._replaces

    def nvr(self) -> str:
        """`name-version`, how apk names a package in messages and file names."""
        return f"{self.name}-{self.version}"

    def __repr__(self) -> str:
        return f"Package({self.nvr()})"


def fields_from_pkginfo(text: str, source: str = ".PKGINFO") -> dict[str, str]:
    """Turn `.PKGINFO` lines (`key = value`, repeatable list keys) into index fields.

    Keys apk has no index field for (datahash, triggers, ...) are returned under their own
    names so callers can use them; they are not written to indexes.
    """
    from apk_py.errors import FormatError

    fields: dict[str, str] = {}
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(" = ")
        if not sep:
            raise FormatError(source, f"line {number}: expected 'key = value'")
        letter = PKGINFO_KEYS.get(key, key)
        if letter in LIST_FIELDS or key == "triggers":
            fields[letter] = f"{fields[letter]} {value}" if letter in fields else value
            continue
        if key in seen:
            raise FormatError(source, f"line {number}: duplicate field '{key}'")
        seen.add(key)
        fields[letter] = value
    return fields


def canonical_order(fields: dict[str, str]) -> dict[str, str]:
    """The fields in apk-tools' index order, unknown ones last in their own order."""
    ordered = {key: fields[key] for key in INDEX_ORDER if key in fields}
    ordered.update((key, value) for key, value in fields.items() if key not in ordered)
    return ordered


def index_header(fields: dict[str, str]) -> str:
    """A record's package fields exactly as apk-tools writes them (apk_pkg_write_index_header).

    Always C P V S I T U L; A o m c only when non-empty; t k only when non-zero; then
    D p i when present.
    """
    out = [f"C:{fields.get('C', '')}\n", f"P:{fields.get('P', '')}\n", f"V:{fields.get('V', '')}\n"]
    if fields.get("A"):
        out.append(f"A:{fields['A']}\n")
    out.append(f"S:{fields.get('S', '0') or '0'}\nI:{fields.get('I', '0') or '0'}\n")
    out.append(f"T:{fields.get('T', '')}\nU:{fields.get('U', '')}\nL:{fields.get('L', '')}\n")
    for key in "om":
        if fields.get(key):
            out.append(f"{key}:{fields[key]}\n")
    if fields.get("t", "0") not in ("", "0"):
        out.append(f"t:{fields['t']}\n")
    if fields.get("c"):
        out.append(f"c:{fields['c']}\n")
    if fields.get("k", "0") not in ("", "0"):
        out.append(f"k:{fields['k']}\n")
    for key in "Dpi":
        if fields.get(key):
            out.append(f"{key}:{fields[key]}\n")
    return "".join(out)


def identity(checksum: str) -> bytes:
    """The bytes apk identifies a package by: the first 20 of its digest (`Q1...`, `X1...`).

    Two spellings of one digest (base64 padding bits differ) are the same package.
    """
    try:
        if checksum.startswith("Q"):
            return binascii.a2b_base64(checksum[2:])[:20]
        if checksum.startswith("X"):
            return bytes.fromhex(checksum[2:42])
    except (binascii.Error, ValueError):
        pass
    return checksum.encode("utf-8", "surrogateescape")
