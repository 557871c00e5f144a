"""lib/apk/db/installed: installed packages with the files and directories they own.

Each record is an index record (C P V ... D p i), then r q s f, then its directories
(`F:dir`, `M:uid:gid:mode`) each followed by its files (`R:name`, `a:uid:gid:mode`,
`Z:Q1checksum`). Reading keeps everything; writing follows apk-tools' field order.
"""

from __future__ import annotations

from apk_py.errors import FormatError
from apk_py.package import Package, index_header


class FileRecord:
    """A file owned by a package: name within its directory, owner and mode if not default, checksum."""

    __slots__ = ("name", "acl", "checksum")

    def __init__(self, name: str, acl: tuple[int, int, int] | None = None, checksum: str = ""):
        self.name = name
        self.acl = acl
        self.checksum = checksum


class DirRecord:
    """A directory a package owns, with the files it owns directly in it."""

    __slots__ = ("path", "acl", "files")

    def __init__(self, path: str, acl: tuple[int, int, int] | None = None, files: list[FileRecord] | None = None):
        self.path = path
        self.acl = acl
        self.files = files if files is not None else []


class InstalledInfo:
    """What the database knows about an installed package beyond its index record."""

    __slots__ = ("dirs", "scripts", "triggers")

    def __init__(self, dirs: list[DirRecord] | None = None):
        self.dirs = dirs if dirs is not None else []
        self.scripts: dict[str, bytes] = {}
        self.triggers: list[str] = []

    def paths(self):
        """Every owned file path, relative to the root."""
        for directory in self.dirs:
            for record in directory.files:
                yield f"{directory.path}/{record.name}" if directory.path else record.name


def _acl(value: str, path: str, number: int) -> tuple[int, int, int]:
    parts = value.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        return int(parts[0]), int(parts[1]), int(parts[2], 8)
    except ValueError:
        raise FormatError(path, f"line {number}: invalid owner/mode '{value}'") from None


def parse(data: bytes, path: str) -> list[tuple[Package, InstalledInfo]]:
    """Parse an installed database held in memory."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FormatError(path, f"line {line} is not valid UTF-8") from None
    result = []
    fields: dict[str, str] = {}
    info = InstalledInfo()
    directory = None
    record = None

    def finish():
        if not fields:
            return
        if "P" not in fields:
            raise FormatError(path, "package record without a P: field")
        result.append((Package(dict(fields)), info))

    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            finish()
            fields, info, directory, record = {}, InstalledInfo(), None, None
            continue
        if line[1:2] != ":":
            raise FormatError(path, f"line {number} is not a 'X:value' field")
        key, value = line[0], line[2:]
        if key == "F":
            directory = DirRecord(value)
            info.dirs.append(directory)
            record = None
        elif key == "M":
            if directory is None:
                raise FormatError(path, f"line {number}: M: before any F:")
            directory.acl = _acl(value, path, number)
        elif key == "R":
            if directory is None:
                directory = DirRecord("")
                info.dirs.append(directory)
            record = FileRecord(value)
            directory.files.append(record)
        elif key == "a":
            if record is None:
                raise FormatError(path, f"line {number}: a: before any R:")
            record.acl = _acl(value, path, number)
        elif key == "Z":
            if record is None:
                raise FormatError(path, f"line {number}: Z: before any R:")
            record.checksum = value
        else:
            fields[key] = value
    finish()
    return result


def read(path: str) -> list[tuple[Package, InstalledInfo]]:
    """The installed database at `path`; missing means nothing is installed."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise FormatError(path, exc.strerror or str(exc)) from None
    return parse(data, path)


def _acl_text(acl: tuple[int, int, int]) -> str:
    return f"{acl[0]}:{acl[1]}:{acl[2]:o}"


def format(entries) -> bytes:
    """Installed database text for (Package, InstalledInfo) pairs, in the given order."""
    out = []
    for pkg, info in entries:
        out.append(index_header(pkg.fields))
        for key in "rqsf":
            if pkg.fields.get(key):
                out.append(f"{key}:{pkg.fields[key]}\n")
        for directory in info.dirs:
            out.append(f"F:{directory.path}\n")
            if directory.acl is not None:
                out.append(f"M:{_acl_text(directory.acl)}\n")
            for record in directory.files:
                out.append(f"R:{record.name}\n")
                if record.acl is not None:
                    out.append(f"a:{_acl_text(record.acl)}\n")
                if record.checksum:
                    out.append(f"Z:{record.checksum}\n")
        out.append("\n")
    return "".join(out).encode("utf-8", "surrogateescape")
