"""Issue 8 benchmark: building an image of the 200-package synthetic repository,
against installing the same packages into a root with `pk add`.

    python benchmarks/image.py [--runs N]

Target: image build at most 1.3x the `pk add`. Both write to a tmpfs when there is one,
so the disk's speed at creating files does not decide the comparison.
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
    print(f"# image benchmark ({environment_note()})")
    config = os.path.join(options.scratch, "image.yaml")
    with open(config, "w") as handle:
        handle.write(f"contents:\n  repositories:\n    - {repo['base']}\n  keyring:\n    - {repo['public']}\n"
                     f"  packages:\n    - all-synthetic\narchs:\n  - {synthetic.ARCH}\n")
    output = "/dev/shm/pk-bench-image" if os.path.isdir("/dev/shm") else os.path.join(options.scratch, "image-out")
    build = [pk, "image", "build", config, "--output", output, "--format", "oci"]
    image = median_process(build, runs=options.runs, warmup=1, before=lambda: shutil.rmtree(output, ignore_errors=True))
    root = "/dev/shm/pk-bench-root" if os.path.isdir("/dev/shm") else os.path.join(options.scratch, "root")
    add = [pk, "--root", root, "--initdb", "--no-cache", "--no-scripts", "-X", repo["base"], "-q", "add", "all-synthetic"]
    install = median_process(add, runs=options.runs, warmup=1, before=lambda: synthetic.fresh_root(root, repo["public"]))
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    report("pk add of the 200 packages into a fresh root", install)
    report("pk image build of the same packages (OCI layout)", image, extra=f"   ratio {image / install:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
