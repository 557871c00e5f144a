"""Where the real-world fixtures live and how tests reach the installed programs.

A plain module (not conftest.py, whose name two test folders share) so tests can import it.
"""

import pathlib
import shutil
import sys

import pytest

PROJECT = pathlib.Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
FIXTURES = SHARED / "fixtures"
BIN_DIR = pathlib.Path(sys.executable).parent


def installed_program(name: str) -> str:
    """Path of a console script installed beside the interpreter running the tests."""
    path = shutil.which(name, path=str(BIN_DIR)) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed: pip install the project first")
    return path


DATA = PROJECT / "tests" / "data"


def fixture(*parts: str) -> pathlib.Path:
    """A real-world fixture: from ../shared/fixtures, else the copy in tests/data, else skip."""
    for base in (FIXTURES, DATA):
        path = base.joinpath(*parts)
        if path.exists():
            return path
    pytest.skip(f"fixture {'/'.join(parts)} not found in ../shared/fixtures or tests/data")


def needs_shared(*parts: str) -> pathlib.Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: this test needs the ../shared checkout beside the project")
    return path


def host_shell_files() -> dict[str, str]:
    """Root-relative path -> host file: bin/sh (the host's dash) and the shared libraries it
    loads at their own paths, to stand in for /bin/sh inside a test root."""
    import os
    import subprocess

    dash = shutil.which("dash")
    if dash is None:
        pytest.skip("needs the host's dash to stand in for /bin/sh inside the root")
    files = {"bin/sh": os.path.realpath(dash)}
    for line in subprocess.run(["ldd", dash], capture_output=True, text=True).stdout.splitlines():
        words = line.split()
        path = words[2] if "=>" in words and len(words) > 2 else words[0] if words and words[0].startswith("/") else None
        if path and path.startswith("/"):
            files[path.lstrip("/")] = os.path.realpath(path)
    return files
