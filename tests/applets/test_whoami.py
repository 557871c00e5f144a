"""whoami: the effective user's name, unknown ids, and no arguments allowed."""

import os
import pwd
import shutil
import subprocess

import pytest


def test_prints_effective_user(applet):
    assert applet("whoami").stdout == pwd.getpwuid(os.geteuid()).pw_name.encode() + b"\n"


def test_unknown_uid(pybox_path):
    setpriv = shutil.which("setpriv")
    if setpriv is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv")
    result = subprocess.run(
        [setpriv, "--reuid=54321", "--regid=54321", "--clear-groups", pybox_path, "whoami"],
        capture_output=True,
        cwd="/",
    )
    assert (result.stdout, result.stderr, result.returncode) == (b"", b"whoami: unknown uid 54321\n", 1)


def test_arguments_show_usage(applet):
    result = applet("whoami", "x")
    assert result.returncode == 1 and b"Usage: whoami" in result.stderr
