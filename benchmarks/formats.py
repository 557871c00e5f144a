"""Issue 2 benchmarks: parsing the real Alpine v3.16 index, and pk's start-up cost.

    python benchmarks/formats.py

Prints the in-process median of verifying and parsing the 4,929-package index, and the
whole-process medians of `pk --version` and `pk verify INDEX` against `python -c pass`
in the same environment (pk's own import overhead = the difference).
"""

from common import environment_note, fixture, median_call, median_process, program, python_floor, report


def main() -> None:
    from apk_py import index, trust

    print(f"# formats benchmark ({environment_note()})")
    path = fixture("alpine/v3.16/main/x86_64/APKINDEX.tar.gz")
    keys_dir = fixture("alpine/keys")
    keys = trust.load_keys(str(keys_dir))
    data = path.read_bytes()
    parsed = index.load(data, str(path), keys)
    assert len(parsed.packages) == 4929
    report("verify + parse v3.16 index (4,929 packages), in-process", median_call(lambda: index.load(data, "bench", keys), runs=30), 25)
    report("parse only (APKINDEX text -> records), in-process", median_call(lambda: index.parse_text(index.format_text(parsed.packages), "bench"), runs=10))
    floor = python_floor()
    report("python -c pass", floor)
    pk = program("pk")
    version = median_process([pk, "--version"], runs=30)
    report("pk --version", version, extra=f"   overhead {1000 * (version - floor):.1f} ms (target < 15 ms)")
    verify = median_process([pk, "verify", "--keys-dir", str(keys_dir), str(path)], runs=20)
    report("pk verify v3.16 index", verify, extra=f"   overhead {1000 * (verify - floor):.1f} ms")


if __name__ == "__main__":
    main()
