"""base64: wrapping, -w, decoding with BusyBox's tolerance and its errors."""

import base64


def test_encode_wraps_at_76_by_default(applet):
    data = bytes(range(256)) * 3
    expected = base64.encodebytes(data)  # 76-column lines, trailing newline
    assert applet("base64", input=data).stdout == expected
    assert applet("base64", input=b"").stdout == b""


def test_wrap_widths(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"hello world")
    assert applet("base64", "-w", "0", "f").stdout == b"aGVsbG8gd29ybGQ="
    assert applet("base64", "-w", "5", "f").stdout == b"aGVsb\nG8gd2\n9ybGQ\n=\n"
    assert applet("base64", "-w", "4", "f").stdout == b"aGVs\nbG8g\nd29y\nbGQ=\n"


def test_decode_is_tolerant(applet):
    assert applet("base64", "-d", input=b"aGVs\nbG8=\n").stdout == b"hello"
    assert applet("base64", "-d", input=b"!!aG Vs*bG8=").stdout == b"hello"
    assert applet("base64", "-d", input=b"QQ==QUI=").stdout == b"AAB"


def test_decode_truncated_input(applet):
    result = applet("base64", "-d", input=b"QUJDRA")
    assert (result.returncode, result.stdout, result.stderr) == (1, b"ABC", b"base64: truncated input\n")


def test_large_binary_round_trip(applet, tmp_path):
    data = bytes(range(256)) * 40960 + b"\xff"
    (tmp_path / "f").write_bytes(data)
    encoded = applet("base64", "f").stdout
    assert encoded == base64.encodebytes(data)
    assert applet("base64", "-d", input=encoded).stdout == data


def test_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    assert applet("base64", "nope").stderr == b"base64: nope: No such file or directory\n"
    assert applet("base64", "dir").stderr == b"base64: read error: Is a directory\n"
    assert applet("base64", "-w", "x").stderr == b"base64: invalid number 'x'\n"
