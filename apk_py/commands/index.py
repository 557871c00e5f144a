"""pk index: create a repository index (APKINDEX.tar.gz) from package files."""

from apk_py import mkindex
from apk_py.errors import PkError
from apk_py.options import Option

USAGE = "-o APKINDEX.tar.gz [--description TEXT] [--rewrite-arch ARCH] [--index OLD] FILE..."
OPTIONS = (
    Option("output", "o", "FILE", "Output file"),
    Option("description", "d", "TEXT", "Index description (e.g. a version string)"),
    Option("rewrite-arch", None, "ARCH", "Use ARCH as the architecture of every package"),
    Option("index", "x", "INDEX", "Read an existing index to skip re-reading unchanged packages"),
    Option("sign", None, "KEY", "Sign the index with this RSA private key"),
    Option("sha256", help="Sign with RSA-SHA256 (.SIGN.RSA256.)"),
)


def run(ctx, opts, args) -> int:
    output = opts.get("output")
    if not output:
        raise PkError("index: -o FILE is required")
    if not args:
        raise PkError("index: no package files given")
    data = mkindex.build_index(args, opts.get("description") or "", opts.get("index"), opts.get("rewrite_arch"))
    from apk_py.fsutil import atomic_write

    atomic_write(output, data)
    if opts.get("sign"):
        mkindex.sign_file(output, opts["sign"], "sha256" if opts.get("sha256") else "sha1")
    ctx.out.msg(f"Index has {len(args)} packages", level=2)
    return 0
