"""Pushing a built image to a registry with the OCI distribution API.

Blobs first (each skipped when a HEAD says the registry has it, otherwise uploaded in one
PUT or in PATCH chunks), then manifests, children before the index that names them, and
the top one under the tag. Authentication follows the registry's challenge: a `Bearer`
challenge is answered with a token from its realm (asked with the credentials when there
are some), a `Basic` one with the credentials. Plain http only with --insecure.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from dataclasses import dataclass

from apk_py.errors import PkError
from apk_py.tarfmt import TarReader
from buildroot import oci

DEFAULT_REGISTRY = "registry-1.docker.io"
_MANIFEST_TYPES = (oci.MANIFEST, oci.INDEX, "application/vnd.docker.distribution.manifest.v2+json",
                   "application/vnd.docker.distribution.manifest.list.v2+json")


@dataclass
class Reference:
    registry: str
    repository: str
    tag: str  # a tag, or a digest (sha256:...) to push by digest

    def __str__(self) -> str:
        separator = "@" if self.tag.startswith("sha256:") else ":"
        return f"{self.registry}/{self.repository}{separator}{self.tag}"


def parse_reference(text: str) -> Reference:
    """HOST[:PORT]/NAME[:TAG|@DIGEST]; without a host, Docker Hub (and library/ for one-word names)."""
    rest, at, digest = text.partition("@")
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, remainder
    else:
        registry, path = DEFAULT_REGISTRY, rest if "/" in rest else f"library/{rest}"
    if at:
        repository, tag = path, digest
    else:
        repository, tag = oci.split_reference(path)
    if not repository or not tag or repository != repository.lower():
        raise PkError(f"'{text}' is not a valid image reference (HOST/NAME[:TAG], lower-case name)")
    return Reference(registry, repository, tag)


class ImageSource:
    """The blobs of a built image: an OCI layout directory or an oci-archive."""

    def __init__(self, path: str):
        self.path = path
        self.members: dict[str, bytes] | None = None
        if os.path.isfile(path):
            self.members = {}
            with open(path, "rb") as handle:
                reader = TarReader(handle, path)
                for entry in reader:
                    if entry.is_file:
                        self.members[entry.name[2:] if entry.name.startswith("./") else entry.name] = reader.read()
        elif not os.path.isfile(os.path.join(path, "index.json")):
            raise PkError(f"{path}: not an OCI layout directory or oci-archive (no index.json)")

    def _read(self, name: str) -> bytes:
        if self.members is not None:
            if name not in self.members:
                raise PkError(f"{self.path}: {name} is missing from the archive")
            return self.members[name]
        try:
            with open(os.path.join(self.path, name), "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise PkError(f"{self.path}: {name}: {exc.strerror or exc}") from None

    def blob(self, digest: str) -> bytes:
        algorithm, _, hexdigest = digest.partition(":")
        if algorithm != "sha256" or len(hexdigest) != 64:
            raise PkError(f"{self.path}: unsupported digest {digest}")
        data = self._read(f"blobs/sha256/{hexdigest}")
        if hashlib.sha256(data).hexdigest() != hexdigest:
            raise PkError(f"{self.path}: blob {digest} does not match its digest")
        return data

    def top(self) -> dict:
        """The descriptor index.json names (the image, or the index of several)."""
        try:
            index = json.loads(self._read("index.json"))
            manifests = index["manifests"]
        except (ValueError, KeyError, TypeError):
            raise PkError(f"{self.path}: index.json is not an OCI image index") from None
        if len(manifests) != 1:
            raise PkError(f"{self.path}: index.json names {len(manifests)} images; pk image push needs exactly one")
        return manifests[0]


class RegistryClient:
    """A session with one registry: challenge-driven auth, blob and manifest calls."""

    def __init__(self, registry: str, insecure: bool = False, credentials: tuple[str, str] | None = None, timeout: float = 60):
        import requests

        self.requests = requests
        self.base = f"{'http' if insecure else 'https'}://{registry}"
        self.credentials = credentials
        self.timeout = timeout
        self.session = requests.Session()
        self.authorization: str | None = None

    def _url(self, path_or_url: str) -> str:
        return urllib.parse.urljoin(self.base + "/", path_or_url)

    def request(self, method: str, path_or_url: str, scope: str, expected: tuple[int, ...], **kwargs):
        """One call, authenticating once if the registry challenges it; anything unexpected is a PkError."""
        url = self._url(path_or_url)
        response = self._send(method, url, **kwargs)
        if response.status_code == 401:
            self._authenticate(response.headers.get("WWW-Authenticate", ""), scope)
            response = self._send(method, url, **kwargs)
        if response.status_code not in expected:
            raise PkError(f"{method} {url}: HTTP {response.status_code}{_error_detail(response)}")
        return response

    def _send(self, method: str, url: str, headers: dict | None = None, **kwargs):
        headers = dict(headers or {})
        if self.authorization:
            headers["Authorization"] = self.authorization
        try:
            return self.session.request(method, url, headers=headers, timeout=self.timeout, allow_redirects=True, **kwargs)
        except self.requests.RequestException as exc:
            raise PkError(f"{method} {url}: {exc}") from None

    def _authenticate(self, challenge: str, scope: str) -> None:
        scheme, _, rest = challenge.partition(" ")
        params = _challenge_params(rest)
        if scheme.lower() == "basic":
            if self.credentials is None:
                raise PkError(f"{self.base}: the registry asks for a user name and password (--creds USER:PASSWORD)")
            self.authorization = "Basic " + _basic(self.credentials)
            return
        if scheme.lower() != "bearer" or "realm" not in params:
            raise PkError(f"{self.base}: unsupported authentication challenge '{challenge}'")
        query = {"scope": params.get("scope", scope)}
        if "service" in params:
            query["service"] = params["service"]
        headers = {"Authorization": "Basic " + _basic(self.credentials)} if self.credentials else {}
        try:
            response = self.session.get(params["realm"], params=query, headers=headers, timeout=self.timeout)
        except self.requests.RequestException as exc:
            raise PkError(f"token request to {params['realm']}: {exc}") from None
        if response.status_code != 200:
            raise PkError(f"token request to {params['realm']}: HTTP {response.status_code}")
        try:
            body = response.json()
            token = body.get("token") or body.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not token:
            raise PkError(f"token request to {params['realm']}: no token in the answer")
        self.authorization = f"Bearer {token}"

    # --- the distribution API ---------------------------------------------------------

    def has_blob(self, repository: str, digest: str) -> bool:
        response = self.request("HEAD", f"/v2/{repository}/blobs/{digest}", _scope(repository), (200, 404))
        return response.status_code == 200

    def upload_blob(self, repository: str, digest: str, data: bytes, chunk_size: int = 0) -> None:
        """POST a session, then one PUT with the data, or PATCH chunks and a closing PUT."""
        scope = _scope(repository)
        response = self.request("POST", f"/v2/{repository}/blobs/uploads/", scope, (202,))
        location = response.headers.get("Location")
        if not location:
            raise PkError(f"{self.base}: upload session without a Location")
        body = data
        if chunk_size > 0:
            for start in range(0, len(data), chunk_size):
                chunk = data[start : start + chunk_size]
                response = self.request("PATCH", location, scope, (202,), data=chunk, headers={
                    "Content-Type": "application/octet-stream", "Content-Length": str(len(chunk)),
                    "Content-Range": f"{start}-{start + len(chunk) - 1}"})
                location = response.headers.get("Location", location)
            body = b""
        separator = "&" if "?" in location else "?"
        self.request("PUT", f"{location}{separator}digest={urllib.parse.quote(digest)}", scope, (201,), data=body,
                     headers={"Content-Type": "application/octet-stream", "Content-Length": str(len(body))})

    def put_manifest(self, repository: str, reference: str, media_type: str, data: bytes) -> str:
        response = self.request("PUT", f"/v2/{repository}/manifests/{reference}", _scope(repository), (201,), data=data,
                                headers={"Content-Type": media_type})
        return response.headers.get("Docker-Content-Digest") or "sha256:" + hashlib.sha256(data).hexdigest()


def _scope(repository: str) -> str:
    return f"repository:{repository}:pull,push"


def _basic(credentials: tuple[str, str]) -> str:
    import base64

    return base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode()


def _challenge_params(text: str) -> dict[str, str]:
    """key="value" pairs of a WWW-Authenticate challenge (values may contain commas)."""
    params = {}
    position = 0
    while position < len(text):
        equals = text.find("=", position)
        if equals < 0:
            break
        key = text[position:equals].strip(" ,")
        if text[equals + 1 : equals + 2] == '"':
            end = text.find('"', equals + 2)
            end = len(text) if end < 0 else end
            params[key.lower()] = text[equals + 2 : end]
            position = end + 1
        else:
            end = text.find(",", equals + 1)
            end = len(text) if end < 0 else end
            params[key.lower()] = text[equals + 1 : end].strip()
            position = end + 1
    return params


def _error_detail(response) -> str:
    try:
        errors = response.json().get("errors") or []
        return ": " + "; ".join(f"{error.get('code')}: {error.get('message')}" for error in errors) if errors else ""
    except (ValueError, AttributeError):
        return ""


@dataclass
class PushResult:
    reference: Reference
    digest: str
    uploaded: int  # blobs sent
    skipped: int  # blobs the registry already had


def push(source_path: str, target: str, insecure: bool = False, credentials: tuple[str, str] | None = None,
         chunk_size: int = 0, timeout: float = 60, progress=None) -> PushResult:
    """Push the image at `source_path` (layout or oci-archive) to `target`; returns the pushed digest."""
    reference = parse_reference(target)
    source = ImageSource(source_path)
    client = RegistryClient(reference.registry, insecure, credentials, timeout)
    top = source.top()
    counts = {"uploaded": 0, "skipped": 0}

    def send_blob(digest: str) -> None:
        if client.has_blob(reference.repository, digest):
            counts["skipped"] += 1
            return
        client.upload_blob(reference.repository, digest, source.blob(digest), chunk_size)
        counts["uploaded"] += 1
        if progress is not None:
            progress(f"uploaded {digest}")

    def send_manifest(descriptor: dict, tag: str | None) -> str:
        data = source.blob(descriptor["digest"])
        media_type = descriptor.get("mediaType") or json.loads(data).get("mediaType")
        if media_type not in _MANIFEST_TYPES:
            raise PkError(f"{source_path}: {descriptor['digest']} has unsupported media type {media_type}")
        document = json.loads(data)
        if media_type in (oci.INDEX, _MANIFEST_TYPES[3]):
            for child in document.get("manifests", []):
                send_manifest(child, None)
        else:
            for blob in [document["config"]] + document.get("layers", []):
                send_blob(blob["digest"])
        return client.put_manifest(reference.repository, tag or descriptor["digest"], media_type, data)

    digest = send_manifest(top, reference.tag)
    return PushResult(reference, digest, counts["uploaded"], counts["skipped"])
