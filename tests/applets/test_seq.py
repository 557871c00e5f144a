"""seq: integer and fractional sequences, padding, separators, formats and errors."""


def test_counts(applet):
    assert applet("seq", "3").stdout == b"1\n2\n3\n"
    assert applet("seq", "5", "7").stdout == b"5\n6\n7\n"
    assert applet("seq", "8", "-2", "4").stdout == b"8\n6\n4\n"
    assert applet("seq", "7", "5").stdout == b""
    assert applet("seq", "1", "-15", "1").stdout == b"1\n"


def test_fractions_take_decimals_from_first_and_step(applet):
    assert applet("seq", "3", ".30", "4").stdout == b"3.00\n3.30\n3.60\n3.90\n"
    assert applet("seq", ".7", "-.9", "-2.2").stdout == b"0.7\n-0.2\n-1.1\n-2.0\n"
    assert applet("seq", "1", "2.0").stdout == b"1\n2\n"
    assert applet("seq", "-.0", "-.25", "-.9").stdout == b"-0.00\n-0.25\n-0.50\n-0.75\n"
    assert applet("seq", "-0", "1").stdout == b"-0\n1\n"


def test_padding(applet):
    assert applet("seq", "-w", "8", "-3", "04").stdout == b"08\n05\n"
    assert applet("seq", "-w", "09", ".3", "10").stdout == b"09.0\n09.3\n09.6\n09.9\n"
    assert applet("seq", "-w", "-5", "3", "1").stdout == b"-5\n-2\n01\n"


def test_separator_and_negative_start(applet):
    assert applet("seq", "-s", ":", "-1", "1").stdout == b"-1:0:1\n"
    assert applet("seq", "-s", b"\xff", "2").stdout == b"1\xff2\n"


def test_format_option(applet):
    assert applet("seq", "-f", "%03g|%%", "1", "2").stdout == b"001|%\n002|%\n"
    result = applet("seq", "-f", "x", "1")
    assert (result.stderr, result.returncode) == (b"seq: format 'x' has no % directive\n", 1)


def test_step_zero_repeats_until_the_reader_stops(pybox_path):
    import subprocess

    with subprocess.Popen([pybox_path, "seq", "4", "0", "8"], stdout=subprocess.PIPE) as proc:
        lines = [proc.stdout.readline() for _ in range(10)]
        proc.stdout.close()
        assert proc.wait(timeout=60) == -13  # SIGPIPE
    assert lines == [b"4\n"] * 10


def test_bad_arguments_show_usage(applet):
    for args in ([], ["1", "2", "3", "4"], ["3x"], ["1", "abc"]):
        result = applet("seq", *args)
        assert result.returncode == 1
        assert b"Usage: seq" in result.stderr


def test_large_integer_range(applet):
    out = applet("seq", "1000000").stdout
    assert out.count(b"\n") == 1000000
    assert out.endswith(b"999999\n1000000\n")
