"""uudecode: both encodings, output naming and modes, BusyBox's errors."""

import os

HISTORICAL = b"begin 640 out.bin\n$00#_6@``\n`\nend\n"
BASE64 = b"junk before\nbegin-base64 600 b64.bin\nQQD/\nWg==\n====\ntrailing junk\n"


def test_decodes_to_the_stored_name_with_its_mode(applet, tmp_path):
    assert applet("uudecode", input=HISTORICAL).returncode == 0
    assert (tmp_path / "out.bin").read_bytes() == b"A\x00\xffZ"
    assert os.stat(tmp_path / "out.bin").st_mode & 0o777 == 0o640
    assert applet("uudecode", input=BASE64).returncode == 0
    assert (tmp_path / "b64.bin").read_bytes() == b"A\x00\xffZ"


def test_output_option_and_stdout(applet, tmp_path):
    (tmp_path / "in.uu").write_bytes(HISTORICAL)
    assert applet("uudecode", "-o", "-", "in.uu").stdout == b"A\x00\xffZ"
    assert applet("uudecode", "-o", "other", input=BASE64).returncode == 0
    assert (tmp_path / "other").read_bytes() == b"A\x00\xffZ"


def test_round_trip_of_large_binary(applet, tmp_path):
    data = bytes(range(256)) * 4096 + b"tail"
    for flag in ([], ["-m"]):
        encoded = applet("uuencode", *flag, "x", input=data).stdout
        assert applet("uudecode", "-o", "-", input=encoded).stdout == data


def test_errors(applet):
    assert applet("uudecode", input=b"nothing here\n").stderr == b"uudecode: no 'begin' line\n"
    assert applet("uudecode", input=b"begin 644 x\n#86)C\n").stderr == b"uudecode: short file\n"
    assert applet("uudecode", "-o", "-", input=b"begin-base64 644 x\nQUJ\n").stderr == (
        b"uudecode: truncated input\n"
    )
    assert applet("uudecode", "nope").stderr == b"uudecode: nope: No such file or directory\n"
