"""uname: each field, -a's order (unknown fields left out) and long options."""

import os

INFO = os.uname()


def test_default_is_kernel_name(applet):
    assert applet("uname").stdout == INFO.sysname.encode() + b"\n"


def test_single_fields(applet):
    expected = {
        "-s": INFO.sysname,
        "-n": INFO.nodename,
        "-r": INFO.release,
        "-v": INFO.version,
        "-m": INFO.machine,
        "-p": "unknown",
        "-i": "unknown",
        "-o": "GNU/Linux",
        "--kernel-release": INFO.release,
    }
    for option, value in expected.items():
        assert applet("uname", option).stdout == value.encode() + b"\n", option


def test_fields_print_in_fixed_order(applet):
    assert applet("uname", "-om", "-s").stdout == f"{INFO.sysname} {INFO.machine} GNU/Linux\n".encode()
    fields = [INFO.sysname, INFO.nodename, INFO.release, INFO.version, INFO.machine, "GNU/Linux"]
    assert applet("uname", "-a").stdout == " ".join(fields).encode() + b"\n"


def test_operands_show_usage(applet):
    result = applet("uname", "x")
    assert result.returncode == 1 and b"Usage: uname [-amnrspvio]" in result.stderr
