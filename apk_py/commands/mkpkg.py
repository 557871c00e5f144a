"""pk mkpkg: build a signed v2 package from a directory tree (apk-tools 3 option names)."""

import os

from apk_py import mkpkg
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "--info KEY:VALUE... [--files DIR] [--script TYPE:FILE]... [--output FILE] [--sign KEY.rsa]"
OPTIONS = (
    Option("info", "I", "KEY:VALUE", "Package information (name, version, arch, description, url, license, "
           "origin, maintainer, depends, provides, replaces, install-if, provider-priority, triggers...)", repeat=True),
    Option("files", "F", "DIR", "Directory tree to package"),
    Option("script", "s", "TYPE:FILE", "Package script (pre-install, post-install, pre-upgrade, ...)", repeat=True),
    Option("output", "o", "FILE", "Output file (default: NAME-VERSION.apk)"),
    Option("sign", None, "KEY", "Sign with this RSA private key (key name: its file name + .pub)"),
    Option("sign-key", None, "KEY", "Same as --sign"),
    Option("sha256", help="Sign with RSA-SHA256 (.SIGN.RSA256.) instead of SHA-1"),
    Option("no-trace", help="Do not trace so:, cmd: and pc: dependencies from the files"),
)


def _scripts(specs) -> dict[str, bytes]:
    scripts = {}
    for spec in specs or ():
        kind, sep, path = spec.partition(":")
        if not sep or kind not in mkpkg.SCRIPT_TYPES:
            raise PkError(f"--script '{spec}': expected TYPE:FILE with TYPE one of {', '.join(mkpkg.SCRIPT_TYPES)}")
        try:
            with open(path, "rb") as handle:
                scripts[kind] = handle.read()
        except OSError as exc:
            raise PkError(f"{path}: {exc.strerror}") from None
    return scripts


def run(ctx, opts, args) -> int:
    if args:
        raise PkError(f"mkpkg: unexpected argument '{args[0]}'")
    info = mkpkg.parse_info(opts.get("info") or [])
    tree = opts.get("files")
    if tree and not os.path.isdir(tree):
        raise PkError(f"{tree}: not a directory")
    key = opts.get("sign") or opts.get("sign_key")
    signer = (key, os.path.basename(key) + ".pub", "sha256" if opts.get("sha256") else "sha1") if key else None
    data = mkpkg.make(info, tree, _scripts(opts.get("script")), not opts.get("no_trace"), signer)
    output = opts.get("output") or f"{info['pkgname'][0]}-{info['pkgver'][0]}.apk"
    from apk_py.fsutil import atomic_write

    atomic_write(output, data)
    return 0
