"""hostname: the name and its parts (setting the name is never exercised here)."""

import socket


def test_plain_and_short(applet):
    name = socket.gethostname()
    assert applet("hostname").stdout == name.encode() + b"\n"
    assert applet("hostname", "-s").stdout == name.split(".")[0].encode() + b"\n"


def test_fqdn_domain_and_addresses(applet):
    canonical, _, addresses = socket.gethostbyname_ex(socket.gethostname())
    assert applet("hostname", "-f").stdout == canonical.encode() + b"\n"
    domain = canonical.partition(".")[2]
    assert applet("hostname", "-d").stdout == (domain.encode() + b"\n" if domain else b"")
    assert applet("hostname", "-i").stdout == " ".join(addresses).encode() + b"\n"


def test_missing_file_for_F(applet):
    result = applet("hostname", "-F", "nope")
    assert (result.stderr, result.returncode) == (b"hostname: can't open 'nope': No such file or directory\n", 1)


def test_bad_option(applet):
    result = applet("hostname", "-x")
    assert result.returncode == 1 and b"Usage: hostname" in result.stderr
