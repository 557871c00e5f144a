"""sleep: duration syntax (fractions, suffixes, several arguments) and errors."""


def test_fractional_suffixed_and_summed(applet):
    for args in (["0"], ["0.01"], [".01s"], ["0.0001m", "0.00001h", "0d"], ["--", "0"]):
        result = applet("sleep", *args)
        assert (result.returncode, result.stderr) == (0, b""), args


def test_invalid_numbers(applet):
    cases = {"abc": "abc", "1x": "1x", "-1": "-1", "+1": "+1", " 1": " 1", "1e2": "1e2", "2.5ms": "1ms"}
    for arg, shown in cases.items():
        result = applet("sleep", arg)
        assert (result.stderr, result.returncode) == (f"sleep: invalid number '{shown}'\n".encode(), 1), arg


def test_usage(applet):
    for args in ([], ["1.2.3"]):
        result = applet("sleep", *args)
        assert result.returncode == 1
        assert b"Usage: sleep [N]..." in result.stderr
