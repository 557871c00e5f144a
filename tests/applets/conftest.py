"""Run applets the way scripts do: as separate processes, bytes in and bytes out."""

import subprocess

import pytest


@pytest.fixture
def applet(pybox_path, tmp_path):
    """applet("sort", "-n", input=b"...", cwd=...) -> CompletedProcess with bytes stdout/stderr."""

    def run(name: str, *args: str, input: bytes = b"", cwd=None, env=None, timeout: float = 60):
        return subprocess.run(
            [pybox_path, name, *args],
            input=input,
            capture_output=True,
            cwd=cwd or tmp_path,
            env=env,
            timeout=timeout,
        )

    return run
