"""Issue 4 benchmark: installing a 200-package signed repository into a fresh root.

    python benchmarks/install.py [--runs N]

Builds the synthetic repository (200 packages, ~8,000 files, ~90 MB) once, then reports
the median whole-process time of `pk --root R --initdb --no-cache -X REPO add all-synthetic`
into a fresh root each run. Target: under 1.2 s on this machine (apk-tools 3: ~0.85 s).

The root goes to a tmpfs (/dev/shm) when there is one, which measures pk; a root on the
scratch disk is timed too, because creating 8,000 files there can cost more than pk's own
work (and varies with whatever else the disk is doing).
"""

import argparse
import os
import shutil
import tempfile

import synthetic
from common import environment_note, median_process, program, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "pk-bench-install"))
    options = parser.parse_args()
    repo = synthetic.build(options.scratch)
    pk = program("pk")
    print(f"# install benchmark ({environment_note()})")
    places = [("tmpfs", "/dev/shm/pk-bench-root")] if os.path.isdir("/dev/shm") else []
    places.append(("disk", os.path.join(options.scratch, "root")))
    for label, root in places:
        argv = [pk, "--root", root, "--initdb", "--no-cache", "--no-scripts", "-X", repo["base"], "-q", "add", "all-synthetic"]
        seconds = median_process(argv, runs=options.runs, warmup=1, before=lambda: synthetic.fresh_root(root, repo["public"]))
        files = sum(len(names) for _, _, names in os.walk(root))
        report(f"pk add of 200 packages ({files} files), root on {label}", seconds, 1200)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
