"""Helpers for the image builder's tests: a small signed repository, configs, and readers of built images."""

import gzip
import io
import json
import os
import shutil
import subprocess
import tarfile

import pytest

from apk_py import apkfile
from apk_py.tarfmt import DIRECTORY, HARDLINK, REGULAR, SYMLINK, TarEntry
from pkgfactory import Factory

BUILD_DATE = 1700000000  # the newest package's build date: the default SOURCE_DATE_EPOCH
FUTURE = BUILD_DATE + 5000  # a file mtime past the build date, which the layer must clamp
TOOL_V1 = b"#!/bin/sh\necho tool 2.0\n"
TOOL_EXTRAS = b"#!/bin/sh\necho tool from tool-extras\n"
WORLD = ["base-layout", "tool-extras"]
PACKAGE_NAMES = ["base-layout", "libfoo", "tool", "tool-extras"]


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian package {name}): the test checks images with it")
    return path


def _info(build_date: int, license_: str = "MIT", origin: str | None = None):
    info = [("builddate", str(build_date)), ("license", license_)]
    if origin:
        info.append(("origin", origin))
    return info


def make_package(factory: Factory, name, version, files=None, depends=(), replaces=(), scripts=None, arch="x86_64",
                 members=None, extra_info=()) -> bytes:
    """Like Factory.package, with the license (and other .PKGINFO fields) given by `extra_info`."""
    built = list(members or [])
    for path, content in sorted((files or {}).items()):
        if isinstance(content, tuple) and content[0] == "->":
            built.append((TarEntry(path, SYMLINK, 0o777, linkname=content[1], uname="root", gname="root"), b""))
        elif isinstance(content, tuple) and content[0] == "=>":
            built.append((TarEntry(path, HARDLINK, 0o644, linkname=content[1], uname="root", gname="root"), b""))
        else:
            built.append((TarEntry(path, REGULAR, 0o644, size=len(content), uname="root", gname="root"), content))
    size = sum(len(data) for _, data in built)
    info = [("pkgname", name), ("pkgver", version), ("arch", arch), ("size", str(size))]
    info += [("depend", dep) for dep in depends] + [("replaces", item) for item in replaces] + list(extra_info)
    return apkfile.build(info, built, scripts or {}, (factory.key, factory.key_name, "sha256"))


def base_layout(factory: Factory, arch: str = "x86_64") -> bytes:
    members = [
        (TarEntry("etc/", DIRECTORY, 0o755, uname="root", gname="root"), b""),
        (TarEntry("tmp/", DIRECTORY, 0o1777, uname="root", gname="root"), b""),
        (TarEntry("usr/", DIRECTORY, 0o755, uname="root", gname="root"), b""),
        (TarEntry("usr/bin/", DIRECTORY, 0o755, uname="root", gname="root"), b""),
    ]
    files = {"etc/passwd": b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n",
             "etc/group": b"root:x:0:root\nnobody:x:65534:\n", "bin": ("->", "usr/bin")}
    return make_package(factory, "base-layout", "1.0-r0", files, arch=arch, members=members, extra_info=_info(BUILD_DATE - 300))


def package_set(factory: Factory, arch: str = "x86_64", tool_version: str = "2.0-r1") -> dict[str, bytes]:
    """base-layout, libfoo, tool (owners, hard link, script), tool-extras (replaces tool's binary)."""
    tool_members = [
        (TarEntry("var/", DIRECTORY, 0o755, uname="root", gname="root"), b""),
        (TarEntry("var/lib/", DIRECTORY, 0o755, uname="root", gname="root"), b""),
        (TarEntry("var/lib/tool/", DIRECTORY, 0o750, uid=1234, gid=1234, uname="tool", gname="tool"), b""),
        (TarEntry("var/lib/tool/state", REGULAR, 0o600, uid=1234, gid=1234, size=6, mtime=FUTURE, uname="tool", gname="tool"), b"fresh\n"),
    ]
    tool = TOOL_V1 if tool_version == "2.0-r1" else f"#!/bin/sh\necho tool {tool_version}\n".encode()
    packages = {
        "base-layout-1.0-r0.apk": base_layout(factory, arch),
        "libfoo-1.2-r0.apk": make_package(
            factory, "libfoo", "1.2-r0", {"usr/lib/libfoo.so.1": b"\x7fELF not really\n", "usr/lib/libfoo.so": ("->", "libfoo.so.1"),
                                         "bin/libfoo-config": b"#!/bin/sh\necho -lfoo\n"},
            depends=["base-layout"], arch=arch, extra_info=_info(BUILD_DATE - 200, "BSD-2-Clause OR MIT")),
        f"tool-{tool_version}.apk": make_package(
            factory, "tool", tool_version, {"usr/bin/tool": tool, "usr/bin/tool-alias": ("=>", "usr/bin/tool")},
            depends=["libfoo"], arch=arch, members=tool_members, scripts={".post-install": b"#!/bin/sh\necho installed\n"},
            extra_info=_info(BUILD_DATE - 100, "GPL-2.0-only", "tool-src") + [("maintainer", "Jane Doe <jane@example.org>")]),
        "tool-extras-2.0-r1.apk": make_package(
            factory, "tool-extras", "2.0-r1", {"usr/bin/tool": TOOL_EXTRAS, "usr/share/tool/extras.txt": b"extras\n"},
            depends=["tool"], replaces=["tool"], arch=arch, extra_info=_info(BUILD_DATE, "custom license text", "tool-src")),
        "extra-1.0-r0.apk": make_package(factory, "extra", "1.0-r0", {"usr/share/extra/README": b"installed later\n"},
                                         arch=arch, extra_info=_info(BUILD_DATE - 50)),
    }
    return packages


def write_keys(factory: Factory, directory) -> str:
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(str(directory), factory.key_name)
    with open(path, "wb") as handle:
        handle.write(factory.public)
    return path


CONFIG = """\
contents:
  repositories:
    - {repo}
  keyring:
    - {key}
  packages:
    - base-layout
    - tool-extras
entrypoint:
  command: /usr/bin/tool --serve
cmd: --port 8080
work-dir: /home/app
environment:
  GREETING: hello world
accounts:
  groups:
    - groupname: app
      gid: 10000
      members: [app]
  users:
    - username: app
      uid: 10000
  run-as: app
paths:
  - path: /srv/data
    type: directory
    uid: 10000
    gid: 10000
    permissions: 0o700
  - path: /etc/app.conf
    type: empty-file
    permissions: 0o640
  - path: /usr/bin/tool-link
    type: symlink
    source: tool
  - path: /usr/bin/tool-again
    type: hardlink
    source: /usr/lib/libfoo.so.1
  - path: /var/lib/tool
    type: permissions
    uid: 10001
    gid: 10001
    permissions: 0o755
    recursive: true
os-release:
  id: pktest
  name: pk test
  version-id: "3.1"
annotations:
  org.opencontainers.image.title: pk test image
"""


MINIMAL_CONFIG = """\
contents:
  repositories:
    - {repo}
  keyring:
    - {key}
  packages:
    - base-layout
    - tool-extras
"""


def write_config(directory, repo: str, key: str, text: str = CONFIG, name: str = "image.yaml") -> str:
    path = os.path.join(str(directory), name)
    with open(path, "w") as handle:
        handle.write(text.format(repo=repo, key=key))
    return path


def run(argv, env=None, check=True, timeout=600):
    result = subprocess.run([str(arg) for arg in argv], capture_output=True, text=True, env=env, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


def read_json(path) -> dict:
    with open(path, "rb") as handle:
        return json.load(handle)


def blob(layout, digest: str) -> bytes:
    with open(os.path.join(str(layout), "blobs", "sha256", digest.split(":", 1)[1]), "rb") as handle:
        return handle.read()


def manifest_of(layout) -> dict:
    """The (single-architecture) manifest the layout's index.json names."""
    descriptor = read_json(os.path.join(str(layout), "index.json"))["manifests"][0]
    return json.loads(blob(layout, descriptor["digest"]))


def layer_tar(layout) -> bytes:
    """The uncompressed layer of a single-architecture layout."""
    layer = manifest_of(layout)["layers"][0]
    data = blob(layout, layer["digest"])
    if layer["mediaType"].endswith("+zstd"):
        import zstandard

        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return gzip.decompress(data)


def layer_members(layout) -> dict[str, tuple[tarfile.TarInfo, bytes]]:
    """name -> (TarInfo, data) read with Python's tarfile, an independent tar reader."""
    members = {}
    with tarfile.open(fileobj=io.BytesIO(layer_tar(layout))) as archive:
        for info in archive.getmembers():
            data = archive.extractfile(info).read() if info.isfile() else b""
            members[info.name.rstrip("/")] = (info, data)
    return members
