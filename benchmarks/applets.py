"""Issues 6 and 7 benchmarks: pybox against BusyBox on the same machine, in the same run.

    python benchmarks/applets.py [--size MB] [--runs N] [--only NAME,...]

Generates a ~100 MB text file (and, for find/tar, trees of 100,000 and 10,000 files) in
a scratch directory, then prints, for each command, the median whole-process time of
`busybox APPLET ...` and `pybox APPLET ...`, their ratio, and the geometric mean of the
ratios per issue. Start-up is compared with `python -c pass` (pybox true / python).

Each command's output goes to a file (on /dev/shm when there is one), as `cmd > file`
does: with /dev/null as output, `cat`'s sendfile would copy nothing and the comparison
would only measure start-up.
"""

import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

from common import environment_note, median_process, program, python_floor

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu abd acd abbd accd lorem ipsum "
         "dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore").split()


def make_text(path: str, megabytes: int) -> None:
    rng = random.Random(42)
    target = megabytes * 1024 * 1024
    with open(path, "w") as out:
        written = 0
        while written < target:
            lines = []
            for _ in range(5000):
                count = rng.randint(1, 14)
                line = " ".join(rng.choice(WORDS) if rng.random() < 0.8 else str(rng.randint(0, 99999)) for _ in range(count))
                lines.append(line)
            block = "\n".join(lines) + "\n"
            out.write(block)
            written += len(block)


def make_tree(path: str, files: int, size: int = 64) -> None:
    rng = random.Random(7)
    for number in range(files):
        directory = os.path.join(path, f"d{number % 100:02d}", f"e{number % 37:02d}")
        os.makedirs(directory, exist_ok=True)
        suffix = ".txt" if number % 3 == 0 else ".dat"
        with open(os.path.join(directory, f"f{number}{suffix}"), "wb") as handle:
            handle.write(bytes(rng.getrandbits(8) for _ in range(size)) if number % 10 == 0 else b"x" * size)


def cases(scratch: str, text: str) -> dict:
    """Issue -> [(label, applet args)], each run as `BOX applet args...` (BusyBox's size suffixes are
    lower case, so `head -c 50m` stands for the issue's `head -c 50M`)."""
    sorted_text = os.path.join(scratch, "sorted.txt")
    gz = os.path.join(scratch, "text.gz")
    tar_src, tar_file, tar_out = os.path.join(scratch, "tree10k"), os.path.join(scratch, "tree.tar"), os.path.join(scratch, "untar")
    find_tree = os.path.join(scratch, "tree100k")
    return {
        "issue 6 (coreutils)": [
            ("cat", ["cat", text]), ("wc -l", ["wc", "-l", text]), ("wc -w", ["wc", "-w", text]),
            ("head -c 50m", ["head", "-c", "50m", text]), ("tail -n 1000", ["tail", "-n", "1000", text]),
            ("sort", ["sort", text]), ("sort -n", ["sort", "-n", text]), ("uniq", ["uniq", sorted_text]),
            ("cut -d' ' -f2", ["cut", "-d", " ", "-f2", text]), ("tr a-z A-Z", ["tr", "a-z", "A-Z"], text),
            ("md5sum", ["md5sum", text]), ("sha256sum", ["sha256sum", text]), ("base64", ["base64", text]),
        ],
        "issue 7 (text and archives)": [
            ("grep -c WORD", ["grep", "-c", "juliet", text]), ("grep -E 'a[bc]+d'", ["grep", "-E", "a[bc]+d", text]),
            ("grep -v -F x", ["grep", "-v", "-F", "x", text]), ("sed 's/a/b/g'", ["sed", "s/a/b/g", text]),
            ("find (100,000 files)", ["find", find_tree]), ("find -name '*.txt'", ["find", find_tree, "-name", "*.txt"]),
            ("gzip -c", ["gzip", "-c", text]), ("gunzip -c", ["gunzip", "-c", gz]),
            ("tar -c (10,000 files)", ["tar", "-cf", "-", "-C", tar_src, "."]),
            ("tar -x (10,000 files)", ["tar", "-xf", tar_file, "-C", tar_out]),
        ],
    }


def prepare(scratch: str, megabytes: int) -> str:
    text = os.path.join(scratch, "text.txt")
    if not os.path.exists(text):
        print(f"generating {megabytes} MB of text ...", file=sys.stderr)
        make_text(text, megabytes)
        with open(text, "rb") as src, open(os.path.join(scratch, "sorted.txt"), "wb") as dst:
            dst.write(b"".join(sorted(src.read().splitlines(keepends=True))))
        subprocess.run(["gzip", "-c", text], stdout=open(os.path.join(scratch, "text.gz"), "wb"), check=True)
    if not os.path.exists(os.path.join(scratch, "tree10k")):
        print("generating file trees ...", file=sys.stderr)
        make_tree(os.path.join(scratch, "tree10k"), 10000)
        make_tree(os.path.join(scratch, "tree100k"), 100000, size=8)
        subprocess.run(["tar", "-cf", os.path.join(scratch, "tree.tar"), "-C", os.path.join(scratch, "tree10k"), "."], check=True)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100, help="text file size in MB (default 100)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated labels (prefix match)")
    parser.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "pk-bench-applets"))
    options = parser.parse_args()
    busybox = shutil.which("busybox")
    if busybox is None:
        sys.exit("busybox is not installed (Debian: apt-get install busybox)")
    pybox = program("pybox")
    os.makedirs(options.scratch, exist_ok=True)
    text = prepare(options.scratch, options.size)
    print(f"# pybox vs BusyBox ({environment_note()}; {options.size} MB text; median of {options.runs})")
    floor = python_floor()
    start = median_process([pybox, "true"], runs=30)
    print(f"{'startup: pybox true vs python -c pass':<34} {start * 1000:8.1f} ms vs {floor * 1000:6.1f} ms   ratio {start / floor:5.2f} (target <= 1.5)")
    only = [item for item in options.only.split(",") if item]
    untar = os.path.join(options.scratch, "untar")
    output = os.path.join("/dev/shm" if os.path.isdir("/dev/shm") else options.scratch, "pk-bench-output")
    for issue, commands in cases(options.scratch, text).items():
        ratios = []
        print(f"\n{issue:<34} {'busybox':>10} {'pybox':>10} {'ratio':>7}")
        for entry in commands:
            label, args = entry[0], entry[1]
            stdin_path = entry[2] if len(entry) > 2 else None
            if only and not any(label.startswith(prefix) for prefix in only):
                continue
            before = (lambda: (shutil.rmtree(untar, ignore_errors=True), os.makedirs(untar))) if args[:2] == ["tar", "-xf"] else None
            timings = [median_process([box, *args], runs=options.runs, warmup=1, stdin_path=stdin_path, stdout_path=output,
                                      before=before) for box in (busybox, pybox)]
            ratio = timings[1] / timings[0]
            ratios.append(ratio)
            print(f"{label:<34} {timings[0] * 1000:8.0f}ms {timings[1] * 1000:8.0f}ms {ratio:7.2f}")
        if ratios:
            geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            print(f"{'geometric mean':<34} {'':>10} {'':>10} {geomean:7.2f}   worst {max(ratios):.2f}")
    if os.path.exists(output):
        os.unlink(output)


if __name__ == "__main__":
    main()
