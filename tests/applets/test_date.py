"""date: input formats, time zones, output formats, -r/-R/-I/-D, and errors.

No test here sets the clock: only the display paths (-d, -r) are exercised.
"""

import os

UTC = {"TZ": "UTC0"}
EET = {"TZ": "EET-2EEST,M3.5.0/3,M10.5.0/4"}


def show(applet, *args, env=UTC):
    result = applet("date", *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_epoch_seconds_and_dst(applet):
    assert show(applet, "-d", "@1288486799", env=EET) == b"Sun Oct 31 03:59:59 EEST 2010\n"
    assert show(applet, "-d", "@1288486801", env=EET) == b"Sun Oct 31 03:00:01 EET 2010\n"
    assert show(applet, "-d", "@-5") == b"Wed Dec 31 23:59:55 UTC 1969\n"


def test_input_formats(applet):
    cases = {
        "1999.01.02-03:04:05": b"1999-01-02 03:04:05",
        "1999-1-2 3:4:5": b"1999-01-02 03:04:05",
        "1999-1-2 3:4": b"1999-01-02 03:04:00",
        "1999-1-2 3": b"1999-01-02 03:00:00",
        "1999-01-02": b"1999-01-02 00:00:00",
        "Jan 2 03:04:05 1999": b"1999-01-02 03:04:05",
        "200001231133": b"2000-01-23 11:33:00",
        "200001231133.30": b"2000-01-23 11:33:30",
        "0001231133": b"2000-01-23 11:33:00",
        "1999-02-30": b"1999-03-02 00:00:00",
    }
    for text, expected in cases.items():
        assert show(applet, "-d", text, "+%Y-%m-%d %H:%M:%S") == expected + b"\n", text


def test_partial_times_keep_today(applet):
    today = show(applet, "+%Y-%m-%d")
    assert show(applet, "-d", "1:2", "+%Y-%m-%d %T") == today.strip() + b" 01:02:00\n"
    assert show(applet, "-d", "1:2:3", "+%T") == b"01:02:03\n"
    assert show(applet, "-d", "1133", "+%T") == b"11:33:00\n"
    assert show(applet, "-d", "33.5", "+%T") == b"00:33:05\n"


def test_time_zone_offsets(applet):
    assert show(applet, "-d", "1999-1-2 3:4:5Z") == b"Sat Jan  2 03:04:05 UTC 1999\n"
    assert show(applet, "-d", "1999-1-2 3:4:5 +0600") == b"Fri Jan  1 21:04:05 UTC 1999\n"
    assert show(applet, "-d", "1999-1-2 3:4 -05:30") == b"Sat Jan  2 08:34:00 UTC 1999\n"
    bst = {"TZ": "GMT0BST,M3.5.0/1,M10.5.0/2"}
    assert show(applet, "-d", "2021-03-28 01:00:01 +0000", env=bst) == b"Sun Mar 28 02:00:01 BST 2021\n"


def test_utc_option(applet):
    assert (
        show(applet, "-u", "-d", "2000.01.01-11:22:33", env={"TZ": "CET-1CEST-2"}) == b"Sat Jan  1 11:22:33 UTC 2000\n"
    )


def test_output_formats(applet):
    assert show(applet, "-d", "@0", "-R") == b"Thu, 01 Jan 1970 00:00:00 +0000\n"
    assert show(applet, "-d", "@0", "-I") == b"1970-01-01\n"
    assert show(applet, "-d", "@0", "-Ih", env=EET) == b"1970-01-01T02+02:00\n"
    assert show(applet, "-d", "@0", "-Iminutes") == b"1970-01-01T00:00+00:00\n"
    assert show(applet, "-d", "@0", "-Iseconds") == b"1970-01-01T00:00:00+00:00\n"
    assert show(applet, "-d", "@0", "-Ins") == b"1970-01-01T00:00:00,000000000+00:00\n"
    assert show(applet, "-d", "@0", "+") == b"\n"
    assert show(applet, "-d", "@0", "+%c|%s|%j|%Q") == b"Thu Jan  1 00:00:00 1970|0|001|%Q\n"
    assert show(applet, "-d", "@0", b"+\xff%Y\xfe") == b"\xff1970\xfe\n"


def test_reference_file(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.utime(tmp_path / "f", (0, 86400))
    assert show(applet, "-r", "f", "+%F %T") == b"1970-01-02 00:00:00\n"
    missing = applet("date", "-r", "nope")
    assert (missing.stderr, missing.returncode) == (b"date: can't stat 'nope': No such file or directory\n", 1)


def test_strptime_format_option(applet):
    assert show(applet, "-D", "%Y%m%d", "-d", "20200315", "+%F") == b"2020-03-15\n"
    assert show(applet, "-D", "%d/%m/%Y %I:%M %p", "-d", "15/03/2020 3:15 PM", "+%F %R") == b"2020-03-15 15:15\n"
    assert show(applet, "-D", "%j %Y", "-d", "60 2020", "+%F") == b"2020-02-29\n"
    assert show(applet, "-D", "%s", "-d", "86400", "+%F") == b"1970-01-02\n"


def test_invalid_dates(applet):
    for text in ("x", "", "25:00", "1:2 ", "@5x", "1999-13-01", "123", "13311133"):
        result = applet("date", "-d", text, env=UTC)
        assert (result.stderr, result.returncode) == (f"date: invalid date '{text}'\n".encode(), 1), text


def test_usage_errors(applet):
    for args in (
        ["-d", "@0", "extra"],
        ["-d", "012311332000.30", "%+c"],
        ["-Ix"],
        ["-R", "-I"],
        ["-d", "1", "-s", "1"],
    ):
        result = applet("date", *args, env=UTC)
        assert result.returncode == 1, args
        assert b"Usage: date [OPTIONS] [+FMT] [[-s] TIME]" in result.stderr, args


def test_bad_compat_time_is_refused_before_setting(applet):
    result = applet("date", "123456789", env=UTC)
    assert (result.stderr, result.returncode) == (b"date: invalid date '123456789'\n", 1)
