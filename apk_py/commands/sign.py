"""pk sign: sign indexes and packages with an RSA key, like abuild-sign."""

from apk_py import mkindex
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "-k KEY.rsa [--sha256] FILE..."
OPTIONS = (
    Option("key", "k", "KEY", "RSA private key; the signature names it as the key's file name + .pub"),
    Option("key-name", None, "NAME", "Public key name to record instead"),
    Option("sha256", help="RSA-SHA256 signature (.SIGN.RSA256.) instead of RSA-SHA1 (.SIGN.RSA.)"),
)


def run(ctx, opts, args) -> int:
    if not opts.get("key"):
        raise PkError("sign: -k KEY.rsa is required")
    if not args:
        raise PkError("sign: no files given")
    algorithm = "sha256" if opts.get("sha256") else "sha1"
    for path in args:
        name = mkindex.sign_file(path, opts["key"], algorithm, opts.get("key_name"))
        ctx.out.msg(f"Signed {path} with {name}")
    return 0
