"""Issue 5 benchmarks: `pk mkpkg` of a 50 MB tree and `pk index` over 1,000 packages.

    python benchmarks/repotools.py [--runs N]
"""

import argparse
import os
import random
import tempfile

import synthetic
from common import environment_note, median_process, program, report


def make_tree(path: str, megabytes: int = 50) -> None:
    rng = random.Random(5)
    remaining = megabytes * 1024 * 1024
    number = 0
    while remaining > 0:
        directory = os.path.join(path, "usr/share/data", f"d{number % 20:02d}")
        os.makedirs(directory, exist_ok=True)
        size = min(remaining, rng.randint(4_000, 400_000))
        with open(os.path.join(directory, f"f{number:04d}.bin"), "wb") as handle:
            handle.write(rng.randbytes(size // 2) + bytes(size - size // 2))
        remaining -= size
        number += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "pk-bench-repotools"))
    options = parser.parse_args()
    pk = program("pk")
    print(f"# repository tooling benchmark ({environment_note()})")
    tree = os.path.join(options.scratch, "tree50m")
    if not os.path.isdir(tree):
        make_tree(tree)
    repo = synthetic.build(options.scratch, packages=1000, files=2, file_size=2000)
    output = os.path.join(options.scratch, "out.apk")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    mkpkg = [pk, "mkpkg", "--info", "name:big", "--info", "version:1.0-r0", "--files", tree, "--sign", repo["key"], "--output", output]
    report("pk mkpkg of a 50 MB tree (signed, traced)", median_process(mkpkg, runs=options.runs, warmup=0, env=env))
    arch_dir = os.path.join(repo["base"], synthetic.ARCH)
    packages = sorted(os.path.join(arch_dir, name) for name in os.listdir(arch_dir) if name.endswith(".apk"))[:1000]
    index = [pk, "index", "-o", os.path.join(options.scratch, "APKINDEX.tar.gz"), *packages]
    report(f"pk index over {len(packages)} packages", median_process(index, runs=options.runs, warmup=0, env=env))


if __name__ == "__main__":
    main()
