"""tsort: BusyBox's output order, odd input, cycles, files and errors."""


def test_orders_and_deduplicates(applet):
    result = applet("tsort", input=b"a b b c\n")
    assert (result.returncode, result.stdout) == (0, b"a\nb\nc\n")
    assert applet("tsort", input=b"a a\n").stdout == b"a\n"
    assert applet("tsort", input=b"\n\n \t\n ").stdout == b""


def test_busybox_order_of_independent_nodes(applet):
    # Nodes sit in a name-sorted array; each step takes the first free one and
    # moves the last node into its slot.
    assert applet("tsort", input=b"c d a b\n").stdout == b"a\nb\nc\nd\n"
    assert applet("tsort", input=b"b a d c\n").stdout == b"b\na\nd\nc\n"
    assert applet("tsort", input=b"a b c c d e g g f g e f h h").stdout == b"a\nh\nb\nc\nd\ne\nf\ng\n"


def test_cycle_is_reported_and_broken(applet):
    result = applet("tsort", input=b"a b\nb a\nc d\n")
    assert result.returncode == 1
    assert result.stdout == b"c\nd\na\nb\n"
    assert result.stderr == b"tsort: cycle at a\n"


def test_odd_input(applet):
    result = applet("tsort", input=b"a b c")
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", b"tsort: odd input\n")


def test_file_operand_without_final_newline(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"x\xff y")
    assert applet("tsort", "input").stdout == b"x\xff\ny\n"
    assert applet("tsort", "-", input=b"p q").stdout == b"p\nq\n"


def test_errors(applet, tmp_path):
    result = applet("tsort", "missing")
    assert (result.returncode, result.stderr) == (1, b"tsort: can't open 'missing': No such file or directory\n")
    result = applet("tsort", "a", "b")
    assert result.returncode == 1 and b"Usage: tsort [FILE]" in result.stderr
    (tmp_path / "dir").mkdir()
    assert applet("tsort", "dir").returncode == 0


def test_long_chain(applet):
    words = b" ".join(b"n%06d n%06d" % (n, n + 1) for n in range(50000))
    out = applet("tsort", input=words).stdout
    assert out == b"".join(b"n%06d\n" % n for n in range(50001))
