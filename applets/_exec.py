"""Starting other programs the way BusyBox's env, timeout and xargs do.

Python leaves SIGXFSZ ignored, and ignored signals survive exec; the programs
we start must get default dispositions, as they would from a C parent.
"""

import os
import signal

from applets.common import warn

RESET_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ)


def given_environment() -> dict:
    """A copy of the environment this process was started with: bytes NAME -> VALUE, in order
    (the dispatcher has already taken back Python's own locale coercion)."""
    return dict(os.environb)


def exec_error_status(exc: OSError) -> int:
    """127 when the program does not exist, 126 when it cannot be run."""
    return 127 if exc.errno == 2 else 126


def exec_or_die(argv: list[str], environment: dict) -> None:
    """Replace this process with argv (searched in PATH); on failure exit 127/126 with BusyBox's message."""
    for number in RESET_SIGNALS:
        signal.signal(number, signal.SIG_DFL)
    try:
        os.execvpe(argv[0], argv, environment)
    except OSError as exc:
        warn(f"can't execute '{argv[0]}': {exc.strerror}")
        raise SystemExit(exec_error_status(exc)) from None
    except ValueError:  # an embedded NUL or an empty name
        warn(f"can't execute '{argv[0]}': No such file or directory")
        raise SystemExit(127) from None


def spawn(argv: list[bytes], file_actions=()) -> int:
    """Start argv (searched in PATH) as a child with default signal handling; returns its pid.

    Failures to run it raise OSError, as execvp would report them (an empty name is ENOENT).
    """
    if not argv[0]:
        raise FileNotFoundError(2, "No such file or directory")
    return os.posix_spawnp(argv[0], argv, given_environment(), file_actions=file_actions, setsigdef=RESET_SIGNALS)


def wait_status(pid: int) -> int:
    """Wait for pid; its exit code, or 128+N if signal N killed it (as a shell reports it)."""
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)
