"""Issue 3 benchmark: planning `add alpine-base python3 gcc` on the real Alpine v3.16 index.

    python benchmarks/resolve.py

Median whole-process time of
`pk --root EMPTY --arch x86_64 --no-cache --simulate -X v3.16/main add alpine-base python3 gcc`
with the index signature verified against Alpine's key, next to `python -c pass`.
Target: under 70 ms (apk-tools 3 takes about 35 ms).
"""

import tempfile

from common import environment_note, fixture, median_process, program, python_floor, report


def main() -> None:
    index = fixture("alpine/v3.16/main/x86_64/APKINDEX.tar.gz")
    base = str(index.parent.parent)
    keys = str(fixture("alpine/keys"))
    pk = program("pk")
    print(f"# resolve benchmark ({environment_note()})")
    with tempfile.TemporaryDirectory() as root:
        argv = [pk, "--root", root, "--arch", "x86_64", "--no-cache", "--simulate", "--keys-dir", keys, "-X", base,
                "add", "alpine-base", "python3", "gcc"]
        report("python -c pass", python_floor())
        report("pk --simulate add alpine-base python3 gcc (real v3.16 index)", median_process(argv, runs=20), 70)


if __name__ == "__main__":
    main()
