"""The README's main job: build the bundled repository, then the example image from it.

    python -m buildroot.demo [--output DIR] [--format oci|oci-archive|docker-archive]

Steps, each with pk's own code: a fresh signing key; `pk build` of every recipe in
repo-index/ into a signed repository; `pk image build buildroot/examples/pybox-base.yaml`
against that repository. It prints the image's digest, its size and the packages in it.
Without --output the image goes to a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile

from apk_py import recipes, trust
from apk_py.cli import host_arch
from apk_py.commit import human_size
from apk_py.context import Context
from apk_py.errors import PkError
from buildroot import build, config, oci



def _project() -> str:
    """The checkout holding repo-index/: the current directory, else the one this package sits in."""
    for candidate in (os.getcwd(), os.path.dirname(os.path.dirname(os.path.abspath(__file__)))):
        if os.path.isdir(os.path.join(candidate, "repo-index")):
            return candidate
    return os.getcwd()


PROJECT = _project()
RECIPES = os.path.join(PROJECT, "repo-index")
EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "examples", "pybox-base.yaml")
TAG = "pk/pybox-base:latest"


def bundled_repository(workdir: str) -> tuple[str, str, list[str]]:
    """Build repo-index/ into WORKDIR/repo signed by a new key; returns (repository, keys dir, package files)."""
    keys = os.path.join(workdir, "keys")
    os.makedirs(keys)
    private, public = trust.generate(2048)
    key = os.path.join(keys, "pk-demo.rsa")
    with open(key, "wb") as handle:
        handle.write(private)
    with open(key + ".pub", "wb") as handle:
        handle.write(public)
    directories = recipes.discover(RECIPES)
    if not directories:
        raise PkError(f"{RECIPES}: no recipes found (the demo runs from a checkout of the project)")
    repository = os.path.join(workdir, "repo")
    built = recipes.build_repository(directories, repository, key, host_arch(), "pk bundled repository", PROJECT)
    public_dir = os.path.join(workdir, "trusted")
    os.makedirs(public_dir)
    shutil.copy(key + ".pub", public_dir)
    return repository, public_dir, built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m buildroot.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="where to keep the image (default: a temporary folder)")
    parser.add_argument("--format", default="oci", choices=oci.FORMATS)
    parser.add_argument("--sbom-dir", help="write the SPDX SBOM here too")
    options = parser.parse_args(argv)
    ctx = Context(quiet=1)
    try:
        with tempfile.TemporaryDirectory(prefix="pk-demo.") as workdir:
            print(f"Building the bundled repository from {RECIPES} ...", flush=True)
            repository, keys, built = bundled_repository(workdir)
            print(f"  {len(built)} packages: {', '.join(os.path.basename(path) for path in built)}")
            output = options.output or os.path.join(workdir, "image")
            request = build.BuildRequest(
                config=config.load(EXAMPLE), output=output, output_format=options.format, tag=TAG,
                sbom_dir=options.sbom_dir, extra_repositories=[repository], extra_keys_dir=keys,
                source_date_epoch=build.source_date_epoch())
            print(f"Building {os.path.join('buildroot', 'examples', os.path.basename(EXAMPLE))} ...", flush=True)
            result = build.build(ctx, request)
            report(result, output, options.format, options.output is not None)
    except PkError as exc:
        print(f"ERROR: {exc.message}", file=sys.stderr)
        return exc.status
    return 0


def report(result: build.BuildResult, output: str, output_format: str, kept: bool) -> None:
    images = result.images
    print(f"Image:   {TAG}")
    print(f"Digest:  {images.top.digest}")
    for image in images.images:
        size = len(image.layer.blob) + image.config.size + image.manifest.size
        print(f"Size:    {human_size(size)} ({size} bytes: layer {len(image.layer.blob)} compressed, "
              f"{len(image.layer.tar)} unpacked) for {image.platform.oci_name}")
        names = result.packages[image.platform.apk_arch]
        print(f"Packages ({len(names)}):")
        for item in names:
            print(f"  {item.name:<16} {item.version:<12} {item.license}")
    print(f"Output:  {output} ({output_format})" if kept else "Output:  removed (pass --output DIR to keep the image)")


if __name__ == "__main__":
    sys.exit(main())
