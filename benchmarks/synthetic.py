"""A signed synthetic repository, built once per size and cached in a scratch directory.

200 packages of 40 files each (about 8,000 files, 90 MB installed) by default, plus a
meta-package `all-synthetic` depending on every one, so one `pk add` installs them all.
"""

import os
import random

from apk_py import apkfile, mkindex, trust
from apk_py.tarfmt import DIRECTORY, REGULAR, TarEntry

ARCH = "x86_64"


def _content(rng: random.Random, size: int) -> bytes:
    """Half-compressible bytes, like real binaries and data files."""
    noise = rng.randbytes(size // 2)
    return noise + bytes(size - len(noise))


def build(scratch: str, packages: int = 200, files: int = 40, file_size: int = 11_250) -> dict:
    """Create (or reuse) the repository; returns paths of its base, key and public key."""
    base = os.path.join(scratch, f"repo-{packages}x{files}x{file_size}")
    arch_dir = os.path.join(base, ARCH)
    key = os.path.join(scratch, "bench.rsa")
    if not os.path.exists(key):
        os.makedirs(scratch, exist_ok=True)
        private, public = trust.generate(bits=2048)
        with open(key, "wb") as handle:
            handle.write(private)
        with open(key + ".pub", "wb") as handle:
            handle.write(public)
    index = os.path.join(arch_dir, "APKINDEX.tar.gz")
    if not os.path.exists(index):
        os.makedirs(arch_dir, exist_ok=True)
        rng = random.Random(1234)
        signer = (key, "bench.rsa.pub", "sha256")
        paths = []
        for number in range(packages):
            name = f"synthetic{number:03d}"
            members = [(TarEntry(f"usr/share/{name}/", DIRECTORY, 0o755, uname="root", gname="root"), b"")]
            for item in range(files):
                data = _content(rng, file_size)
                members.append((TarEntry(f"usr/share/{name}/file{item:02d}", REGULAR, 0o644, size=len(data), mtime=1700000000,
                                         uname="root", gname="root"), data))
            info = [("pkgname", name), ("pkgver", "1.0-r0"), ("arch", ARCH), ("size", str(files * file_size)), ("license", "MIT")]
            path = os.path.join(arch_dir, f"{name}-1.0-r0.apk")
            with open(path, "wb") as handle:
                handle.write(apkfile.build(info, members, {}, signer, 1700000000))
            paths.append(path)
        meta = [("pkgname", "all-synthetic"), ("pkgver", "1.0-r0"), ("arch", ARCH), ("size", "0"), ("license", "MIT")]
        meta += [("depend", f"synthetic{number:03d}") for number in range(packages)]
        path = os.path.join(arch_dir, "all-synthetic-1.0-r0.apk")
        with open(path, "wb") as handle:
            handle.write(apkfile.build(meta, [], {}, signer, 1700000000))
        paths.append(path)
        with open(index, "wb") as handle:
            handle.write(mkindex.build_index(paths))
        mkindex.sign_file(index, key)
    return {"base": base, "key": key, "public": key + ".pub", "index": index}


def fresh_root(path: str, public_key: str) -> None:
    """An empty root trusting the benchmark key."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(os.path.join(path, "etc/apk/keys"))
    shutil.copy(public_key, os.path.join(path, "etc/apk/keys", "bench.rsa.pub"))
