"""printenv: whole environment, selected values, and the exit status for missing ones."""


def test_all_variables(applet):
    assert applet("printenv", env={"A": "1", "B": "two"}).stdout.splitlines()[:2] == [b"A=1", b"B=two"]


def test_selected_values(applet):
    result = applet("printenv", "B", "A", env={"A": "1", "B": "two"})
    assert (result.stdout, result.returncode) == (b"two\n1\n", 0)


def test_missing_variable_fails_but_prints_the_rest(applet):
    result = applet("printenv", "A", "NOPE", "A=1", env={"A": "1"})
    assert (result.stdout, result.returncode) == (b"1\n", 1)


def test_binary_values(applet):
    assert applet("printenv", "X", env={"X": b"\xff\xfe".decode("utf-8", "surrogateescape")}).stdout == b"\xff\xfe\n"


def test_shows_the_environment_it_was_given(applet):
    # Python adds LC_CTYPE=C.UTF-8 to its own environment in the C locale; that must not show.
    assert applet("printenv", env={}).stdout == b""
    assert applet("printenv", env={"A": "1"}).stdout == b"A=1\n"
