"""tail: last lines and bytes, +N, seekable and piped input, headers, -f and -F, errors."""

import os
import subprocess
import time

LINES = b"".join(b"%d\n" % n for n in range(1, 21))


def test_last_lines_and_bytes_from_file_and_pipe(applet, tmp_path):
    (tmp_path / "f").write_bytes(LINES)
    expected = b"18\n19\n20\n"
    assert applet("tail", "-n", "3", "f").stdout == expected
    assert applet("tail", "-n", "3", input=LINES).stdout == expected
    assert applet("tail", "-3", "f").stdout == expected
    assert applet("tail", "-c", "5", "f").stdout == b"9\n20\n"
    assert applet("tail", "-c", "5", input=LINES).stdout == b"9\n20\n"
    assert applet("tail", "f").stdout == b"".join(b"%d\n" % n for n in range(11, 21))


def test_unterminated_last_line_counts(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"a\nb\nc")
    assert applet("tail", "-n", "2", "f").stdout == b"b\nc"
    assert applet("tail", "-n", "2", input=b"a\nb\nc").stdout == b"b\nc"


def test_from_the_nth(applet, tmp_path):
    (tmp_path / "f").write_bytes(LINES)
    assert applet("tail", "-n", "+19", "f").stdout == b"19\n20\n"
    assert applet("tail", "+19", input=LINES).stdout == b"19\n20\n"
    assert applet("tail", "-c", "+50", "f").stdout == LINES[49:]
    assert applet("tail", "-c", "+0", input=b"ab").stdout == b"ab"
    result = applet("tail", "-c", "+55", input=b"qw")
    assert (result.returncode, result.stdout) == (0, b"")


def test_many_lines_backwards_through_a_big_file(applet, tmp_path):
    data = b"".join(b"%07d %s\n" % (n, b"y" * (n % 90)) for n in range(300000))
    (tmp_path / "big").write_bytes(data)
    expected = b"".join(data.splitlines(keepends=True)[-100000:])
    assert applet("tail", "-n", "100000", "big").stdout == expected
    assert applet("tail", "-n", "100000", input=data).stdout == expected


def test_headers_missing_and_directory(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"A\n")
    (tmp_path / "dir").mkdir()
    result = applet("tail", "a", "nope", "dir", "-", input=b"in\n")
    assert result.returncode == 1
    assert result.stdout == b"==> a <==\nA\n\n==> dir <==\n\n==> - <==\nin\n"
    assert result.stderr == (
        b"tail: can't open 'nope': No such file or directory\ntail: read error: Is a directory\n"
    )
    result = applet("tail", "nope")
    assert result.stderr == b"tail: can't open 'nope': No such file or directory\ntail: no files\n"
    assert applet("tail", "-q", "a", "a").stdout == b"A\nA\n"


def test_binary_and_huge_line(applet, tmp_path):
    line = b"\xff\x00" * (5 * 1024 * 1024)
    (tmp_path / "f").write_bytes(b"first\n" + line)
    assert applet("tail", "-n", "1", "f").stdout == line
    assert applet("tail", "-n", "1", input=b"first\n" + line).stdout == line


def _read_until(process, expected: bytes, deadline: float = 20) -> bytes:
    os.set_blocking(process.stdout.fileno(), False)
    seen = b""
    end = time.monotonic() + deadline
    while expected not in seen and time.monotonic() < end:
        seen += process.stdout.read() or b""
        time.sleep(0.05)
    return seen


def test_follow_prints_appended_data(pybox_path, tmp_path):
    log = tmp_path / "log"
    log.write_bytes(b"old\n")
    process = subprocess.Popen([pybox_path, "tail", "-f", "-s", "0.1", str(log)], stdout=subprocess.PIPE)
    try:
        assert _read_until(process, b"old\n") == b"old\n"
        with open(log, "ab") as file:
            file.write(b"new\n")
        assert _read_until(process, b"new\n") == b"new\n"
    finally:
        process.kill()
        process.wait()


def test_follow_retry_notices_a_replaced_file(pybox_path, tmp_path):
    log = tmp_path / "log"
    log.write_bytes(b"one\n")
    process = subprocess.Popen(
        [pybox_path, "tail", "-F", "-s", "0.1", str(log)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert _read_until(process, b"one\n") == b"one\n"
        (tmp_path / "rotated").write_bytes(b"two\n")
        os.replace(tmp_path / "rotated", log)  # atomic: the name never goes missing
        assert _read_until(process, b"two\n") == b"two\n"
    finally:
        process.kill()
        process.wait()
    assert b"has been replaced; following end of new file" in process.stderr.read()
