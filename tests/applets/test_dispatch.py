"""The pybox multicall: dispatch by name, --list/--install, the zipapp, signals and pipes."""

import os
import signal
import subprocess
import sys
import time

import pytest

from applets.main import APPLETS


def test_dispatch_by_symlink_name(pybox_path, tmp_path):
    os.symlink(pybox_path, tmp_path / "rev")
    result = subprocess.run([str(tmp_path / "rev")], input=b"abc\n", capture_output=True)
    assert result.stdout == b"cba\n"


def test_dispatch_by_hardlink_name(pybox_path, tmp_path):
    os.link(os.path.realpath(pybox_path), tmp_path / "echo")
    result = subprocess.run([str(tmp_path / "echo"), "hi"], capture_output=True)
    assert result.stdout == b"hi\n"


def test_list_and_list_full(pybox_path):
    names = subprocess.run([pybox_path, "--list"], capture_output=True, text=True).stdout.split()
    assert names == list(APPLETS)
    full = subprocess.run([pybox_path, "--list-full"], capture_output=True, text=True).stdout.split()
    assert "bin/cat" in full and "usr/bin/sort" in full and "usr/bin/[" in full
    assert len(full) == len(APPLETS)


def test_every_listed_applet_has_a_module_with_usage():
    import importlib

    from applets.main import usage_of

    for name, (module_name, _) in APPLETS.items():
        module = importlib.import_module(f"applets.{module_name}")
        assert callable(module.main), name
        assert usage_of(module, name).split()[0] in (name, module_name, "test", "["), name


def test_install_symlinks_and_hardlinks(pybox_path, tmp_path):
    subprocess.run([pybox_path, "--install", "-s", str(tmp_path / "s")], check=True)
    assert os.readlink(tmp_path / "s" / "cat") == os.path.realpath(pybox_path)
    assert sorted(os.listdir(tmp_path / "s")) == sorted(APPLETS)
    subprocess.run([pybox_path, "--install", str(tmp_path / "h")], check=True)
    assert os.stat(tmp_path / "h" / "sort").st_ino == os.stat(os.path.realpath(pybox_path)).st_ino


def test_help_and_unknown_applet(pybox_path):
    help_text = subprocess.run([pybox_path, "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "Currently defined functions:" in help_text.stdout
    usage = subprocess.run([pybox_path, "sort", "--help"], capture_output=True, text=True)
    assert usage.returncode == 0 and "Usage: sort" in usage.stderr
    unknown = subprocess.run([pybox_path, "frob"], capture_output=True, text=True)
    assert (unknown.returncode, unknown.stderr) == (127, "frob: applet not found\n")


def test_quiet_on_closed_pipe(pybox_path):
    pipeline = subprocess.run(f"'{pybox_path}' yes | head -1", shell=True, capture_output=True, timeout=30)
    assert pipeline.stdout == b"y\n" and pipeline.stderr == b""
    pipeline = subprocess.run(f"'{pybox_path}' seq 1 10000000 | '{pybox_path}' head -n 2", shell=True, capture_output=True, timeout=60)
    assert pipeline.stdout == b"1\n2\n" and pipeline.stderr == b""


def test_sigint_ends_with_status_130_in_the_shell(pybox_path):
    sleeper = subprocess.Popen([pybox_path, "sleep", "30"])
    time.sleep(1.0)
    sleeper.send_signal(signal.SIGINT)
    assert sleeper.wait(timeout=30) == -signal.SIGINT  # killed by SIGINT: the shell reports 130
    shell = subprocess.run(["sh", "-c", f"'{pybox_path}' sleep 3 & sleep 1; kill -INT $!; wait $!; echo status=$?"],
                           capture_output=True, text=True, timeout=60)
    assert shell.stdout == "status=0\n"  # a background job ignores SIGINT, as C applets do


def test_zipapp_is_one_runnable_file(tmp_path):
    output = tmp_path / "pybox.pyz"
    subprocess.run([sys.executable, "-m", "applets.zipapp", "--output", str(output), "--python", sys.executable], check=True, capture_output=True)
    assert os.access(output, os.X_OK)
    os.symlink(output, tmp_path / "wc")
    result = subprocess.run([str(tmp_path / "wc"), "-l"], input=b"a\nb\n", capture_output=True)
    assert result.stdout.strip() == b"2"
    again = tmp_path / "again.pyz"
    subprocess.run([sys.executable, "-m", "applets.zipapp", "--output", str(again), "--python", sys.executable], check=True, capture_output=True)
    assert again.read_bytes() == output.read_bytes()
