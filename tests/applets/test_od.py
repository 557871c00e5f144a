"""od: BusyBox desktop od formats, offsets, widths, skipping, strings and hostile input."""

INPUT = b"\x01\x02\x03\nABC\xfe"


def od(applet, *args, input=INPUT):
    result = applet("od", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_traditional_letter_formats(applet):
    assert od(applet) == b"0000000 001001 005003 041101 177103\n0000010\n"
    assert od(applet, "-b") == b"0000000 001 002 003 012 101 102 103 376\n0000010\n"
    assert od(applet, "-c") == b"0000000 001 002 003  \\n   A   B   C 376\n0000010\n"
    assert od(applet, "-d") == b"0000000   513  2563 16961 65091\n0000010\n"
    assert od(applet, "-D") == b"0000000  167969281 4265820737\n0000010\n"
    assert od(applet, "-x") == b"0000000 0201 0a03 4241 fe43\n0000010\n"
    assert od(applet, "-X") == b"0000000 0a030201 fe434241\n0000010\n"
    assert od(applet, "-i") == b"0000000   167969281   -29146559\n0000010\n"
    assert od(applet, "-O") == b"0000000 01200601001 37620641101\n0000010\n"
    assert od(applet, "-l") == b"0000000  -125183517527965183\n0000010\n"
    assert od(applet, "-f") == b"0000000   6.3077975e-33  -6.4885867e+37\n0000010\n"


def test_named_characters_drop_the_high_bit(applet):
    data = bytes(range(0x1C, 0x24)) + b"\x7f\x80\x8a\xa0"
    assert od(applet, "-a", input=data) == (
        b"0000000  fs  gs  rs  us  sp   !   \"   # del nul  nl  sp\n0000014\n"
    )


def test_type_strings_several_formats_and_trailer(applet):
    assert od(applet, "-t", "x1z", input=b"AB\x00") == (
        b"0000000 41 42 00                                         >AB.<\n0000003\n"
    )
    assert od(applet, "-A", "x", "-t", "u1", "-t", "o1", input=b"\x01\xff") == (
        b"000000   1 255\n       001 377\n000002\n"
    )
    assert od(applet, "-t", "d2", "-t", "x4", input=b"A" * 9) == (
        b"0000000  16705  16705  16705  16705     65      0\n        41414141 41414141 00000041\n0000011\n"
    )
    assert od(applet, "-t", "fD", input=bytes(8)) == b"0000000   0.000000000000000e+00\n0000010\n"
    assert od(applet, "-t", "f4", input=b"\x00\x00\xc0\xff") == b"0000000            -nan\n0000004\n"


def test_duplicates_width_skip_and_limit(applet):
    zeros = bytes(48)
    assert od(applet, "-c", input=zeros) == b"0000000" + b"  \\0" * 16 + b"\n*\n0000060\n"
    assert od(applet, "-v", "-b", input=bytes(32)).count(b"\n") == 3
    assert od(applet, "-w4", "-c", "-A", "d", input=b"abcdef") == b"0000000   a   b   c   d\n0000004   e   f\n0000006\n"
    assert od(applet, "-j", "0x2", "-N", "3", "-c") == b"0000002 003  \\n   A\n0000005\n"
    assert od(applet, "-A", "n", "-c", input=b"hi") == b"   h   i\n"


def test_strings(applet):
    data = b"abc\x00defgh\x00\x01xy\x00long but open"
    assert od(applet, "-S", "3", input=data) == b"0000000 abc\n0000004 defgh\n"
    assert od(applet, "-A", "x", "--strings=2", input=data) == b"000000 abc\n000004 defgh\n00000b xy\n"


def test_traditional_offsets(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"HELLO")
    assert od(applet, "-b", "--traditional", "input") == b"0000000 110 105 114 114 117\n0000005\n"
    assert od(applet, "-c", "--traditional", "input", "2", "10") == (
        b"0000002 (0000010)   L   L   O\n0000005 (0000013)\n"
    )


def test_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    result = applet("od", "-c", "nope", "dir", "-", input=b"x")
    assert result.returncode == 1
    assert result.stdout == b"0000000   x\n0000001\n"
    assert result.stderr == b"od: nope: No such file or directory\nod: dir: read error\n"
    assert applet("od", "-t", "q").stderr == b"od: invalid character 'q' in type string 'q'\n"
    assert applet("od", "-t", "d3").stderr == b"od: invalid type string 'd3'; 3-byte integral type is not supported\n"
    assert applet("od", "-A", "z").stderr == b"od: bad output address radix 'z' (must be [doxn])\n"
    assert applet("od", "-j", "9", input=b"x").stderr == b"od: can't skip past end of combined input\n"


def test_binary_and_big_input(applet):
    data = bytes(range(256)) * 4000
    out = od(applet, "-A", "x", "-t", "x1", input=data)
    assert out.count(b"\n") == len(data) // 16 + 1
    assert out.endswith(b"0f9ff0 f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff\n0fa000\n")
