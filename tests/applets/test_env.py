"""env: printing, -i/-/-u/-0, NAME=VALUE, and running programs (126/127)."""

BASE = {"PATH": "/usr/bin:/bin", "KEEP": "1"}


def test_prints_environment_as_given(applet):
    assert applet("env", env=BASE).stdout == b"PATH=/usr/bin:/bin\nKEEP=1\n"


def test_ignore_and_assignments(applet):
    assert applet("env", "-i", "A=1", "B=x=y", env=BASE).stdout == b"A=1\nB=x=y\n"
    assert applet("env", "-", "A=1", env=BASE).stdout == b"A=1\n"
    assert applet("env", "-i", "-0", "A=1", "B=2", env=BASE).stdout == b"A=1\0B=2\0"
    assert applet("env", "-i", "A=1", "A=2", env=BASE).stdout == b"A=2\n"


def test_unset(applet):
    out = applet("env", "-u", "KEEP", env=BASE).stdout
    assert b"KEEP=" not in out
    assert applet("env", "-i", "-u", "A=5", env=BASE).stdout == b"A=5\n"


def test_runs_program_with_new_environment(applet):
    result = applet("env", "-i", "PATH=/usr/bin:/bin", b"V=\xff", "sh", "-c", 'printf "%s|" "$V" "$KEEP"', env=BASE)
    assert result.stdout == b"\xff||"


def test_options_stop_at_first_operand(applet):
    result = applet("env", "-i", "sh", "-c", "echo $0", "-i", env=BASE)
    assert result.stdout == b"-i\n"


def test_exec_failures(applet, tmp_path):
    (tmp_path / "plain").write_bytes(b"data")
    missing = applet("env", "nosuch-program", env=BASE)
    assert (missing.stderr, missing.returncode) == (
        b"env: can't execute 'nosuch-program': No such file or directory\n",
        127,
    )
    denied = applet("env", "./plain", env=BASE)
    assert (denied.stderr, denied.returncode) == (b"env: can't execute './plain': Permission denied\n", 126)


def test_bad_option(applet):
    result = applet("env", "-x", env=BASE)
    assert result.returncode == 1
    assert result.stderr.startswith(b"env: invalid option -- 'x'\n")
