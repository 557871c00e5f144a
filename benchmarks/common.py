"""Shared benchmark helpers: whole-process medians, in-process medians, result lines."""

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

PROJECT = pathlib.Path(__file__).resolve().parent.parent
SHARED_FIXTURES = PROJECT.parent / "shared" / "fixtures"
DATA = PROJECT / "tests" / "data"
BIN = pathlib.Path(sys.executable).parent


def fixture(relative: str) -> pathlib.Path:
    """A fixture from ../shared/fixtures, else from tests/data."""
    for base in (SHARED_FIXTURES, DATA):
        if (base / relative).exists():
            return base / relative
    sys.exit(f"fixture {relative} not found in ../shared/fixtures or tests/data")


def program(name: str) -> str:
    """An installed console script beside this interpreter (pk, pybox)."""
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        sys.exit(f"{name} is not installed: pip install the project first")
    return path


def median_process(argv, runs: int = 20, warmup: int = 3, stdin_path: str | None = None, stdout_path: str | None = None,
                   before=None, **kwargs) -> float:
    """Median wall time in seconds of running `argv` to completion (output discarded).

    `stdin_path` is reopened and `stdout_path` truncated for every run; `before()` runs
    untimed before each run.
    """
    kwargs.setdefault("stderr", subprocess.DEVNULL)
    times = []
    for attempt in range(warmup + runs):
        if before is not None:
            before()
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        stdout = open(stdout_path, "wb") if stdout_path else kwargs.get("stdout", subprocess.DEVNULL)
        start = time.perf_counter()
        subprocess.run(argv, stdin=stdin, **{**kwargs, "stdout": stdout})
        elapsed = time.perf_counter() - start
        if stdin_path:
            stdin.close()
        if stdout_path:
            stdout.close()
        if attempt >= warmup:
            times.append(elapsed)
    return statistics.median(times)


def median_call(function, runs: int = 20, warmup: int = 3) -> float:
    """Median wall time in seconds of calling `function()` in this process."""
    times = []
    for attempt in range(warmup + runs):
        start = time.perf_counter()
        function()
        if attempt >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label: str, seconds: float, target_ms: float | None = None, extra: str = "") -> None:
    verdict = ""
    if target_ms is not None:
        verdict = f"  (target < {target_ms:g} ms: {'met' if seconds * 1000 < target_ms else 'NOT met'})"
    print(f"{label:<58} {seconds * 1000:9.1f} ms{verdict}{extra}")


def python_floor() -> float:
    """`python -c pass` with this environment's interpreter: the cost every Python program pays."""
    return median_process([sys.executable, "-c", "pass"], runs=30)


def environment_note() -> str:
    return f"python {sys.version.split()[0]} at {sys.executable}, {os.cpu_count()} cores"
