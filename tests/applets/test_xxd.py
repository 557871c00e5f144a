"""xxd: the default dump, -p, -i, grouping and columns, -l/-s/-o, -u, and -r round trips."""

import os

SAMPLE = b"hello world, this is a test of xxd\n\x00\x01\x02"


def test_default_dump(applet, tmp_path):
    (tmp_path / "f").write_bytes(SAMPLE)
    result = applet("xxd", "f")
    assert result.returncode == 0
    assert result.stdout == (
        b"00000000: 6865 6c6c 6f20 776f 726c 642c 2074 6869  hello world, thi\n"
        b"00000010: 7320 6973 2061 2074 6573 7420 6f66 2078  s is a test of x\n"
        b"00000020: 7864 0a00 0102                           xd....\n"
    )


def test_plain_and_columns(applet):
    assert applet("xxd", "-p", input=SAMPLE).stdout == (
        b"68656c6c6f20776f726c642c207468697320697320612074657374206f66\n207878640a000102\n"
    )
    assert applet("xxd", "-p", "-c", "2", input=b"abc").stdout == b"6162\n63\n"


def test_groups_and_upper_case(applet):
    assert applet("xxd", "-c", "5", "-g", "3", input=b"hello worl").stdout == (
        b"00000000: 68656c 6c6f  hello\n00000005: 20776f 726c   worl\n"
    )
    assert applet("xxd", "-g", "0", input=b"\xab\xcd").stdout.startswith(b"00000000: abcd  ")
    assert applet("xxd", "-u", "-g", "1", input=b"\xab\xcd").stdout.startswith(b"00000000: AB CD  ")


def test_include_style(applet, tmp_path):
    (tmp_path / "1.bin").write_bytes(b"\x00\x01\x02\x03")
    assert applet("xxd", "-i", "1.bin").stdout == (
        b"unsigned char __1_bin[] = {\n  0x00, 0x01, 0x02, 0x03,\n};\nunsigned int __1_bin_len = 4;\n"
    )
    assert applet("xxd", "-i", "-c", "3", input=b"abcd").stdout == b"  0x61, 0x62, 0x63,\n  0x64,\n"


def test_length_skip_and_display_offset(applet, tmp_path):
    (tmp_path / "f").write_bytes(SAMPLE)
    assert applet("xxd", "-l", "5", "-s", "3", "f").stdout == (
        b"00000003: 6c6f 2077 6f                             lo wo\n"
    )
    assert applet("xxd", "-s", "0x20", "-o", "0x100", "f").stdout == (
        b"00000120: 7864 0a00 0102                           xd....\n"
    )


def test_reverse_round_trips(applet, tmp_path):
    data = os.urandom(5000) + b"\x00" * 100
    (tmp_path / "bin").write_bytes(data)
    dump = applet("xxd", "bin").stdout
    assert applet("xxd", "-r", input=dump).stdout == data
    plain = applet("xxd", "-p", "bin").stdout
    assert applet("xxd", "-r", "-p", input=plain).stdout == data
    odd = applet("xxd", "-c", "7", "-g", "3", "bin").stdout
    assert applet("xxd", "-r", input=odd).stdout == data


def test_reverse_tolerance(applet):
    assert applet("xxd", "-r", "-p", input=b"31 !3 0a 0a\n").stdout == b"10\xa0"
    assert applet("xxd", "-r", "-p", input=b"31 3\n2 0a").stdout == b"12\n"
    assert applet("xxd", "-r", "-p", input=b"31 !!343434\n30 0a").stdout == b"10\n"
    assert applet("xxd", "-r", input=b"00000002: 4142  AB\n").stdout == b"\x00\x00AB"


def test_reverse_cannot_seek_backwards_in_a_pipe(applet):
    result = applet("xxd", "-r", input=b"00000010: 41\n00000000: 42\n")
    assert result.returncode == 1
    assert result.stdout == b"\x00" * 16 + b"A"
    assert result.stderr == b"xxd: cannot seek\n"


def test_empty_missing_and_directory(applet, tmp_path):
    assert applet("xxd", input=b"").stdout == b""
    result = applet("xxd", "nope")
    assert (result.returncode, result.stderr) == (1, b"xxd: nope: No such file or directory\n")
    (tmp_path / "d").mkdir()
    result = applet("xxd", "d")
    assert result.stderr == b"xxd: d: Is a directory\n"


def test_bad_arguments(applet):
    assert applet("xxd", "-l", "x", input=b"").stderr == b"xxd: invalid number 'x'\n"
    result = applet("xxd", "a", "b")
    assert result.returncode == 1
    assert b"Usage: xxd" in result.stderr
