"""pk image push: to a real registry (docker-registry) on 127.0.0.1, read back with skopeo."""

import json
import os

import pytest

from image_helpers import MINIMAL_CONFIG, package_set, read_json, require_tool, run, write_config, write_keys
from pkgfactory import Factory
from registry_helpers import Registry


@pytest.fixture(scope="module")
def images(tmp_path_factory, pk_path):
    """A single-architecture layout and oci-archive, and a two-architecture layout, of the test packages."""
    base = tmp_path_factory.mktemp("push-images")
    factory = Factory(base / "factory")
    factory.repository("repo", package_set(factory, "x86_64"), "x86_64")
    repository = factory.repository("repo", package_set(factory, "aarch64"), "aarch64")
    key = write_keys(factory, base / "keys")
    config = write_config(base, repository, key, MINIMAL_CONFIG)
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    outputs = {"layout": base / "layout", "archive": base / "image.tar", "multi": base / "multi"}
    run([pk_path, "--arch", "x86_64", "image", "build", config, "--output", outputs["layout"]], env=env)
    run([pk_path, "--arch", "x86_64", "image", "build", config, "--output", outputs["archive"], "--format", "oci-archive"], env=env)
    run([pk_path, "--arch", "x86_64,aarch64", "image", "build", config, "--output", outputs["multi"]], env=env)
    return outputs


@pytest.fixture
def registry(tmp_path, request):
    server = Registry(tmp_path, getattr(request, "param", ""))
    yield server
    server.stop()


def top_digest(layout) -> str:
    return read_json(os.path.join(layout, "index.json"))["manifests"][0]["digest"]


def inspect(reference: str, *extra) -> dict:
    require_tool("skopeo")
    return json.loads(run(["skopeo", "inspect", "--tls-verify=false", *extra, f"docker://{reference}"]).stdout)


def test_push_layout_then_skopeo_sees_the_digest(images, registry, pk_path):
    reference = f"{registry.host}/pk/test:1.0"
    result = run([pk_path, "image", "push", "--insecure", images["layout"], reference])
    digest = top_digest(images["layout"])
    assert f"@{digest}" in result.stdout and "2 blobs uploaded, 0 already there" in result.stdout
    assert inspect(reference)["Digest"] == digest
    again = run([pk_path, "image", "push", "--insecure", images["layout"], f"{registry.host}/pk/test:again"])
    assert "0 blobs uploaded, 2 already there" in again.stdout  # HEAD found every blob
    assert inspect(f"{registry.host}/pk/test:again")["Digest"] == digest


def test_push_archive_in_chunks(images, registry, pk_path):
    reference = f"{registry.host}/pk/chunked:latest"
    run([pk_path, "image", "push", "--insecure", "--chunk-size", "1000", images["archive"], reference])
    info = inspect(reference)
    assert info["Digest"] == top_digest(images["layout"])  # the archive holds the same image
    require_tool("skopeo")
    copy = os.path.join(os.path.dirname(images["archive"]), "pulled")
    run(["skopeo", "copy", "--src-tls-verify=false", f"docker://{reference}", f"oci:{copy}:pulled"])
    assert top_digest(copy) == top_digest(images["layout"])


def test_push_image_index(images, registry, pk_path):
    reference = f"{registry.host}/pk/multi:2"
    run([pk_path, "image", "push", "--insecure", images["multi"], reference])
    raw = inspect(reference, "--raw")
    assert raw["mediaType"] == "application/vnd.oci.image.index.v1+json"
    assert [entry["platform"]["architecture"] for entry in raw["manifests"]] == ["arm64", "amd64"]
    assert inspect(reference)["Digest"] == top_digest(images["multi"])
    arm_manifest = json.loads(run(["skopeo", "inspect", "--tls-verify=false", "--raw",
                                   f"docker://{registry.host}/pk/multi@{raw['manifests'][0]['digest']}"]).stdout)
    arm = inspect(reference, "--override-arch", "arm64")
    assert arm["Architecture"] == "arm64" and arm["Layers"] == [layer["digest"] for layer in arm_manifest["layers"]]


@pytest.mark.parametrize("registry", ["htpasswd"], indirect=True)
def test_push_with_basic_auth(images, registry, pk_path):
    reference = f"{registry.host}/pk/private:1"
    refused = run([pk_path, "image", "push", "--insecure", images["layout"], reference], check=False)
    assert refused.returncode == 1 and "--creds" in refused.stderr and "Traceback" not in refused.stderr
    wrong = run([pk_path, "image", "push", "--insecure", "--creds", "pk:wrong", images["layout"], reference], check=False)
    assert wrong.returncode == 1 and "HTTP 401" in wrong.stderr
    run([pk_path, "image", "push", "--insecure", "--creds", f"{registry.user}:{registry.password}", images["layout"], reference])
    info = inspect(reference, "--creds", f"{registry.user}:{registry.password}")
    assert info["Digest"] == top_digest(images["layout"])


@pytest.mark.parametrize("registry", ["token"], indirect=True)
def test_push_with_bearer_token(images, registry, pk_path):
    reference = f"{registry.host}/pk/tokened:1"
    run([pk_path, "image", "push", "--insecure", "--creds", f"{registry.user}:{registry.password}", images["layout"], reference])
    asked = registry.token_server.requests
    assert asked and all(query.get("service") == "pk-test-registry" for query in asked)
    # the registry names the actions in either order ("pull,push" or "push,pull")
    scopes = [query.get("scope", "").rpartition(":") for query in asked]
    assert any(kind == "repository:pk/tokened" and set(actions.split(",")) == {"pull", "push"} for kind, _, actions in scopes), asked
    info = inspect(reference, "--creds", f"{registry.user}:{registry.password}")
    assert info["Digest"] == top_digest(images["layout"])


def test_push_errors_are_one_line(images, pk_path, tmp_path):
    missing = run([pk_path, "image", "push", tmp_path / "nothing", "127.0.0.1:1/x:1"], check=False)
    assert missing.returncode == 1 and "not an OCI layout" in missing.stderr
    closed = run([pk_path, "image", "push", "--insecure", images["layout"], "127.0.0.1:1/pk/x:1"], check=False)
    assert closed.returncode == 1 and "Traceback" not in closed.stderr and closed.stderr.startswith("ERROR: ")
    bad = run([pk_path, "image", "push", images["layout"], "127.0.0.1:1/Upper/x:1"], check=False)
    assert bad.returncode == 1 and "not a valid image reference" in bad.stderr
