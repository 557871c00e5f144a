"""OCI image objects (config, manifest, index) and the three ways of writing them out.

Every JSON document is serialised canonically (sorted keys, no spaces), and every
archive is a tar of fixed order, owners and timestamps, so an image's digests depend only
on its contents. Outputs:

- `oci`: an OCI image layout directory (oci-layout, index.json, blobs/sha256/...);
- `oci-archive`: the same layout as one tar (what `skopeo copy oci-archive:` reads);
- `docker-archive`: manifest.json, the config and the uncompressed layer, as `docker load`
  and `docker save` use it (one architecture only: that format has no image index).

Several architectures make an image index; the layout's index.json then points at it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass

from apk_py.errors import PkError
from apk_py.tarfmt import DIRECTORY, REGULAR, TarEntry, TarWriter
from buildroot.config import ImageConfig
from buildroot.layer import Layer
from buildroot.platforms import Platform

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
REF_NAME = "org.opencontainers.image.ref.name"
IMAGE_NAME = "io.containerd.image.name"
FORMATS = ("oci", "oci-archive", "docker-archive")


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def timestamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@dataclass
class Blob:
    media_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)

    def descriptor(self, **extra) -> dict:
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size, **extra}


@dataclass
class Image:
    """One architecture's image: its layer, config and manifest blobs."""

    platform: Platform
    layer: Layer
    config: Blob
    manifest: Blob

    def blobs(self) -> list[Blob]:
        return [Blob(self.layer.media_type, self.layer.blob), self.config, self.manifest]


def make_image(config: ImageConfig, platform: Platform, layer: Layer, epoch: int, summary: str) -> Image:
    """The image config and manifest for one layer, following apko's mapping of the config keys."""
    created = timestamp(epoch)
    runtime = {"Env": config.env_list()}
    if config.entrypoint:
        runtime["Entrypoint"] = config.entrypoint
    if config.cmd:
        runtime["Cmd"] = config.cmd
    if config.work_dir:
        runtime["WorkingDir"] = config.work_dir
    if config.run_as:
        runtime["User"] = config.run_as
    if config.stop_signal:
        runtime["StopSignal"] = config.stop_signal
    if config.volumes:
        runtime["Volumes"] = {volume: {} for volume in config.volumes}
    document = {
        "architecture": platform.architecture,
        "os": "linux",
        "created": created,
        "config": runtime,
        "rootfs": {"type": "layers", "diff_ids": [layer.diff_id]},
        "history": [{"created": created, "created_by": "pk image build", "comment": summary}],
    }
    if platform.variant:
        document["variant"] = platform.variant
    config_blob = Blob(CONFIG, canonical_json(document))
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": config_blob.descriptor(),
        "layers": [{"mediaType": layer.media_type, "digest": layer.digest, "size": len(layer.blob)}],
    }
    if config.annotations:
        manifest["annotations"] = dict(config.annotations)
    return Image(platform, layer, config_blob, Blob(MANIFEST, canonical_json(manifest)))


@dataclass
class ImageSet:
    """What a build produced: one image, or several under an image index."""

    images: list[Image]
    index: Blob | None

    @property
    def top(self) -> Blob:
        """The blob a reference names: the index for several architectures, else the manifest."""
        return self.index if self.index is not None else self.images[0].manifest

    def blobs(self) -> list[Blob]:
        found = {}
        for image in self.images:
            for blob in image.blobs():
                found[blob.digest] = blob
        if self.index is not None:
            found[self.index.digest] = self.index
        return [found[digest] for digest in sorted(found)]


def image_set(images: list[Image], annotations: dict[str, str]) -> ImageSet:
    if len(images) == 1:
        return ImageSet(images, None)
    index = {
        "schemaVersion": 2,
        "mediaType": INDEX,
        "manifests": [image.manifest.descriptor(platform=image.platform.descriptor()) for image in images],
    }
    if annotations:
        index["annotations"] = dict(annotations)
    return ImageSet(images, Blob(INDEX, canonical_json(index)))


def split_reference(reference: str) -> tuple[str, str]:
    """NAME[:TAG] -> (NAME, TAG), the tag defaulting to `latest` (a port is not a tag)."""
    name, colon, tag = reference.rpartition(":")
    if not colon or "/" in tag:
        return reference, "latest"
    return name, tag


def layout_index(images: ImageSet, tag: str | None) -> bytes:
    """index.json: the top blob, named (for `oci:DIR:TAG`) by the tag of --tag NAME:TAG."""
    extra = {}
    if tag:
        name, short = split_reference(tag)
        extra["annotations"] = {REF_NAME: short, IMAGE_NAME: f"{name}:{short}"}
    if images.index is None:
        extra["platform"] = images.images[0].platform.descriptor()
    return canonical_json({"schemaVersion": 2, "mediaType": INDEX, "manifests": [images.top.descriptor(**extra)]})


def _layout_members(images: ImageSet, tag: str | None) -> list[tuple[str, bytes | None]]:
    """(path, data) of an OCI layout in a fixed order; None marks a directory."""
    members: list[tuple[str, bytes | None]] = [("blobs", None), ("blobs/sha256", None)]
    members += [(f"blobs/sha256/{blob.digest[7:]}", blob.data) for blob in images.blobs()]
    members += [("index.json", layout_index(images, tag)), ("oci-layout", canonical_json({"imageLayoutVersion": "1.0.0"}))]
    return members


def _archive(members: list[tuple[str, bytes | None]], epoch: int) -> bytes:
    out = io.BytesIO()
    writer = TarWriter(out)
    for path, data in members:
        if data is None:
            writer.add(TarEntry(path + "/", DIRECTORY, 0o755, mtime=epoch, uname="root", gname="root"))
        else:
            writer.add(TarEntry(path, REGULAR, 0o644, size=len(data), mtime=epoch, uname="root", gname="root"), data)
    writer.finish()
    return out.getvalue()


def _replace_file(path: str, data: bytes) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=directory, prefix=".pk-image.", delete=False)
    try:
        with handle:
            handle.write(data)
        os.chmod(handle.name, 0o644)
        os.rename(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise


def write_layout(directory: str, images: ImageSet, tag: str | None) -> None:
    """An OCI layout directory; an existing layout there is replaced, anything else is left alone."""
    if os.path.lexists(directory):
        if not os.path.isdir(directory) or (os.listdir(directory) and not os.path.exists(os.path.join(directory, "oci-layout"))):
            raise PkError(f"{directory}: exists and is not an OCI layout: refusing to overwrite it")
        for name in ("blobs", "index.json", "oci-layout"):
            path = os.path.join(directory, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            elif os.path.lexists(path):
                os.unlink(path)
    for path, data in _layout_members(images, tag):
        target = os.path.join(directory, path)
        if data is None:
            os.makedirs(target, exist_ok=True)
        else:
            with open(target, "wb") as handle:
                handle.write(data)


def write_oci_archive(path: str, images: ImageSet, tag: str | None, epoch: int) -> None:
    _replace_file(path, _archive(_layout_members(images, tag), epoch))


def docker_archive(image: Image, tag: str | None, epoch: int) -> bytes:
    """`docker load` input: manifest.json naming the config and the uncompressed layer tar."""
    config_name = f"{image.config.digest[7:]}.json"
    layer_dir = image.layer.diff_id[7:]
    tags = [":".join(split_reference(tag))] if tag else []
    manifest = [{"Config": config_name, "RepoTags": tags, "Layers": [f"{layer_dir}/layer.tar"]}]
    members: list[tuple[str, bytes | None]] = [(config_name, image.config.data), (layer_dir, None),
                                               (f"{layer_dir}/layer.tar", image.layer.tar), ("manifest.json", canonical_json(manifest))]
    return _archive(members, epoch)


def write_docker_archive(path: str, images: ImageSet, tag: str | None, epoch: int) -> None:
    if len(images.images) != 1:
        raise PkError("docker-archive holds one architecture: build one arch (--arch) or use --format oci / oci-archive")
    _replace_file(path, docker_archive(images.images[0], tag, epoch))


def write(output: str, output_format: str, images: ImageSet, tag: str | None, epoch: int) -> None:
    if output_format == "oci":
        write_layout(output, images, tag)
    elif output_format == "oci-archive":
        write_oci_archive(output, images, tag, epoch)
    elif output_format == "docker-archive":
        write_docker_archive(output, images, tag, epoch)
    else:
        raise PkError(f"unknown output format '{output_format}' (use {', '.join(FORMATS)})")
