"""Test helpers: build signed repositories with pk itself, and serve them over real HTTP."""

import functools
import http.server
import os
import subprocess
import threading

from apk_py import trust


def make_key(directory, name="test"):
    """A 2048-bit key pair written as NAME.rsa / NAME.rsa.pub; returns the private key path."""
    os.makedirs(directory, exist_ok=True)
    private, public = trust.generate(bits=2048)
    path = os.path.join(directory, f"{name}.rsa")
    with open(path, "wb") as handle:
        handle.write(private)
    with open(path + ".pub", "wb") as handle:
        handle.write(public)
    return path


def run_pk(pk_path, *args, cwd=None, env=None, check=True):
    result = subprocess.run([pk_path, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"pk {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


def mkpkg(pk_path, output, key, info: dict, tree=None, scripts=None, trace=True, env=None):
    args = ["mkpkg", "--output", str(output), "--sign", str(key)]
    for name, value in info.items():
        for item in value if isinstance(value, list) else [value]:
            args += ["--info", f"{name}:{item}"]
    if tree is not None:
        args += ["--files", str(tree)]
    for kind, path in (scripts or {}).items():
        args += ["--script", f"{kind}:{path}"]
    if not trace:
        args.append("--no-trace")
    return run_pk(pk_path, *args, env=env)


def make_repository(pk_path, directory, key, packages):
    """Index and sign the given .apk files in `directory` (an ARCH directory of a repository)."""
    index = os.path.join(directory, "APKINDEX.tar.gz")
    run_pk(pk_path, "index", "-o", index, *[str(p) for p in packages])
    run_pk(pk_path, "sign", "-k", str(key), index)
    return index


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """A real HTTP server on 127.0.0.1 serving a directory, in a background thread."""

    def __init__(self, directory, handler=None):
        handler = handler or functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
