"""date: display (or, when asked, set) the time, BusyBox's options and input formats.

Input times are read like BusyBox's parse_datestr: a list of strptime formats
tried in turn (with a glibc-compatible strptime below), then @SECONDS, then the
digits-only [[[[[YY]YY]MM]DD]hh]mm[.ss] form. Output goes through the C
library's strftime, so every %-conversion and TZ rule matches C programs.
"""

import os
import time

from applets.common import Fail, UsageError, getopt, stdout, warn

USAGE = """date [OPTIONS] [+FMT] [[-s] TIME]

Display time (using +FMT), or set time

\t-u\t\tWork in UTC (don't convert to local time)
\t[-s] TIME\tSet time to TIME
\t-d TIME\t\tDisplay TIME, not 'now'
\t-D FMT\t\tFMT (strptime format) for -s/-d TIME conversion
\t-r FILE\t\tDisplay last modification time of FILE
\t-R\t\tOutput RFC-2822 date
\t-I[SPEC]\tOutput ISO-8601 date
\t\t\tSPEC=date (default), hours, minutes, seconds or ns

Recognized TIME formats:
\t@seconds_since_1970
\thh:mm[:ss]
\t[YYYY.]MM.DD-hh:mm[:ss]
\tYYYY-MM-DD hh:mm[:ss]
\t[[[[[YY]YY]MM]DD]hh]mm[.ss]
\t'date TIME' form accepts MMDDhhmm[[YY]YY][.ss] instead"""

DATE_FORMATS = (
    "%R",
    "%T",
    "%m.%d-%R",
    "%m.%d-%T",
    "%Y.%m.%d-%R",
    "%Y.%m.%d-%T",
    "%b %d %T %Y",
    "%Y-%m-%d %R",
    "%Y-%m-%d %T",
    "%Y-%m-%d %R %z",
    "%Y-%m-%d %T %z",
    "%Y-%m-%d %H",
    "%Y-%m-%d",
)
ISO_SPECS = ("date", "hours", "minutes", "seconds", "ns")
DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Composite conversions, as the C locale spells them.
COMPOSITES = {
    "c": "%a %b %e %H:%M:%S %Y",
    "D": "%m/%d/%y",
    "x": "%m/%d/%y",
    "F": "%Y-%m-%d",
    "r": "%I:%M:%S %p",
    "R": "%H:%M",
    "T": "%H:%M:%S",
    "X": "%H:%M:%S",
}
# conversion -> (field, lowest, highest, digits); the stored value is adjusted below
NUMBERS = {
    "Y": ("year", 0, 9999, 4),
    "m": ("mon", 1, 12, 2),
    "d": ("mday", 1, 31, 2),
    "e": ("mday", 1, 31, 2),
    "H": ("hour", 0, 23, 2),
    "k": ("hour", 0, 23, 2),
    "I": ("hour12", 1, 12, 2),
    "l": ("hour12", 1, 12, 2),
    "M": ("min", 0, 59, 2),
    "S": ("sec", 0, 61, 2),
    "j": ("yday", 1, 366, 3),
    "y": ("year2", 0, 99, 2),
    "C": ("century", 0, 99, 2),
    "U": (None, 0, 53, 2),
    "W": (None, 0, 53, 2),
    "V": (None, 0, 53, 2),
    "g": (None, 0, 99, 2),
    "G": (None, 0, 9999, 4),
    "u": ("wday", 1, 7, 1),
    "w": ("wday", 0, 6, 1),
}
SPACES = " \t\n\v\f\r"


class _Invalid(Exception):
    """The text does not fit the format."""


class _Reader:
    """glibc strptime over one format: fields land in a dict shaped like struct tm."""

    def __init__(self, text: str, tm: dict):
        self.text = text
        self.pos = 0
        self.tm = tm
        self.extra: dict = {}

    def parse(self, fmt: str) -> None:
        i = 0
        while i < len(fmt):
            char = fmt[i]
            i += 1
            if char in SPACES:
                self.skip_spaces()
            elif char != "%":
                self.literal(char)
            else:
                while i < len(fmt) and fmt[i] in "-_0^#":
                    i += 1
                while i < len(fmt) and fmt[i].isdigit():
                    i += 1
                if i < len(fmt) and fmt[i] in "EO":
                    i += 1
                if i >= len(fmt):
                    raise _Invalid
                self.conversion(fmt[i])
                i += 1

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in SPACES:
            self.pos += 1

    def literal(self, char: str) -> None:
        if self.text[self.pos : self.pos + 1] != char:
            raise _Invalid
        self.pos += 1

    def number(self, lowest: int, highest: int, digits: int) -> int:
        self.skip_spaces()
        text = self.text
        if not text[self.pos : self.pos + 1].isdigit() or not text[self.pos].isascii():
            raise _Invalid
        value = 0
        while True:
            value = value * 10 + int(text[self.pos])
            self.pos += 1
            digits -= 1
            nxt = text[self.pos : self.pos + 1]
            if digits <= 0 or value * 10 > highest or not (nxt.isdigit() and nxt.isascii()):
                break
        if not lowest <= value <= highest:
            raise _Invalid
        return value

    def name(self, names: tuple) -> int:
        """Index of the full or three-letter name at the cursor (any case)."""
        rest = self.text[self.pos :].lower()
        for index, full in enumerate(names):
            for candidate in (full, full[:3]):
                if rest.startswith(candidate):
                    self.pos += len(candidate)
                    return index
        raise _Invalid

    def conversion(self, conv: str) -> None:
        tm = self.tm
        if conv in COMPOSITES:
            self.parse(COMPOSITES[conv])
        elif conv == "%":
            self.literal("%")
        elif conv in "nt":
            self.skip_spaces()
        elif conv in "aA":
            tm["wday"] = self.name(DAYS)
        elif conv in "bBh":
            tm["mon"] = self.name(MONTHS)
            self.extra["have_mon"] = True
        elif conv == "p":
            rest = self.text[self.pos : self.pos + 2].upper()
            if rest not in ("AM", "PM"):
                raise _Invalid
            self.pos += 2
            self.extra["pm"] = rest == "PM"
        elif conv == "z":
            self.zone()
        elif conv == "Z":
            while self.pos < len(self.text) and self.text[self.pos] not in SPACES:
                self.pos += 1
        elif conv == "s":
            self.epoch()
        elif conv in NUMBERS:
            field, lowest, highest, digits = NUMBERS[conv]
            value = self.number(lowest, highest, digits)
            self.store(field, value)
        else:
            raise _Invalid

    def store(self, field: str | None, value: int) -> None:
        tm = self.tm
        if field == "year":
            tm["year"] = value - 1900
            self.extra.pop("century", None)
        elif field == "mon":
            tm["mon"] = value - 1
            self.extra["have_mon"] = True
        elif field == "mday":
            tm["mday"] = value
            self.extra["have_mday"] = True
        elif field == "hour12":
            tm["hour"] = value % 12
            self.extra["twelve"] = True
        elif field == "yday":
            tm["yday"] = value - 1
            self.extra["have_yday"] = True
        elif field == "year2":
            tm["year"] = value if value >= 69 else value + 100
            self.extra["want_century"] = True
        elif field == "century":
            self.extra["century"] = value
        elif field == "wday":
            tm["wday"] = value % 7
        elif field is not None:
            tm[field] = value

    def zone(self) -> None:
        """+hh, +hhmm, +hh:mm or Z, into tm["gmtoff"]."""
        self.skip_spaces()
        text = self.text
        if text[self.pos : self.pos + 1] == "Z":
            self.pos += 1
            self.tm["gmtoff"] = 0
            return
        sign = text[self.pos : self.pos + 1]
        if sign not in ("+", "-"):
            raise _Invalid
        self.pos += 1
        digits = ""
        while len(digits) < 4 and text[self.pos : self.pos + 1].isdigit() and text[self.pos].isascii():
            digits += text[self.pos]
            self.pos += 1
            if (
                len(digits) == 2
                and text[self.pos : self.pos + 1] == ":"
                and text[self.pos + 1 : self.pos + 2].isdigit()
            ):
                self.pos += 1
        if len(digits) == 2:
            digits += "00"
        elif len(digits) != 4 or int(digits[2:]) >= 60:
            raise _Invalid
        offset = int(digits[:2]) * 3600 + int(digits[2:]) * 60
        self.tm["gmtoff"] = -offset if sign == "-" else offset

    def epoch(self) -> None:
        start = self.pos
        if self.text[self.pos : self.pos + 1] == "-":
            self.pos += 1
        while self.text[self.pos : self.pos + 1].isdigit():
            self.pos += 1
        try:
            moment = time.localtime(int(self.text[start : self.pos]))
        except (ValueError, OverflowError, OSError):
            raise _Invalid from None
        self.tm.update(_fields(moment))

    def finish(self) -> None:
        """glibc's after-the-fact fixups: %p, %C with %y, %j without month and day."""
        tm, extra = self.tm, self.extra
        if extra.get("pm") is not None and extra.get("twelve"):
            tm["hour"] = tm["hour"] % 12 + (12 if extra["pm"] else 0)
        if "century" in extra:
            if extra.get("want_century"):
                tm["year"] = tm["year"] % 100 + (extra["century"] - 19) * 100
            else:
                tm["year"] = (extra["century"] - 19) * 100
        if extra.get("have_yday"):
            year = tm["year"] + 1900
            leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            lengths = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
            day, month = tm["yday"], 0
            while month < 11 and day >= lengths[month]:
                day -= lengths[month]
                month += 1
            if not extra.get("have_mon"):
                tm["mon"] = month
            if not extra.get("have_mday"):
                tm["mday"] = day + 1


def strptime(text: str, fmt: str, tm: dict) -> int | None:
    """Parse text by fmt into tm (updated in place); returns where parsing stopped, or None."""
    reader = _Reader(text, tm)
    try:
        reader.parse(fmt)
    except (_Invalid, IndexError):
        return None
    reader.finish()
    return reader.pos


def _fields(moment: time.struct_time) -> dict:
    return {
        "year": moment.tm_year - 1900,
        "mon": moment.tm_mon - 1,
        "mday": moment.tm_mday,
        "hour": moment.tm_hour,
        "min": moment.tm_min,
        "sec": moment.tm_sec,
        "wday": (moment.tm_wday + 1) % 7,
        "yday": moment.tm_yday - 1,
        "isdst": moment.tm_isdst,
        "gmtoff": moment.tm_gmtoff,
    }


def _mktime(tm: dict, text: str) -> int:
    """mktime(3), normalising out-of-range fields; `invalid date` if it cannot."""
    try:
        return int(
            time.mktime(
                (tm["year"] + 1900, tm["mon"] + 1, tm["mday"], tm["hour"], tm["min"], tm["sec"], 0, 1, tm["isdst"])
            )
        )
    except (OverflowError, ValueError, OSError):
        raise Fail(f"invalid date '{text}'") from None


def _timegm(tm: dict) -> int:
    """The UTC counterpart of mktime, for times that carry their own offset."""
    import calendar

    return calendar.timegm((tm["year"] + 1900, tm["mon"] + 1, tm["mday"], tm["hour"], tm["min"], tm["sec"]))


def _digits_date(text: str, tm: dict) -> None:
    """[[[[[YY]YY]MM]DD]hh]mm[.ss], as touch -t reads it."""
    invalid = Fail(f"invalid date '{text}'")
    body, dot, seconds = text.partition(".")
    if not (body.isascii() and body.isdigit()) or len(body) not in (2, 4, 6, 8, 10, 12):
        raise invalid
    pairs = [int(body[i : i + 2]) for i in range(0, len(body), 2)]
    if len(body) == 12:
        tm["year"] = int(body[:4]) - 1900
        pairs = pairs[2:]
    elif len(body) == 10:
        now_year = tm["year"]
        year = pairs.pop(0)
        if now_year >= 50:
            year += now_year // 100 * 100
            if year < now_year - 50:
                year += 100
            if year > now_year + 50:
                year -= 100
        tm["year"] = year
    for field, value in zip(("mon", "mday", "hour", "min")[4 - len(pairs) :], pairs, strict=True):
        tm[field] = value - 1 if field == "mon" else value
    tm["sec"] = 0
    if dot:
        if not (seconds.isascii() and seconds.isdigit()):
            raise invalid
        tm["sec"] = int(seconds)
    if tm["sec"] > 60 or tm["min"] > 59 or tm["hour"] > 23 or tm["mday"] > 31 or tm["mon"] > 11:
        raise invalid


def parse_date(text: str, tm: dict) -> int:
    """Seconds since the epoch for a BusyBox date string, fields not given taken from tm."""
    for fmt in DATE_FORMATS:
        attempt = dict(tm)
        stop = strptime(text, fmt, attempt)
        if stop is None or stop != len(text):
            continue
        if "z" in fmt:
            attempt["sec"] -= attempt["gmtoff"]
            return _timegm(attempt)
        attempt["isdst"] = -1
        return _mktime(attempt, text)
    if text.startswith("@"):
        number = text[1:]
        digits = number[1:] if number[:1] == "-" else number
        if digits.isascii() and digits.isdigit() and -(1 << 63) <= int(number) < (1 << 63):
            return int(number)
        raise Fail(f"invalid date '{text}'")
    attempt = dict(tm)
    _digits_date(text, attempt)
    attempt["isdst"] = -1
    return _mktime(attempt, text)


def _compat_date(text: str) -> str:
    """'date MMDDhhmm[[CC]YY][.ss]': move the year to the front, where parse_date expects it."""
    body, dot, seconds = text.partition(".")
    if body and not (body.isascii() and body.isdigit()):
        return text
    if dot and not (len(seconds) == 2 and seconds.isascii() and seconds.isdigit()):
        return text
    extra = len(body) - 8
    if extra < 0 or extra > 4 or extra % 2:
        raise Fail(f"invalid date '{text}'")
    return body[8:] + body[:8] + dot + seconds


def _iso_format(spec: int, moment: time.struct_time) -> str:
    """-I: date, then hours/minutes/seconds/ns, then the offset as +hh:mm."""
    fmt = "%Y-%m-%dT%H:%M:%S"[: 8 + 3 * spec] if spec < 4 else "%Y-%m-%dT%H:%M:%S,000000000"
    if spec:
        zone = time.strftime("%z", moment)
        if len(zone) == 5 and zone[0] in "+-":
            zone = zone[:3] + ":" + zone[3:]
        fmt += zone
    return fmt


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "Rs:ud:r:I::D:", ("rfc-822", "rfc-2822", "set=", "utc", "date=", "reference="))
    aliases = {"--rfc-822": "-R", "--rfc-2822": "-R", "--set": "-s", "--utc": "-u", "--date": "-d", "--reference": "-r"}
    given: dict = {}
    for opt, value in options:
        given[aliases.get(opt, opt)] = value
    if ("-s" in given and "-d" in given) or ("-R" in given and "-I" in given):
        raise UsageError()
    if "-u" in given:
        os.environ["TZ"] = "UTC0"
        time.tzset()
    iso = None
    if "-I" in given:
        spec = given["-I"] or "date"
        matches = [index for index, name in enumerate(ISO_SPECS) if name.startswith(spec)]
        if not matches:
            raise UsageError()
        iso = matches[0]
    fmt = None
    if operands and operands[0].startswith("+"):
        fmt = operands.pop(0)[1:]
    setting = "-s" in given
    text = given.get("-s", given.get("-d"))
    if text is None and operands:
        setting = True
        text = _compat_date(operands.pop(0))
    if operands:
        raise UsageError()

    if "-r" in given:
        try:
            seconds = int(os.stat(given["-r"]).st_mtime)
        except OSError as exc:
            raise Fail(f"can't stat '{given['-r']}': {exc.strerror}") from None
    else:
        seconds = int(time.time())
    if text is not None:
        tm = _fields(time.localtime(seconds))
        tm.update(hour=0, min=0, sec=0)
        if "-D" in given:
            stop = strptime(text, given["-D"], tm)
            if stop is None:
                raise Fail(f"invalid date '{text}'")
            tm["isdst"] = -1
            seconds = _mktime(tm, text)
        else:
            seconds = parse_date(text, tm)
        if setting:
            try:
                time.clock_settime(time.CLOCK_REALTIME, seconds)
            except OSError as exc:
                warn(f"can't set date: {exc.strerror}")
    try:
        moment = time.localtime(seconds)
    except (OverflowError, OSError, ValueError):
        raise Fail(f"invalid date '{text}'") from None

    if fmt is None:
        if iso is not None:
            fmt = _iso_format(iso, moment)
        elif "-R" in given:
            fmt = "%a, %d %b %Y %H:%M:%S %z"
        else:
            fmt = "%a %b %e %H:%M:%S %Z %Y"
    output = time.strftime(fmt, moment) if fmt else ""
    stdout().write(output.encode("utf-8", "surrogateescape") + b"\n")
    return 0
