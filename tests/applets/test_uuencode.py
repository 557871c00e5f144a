"""uuencode: historical and base64 bodies, the mode in the header, errors."""

import os


def test_historical_encoding(applet):
    text = b"The fast grey fox jumped over the lazy brown dog.\n"
    assert applet("uuencode", "bb_uuenc_test.out", input=text).stdout == (
        b"begin 644 bb_uuenc_test.out\n"
        b"M5&AE(&9A<W0@9W)E>2!F;W@@:G5M<&5D(&]V97(@=&AE(&QA>GD@8G)O=VX@\n"
        b"%9&]G+@H`\n`\nend\n"
    )
    assert applet("uuencode", "F", input=b"").stdout == b"begin 644 F\n`\nend\n"
    assert applet("uuencode", "F", input=b"A\x00\xffZ").stdout == b"begin 644 F\n$00#_6@``\n`\nend\n"


def test_base64_encoding(applet):
    text = b"The fast grey fox jumped over the lazy brown dog.\n"
    assert applet("uuencode", "-m", "x", input=text).stdout == (
        b"begin-base64 644 x\nVGhlIGZhc3QgZ3JleSBmb3gganVtcGVkIG92ZXIgdGhlIGxhenkgYnJvd24g\nZG9nLgo=\n====\n"
    )
    assert applet("uuencode", "-m", "x", input=b"").stdout == b"begin-base64 644 x\n====\n"


def test_mode_comes_from_the_file_or_umask(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"A")
    os.chmod(tmp_path / "f", 0o751)
    assert applet("uuencode", "f", "stored").stdout.startswith(b"begin 751 stored\n")
    result = applet("uuencode", "x", env={"PATH": os.environ["PATH"]})
    assert result.stdout.startswith(b"begin 644 x\n")


def test_large_binary(applet):
    data = bytes(range(256)) * 4096
    out = applet("uuencode", "big", input=data).stdout
    lines = out.split(b"\n")
    assert lines[1][:1] == b"M" and all(len(line) == 61 for line in lines[1:-5])
    assert out.endswith(b"`\nend\n")


def test_errors(applet, tmp_path):
    (tmp_path / "dir").mkdir()
    assert applet("uuencode", "nope", "x").stderr == b"uuencode: can't open 'nope': No such file or directory\n"
    assert applet("uuencode", "dir", "x").stderr == b"uuencode: read error: Is a directory\n"
    assert applet("uuencode").stderr.split(b"\n")[2].startswith(b"Usage: uuencode ")
