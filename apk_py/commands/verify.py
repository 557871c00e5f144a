"""pk verify: check signatures and checksums of packages and indexes, like `apk verify`."""

from apk_py import apkfile, index, trust
from apk_py.errors import FormatError, PkError
from apk_py.gzstream import MemberSplitter
from apk_py.options import Option

USAGE = "[<OPTIONS>...] FILE..."
OPTIONS = (Option("quiet-ok", help="Print only the files that fail"),)


def looks_like_index(path: str) -> bool:
    """An index's body tar starts with DESCRIPTION or APKINDEX, a package's control with .PKGINFO."""
    with open(path, "rb") as handle:
        splitter = MemberSplitter(handle, path)
        if splitter.peek(6) == b".SIGN.":
            splitter.next_member(apkfile.SIGNATURE_LIMIT, "signature")
        return splitter.peek(11).startswith((b"DESCRIPTION", b"APKINDEX"))


def verify_file(path: str, keys: dict) -> str:
    """Verify one file completely; returns a short description of what was verified."""
    try:
        is_index = looks_like_index(path)
    except OSError as exc:
        raise FormatError(path, exc.strerror or str(exc)) from None
    if is_index:
        result = index.read(path, keys)
        return f"index of {len(result.packages)} packages signed by {result.signer.name}"
    with apkfile.ApkFile.open(path) as package:
        signer = package.verify(keys)
        package.check_contents()
        return f"{package.pkginfo.get('P', '?')}-{package.pkginfo.get('V', '?')} signed by {signer.name}"


def run(ctx, opts, args) -> int:
    if not args:
        raise PkError("verify: no files given")
    keys = trust.load_keys(ctx.keys_directory)
    failures = 0
    for path in args:
        try:
            what = verify_file(path, keys)
        except PkError as exc:
            failures += 1
            reason = getattr(exc, "reason", exc.message)
            ctx.out.stdout.write(f"{path}: {reason}\n")
            continue
        if not opts.get("quiet_ok"):
            ctx.out.stdout.write(f"{path}: OK\n" if ctx.verbosity < 2 else f"{path}: OK ({what})\n")
    ctx.out.stdout.flush()
    return min(failures, 255)
