"""which: first or all matches in PATH, names with slashes, and the default PATH."""

import os


def make_program(directory, name):
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_bytes(b"#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_first_and_all_matches(applet, tmp_path):
    make_program(tmp_path / "one", "prog")
    make_program(tmp_path / "two", "prog")
    env = {"PATH": f"{tmp_path}/one:{tmp_path}/two/"}
    assert applet("which", "prog", env=env).stdout == f"{tmp_path}/one/prog\n".encode()
    assert applet("which", "-a", "prog", env=env).stdout == f"{tmp_path}/one/prog\n{tmp_path}/two/prog\n".encode()


def test_missing_and_not_executable(applet, tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "data").write_bytes(b"x")
    make_program(tmp_path / "bin", "ok")
    result = applet("which", "data", "ok", "nope", env={"PATH": f"{tmp_path}/bin"})
    assert (result.stdout, result.returncode) == (f"{tmp_path}/bin/ok\n".encode(), 1)


def test_empty_path_entry_is_current_directory(applet, tmp_path):
    make_program(tmp_path, "here")
    assert applet("which", "here", env={"PATH": "/nonexistent::"}).stdout == b"./here\n"


def test_names_with_slash_are_checked_directly(applet, tmp_path):
    make_program(tmp_path, "prog")
    assert applet("which", "./prog").stdout == b"./prog\n"
    assert applet("which", "/etc/passwd").returncode == 1


def test_default_path_without_path_variable(applet):
    result = applet("which", "sh", env={})
    assert result.returncode == 0
    assert os.path.basename(result.stdout.strip()) == b"sh"


def test_needs_an_argument(applet):
    result = applet("which")
    assert result.returncode == 1 and b"Usage: which [-a] COMMAND..." in result.stderr
