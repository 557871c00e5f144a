"""The pk command line: apk's option grammar, verify and version, errors without tracebacks."""

import subprocess

import pytest

from support import fixture


def pk(pk_path, *args, cwd=None):
    return subprocess.run([pk_path, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_version_and_help(pk_path):
    assert pk(pk_path, "--version").stdout.startswith("pk ")
    out = pk(pk_path, "--help").stdout
    for command in ("add", "del", "verify", "version", "mkpkg", "image"):
        assert f"  {command} " in out
    assert "--root DIR" in out
    assert "-t, --test" in pk(pk_path, "version", "--help").stdout


def test_unknown_command_and_option(pk_path):
    result = pk(pk_path, "frobnicate")
    assert result.returncode == 1
    assert result.stderr == "ERROR: 'frobnicate' is not an apk command. See 'pk --help'.\n"
    result = pk(pk_path, "version", "--bogus")
    assert result.returncode == 1 and result.stderr == "ERROR: unrecognized option '--bogus'\n"


def test_version_test_and_check(pk_path):
    assert pk(pk_path, "version", "-t", "1.0", "1.0_rc1").stdout == ">\n"
    assert pk(pk_path, "-q", "version", "1.2-r1", "1.2-r10", "--test").stdout == "<\n"
    result = pk(pk_path, "version", "-t", "1.0", "bad")
    assert (result.returncode, result.stdout) == (1, "")
    result = pk(pk_path, "version", "-c", "1.0", "x1", "2_foo")
    assert (result.returncode, result.stdout) == (2, "x1\n2_foo\n")


def test_print_arch(pk_path, tmp_path):
    (tmp_path / "etc/apk").mkdir(parents=True)
    (tmp_path / "etc/apk/arch").write_text("aarch64\n")
    assert pk(pk_path, "--root", str(tmp_path), "--print-arch").stdout == "aarch64\n"
    assert pk(pk_path, "--print-arch", "--arch", "riscv64").stdout == "riscv64\n"


def test_verify_real_files(pk_path):
    keys = str(fixture("alpine/keys"))
    files = [str(fixture("alpine/v3.16/main/x86_64/APKINDEX.tar.gz")), str(fixture("alpine/packages/alpine-baselayout-3.2.0-r23.apk"))]
    result = pk(pk_path, "verify", "--keys-dir", keys, *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "".join(f"{path}: OK\n" for path in files)


def test_verify_reports_each_failure_on_one_line(pk_path, tmp_path):
    package = fixture("melange/x86_64/replayout-1.0.0-r0.apk").read_bytes()
    flipped = bytearray(package)
    flipped[len(package) // 2] ^= 0xFF
    cases = {
        "flipped.apk": bytes(flipped),
        "truncated.apk": package[:1500],
        "empty.apk": b"",
        "text.apk": b"hello\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    names = sorted(cases) + ["missing.apk"]
    result = pk(pk_path, "verify", "--keys-dir", str(fixture("melange")), *names, cwd=tmp_path)
    assert result.returncode == len(names)
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == names
    assert "Traceback" not in result.stdout + result.stderr
    assert lines[-1] == "missing.apk: No such file or directory"


def test_verify_without_trusted_key(pk_path, tmp_path):
    path = str(fixture("melange/x86_64/APKINDEX.tar.gz"))
    result = pk(pk_path, "--root", str(tmp_path), "verify", path)
    assert result.returncode == 1
    assert result.stdout == f"{path}: UNTRUSTED signature: no trusted key for melange.rsa.pub\n"


@pytest.mark.parametrize("args", [["-X"], ["--root"], ["version", "-l"]])
def test_missing_option_values(pk_path, args):
    result = pk(pk_path, *args)
    assert result.returncode == 1 and result.stderr.startswith("ERROR: ") and "Traceback" not in result.stderr
