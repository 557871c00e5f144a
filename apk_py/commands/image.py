"""pk image: build, lock and push OCI base images from an apko-style config (buildroot/).

The subcommand is the first operand. Global options keep their meaning: --arch takes a
comma-separated list of architectures, -X adds build-only repositories and --keys-dir
adds trusted keys (installed into the image like the config's keyring).
"""

from __future__ import annotations

import os

from apk_py.errors import PkError
from apk_py.options import Option

USAGE = ("build CONFIG.yaml --output PATH [--format oci|oci-archive|docker-archive] [--tag REF] [--arch A,...]\n"
         "                [--sbom-dir DIR] [--lockfile FILE] [--compression gzip|zstd]\n"
         "   or: pk image lock CONFIG.yaml [--output FILE] [--arch A,...]\n"
         "   or: pk image push PATH REF [--insecure] [--creds USER:PASSWORD] [--chunk-size BYTES]")
OPTIONS = (
    Option("output", "o", "PATH", "Where to write the image (build) or the lock file (lock)"),
    Option("format", None, "FORMAT", "Output format: oci (layout directory, default), oci-archive or docker-archive"),
    Option("tag", "t", "REF", "Name the image NAME[:TAG] in the output"),
    Option("sbom-dir", None, "DIR", "Write an SPDX 2.3 JSON SBOM per architecture into DIR"),
    Option("lockfile", None, "FILE", "Install exactly the packages of this lock file"),
    Option("compression", None, "ALGO", "Layer compression: gzip (default) or zstd"),
    Option("insecure", help="Push over plain http"),
    Option("creds", None, "USER:PASSWORD", "Credentials for the registry"),
    Option("chunk-size", None, "BYTES", "Upload blobs in chunks of BYTES (default: one request per blob)"),
)


def _platforms(ctx):
    from buildroot import platforms

    if not ctx.arch:
        return []
    return platforms.parse_list(part for part in ctx.arch.split(",") if part.strip())


def _human(size: int) -> str:
    from apk_py.commit import human_size

    return human_size(size)


def run_build(ctx, opts, args) -> int:
    from buildroot import build, config, layer, oci

    if len(args) != 1 or not opts.get("output"):
        raise PkError("usage: pk image build CONFIG.yaml --output PATH [options] (see pk image --help)")
    output_format = opts.get("format") or "oci"
    if output_format not in oci.FORMATS:
        raise PkError(f"--format must be one of {', '.join(oci.FORMATS)}, not '{output_format}'")
    compression = opts.get("compression") or layer.GZIP
    if compression not in layer.COMPRESSIONS:
        raise PkError(f"--compression must be {' or '.join(layer.COMPRESSIONS)}, not '{compression}'")
    request = build.BuildRequest(
        config=config.load(args[0]), output=opts["output"], output_format=output_format, tag=opts.get("tag"),
        archs=_platforms(ctx), sbom_dir=opts.get("sbom_dir"), lockfile=opts.get("lockfile"), compression=compression,
        extra_repositories=list(ctx.repositories), extra_keys_dir=ctx.keys_dir, source_date_epoch=build.source_date_epoch())
    result = build.build(ctx, request)
    top = result.images.top
    ctx.out.msg(f"Image: {top.digest} ({output_format} at {request.output})")
    for image in result.images.images:
        names = result.packages[image.platform.apk_arch]
        ctx.out.msg(f"{image.platform.oci_name}: manifest {image.manifest.digest}, layer {_human(len(image.layer.blob))} "
                    f"({_human(len(image.layer.tar))} unpacked), {len(names)} packages")
        ctx.out.msg("  " + " ".join(f"{item.name}-{item.version}" for item in names), level=2)
    for path in result.sbom_files:
        ctx.out.msg(f"SBOM: {path}")
    return 0


def run_lock(ctx, opts, args) -> int:
    from buildroot import build, config

    if len(args) != 1:
        raise PkError("usage: pk image lock CONFIG.yaml [--output FILE]")
    source = args[0]
    output = opts.get("output") or os.path.splitext(source)[0] + ".lock.json"
    locked = build.lock(ctx, config.load(source), output, _platforms(ctx), list(ctx.repositories), ctx.keys_dir)
    for arch, names in locked.items():
        ctx.out.msg(f"{arch}: {len(names)} packages locked")
    ctx.out.msg(f"Lock file: {output}")
    return 0


def run_push(ctx, opts, args) -> int:
    from buildroot import push

    if len(args) != 2:
        raise PkError("usage: pk image push PATH REF [--insecure] [--creds USER:PASSWORD]")
    credentials = None
    if opts.get("creds"):
        user, colon, password = opts["creds"].partition(":")
        if not colon:
            raise PkError("--creds must be USER:PASSWORD")
        credentials = (user, password)
    chunk = opts.get("chunk_size") or "0"
    if not str(chunk).isdigit():
        raise PkError(f"--chunk-size must be a number of bytes, not '{chunk}'")
    result = push.push(args[0], args[1], bool(opts.get("insecure")), credentials, int(chunk), float(ctx.timeout or 60),
                       lambda line: ctx.out.msg(line, level=2))
    ctx.out.msg(f"Pushed {result.reference.registry}/{result.reference.repository}@{result.digest} "
                f"({result.uploaded} blobs uploaded, {result.skipped} already there)")
    return 0


SUBCOMMANDS = {"build": run_build, "lock": run_lock, "push": run_push}


def run(ctx, opts, args) -> int:
    if not args or args[0] not in SUBCOMMANDS:
        raise PkError("pk image: give a subcommand: build, lock or push (see pk image --help)")
    return SUBCOMMANDS[args[0]](ctx, opts, args[1:])
