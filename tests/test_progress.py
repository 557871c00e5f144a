"""The progress bar: drawn on a terminal, erased before lines, absent when piped or quiet."""

import io
import os
import pty
import subprocess

from apk_py.context import Context
from apk_py.progress import ProgressBar, wanted
from pkgfactory import Factory


def test_bar_draws_and_erases():
    stream = io.StringIO()
    bar = ProgressBar(4, 2 * 1048576, stream)
    bar.add_bytes(1048576)
    bar.package_done()
    text = stream.getvalue()
    assert "1/4 packages" in text and "1.0/2.0 MiB" in text and text.startswith("\r[#")
    bar.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_wanted_only_on_terminals_and_not_quiet():
    assert wanted(Context(progress=True))
    assert not wanted(Context(progress=True, quiet=1))
    assert not wanted(Context(progress=True, no_progress=True))


def test_install_on_a_terminal_shows_the_bar_and_piped_output_has_only_lines(pk_path, tmp_path):
    factory = Factory(tmp_path / "factory")
    repo = factory.repository("r", {f"p{n}-1.0-r0.apk": factory.package(f"p{n}", files={f"p{n}": b"x" * 1000}) for n in range(3)})
    roots = []
    for label in ("tty", "pipe"):
        root = tmp_path / label
        (root / "lib/apk/db").mkdir(parents=True)
        factory.install_key(root)
        roots.append(root)
    argv = ["--no-cache", "-X", str(repo), "add", "p0", "p1", "p2"]
    controller, worker = pty.openpty()
    process = subprocess.Popen([pk_path, "--root", str(roots[0]), *argv], stdin=worker, stdout=worker, stderr=worker)
    os.close(worker)
    chunks = []
    while True:
        try:
            data = os.read(controller, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait()
    on_tty = b"".join(chunks).decode()
    assert "packages" in on_tty and "\x1b[K" in on_tty and "(3/3) Installing p2 (1.0-r0)" in on_tty
    piped = subprocess.run([pk_path, "--root", str(roots[1]), *argv], capture_output=True, text=True)
    assert piped.stdout.splitlines()[:3] == ["(1/3) Installing p0 (1.0-r0)", "(2/3) Installing p1 (1.0-r0)", "(3/3) Installing p2 (1.0-r0)"]
    assert "\x1b" not in piped.stdout + piped.stderr
    quiet = subprocess.run([pk_path, "--root", str(roots[1]), "-q", "--no-cache", "-X", str(repo), "del", "p2"], capture_output=True, text=True)
    assert quiet.stdout == "" and quiet.returncode == 0
