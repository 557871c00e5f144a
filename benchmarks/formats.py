"""Issue 2 benchmarks: parsing the real Alpine v3.16 index, and pk's start-up cost.

    python benchmarks/formats.py

Prints the in-process median of verifying and parsing the 4,929-package index, and the
whole-process medians of `pk --version` and `pk verify INDEX` against `python -c pass`
in the same environment (pk's own import overhead = the difference).
"""

import tempfile

from common import environment_note, fixture, median_call, median_process, program, python_floor, report


def tables_from(data: bytes, keys: dict, cache):
    """What opening a database does with an index: verify it, then parse or load its tables."""
    from apk_py import database, index

    body, _, _ = index.verify(data, "bench", keys)
    cached = cache.load(data) if cache is not None else None
    if cached is not None:
        return cached[1]
    text, description = index.unpack(body, "bench")
    tables = database.read_index_tables(str(text, "utf-8", "surrogateescape"), "bench")
    if cache is not None:
        cache.store(data, description, tables)
    return tables


def main() -> None:
    from apk_py import index, indexcache, trust

    print(f"# formats benchmark ({environment_note()})")
    path = fixture("alpine/v3.16/main/x86_64/APKINDEX.tar.gz")
    keys_dir = fixture("alpine/keys")
    keys = trust.load_keys(str(keys_dir))
    data = path.read_bytes()
    parsed = index.load(data, str(path), keys)
    assert len(parsed.packages) == 4929
    report("verify + parse v3.16 index (4,929 packages), in-process", median_call(lambda: index.load(data, "bench", keys), runs=30), 25)
    text = bytes(index.unpack(index.verify(data, "bench", keys)[0], "bench")[0])
    report("parse only (APKINDEX text -> 4,929 records), in-process", median_call(lambda: index.parse_text(text, "bench"), runs=30))
    report("verify + database tables, parsed (pk's first run)", median_call(lambda: tables_from(data, keys, None), runs=10))
    with tempfile.TemporaryDirectory() as directory:
        cache = indexcache.IndexCache(directory)
        tables_from(data, keys, cache)
        report("verify + database tables from the parsed-index cache", median_call(lambda: tables_from(data, keys, cache), runs=30), 25)
    floor = python_floor()
    report("python -c pass", floor)
    pk = program("pk")
    version = median_process([pk, "--version"], runs=30)
    report("pk --version", version, extra=f"   overhead {1000 * (version - floor):.1f} ms (target < 15 ms)")
    small = fixture("melange/x86_64/APKINDEX.tar.gz")
    verify_small = median_process([pk, "verify", "--keys-dir", str(fixture("melange")), str(small)], runs=30)
    report("pk verify of a 4-package index", verify_small, extra=f"   overhead {1000 * (verify_small - floor):.1f} ms (target < 15 ms)")
    verify = median_process([pk, "verify", "--keys-dir", str(keys_dir), str(path)], runs=20)
    report("pk verify of the v3.16 index (verifies and parses it all)", verify)


if __name__ == "__main__":
    main()
