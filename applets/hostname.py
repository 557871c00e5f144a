"""hostname: show or set the host name, or print its DNS parts and addresses."""

import os
import socket

from applets.common import Fail, getopt, open_input, stdout

USAGE = """hostname [-sidf] [HOSTNAME | -F FILE]

Show or set hostname or DNS domain name

\t-s\tShort
\t-i\tAddresses for the hostname
\t-d\tDNS domain name
\t-f\tFully qualified domain name
\t-F FILE\tUse FILE's content as hostname"""


def _set_hostname(name: str) -> None:
    try:
        socket.sethostname(name)
    except OSError as exc:
        raise Fail(f"sethostname: {exc.strerror}") from None


def _names_in_file(path: str) -> list[str]:
    """Host names in FILE: the first word of each line, skipping blank lines and # comments."""
    with open_input(path) as handle:
        data = handle.read()
    names = []
    for line in data.splitlines():
        words = line.split(b"#", 1)[0].split()
        if words:
            names.append(os.fsdecode(words[0]))
    return names


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "dfisF:v")
    flags = {opt.lstrip("-")[:1] for opt, _ in options}
    name = socket.gethostname()
    out = stdout()
    if flags & {"d", "f", "i"}:
        try:
            canonical, _, addresses = socket.gethostbyname_ex(name)
        except (OSError, UnicodeError):
            raise Fail(f"{name}: Unknown host") from None
        short, dot, domain = canonical.partition(".")
        if "f" in flags:
            out.write(os.fsencode(canonical) + b"\n")
        elif "s" in flags:
            out.write(os.fsencode(short) + b"\n")
        elif "d" in flags:
            if dot:
                out.write(os.fsencode(domain) + b"\n")
        else:
            out.write(" ".join(addresses).encode() + b"\n")
    elif "s" in flags:
        out.write(os.fsencode(name.partition(".")[0]) + b"\n")
    elif "F" in flags:
        path = [value for opt, value in options if opt == "-F"][-1]
        for new_name in _names_in_file(path):
            _set_hostname(new_name)
    elif operands:
        _set_hostname(operands[0])
    else:
        out.write(os.fsencode(name) + b"\n")
    return 0
