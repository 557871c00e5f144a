"""The parsed-index cache: what it stores comes back whole, anything doubtful is parsed again."""

import base64
import io
import os
import tarfile

import pytest

from apk_py import cli, database, indexcache


def checksum(number: int) -> str:
    return "Q1" + base64.b64encode(number.to_bytes(20, "big")).decode()


def index_text(count: int = 40, version: str = "1") -> str:
    """An index with dependencies, provides and install_if, plus one record in an unusual layout."""
    records = []
    for number in range(1, count + 1):
        lines = [f"C:{checksum(number)}", f"P:pkg{number}", f"V:{version}", "S:1", "I:1"]
        if number > 1:
            lines.append(f"D:pkg{number - 1} so:lib{number}.so")
        lines.append(f"p:so:lib{number + 1}.so=1 cmd:tool{number}")
        if number % 5 == 0:
            lines.append(f"i:pkg{number - 1} docs")
        records.append("\n".join(lines) + "\n")
    records.append(f"P:docs\nC:{checksum(count + 1)}\nV:{version}\nS:1\nI:1\n")
    return "\n".join(records)


def tables_of(text: str) -> database.IndexTables:
    return database.read_index_tables(text, "test")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(indexcache, "MIN_INDEX_BYTES", 0)
    return indexcache.IndexCache(str(tmp_path / "cache"))


def cache_files(cache) -> list[str]:
    return sorted(os.listdir(cache.directory))


def test_tables_come_back_as_stored(cache):
    tables = tables_of(index_text())
    cache.store(b"index bytes", "v3.16.3", tables)
    description, loaded = cache.load(b"index bytes")
    assert description == "v3.16.3"
    assert loaded is not None and loaded.values() == tables_of(index_text()).values()
    assert cache_files(cache) == [indexcache.content_key(b"index bytes") + indexcache.SUFFIX]
    assert os.stat(cache.directory).st_mode & 0o777 == 0o700


def test_a_database_from_cached_tables_matches_a_parsed_one(cache):
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    ctx = type("Ctx", (), {"arch": "x86_64", "out": None})()
    parsed, cached = database.Database(ctx), database.Database(ctx)
    parsed.add_tables(tables_of(index_text()), 2)
    cached.add_tables(cache.load(b"index bytes")[1], 2)

    def graph(db):
        return sorted((pkg.name.name, pkg.version, pkg.checksum, pkg.repos, [str(dep) for dep in pkg.depends],
                       pkg.provided, [str(dep) for dep in pkg.install_if]) for pkg in db.packages.values())

    assert graph(parsed) == graph(cached)
    assert [name.name for name in cached.rinstall_if(cached.name("docs"))] == \
        [name.name for name in parsed.rinstall_if(parsed.name("docs"))]


def test_another_index_is_parsed_again(cache):
    cache.store(b"first index", "v3.16.3", tables_of(index_text(version="1")))
    assert cache.load(b"second index") is None
    cache.store(b"second index", "v3.16.3", tables_of(index_text(version="2")))
    assert cache.load(b"first index")[1].values() == tables_of(index_text(version="1")).values()
    assert cache.load(b"second index")[1].values() == tables_of(index_text(version="2")).values()


def test_small_indexes_are_not_cached(tmp_path):
    cache = indexcache.IndexCache(str(tmp_path / "cache"))
    small = b"x" * (indexcache.MIN_INDEX_BYTES - 1)
    cache.store(small, "v3.16.3", tables_of(index_text()))
    assert not os.path.exists(cache.directory) and cache.load(small) is None


def rewrite(cache, data: bytes, change) -> None:
    path = os.path.join(cache.directory, indexcache.content_key(data) + indexcache.SUFFIX)
    with open(path, "rb") as handle:
        blob = handle.read()
    with open(path, "wb") as handle:
        handle.write(change(blob))


def with_header(key: str, payload: bytes) -> bytes:
    return indexcache._header(key, payload) + payload


@pytest.mark.parametrize("change", [
    lambda blob: blob[: len(blob) // 2],  # truncated
    lambda blob: blob[:-10] + bytes(byte ^ 0xFF for byte in blob[-10:]),  # damaged payload
    lambda blob: b"",
    lambda blob: b"\0" * 4096,
    lambda blob: blob.replace(b"pk-index-tables %d " % indexcache.FORMAT, b"pk-index-tables 99 ", 1),  # another format
    lambda blob: blob.replace(b" cpython-", b" otherpython-", 1),  # another Python's marshal
    lambda blob: with_header(indexcache.content_key(b"other index"), blob[blob.index(b"\n") + 1 :]),
    lambda blob: blob + b"trailing",
], ids=["truncated", "damaged", "empty", "zeros", "format", "python", "other-key", "trailing"])
def test_damaged_files_are_ignored(cache, change):
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    rewrite(cache, b"index bytes", change)
    assert cache.load(b"index bytes") is None


@pytest.mark.parametrize("values", [
    None,
    ("not", "tables"),
    (1, 2, 3, 4, 5, 6, 7, 8),
    ({b"k": ("name",)}, {}, {}, {}, {}, (), frozenset(), (False, False, False)),  # a row of the wrong size
    ({b"k": ("name", None, (), (), ())}, {"name": "k"}, {}, {}, {}, (), frozenset(), (False, False, False)),
    ({"k": ("name", None, (), (), ())}, {}, {}, {}, {}, (), frozenset(), (False, False, False)),
    ({}, {}, {}, {}, {"name": "7"}, (), frozenset(), (False, False, False)),
    (compile("import os", "x", "exec"),),
], ids=["none", "strings", "ints", "short-row", "provider-text", "text-key", "text-bucket", "code"])
def test_files_of_the_wrong_shape_are_ignored(cache, values):
    """A file whose header and CRC check out (as a hostile one may) still has to unpack to tables."""
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    key = indexcache.content_key(b"index bytes")
    rewrite(cache, b"index bytes", lambda blob: with_header(key, __import__("marshal").dumps(values)))
    assert cache.load(b"index bytes") is None


def test_files_others_can_write_are_ignored(cache):
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    path = os.path.join(cache.directory, indexcache.content_key(b"index bytes") + indexcache.SUFFIX)
    os.chmod(path, 0o666)
    assert cache.load(b"index bytes") is None
    os.chmod(path, 0o600)
    assert cache.load(b"index bytes") is not None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs to hand a directory to another user")
def test_nothing_is_written_into_a_directory_of_someone_else(tmp_path, monkeypatch):
    """As `sudo pk` with the invoking user's HOME: that user's cache directory stays theirs."""
    monkeypatch.setattr(indexcache, "MIN_INDEX_BYTES", 0)
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, 12345, 12345)
    cache = indexcache.IndexCache(str(home / ".cache" / "pk" / "index"))
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    assert os.listdir(home) == []


def test_files_are_written_whole_then_renamed(cache, monkeypatch):
    renames = []
    replace = os.replace

    def watching_replace(source, target):
        with open(source, "rb") as handle:
            renames.append((os.path.basename(source), os.path.basename(target), handle.read()))
        replace(source, target)

    monkeypatch.setattr(os, "replace", watching_replace)
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    (source, target, written), = renames
    key = indexcache.content_key(b"index bytes")
    assert source.startswith("." + key) and source.endswith(".tmp") and target == key + indexcache.SUFFIX
    assert indexcache._unpacked(written, key) is not None
    assert cache_files(cache) == [target]


def test_an_unwritable_directory_only_means_no_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(indexcache, "MIN_INDEX_BYTES", 0)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = indexcache.IndexCache(str(blocker / "cache"))
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    assert cache.load(b"index bytes") is None


def test_the_directory_stays_within_its_bound(cache, monkeypatch):
    """Past the bound, the least recently used files go (loading one counts as using it)."""
    cache.store(b"index 0", "v3.16.3", tables_of(index_text()))
    size = os.path.getsize(os.path.join(cache.directory, cache_files(cache)[0]))
    monkeypatch.setattr(indexcache, "MAX_TOTAL_BYTES", 4 * size + size // 2)
    for number in range(4):
        cache.store(b"index %d" % number, "v3.16.3", tables_of(index_text()))
        path = os.path.join(cache.directory, indexcache.content_key(b"index %d" % number) + indexcache.SUFFIX)
        os.utime(path, (1000 + number, 1000 + number))
    cache.load(b"index 0")
    cache.store(b"index 4", "v3.16.3", tables_of(index_text()))
    assert [cache.load(b"index %d" % number) is not None for number in range(5)] == [True, False, True, True, True]


def test_stale_temporary_files_are_removed(cache):
    cache.store(b"index bytes", "v3.16.3", tables_of(index_text()))
    stale = os.path.join(cache.directory, ".left-behind.123.tmp")
    open(stale, "wb").close()
    os.utime(stale, (1000, 1000))
    cache.store(b"other bytes", "v3.16.3", tables_of(index_text()))
    assert not os.path.exists(stale)


def test_where_the_cache_lives(tmp_path, monkeypatch):
    def context(**settings):
        return type("Ctx", (), {"cache_dir": None, **settings})()

    assert indexcache.IndexCache.for_context(context(cache_dir="/var/cache/apk")).directory == "/var/cache/apk/pk-index"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert indexcache.IndexCache.for_context(context()).directory == str(tmp_path / "xdg" / "pk" / "index")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert indexcache.IndexCache.for_context(context()).directory == str(tmp_path / "home" / ".cache" / "pk" / "index")


def make_root(tmp_path, text: str):
    root = tmp_path / "root"
    (root / "etc/apk").mkdir(parents=True)
    data = text.encode()
    info = tarfile.TarInfo("APKINDEX")
    info.size = len(data)
    with tarfile.open(tmp_path / "index.tar.gz", "w:gz", format=tarfile.USTAR_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(data))
    (root / "etc/apk/repositories").write_text(f"{tmp_path}/index.tar.gz\n")
    return root


def test_pk_reads_its_index_from_the_cache_and_never_writes_the_root(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(indexcache, "MIN_INDEX_BYTES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = make_root(tmp_path, index_text())
    argv = ["--root", str(root), "--allow-untrusted", "--simulate", "--no-cache", "add", "pkg10", "docs"]

    def run() -> tuple[int, str]:
        status = cli.main(argv)
        captured = capsys.readouterr()
        return status, captured.out + captured.err

    before = sorted(path for path in root.rglob("*"))
    parsed = run()
    assert parsed[0] == 0 and "Installing pkg10 (1)" in parsed[1] and "Installing pkg9 (1)" in parsed[1]
    assert sorted(path for path in root.rglob("*")) == before
    assert len(os.listdir(tmp_path / "xdg" / "pk" / "index")) == 1

    def no_parsing(text, source):
        raise AssertionError("the index was parsed again")

    monkeypatch.setattr(database, "read_index_tables", no_parsing)
    assert run() == parsed
    (entry,) = (tmp_path / "xdg" / "pk" / "index").iterdir()
    entry.write_bytes(entry.read_bytes()[:100])
    monkeypatch.undo()
    monkeypatch.setattr(indexcache, "MIN_INDEX_BYTES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert run() == parsed
