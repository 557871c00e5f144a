"""touch: update file timestamps, creating missing files unless -c."""

import os

from applets.common import Fail, UsageError, getopt, warn

USAGE = """touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...

Update mtime of FILEs

\t-c\tDon't create files
\t-h\tDon't follow links
\t-a\tChange only atime
\t-m\tChange only mtime
\t-d DT\tDate/time to use
\t-t DT\tDate/time to use
\t-r FILE\tUse FILE's date/time"""

LONG_OPTIONS = ["no-create", "no-dereference", "date=", "reference="]


def parse_date(text: str) -> int:
    """BusyBox parse_datestr: the date forms touch -d/-t accept, fields not given taken from now.

    Returns seconds since the Epoch (local time); Fail with "invalid date" otherwise.
    """
    import re
    import time

    now = time.localtime()
    fields = {"year": now.tm_year, "mon": now.tm_mon, "day": now.tm_mday,
              "hour": now.tm_hour, "min": now.tm_min, "sec": now.tm_sec}
    invalid = Fail(f"invalid date '{text}'")
    number = r"\s*\+?(\d+)"
    if text.startswith("@"):
        try:
            return int(text[1:], 10)
        except ValueError:
            raise invalid from None
    if ":" in text:
        patterns = (
            (("hour", "min"), rf"{number}:{number}"),
            (("mon", "day", "hour", "min"), rf"{number}\.{number}-{number}:{number}"),
            (("year", "mon", "day", "hour", "min"), rf"{number}\.{number}\.{number}-{number}:{number}"),
            (("year", "mon", "day", "hour", "min"), rf"{number}-{number}-{number}[\sT]*{number}:{number}"),
        )
        for names, pattern in patterns:
            match = re.match(pattern + r"(?::(\d+))?$", text)
            if match:
                fields.update(zip(names, map(int, match.groups()[: len(names)])))
                if match.group(len(names) + 1) is not None:
                    fields["sec"] = int(match.group(len(names) + 1))
                break
        else:
            raise invalid
    elif "-" in text and (match := re.match(rf"{number}-{number}-{number}(?:[\sT]+{number})?$", text)):
        fields.update(zip(("year", "mon", "day"), map(int, match.groups()[:3])))
        if match.group(4) is not None:
            fields["hour"], fields["min"] = int(match.group(4)), 0
    else:
        digits, dot, seconds = text.partition(".")
        layouts = {2: ("min",), 4: ("hour", "min"), 6: ("day", "hour", "min"),
                   8: ("mon", "day", "hour", "min"), 10: ("year", "mon", "day", "hour", "min"),
                   12: ("year", "mon", "day", "hour", "min")}
        names = layouts.get(len(digits))
        if names is None or not digits.isdigit() or (dot and not seconds.isdigit()):
            raise invalid
        values = [int(digits[i : i + 2]) for i in range(0, len(digits), 2)]
        if len(digits) == 12:
            values = [int(digits[:4])] + values[2:]
        elif len(digits) == 10:
            century = now.tm_year // 100 * 100
            year = values[0] + century
            if year < now.tm_year - 50:
                year += 100
            if year > now.tm_year + 50:
                year -= 100
            values[0] = year
        fields.update(zip(names, values))
        fields["sec"] = int(seconds) if dot else 0
    try:
        return int(time.mktime((fields["year"], fields["mon"], fields["day"], fields["hour"],
                                fields["min"], fields["sec"], 0, 0, -1)))
    except (OverflowError, ValueError):
        raise invalid from None


def main(argv: list[str]) -> int:
    options, paths = getopt(argv[1:], "chamd:t:r:f", LONG_OPTIONS)
    flags = set()
    stamp = None  # (atime_ns, mtime_ns) to set; None = now
    for opt, value in options:
        if opt in ("-d", "-t", "--date"):
            seconds = parse_date(value) * 10**9
            stamp = (seconds, seconds)
        elif opt in ("-r", "--reference"):
            try:
                st = os.stat(value)
            except OSError as exc:
                raise Fail(f"can't stat '{value}': {exc.strerror}") from None
            stamp = (st.st_atime_ns, st.st_mtime_ns)
        elif opt == "--no-create":
            flags.add("-c")
        elif opt == "--no-dereference":
            flags.add("-h")
        else:
            flags.add(opt)
    if not paths:
        raise UsageError()
    follow = "-h" not in flags
    status = 0
    for path in paths:
        times = stamp
        if flags & {"-a", "-m"}:
            try:
                st = os.stat(path, follow_symlinks=follow)
            except OSError:
                st = None
            if st is not None:
                import time

                now = time.time_ns()
                new_atime, new_mtime = times or (now, now)
                if "-a" not in flags:
                    new_atime = st.st_atime_ns
                if "-m" not in flags:
                    new_mtime = st.st_mtime_ns
                times = (new_atime, new_mtime)
        try:
            os.utime(path, ns=times, follow_symlinks=follow) if times else os.utime(path, follow_symlinks=follow)
            continue
        except OSError as exc:
            error = exc
        if error.errno == 2:
            if "-c" in flags:
                continue
            try:
                os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o666))
                if times:
                    os.utime(path, ns=times)
                continue
            except OSError as exc:
                error = exc
        warn(f"{path}: {error.strerror}")
        status = 1
    return status
