"""yes: the repeated line, joined arguments, a quiet end on a closed pipe, write errors."""

import subprocess


def _first_bytes(pybox_path, *args, count=100000):
    process = subprocess.Popen([pybox_path, "yes", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    data = process.stdout.read(count)
    process.stdout.close()
    process.wait(timeout=30)
    return data, process


def test_default_and_joined_arguments(pybox_path):
    data, _ = _first_bytes(pybox_path)
    assert data == b"y\n" * 50000
    data, _ = _first_bytes(pybox_path, "a b", b"\xff", count=13)
    assert data == b"a b \xff\na b \xff\na"


def test_closed_pipe_ends_quietly(pybox_path):
    _, process = _first_bytes(pybox_path, "word")
    assert process.returncode == -13  # killed by SIGPIPE, as a C program is
    assert process.stderr.read() == b""


def test_full_disk_is_an_error(pybox_path):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([pybox_path, "yes"], stdout=full, stderr=subprocess.PIPE, timeout=30)
    assert (result.returncode, result.stderr) == (1, b"yes: No space left on device\n")
