"""timeout: run a program, signal it if it is still running after SECS.

BusyBox's command line (`-s SIG`, `-k KILL_SECS`, then SECS PROG ARGS) with
coreutils' exit statuses: 124 if the time ran out, 128+9 if it took -k's KILL,
126/127 if PROG could not be run, otherwise PROG's own status.
"""

import os
import signal

from applets._exec import exec_error_status, spawn, wait_status
from applets.common import Fail, UsageError, getopt, warn
from applets.sleep import parse_duration

USAGE = """timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS

Run PROG. Send SIG to it if it is not gone in SECS seconds.
Default SIG: TERM.If it still exists in KILL_SECS seconds, send KILL."""

FORWARDED = (signal.SIGTERM, signal.SIGHUP)


def signal_number(name: str) -> int:
    """A signal given by number or name (with or without SIG, any case), as BusyBox's get_signum."""
    if name.isascii() and name.isdigit():
        number = int(name)
        if number < signal.NSIG:
            return number
    else:
        upper = name.upper()
        if upper.startswith("SIG"):
            upper = upper[3:]
        aliases = {"CLD": "CHLD", "POLL": "IO", "IOT": "ABRT"}
        upper = aliases.get(upper, upper)
        number = getattr(signal, "SIG" + upper, None)
        if isinstance(number, int) and upper.isalnum():
            return int(number)
    raise Fail(f"unknown signal '{name}'")


class _Watch:
    """Sends the chosen signal when the alarm fires, then KILL after the grace period."""

    def __init__(self, pid: int, signum: int, kill_after: float):
        self.pid = pid
        self.signum = signum
        self.kill_after = kill_after
        self.timed_out = False
        self.killed = False

    def alarm(self, _signum, _frame) -> None:
        if not self.timed_out:
            self.timed_out = True
            self._send(self.signum)
            if self.kill_after > 0:
                signal.setitimer(signal.ITIMER_REAL, self.kill_after)
        else:
            self.killed = True
            self._send(signal.SIGKILL)

    def forward(self, signum, _frame) -> None:
        self._send(signum)

    def _send(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "s:k:", permute=False)
    signum = signal.SIGTERM
    kill_after = 0.0
    for opt, value in options:
        if opt == "-s":
            signum = signal_number(value)
        else:
            kill_after = parse_duration(value)
    if len(operands) < 2:
        raise UsageError()
    seconds = parse_duration(operands[0])
    command = [os.fsencode(arg) for arg in operands[1:]]
    try:
        pid = spawn(command)
    except OSError as exc:
        warn(f"can't execute '{operands[1]}': {exc.strerror}")
        return exec_error_status(exc)
    watch = _Watch(pid, signum, kill_after)
    signal.signal(signal.SIGALRM, watch.alarm)
    for number in FORWARDED:
        signal.signal(number, watch.forward)
    if seconds > 0:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    status = wait_status(pid)
    if watch.killed:
        return 128 + signal.SIGKILL
    if watch.timed_out:
        return 124
    return status
