"""pk keygen: an RSA signing key pair named like abuild-keygen's (NAME-XXXXXXXX.rsa[.pub])."""

import os
import time

from apk_py import trust
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "[-o DIR] [--name NAME] [--bits N]"
OPTIONS = (
    Option("output", "o", "DIR", "Directory for the key pair (default: ~/.abuild)"),
    Option("name", "n", "NAME", "Key name prefix (default: $PACKAGER's e-mail, else user@host)"),
    Option("bits", "b", "N", "RSA modulus size (default: 4096)"),
)


def default_name() -> str:
    packager = os.environ.get("PACKAGER", "")
    if "<" in packager and ">" in packager:
        return packager.split("<", 1)[1].split(">", 1)[0]
    return f"{os.environ.get('USER', 'root')}@{os.uname().nodename}"


def run(ctx, opts, args) -> int:
    directory = opts.get("output") or os.path.expanduser("~/.abuild")
    name = opts.get("name") or default_name()
    try:
        bits = int(opts.get("bits") or 4096)
    except ValueError:
        raise PkError(f"keygen: --bits must be a number, not '{opts['bits']}'") from None
    if bits < 2048:
        raise PkError("keygen: keys shorter than 2048 bits are refused")
    stem = os.path.join(directory, f"{name}-{int(time.time()):08x}")
    private, public = trust.generate(bits)
    os.makedirs(directory, exist_ok=True)
    fd = os.open(stem + ".rsa", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private)
    with open(stem + ".rsa.pub", "wb") as handle:
        handle.write(public)
    ctx.out.msg(f"{stem}.rsa")
    ctx.out.msg(f"{stem}.rsa.pub")
    return 0
