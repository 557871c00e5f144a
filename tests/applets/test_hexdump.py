"""hexdump: the canned formats, -e format strings, folding, -n/-s, and hostile input."""

import os

SAMPLE = b"hello world, this is a test of xxd\n\x00\x01\x02"


def test_canonical(applet):
    result = applet("hexdump", "-C", input=SAMPLE)
    assert result.returncode == 0
    assert result.stdout == (
        b"00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  |hello world, thi|\n"
        b"00000010  73 20 69 73 20 61 20 74  65 73 74 20 6f 66 20 78  |s is a test of x|\n"
        b"00000020  78 64 0a 00 01 02                                 |xd....|\n"
        b"00000026\n"
    )


def test_default_and_two_byte_formats(applet):
    data = b"ab\x80\xff"
    assert applet("hexdump", input=data).stdout == b"0000000 6261 ff80" + b" " * 30 + b"\n0000004\n"
    assert applet("hexdump", "-d", input=data).stdout == (
        b"0000000   25185   65408" + b" " * 48 + b"\n0000004\n"
    )
    assert applet("hexdump", "-o", "-x", input=data).stdout == (
        b"0000000  061141  177600" + b" " * 48 + b"\n"
        b"0000000    6261    ff80" + b" " * 48 + b"\n0000004\n"
    )
    assert applet("hexdump", "-b", input=b"\x01\xff").stdout == b"0000000 001 377" + b" " * 56 + b"\n0000002\n"


def test_character_display(applet):
    assert applet("hexdump", "-c", input=b"a\n\t\x00\x7f\xe9").stdout == (
        b"0000000   a  \\n  \\t  \\0 177 351" + b" " * 40 + b"\n0000006\n"
    )


def test_folding_of_repeated_lines(applet):
    data = b"A" * 64 + b"B"
    assert applet("hexdump", "-C", input=data).stdout == (
        b"00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n"
        b"*\n"
        b"00000040  42                                                |B|\n"
        b"00000041\n"
    )
    assert applet("hexdump", "-Cv", input=data).stdout.count(b"|AAAAAAAAAAAAAAAA|") == 4


def test_format_strings(applet):
    data = bytes(range(16)) + bytes([0x80, 0xFF])
    assert applet("hexdump", "-e", '16/1 " %3_u" "\\n"', input=bytes(range(16))).stdout == (
        b" nul soh stx etx eot enq ack bel  bs  ht  lf  vt  ff  cr  so  si\n"
    )
    assert applet("hexdump", "-e", '1/1 " %d"', input=b"\x7f\x80\xff").stdout == b" 127 -128 -1"
    assert applet("hexdump", "-e", '"%04_ax:" 4/1 " %02X" "\\n"', input=data[:6]).stdout == (
        b"0000: 00 01 02 03\n0004: 04 05      \n"
    )
    assert applet("hexdump", "-e", '2/2 "%6d|" "\\n"', input=b"\x01\x00\xff\xff").stdout == b"     1|    -1|\n"
    assert applet("hexdump", "-e", '1/4 "%.2f\\n"', input=b"\x00\x00\xc0\x3f").stdout == b"1.50\n"
    assert applet("hexdump", "-e", '/1 "%_p"', input=b"a\x01\xff").stdout == b"a.."
    assert applet("hexdump", "-e", '4/1 "%c"', input=b"wxyz").stdout == b"wxyz"


def test_format_file(applet, tmp_path):
    (tmp_path / "fmt").write_bytes(b'# comment\n"%_ad: " 4/1 "%02x"\n\n"\\n"\n')
    assert applet("hexdump", "-f", "fmt", input=b"abcdefgh").stdout == b"0: 61626364\n4: 65666768\n"


def test_length_and_skip(applet, tmp_path):
    (tmp_path / "f").write_bytes(SAMPLE)
    assert applet("hexdump", "-s", "2", "-n", "3", "-C", "f").stdout == (
        b"00000002  6c 6c 6f                                          |llo|\n00000005\n"
    )
    assert applet("hexdump", "-s", "0x10", "-n", "2", "-e", '2/1 "%02x"', "f").stdout == b"7320"
    assert applet("hexdump", "-s", "2", "-C", input=b"abcdef").stdout.startswith(b"00000002  63 64 65 66")


def test_multiple_files_form_one_stream(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 10)
    (tmp_path / "b").write_bytes(b"y" * 10)
    out = applet("hexdump", "-C", "a", "b").stdout
    assert out.splitlines()[0].endswith(b"|xxxxxxxxxxyyyyyy|")
    assert out.endswith(b"00000014\n")


def test_empty_input(applet):
    result = applet("hexdump", "-C", input=b"")
    assert (result.returncode, result.stdout) == (0, b"")


def test_missing_file_and_directory(applet, tmp_path):
    (tmp_path / "ok").write_bytes(b"z")
    (tmp_path / "dir").mkdir()
    result = applet("hexdump", "-C", "nope", "dir", "ok")
    assert result.returncode == 1
    assert result.stderr == b"hexdump: nope: No such file or directory\nhexdump: dir: Is a directory\n"
    assert result.stdout == b"00000000  7a                                                |z|\n00000001\n"


def test_bad_formats(applet):
    def error(fmt):
        result = applet("hexdump", "-e", fmt, input=b"abcd")
        assert result.returncode == 1
        return result.stderr

    assert error('"%z"') == b"hexdump: bad conversion character %z\n"
    assert error('4/1 "%x %x"') == b"hexdump: byte count with multiple conversion characters\n"
    assert error('"%s"') == b"hexdump: %s needs precision or byte count\n"
    assert error('2/3 "%x"') == b"hexdump: bad byte count for conversion character x\n"
    assert error("abc") == b"hexdump: bad format {abc}\n"


def test_large_binary_input(applet, tmp_path):
    data = os.urandom(300000) + b"\x00" * 1000 + b"tail"
    (tmp_path / "big").write_bytes(data)
    out = applet("hexdump", "-C", "big").stdout.splitlines()
    assert out[-1] == b"%08x" % len(data)
    assert b"*" in out
    first = out[0]
    assert first[10:58].replace(b" ", b"") == data[:16].hex().encode()
