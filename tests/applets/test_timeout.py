"""timeout: exit statuses, signals, -k, and programs that cannot run."""

import signal


def test_program_status_passes_through(applet):
    assert applet("timeout", "10", "sh", "-c", "exit 3").returncode == 3
    assert applet("timeout", "10", "sh", "-c", "echo hi").stdout == b"hi\n"


def test_time_running_out_gives_124(applet):
    assert applet("timeout", "0.1", "sleep", "30").returncode == 124


def test_signal_choice_and_kill_after(applet):
    assert applet("timeout", "-s", "KILL", "0.1", "sleep", "30").returncode == 124
    assert applet("timeout", "-s", "9", "0.1", "sleep", "30").returncode == 124
    stubborn = applet("timeout", "-k", "0.1", "0.1", "sh", "-c", "trap '' TERM; sleep 30")
    assert stubborn.returncode == 137


def test_killed_program_reports_its_signal(applet):
    assert applet("timeout", "10", "sh", "-c", "kill -9 $$").returncode == 137


def test_programs_that_cannot_run(applet, tmp_path):
    (tmp_path / "plain").write_bytes(b"data")
    missing = applet("timeout", "1", "nosuch-program")
    assert (missing.stderr, missing.returncode) == (
        b"timeout: can't execute 'nosuch-program': No such file or directory\n",
        127,
    )
    denied = applet("timeout", "1", "./plain")
    assert denied.returncode == 126


def test_bad_arguments(applet):
    result = applet("timeout", "-s", "NOPE", "1", "true")
    assert (result.stderr, result.returncode) == (b"timeout: unknown signal 'NOPE'\n", 1)
    result = applet("timeout", "x", "true")
    assert (result.stderr, result.returncode) == (b"timeout: invalid number 'x'\n", 1)
    result = applet("timeout", "1")
    assert result.returncode == 1 and b"Usage: timeout" in result.stderr


def test_child_gets_default_signal_handling(applet):
    # Python ignores SIGXFSZ; the program must not inherit that.
    out = applet("timeout", "5", "sh", "-c", "grep SigIgn /proc/self/status").stdout
    ignored = int(out.split()[1], 16)
    assert not ignored & (1 << (signal.SIGXFSZ - 1))
