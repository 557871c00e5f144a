"""A real registry (Debian's docker-registry, distribution 2.x) on 127.0.0.1 for push tests.

Three set-ups: open, htpasswd (Basic auth) and token (Bearer auth), the last with a small
token server here that signs JWTs with a key whose self-signed certificate the registry
trusts, which is how distribution's token authentication is configured in production.
"""

import base64
import datetime
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import warnings

import pytest
import requests

SERVICE = "pk-test-registry"
ISSUER = "pk-test-issuer"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def htpasswd_line(user: str, password: str) -> str:
    """A bcrypt htpasswd entry (distribution accepts only bcrypt), made by the C library's crypt()."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import crypt
        except ImportError:
            pytest.skip("this Python has no crypt module to make a bcrypt htpasswd entry")
    hashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH))
    if not hashed or not hashed.startswith("$2"):
        pytest.skip("the C library's crypt() cannot make bcrypt hashes")
    return f"{user}:{hashed}\n"


class TokenServer:
    """Issues registry tokens (RS256 JWTs with an x5c certificate) to callers with the right password."""

    def __init__(self, directory, user: str, password: str):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self.user, self.password = user, password
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pk test token signer")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
                            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                            .sign(self.key, hashes.SHA256()))
        self.bundle = os.path.join(str(directory), "token-signer.pem")
        with open(self.bundle, "wb") as handle:
            handle.write(self.certificate.public_bytes(serialization.Encoding.PEM))
        self.requests: list[dict] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
                server.requests.append(query)
                expected = "Basic " + base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.end_headers()
                    return
                body = json.dumps({"token": server.token(query)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def realm(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/token"

    def token(self, query: dict) -> str:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        access = []
        for scope in query.get("scope", "").split(" "):
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            if kind and name:
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
        claims = {"iss": ISSUER, "sub": self.user, "aud": query.get("service", ""), "exp": now + 600, "nbf": now - 60,
                  "iat": now, "jti": secrets.token_hex(8), "access": access}

        def part(value) -> str:
            raw = value if isinstance(value, bytes) else json.dumps(value, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        signing_input = f"{part(header)}.{part(claims)}"
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{part(signature)}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Registry:
    """docker-registry serving on 127.0.0.1:PORT with its storage under `directory`."""

    def __init__(self, directory, auth: str = "", user: str = "pk", password: str = "secret"):
        binary = shutil.which("docker-registry")
        if binary is None:
            pytest.skip("docker-registry is not installed (Debian package docker-registry)")
        self.directory = str(directory)
        self.port = free_port()
        self.user, self.password = user, password
        self.token_server = None
        lines = ["version: 0.1", "log:", "  level: error", "storage:", "  filesystem:",
                 f"    rootdirectory: {self.directory}/data", "  delete:", "    enabled: true",
                 "http:", f"  addr: 127.0.0.1:{self.port}"]
        if auth == "htpasswd":
            path = os.path.join(self.directory, "htpasswd")
            with open(path, "w") as handle:
                handle.write(htpasswd_line(user, password))
            lines += ["auth:", "  htpasswd:", "    realm: pk-test", f"    path: {path}"]
        elif auth == "token":
            self.token_server = TokenServer(self.directory, user, password)
            lines += ["auth:", "  token:", f"    realm: {self.token_server.realm}", f"    service: {SERVICE}",
                      f"    issuer: {ISSUER}", f"    rootcertbundle: {self.token_server.bundle}"]
        config = os.path.join(self.directory, "config.yml")
        with open(config, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        self.log = open(os.path.join(self.directory, "registry.log"), "wb")
        self.process = subprocess.Popen([binary, "serve", config], stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                requests.get(f"http://{self.host}/v2/", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        with open(os.path.join(self.directory, "registry.log"), "rb") as handle:
            raise RuntimeError(f"docker-registry did not start:\n{handle.read().decode(errors='replace')}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self.token_server is not None:
            self.token_server.stop()
