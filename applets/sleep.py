"""sleep: pause for the sum of the given durations.

Each duration is a number with an optional s, m, h or d suffix; fractions are
allowed ("1.5m"). "inf..." sleeps forever, as in GNU and BusyBox.
"""

import time

from applets.common import Fail, UsageError

USAGE = """sleep [N]...

Pause for a time equal to the total of the args given, where each arg can
have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays"""

SUFFIXES = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
FOREVER = 1 << 30


def _whole(text: str) -> int:
    """An unsigned decimal with an optional suffix (BusyBox xatoul_sfx); `invalid number` otherwise."""
    body, multiplier = text, 1
    if body[-1:] in SUFFIXES:
        body, multiplier = body[:-1], SUFFIXES[body[-1]]
    if not body.isascii() or not body.isdigit():
        raise Fail(f"invalid number '{text}'")
    return int(body) * multiplier


def parse_duration(text: str) -> float:
    """Seconds in a BusyBox duration: "N", "N.N", either with an s/m/h/d suffix."""
    if "." not in text:
        return _whole(text)
    length = len(text) - len(text.lstrip("0123456789."))
    number, rest = text[:length], text[length:]
    if not number:
        raise Fail(f"invalid number '{text}'")
    try:
        value = float(number)
    except ValueError:
        raise UsageError() from None
    # BusyBox reads the suffix by putting a "1" in front of it.
    return value * _whole("1" + rest)


def main(argv: list[str]) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        raise UsageError()
    if args[0][:3].lower() == "inf":
        while True:
            time.sleep(FOREVER)
    total = sum(parse_duration(arg) for arg in args)
    time.sleep(min(total, FOREVER))
    return 0
