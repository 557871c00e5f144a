"""Build signed test repositories in-process with pk's own library (no subprocesses)."""

import os

from apk_py import apkfile, mkindex, trust
from apk_py.tarfmt import DIRECTORY, HARDLINK, REGULAR, SYMLINK, TarEntry


class Factory:
    """Makes packages signed by one key and indexes of them."""

    def __init__(self, directory):
        self.directory = str(directory)
        os.makedirs(self.directory, exist_ok=True)
        private, public = trust.generate(bits=2048)
        self.key = os.path.join(self.directory, "factory.rsa")
        with open(self.key, "wb") as handle:
            handle.write(private)
        self.public = public
        self.key_name = "factory.rsa.pub"

    def install_key(self, root) -> None:
        keys = os.path.join(str(root), "etc/apk/keys")
        os.makedirs(keys, exist_ok=True)
        with open(os.path.join(keys, self.key_name), "wb") as handle:
            handle.write(self.public)

    def package(self, name, version="1.0-r0", files=None, depends=(), provides=(), replaces=(), scripts=None,
                arch="x86_64", members=None, extra_info=()):
        """Package bytes. `files` maps paths to bytes (dirs: None; symlinks: ('->', target))."""
        built = list(members or [])
        for path, content in sorted((files or {}).items()):
            if content is None:
                built.append((TarEntry(path.rstrip("/") + "/", DIRECTORY, 0o755, uname="root", gname="root"), b""))
            elif isinstance(content, tuple) and content[0] == "->":
                built.append((TarEntry(path, SYMLINK, 0o777, linkname=content[1], uname="root", gname="root"), b""))
            elif isinstance(content, tuple) and content[0] == "=>":
                built.append((TarEntry(path, HARDLINK, 0o644, linkname=content[1], uname="root", gname="root"), b""))
            else:
                built.append((TarEntry(path, REGULAR, 0o644, size=len(content), uname="root", gname="root"), content))
        size = sum(len(data) for _, data in built)
        info = [("pkgname", name), ("pkgver", version), ("arch", arch), ("size", str(size)), ("license", "MIT")]
        info += [("depend", dep) for dep in depends] + [("provides", p) for p in provides] + [("replaces", r) for r in replaces]
        info += list(extra_info)
        return apkfile.build(info, built, scripts or {}, (self.key, self.key_name, "sha256"))

    def repository(self, name, packages: dict, arch="x86_64"):
        """Write packages ({file name: bytes}) into DIR/name/ARCH with a signed index; returns the base."""
        base = os.path.join(self.directory, name)
        arch_dir = os.path.join(base, arch)
        os.makedirs(arch_dir, exist_ok=True)
        paths = []
        for filename, data in packages.items():
            path = os.path.join(arch_dir, filename)
            with open(path, "wb") as handle:
                handle.write(data)
            paths.append(path)
        index = os.path.join(arch_dir, "APKINDEX.tar.gz")
        with open(index, "wb") as handle:
            handle.write(mkindex.build_index(paths))
        mkindex.sign_file(index, self.key)
        return base
