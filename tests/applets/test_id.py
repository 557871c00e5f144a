"""id: default report, single ids, names, real ids, other users and unknown ids."""

import grp
import os
import pwd
import shutil
import subprocess

import pytest


def test_single_ids_match_the_process(applet):
    assert applet("id", "-u").stdout == b"%d\n" % os.geteuid()
    assert applet("id", "-g").stdout == b"%d\n" % os.getegid()
    assert applet("id", "-ur").stdout == b"%d\n" % os.getuid()
    assert applet("id", "-un").stdout == pwd.getpwuid(os.geteuid()).pw_name.encode() + b"\n"


def test_default_report(applet):
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    assert applet("id").stdout.startswith(f"uid={os.getuid()}({user}) gid={os.getgid()}({group})".encode())


def test_other_user(applet):
    entry = pwd.getpwnam("nobody")
    group = grp.getgrgid(entry.pw_gid).gr_name
    expected = f"uid={entry.pw_uid}(nobody) gid={entry.pw_gid}({group}) groups="
    assert applet("id", "nobody").stdout.startswith(expected.encode())
    assert applet("id", "-G", "nobody").stdout.split()[0] == b"%d" % entry.pw_gid
    assert applet("id", "-gn", "nobody").stdout == group.encode() + b"\n"


def test_unknown_user(applet):
    result = applet("id", "no-such-user")
    assert (result.stderr, result.returncode) == (b"id: unknown user no-such-user\n", 1)


def as_unknown_user(pybox_path, *args):
    """Run pybox ARGS as uid/gid 54321, which has no passwd or group entry."""
    setpriv = shutil.which("setpriv")
    if setpriv is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv")
    command = [setpriv, "--reuid=54321", "--regid=54321", "--clear-groups", pybox_path, *args]
    return subprocess.run(command, capture_output=True, cwd="/")


def test_unknown_ids(pybox_path):
    plain = as_unknown_user(pybox_path, "id")
    assert (plain.stdout, plain.returncode) == (b"uid=54321 gid=54321\n", 0)
    named = as_unknown_user(pybox_path, "id", "-un")
    assert (named.stdout, named.stderr, named.returncode) == (b"54321\n", b"id: unknown ID 54321\n", 1)


def test_option_conflicts_show_usage(applet):
    for args in (["-ug"], ["-n"], ["-r"], ["a", "b"], ["-x"]):
        result = applet("id", *args)
        assert result.returncode == 1 and b"Usage: id [-ugGnr] [USER]" in result.stderr, args
