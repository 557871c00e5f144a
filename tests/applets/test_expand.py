"""expand and unexpand (one module): tab stops, -i / -f / -a / -t, long options, UTF-8."""

import pytest

SPACED = b"        a       b    c"


def run(applet, name, *args, input=b""):
    result = applet(name, *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_expand(applet):
    assert run(applet, "expand", input=b"\t12345678\t12345678\n") == b"        12345678        12345678\n"
    assert run(applet, "expand", "-t", "4", input=b"a\tbc\td\n") == b"a   bc  d\n"
    assert run(applet, "expand", "--tabs=3", input=b"\t\tx") == b"      x"
    assert run(applet, "expand", "-i", input=b" \tx\ty\n") == b"        x\ty\n"
    assert run(applet, "expand", "--initial", "-t2", input=b"\t \tx\t\n") == b"    x\t\n"
    assert run(applet, "expand", input=b"ab\rc\td\n") == b"ab\rc    d\n"


def test_expand_counts_characters_not_bytes(applet):
    text = "Δ\t12345ΔΔΔ\t12345678\n".encode()
    assert run(applet, "expand", input=text) == "Δ       12345ΔΔΔ        12345678\n".encode()
    assert run(applet, "expand", "-t", "4", input=b"\xff\tx\n") == b"\xff   x\n"


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"        12345678\n", b"\t12345678\n"),
        (b"         12345678\n", b"\t 12345678\n"),
        (b"       \t12345678\n", b"\t12345678\n"),
        (b"123 \t 45678\n", b"123\t 45678\n"),
        (b"a b\n", b"a b\n"),
        ("1ΔΔΔ5   99999\n".encode(), "1ΔΔΔ5\t99999\n".encode()),
    ],
)
def test_unexpand_leading_blanks(applet, data, expected):
    assert run(applet, "unexpand", input=data) == expected


@pytest.mark.parametrize(
    "args, expected",
    [
        ((), b"\ta       b    c"),
        (("-f",), b"\ta       b    c"),
        (("-t8", "-f"), b"\ta       b    c"),
        (("-t8", "--first-only"), b"\ta       b    c"),
        (("-a",), b"\ta\tb    c"),
        (("--all",), b"\ta\tb    c"),
        (("-t8",), b"\ta\tb    c"),
        (("-t4",), b"\t\ta\t\tb\t c"),
        (("--tabs=4", "-a"), b"\t\ta\t\tb\t c"),
        (("-t4", "-f"), b"\t\ta       b    c"),
    ],
)
def test_unexpand_flags(applet, args, expected):
    assert run(applet, "unexpand", *args, input=SPACED) == expected


def test_round_trip_of_binary_lines(applet):
    data = b"\x00\xff\tx\n\t\t\xfe\n"
    expanded = run(applet, "expand", input=data)
    assert expanded == b"\x00\xff      x\n                \xfe\n"
    assert run(applet, "unexpand", "-a", input=expanded) == data


def test_files_and_errors(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"\tx\n")
    (tmp_path / "dir").mkdir()
    result = applet("expand", "a", "missing", "dir", "-", input=b"y\n")
    assert result.returncode == 1
    assert result.stdout == b"        x\ny\n"
    assert result.stderr == b"expand: missing: No such file or directory\nexpand: dir: Input/output error\n"
    result = applet("unexpand", "-t", "0")
    assert (result.returncode, result.stderr) == (1, b"unexpand: number 0 is not in 1..4294967295 range\n")


def test_usage_names_the_applet(applet):
    assert b"Usage: unexpand [-fa][-t N] [FILE]..." in applet("unexpand", "-x").stderr
    assert b"Usage: expand [-i] [-t N] [FILE]..." in applet("expand", "-x").stderr


def test_ten_megabyte_line(applet):
    line = b"\txxxxxxxx" * (1024 * 1024)
    out = run(applet, "expand", input=line)
    assert out == b"        xxxxxxxx" * (1024 * 1024)
    assert run(applet, "unexpand", "-a", input=out) == line


def _unexpanded(text: bytes, tab_size: int) -> bytes:
    """The reference `unexpand -a` for ASCII lines: tabs expanded, then every complete
    tab-stop cell that ends in spaces loses them for a tab."""
    out = []
    for line in text.split(b"\n"):
        line = line.expandtabs(tab_size)
        cells = [line[at : at + tab_size] for at in range(0, len(line), tab_size)]
        out.append(b"".join(cell.rstrip(b" ") + b"\t" if len(cell) == tab_size and cell.endswith(b" ") else cell
                            for cell in cells))
    return b"\n".join(out)


def test_unexpand_all_on_many_lines(applet):
    text = b"".join(b"a\tb   c%s%d        d\n\t x  \n        \n\n" % (b" " * (n % 9), n) for n in range(30000))
    for tab_size in (1, 3, 8, 32, 33):
        assert run(applet, "unexpand", "-a", "-t", str(tab_size), input=text) == _unexpanded(text, tab_size)
    # an unterminated last line ending in a tab loses its pending blanks, as in BusyBox
    assert run(applet, "unexpand", "-a", input=text + b"last  \t") == _unexpanded(text, 8) + b"last"
    assert run(applet, "unexpand", "-a", "-t", "3", input=b"ab  cd      e\n") == b"ab\t cd\t\te\n"
