"""pk image build: images checked with real tools (umoci, skopeo) and against pk add of the same packages."""

import json
import os
import shutil
import stat

import pytest

from image_helpers import (BUILD_DATE, FUTURE, MINIMAL_CONFIG, PACKAGE_NAMES, TOOL_EXTRAS, WORLD, blob, layer_members,
                           layer_tar, manifest_of, package_set, read_json, require_tool, run, write_config, write_keys)
from pkgfactory import Factory

IS_ROOT = os.geteuid() == 0


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A signed x86_64 repository of the test packages, its key, and a config using it."""
    base = tmp_path_factory.mktemp("image-repo")
    factory = Factory(base / "factory")
    repository = factory.repository("repo", package_set(factory))
    key = write_keys(factory, base / "keys")
    return {"base": base, "factory": factory, "repository": repository, "key": key,
            "config": write_config(base, repository, key), "minimal": write_config(base, repository, key, MINIMAL_CONFIG, "minimal.yaml")}


def build(pk_path, config, output, *extra, env=None, check=True):
    """pk image build; without `env`, SOURCE_DATE_EPOCH is unset so the newest build date is used."""
    if env is None:
        env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    return run([pk_path, "image", "build", config, "--output", output, *extra], env=env, check=check)


@pytest.fixture(scope="module")
def layout(repo, pk_path, tmp_path_factory):
    output = tmp_path_factory.mktemp("layout") / "image"
    result = build(pk_path, repo["config"], output, "--tag", "pk/test:1.0", "--sbom-dir", output.parent / "sbom")
    assert "Image: sha256:" in result.stdout
    return output


@pytest.fixture(scope="module")
def unpacked(layout, tmp_path_factory):
    require_tool("umoci")
    bundle = tmp_path_factory.mktemp("bundle") / "bundle"
    run(["umoci", "unpack", *([] if IS_ROOT else ["--rootless"]), "--image", f"{layout}:1.0", bundle])
    return bundle / "rootfs"


def test_umoci_unpack_gives_the_expected_tree(unpacked):
    root = unpacked
    assert (root / "usr/bin/tool").read_bytes() == TOOL_EXTRAS  # tool-extras replaces tool's binary
    assert os.path.samefile(root / "usr/bin/tool-alias", root / "usr/lib/../bin/tool-alias")
    assert (root / "usr/bin/tool-alias").read_bytes() == b"#!/bin/sh\necho tool 2.0\n"  # the hard link kept tool's inode
    assert os.readlink(root / "usr/lib/libfoo.so") == "libfoo.so.1"
    assert os.readlink(root / "bin") == "usr/bin"
    assert (root / "usr/bin/libfoo-config").read_bytes().startswith(b"#!/bin/sh")  # written through the bin symlink
    assert stat.S_IMODE(os.stat(root / "tmp").st_mode) == 0o1777
    assert (root / "usr/share/tool/extras.txt").read_bytes() == b"extras\n"
    assert not (root / "usr/share/extra").exists()
    # accounts: merged into the package's files, with a home
    passwd = (root / "etc/passwd").read_text().splitlines()
    assert passwd[0].startswith("root:x:0:0:") and "app:x:10000:10000:app:/home/app:/bin/sh" in passwd
    assert "app:x:10000:app" in (root / "etc/group").read_text().splitlines()
    assert (root / "home/app").is_dir()
    # paths mutations
    assert (root / "srv/data").is_dir() and stat.S_IMODE(os.stat(root / "srv/data").st_mode) == 0o700
    assert (root / "etc/app.conf").read_bytes() == b"" and stat.S_IMODE(os.stat(root / "etc/app.conf").st_mode) == 0o640
    assert os.readlink(root / "usr/bin/tool-link") == "tool"
    assert os.path.samefile(root / "usr/bin/tool-again", root / "usr/lib/libfoo.so.1")
    # os-release and the apk files pk needs inside the image
    release = (root / "etc/os-release").read_text()
    assert "ID=pktest" in release and 'NAME="pk test"' in release and "VERSION_ID=3.1" in release
    assert (root / "etc/apk/world").read_text() == "base-layout\ntool-extras\n"
    assert (root / "etc/apk/arch").read_text() == "x86_64\n"
    assert os.path.basename((root / "etc/apk/repositories").read_text().strip()) == "repo"
    assert os.listdir(root / "etc/apk/keys") == ["factory.rsa.pub"]
    installed = (root / "lib/apk/db/installed").read_text()
    assert [line[2:] for line in installed.splitlines() if line.startswith("P:")] == PACKAGE_NAMES
    if IS_ROOT:
        assert os.stat(root / "srv/data").st_uid == 10000
        assert os.stat(root / "var/lib/tool/state").st_uid == 10001


def test_layer_headers_carry_owners_modes_and_clamped_times(layout):
    members = layer_members(layout)
    names = list(members)
    assert names == sorted(names, key=lambda name: name.encode()) and "" not in names and "." not in names
    info, _ = members["var/lib/tool"]
    assert (info.uid, info.gid, info.mode, info.isdir()) == (10001, 10001, 0o755, True)  # after the permissions mutation
    info, data = members["usr/bin/tool"]
    assert (info.uid, info.mode, data) == (0, 0o644, TOOL_EXTRAS)
    info, _ = members["home/app"]
    assert (info.uid, info.gid, info.uname, info.gname) == (10000, 10000, "app", "app")
    assert members["var/lib/tool/state"][0].mtime == BUILD_DATE  # FUTURE clamped to the newest build date
    assert FUTURE > BUILD_DATE and max(info.mtime for info, _ in members.values()) == BUILD_DATE
    # a hard-linked inode's data goes with its first path in sorted order, the others link to it;
    # tool-alias kept tool's old inode alone once tool-extras replaced usr/bin/tool
    links = {name: info.linkname for name, (info, _) in members.items() if info.islnk()}
    assert links == {"usr/lib/libfoo.so.1": "usr/bin/tool-again"}
    assert members["usr/bin/tool-alias"][0].isfile() and members["usr/bin/tool-alias"][1] == b"#!/bin/sh\necho tool 2.0\n"


def test_image_config_and_manifest(layout):
    manifest = manifest_of(layout)
    config = json.loads(blob(layout, manifest["config"]["digest"]))
    assert config["architecture"] == "amd64" and config["os"] == "linux"
    assert config["created"] == "2023-11-14T22:13:20Z"  # BUILD_DATE
    assert config["config"]["Entrypoint"] == ["/usr/bin/tool", "--serve"]
    assert config["config"]["Cmd"] == ["--port", "8080"]
    assert config["config"]["User"] == "app" and config["config"]["WorkingDir"] == "/home/app"
    assert "GREETING=hello world" in config["config"]["Env"] and any(e.startswith("PATH=") for e in config["config"]["Env"])
    assert manifest["annotations"] == {"org.opencontainers.image.title": "pk test image"}
    assert manifest["layers"][0]["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip"
    import hashlib

    assert config["rootfs"]["diff_ids"] == ["sha256:" + hashlib.sha256(layer_tar(layout)).hexdigest()]
    index = read_json(layout / "index.json")
    assert index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"] == "1.0"
    assert read_json(layout / "oci-layout") == {"imageLayoutVersion": "1.0.0"}


def test_layer_matches_pk_add_of_the_same_packages(repo, pk_path, tmp_path):
    """Same files, modes, owners and installed database as `pk --root R --initdb add` (scripts off, as images do)."""
    output = tmp_path / "image"
    build(pk_path, repo["minimal"], output)
    root = tmp_path / "root"
    run([pk_path, "--root", root, "--initdb", "--no-scripts", "-X", repo["repository"], "--keys-dir",
         os.path.dirname(repo["key"]), "add", *WORLD])
    members = layer_members(output)
    generated = {"etc/apk/repositories", "etc/apk/keys", "etc/apk/keys/factory.rsa.pub"}
    on_disk = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, root)
            if not relative.startswith(("var/log", "lib/apk/db/lock")):
                on_disk[relative] = os.lstat(path)
    assert set(on_disk) == set(members) - generated
    for relative, info in on_disk.items():
        member, data = members[relative]
        assert stat.S_IMODE(info.st_mode) == member.mode or stat.S_ISLNK(info.st_mode), relative
        if stat.S_ISREG(info.st_mode):
            assert (root / relative).read_bytes() == data, relative
            if IS_ROOT:
                assert (info.st_uid, info.st_gid) == (member.uid, member.gid), relative
        elif stat.S_ISLNK(info.st_mode):
            assert os.readlink(root / relative) == member.linkname
    for database in ("lib/apk/db/installed", "lib/apk/db/scripts.tar", "lib/apk/db/triggers", "etc/apk/world"):
        assert (root / database).read_bytes() == members[database][1], database


def test_skopeo_inspects_oci_archive_and_docker_archive(repo, pk_path, layout, tmp_path):
    require_tool("skopeo")
    archive = tmp_path / "image.tar"
    docker = tmp_path / "docker.tar"
    build(pk_path, repo["config"], archive, "--format", "oci-archive", "--tag", "pk/test:1.0")
    build(pk_path, repo["config"], docker, "--format", "docker-archive", "--tag", "pk/test:1.0")
    top = read_json(layout / "index.json")["manifests"][0]["digest"]
    oci_info = json.loads(run(["skopeo", "inspect", f"oci-archive:{archive}:1.0"]).stdout)
    assert oci_info["Digest"] == top and oci_info["Architecture"] == "amd64" and oci_info["Os"] == "linux"
    assert "GREETING=hello world" in oci_info["Env"]
    docker_info = json.loads(run(["skopeo", "inspect", f"docker-archive:{docker}:pk/test:1.0"]).stdout)
    assert docker_info["Architecture"] == "amd64" and docker_info["Created"] == oci_info["Created"]
    manifest = manifest_of(layout)
    docker_config = json.loads(run(["skopeo", "inspect", "--config", "--raw", f"docker-archive:{docker}"]).stdout)
    assert docker_config == json.loads(blob(layout, manifest["config"]["digest"]))  # the very same image config
    assert docker_info["Layers"] == docker_config["rootfs"]["diff_ids"]  # uncompressed layer, as docker save writes


def test_skopeo_copy_from_the_layout(layout, tmp_path):
    require_tool("skopeo")
    run(["skopeo", "copy", f"oci:{layout}:1.0", f"oci:{tmp_path / 'copy'}:copied"])
    copied = read_json(tmp_path / "copy" / "index.json")["manifests"][0]
    assert copied["digest"] == read_json(layout / "index.json")["manifests"][0]["digest"]
    run(["skopeo", "copy", f"oci:{layout}:1.0", f"dir:{tmp_path / 'dir'}"])
    layer = manifest_of(layout)["layers"][0]["digest"].split(":")[1]
    assert (tmp_path / "dir" / layer).read_bytes() == blob(layout, "sha256:" + layer)


def test_two_builds_give_the_same_digests(repo, pk_path, layout, tmp_path):
    first, second = tmp_path / "first.tar", tmp_path / "second.tar"
    build(pk_path, repo["config"], first, "--format", "oci-archive", "--tag", "pk/test:1.0")
    build(pk_path, repo["config"], second, "--format", "oci-archive", "--tag", "pk/test:1.0")
    assert first.read_bytes() == second.read_bytes()
    again = tmp_path / "again"
    build(pk_path, repo["config"], again, "--tag", "pk/test:1.0")
    assert (again / "index.json").read_bytes() == (layout / "index.json").read_bytes()
    assert sorted(os.listdir(again / "blobs/sha256")) == sorted(os.listdir(layout / "blobs/sha256"))
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(BUILD_DATE - 1000))
    dated = tmp_path / "dated"
    build(pk_path, repo["config"], dated, "--tag", "pk/test:1.0", env=env)
    config = json.loads(blob(dated, manifest_of(dated)["config"]["digest"]))
    assert config["created"] == "2023-11-14T21:56:40Z"
    assert max(info.mtime for info, _ in layer_members(dated).values()) == BUILD_DATE - 1000
    assert manifest_of(dated) != manifest_of(layout)


def test_sbom_lists_every_installed_package(layout):
    document = read_json(layout.parent / "sbom" / "sbom-x86_64.spdx.json")
    assert document["spdxVersion"] == "SPDX-2.3" and document["dataLicense"] == "CC0-1.0"
    top = read_json(layout / "index.json")["manifests"][0]["digest"]
    image, *packages = document["packages"]
    assert image["SPDXID"] == "SPDXRef-Image" and image["versionInfo"] == top
    assert [package["name"] for package in packages] == PACKAGE_NAMES
    installed = {}
    for record in (layer_members(layout)["lib/apk/db/installed"][1]).decode().split("\n\n"):
        fields = dict(line.split(":", 1) for line in record.splitlines() if line[1:2] == ":" and line[0] in "PVCLo")
        if fields:
            installed[fields["P"]] = fields
    import base64

    for package in packages:
        record = installed[package["name"]]
        assert package["versionInfo"] == record["V"]
        assert package["checksums"] == [{"algorithm": "SHA1", "checksumValue": base64.b64decode(record["C"][2:]).hex()}]
        assert f"origin package {record.get('o', record['P'])}" in package["sourceInfo"]
    by_name = {package["name"]: package for package in packages}
    assert by_name["tool"]["licenseDeclared"] == "GPL-2.0-only"
    assert by_name["libfoo"]["licenseDeclared"] == "BSD-2-Clause OR MIT"
    assert by_name["tool-extras"]["licenseDeclared"] == "NOASSERTION"  # free text is not an SPDX expression
    assert by_name["tool"]["supplier"] == "Person: Jane Doe (jane@example.org)"
    contained = {r["relatedSpdxElement"] for r in document["relationships"] if r["relationshipType"] == "CONTAINS"}
    assert contained == {package["SPDXID"] for package in packages}


def test_lock_file_round_trips(repo, pk_path, tmp_path):
    """A lock pins versions and identities; later repository changes do not leak into a locked build."""
    lock = tmp_path / "minimal.lock.json"
    config = shutil.copy(repo["minimal"], tmp_path / "minimal.yaml")
    run([pk_path, "image", "lock", config])
    document = read_json(lock)
    locked = [(entry["name"], entry["version"]) for entry in document["contents"]["packages"]]
    assert locked == [("base-layout", "1.0-r0"), ("libfoo", "1.2-r0"), ("tool", "2.0-r1"), ("tool-extras", "2.0-r1")]
    assert all(entry["checksum"].startswith("Q1") and entry["architecture"] == "x86_64" for entry in document["contents"]["packages"])
    # the repository moves on: tool 2.1 appears beside the same package files
    factory = repo["factory"]
    packages = package_set(factory)
    packages.update(package_set(factory, tool_version="2.1-r0"))
    moved = write_config(tmp_path, factory.repository("moved-repo", packages), repo["key"], MINIMAL_CONFIG, "moved.yaml")
    unlocked, pinned = tmp_path / "unlocked", tmp_path / "pinned"
    build(pk_path, moved, unlocked)
    build(pk_path, moved, pinned, "--lockfile", lock)

    def versions(layout):
        text = layer_members(layout)["lib/apk/db/installed"][1].decode()
        return [line[2:] for line in text.splitlines() if line.startswith("V:")]

    assert versions(unlocked)[2] == "2.1-r0"
    assert versions(pinned) == [version for _, version in locked]
    assert layer_members(pinned)["usr/bin/tool-alias"][1] == b"#!/bin/sh\necho tool 2.0\n"
    relock = run([pk_path, "image", "lock", moved, "--output", tmp_path / "relock.json"])
    assert "4 packages locked" in relock.stdout
    assert read_json(tmp_path / "relock.json")["contents"]["packages"][2]["version"] == "2.1-r0"
    stale = write_config(tmp_path, repo["repository"], repo["key"], MINIMAL_CONFIG.replace("    - tool-extras\n", "    - tool\n"), "stale.yaml")
    result = build(pk_path, stale, tmp_path / "stale", "--lockfile", lock, check=False)
    assert result.returncode != 0 and "lock file was made for packages" in result.stderr and "Traceback" not in result.stderr


def test_several_architectures_make_an_image_index(pk_path, tmp_path):
    factory = Factory(tmp_path / "factory")
    factory.repository("repo", package_set(factory, "x86_64"), "x86_64")
    base = factory.repository("repo", package_set(factory, "aarch64"), "aarch64")
    key = write_keys(factory, tmp_path / "keys")
    config = write_config(tmp_path, base, key, MINIMAL_CONFIG + "archs: [arm64, x86_64]\n")
    output = tmp_path / "multi"
    result = build(pk_path, config, output, "--tag", "pk/multi:2", "--sbom-dir", tmp_path / "sbom")
    assert "arm64: manifest sha256:" in result.stdout and "amd64: manifest sha256:" in result.stdout
    top = read_json(output / "index.json")["manifests"]
    assert len(top) == 1 and top[0]["mediaType"] == "application/vnd.oci.image.index.v1+json"
    index = json.loads(blob(output, top[0]["digest"]))
    platforms = [entry["platform"] for entry in index["manifests"]]
    assert platforms == [{"architecture": "arm64", "os": "linux"}, {"architecture": "amd64", "os": "linux"}]
    for entry in index["manifests"]:
        manifest = json.loads(blob(output, entry["digest"]))
        config_doc = json.loads(blob(output, manifest["config"]["digest"]))
        assert config_doc["architecture"] == entry["platform"]["architecture"]
    assert sorted(os.listdir(tmp_path / "sbom")) == ["sbom-aarch64.spdx.json", "sbom-x86_64.spdx.json"]
    require_tool("skopeo")
    raw = json.loads(run(["skopeo", "inspect", "--raw", f"oci:{output}:2"]).stdout)
    assert raw == index
    run(["skopeo", "copy", "--all", f"oci:{output}:2", f"oci:{tmp_path / 'copy'}:2"])
    assert read_json(tmp_path / "copy" / "index.json")["manifests"][0]["digest"] == top[0]["digest"]
    refused = build(pk_path, config, tmp_path / "d.tar", "--format", "docker-archive", check=False)
    assert refused.returncode == 1 and "docker-archive holds one architecture" in refused.stderr


def test_zstd_layers_hold_the_same_tar(repo, pk_path, layout, tmp_path):
    output = tmp_path / "zstd"
    build(pk_path, repo["config"], output, "--compression", "zstd", "--tag", "pk/test:1.0")
    layer = manifest_of(output)["layers"][0]
    assert layer["mediaType"] == "application/vnd.oci.image.layer.v1.tar+zstd"
    assert blob(output, layer["digest"])[:4] == b"\x28\xb5\x2f\xfd"
    assert layer_tar(output) == layer_tar(layout)  # same diff_id: only the compression differs
    require_tool("skopeo")
    info = json.loads(run(["skopeo", "inspect", f"oci:{output}:1.0"]).stdout)
    assert info["Layers"] == [layer["digest"]]


def test_pk_works_inside_the_image(repo, pk_path, unpacked, tmp_path):
    """The image's world, repositories, keys and installed database let pk add more packages to it."""
    root = tmp_path / "root"
    shutil.copytree(unpacked, root, symlinks=True)
    result = run([pk_path, "--root", root, "--no-scripts", "add", "extra"])
    assert "Installing extra (1.0-r0)" in result.stdout
    assert (root / "usr/share/extra/README").read_bytes() == b"installed later\n"
    assert (root / "etc/apk/world").read_text() == "base-layout\nextra\ntool-extras\n"
    installed = (root / "lib/apk/db/installed").read_text()
    assert [line[2:] for line in installed.splitlines() if line.startswith("P:")] == PACKAGE_NAMES + ["extra"]


def test_config_errors_are_one_line_naming_the_key(repo, pk_path, tmp_path):
    cases = [
        (MINIMAL_CONFIG + "entrypiont:\n  command: /bin/sh\n", "unknown key 'entrypiont'"),
        (MINIMAL_CONFIG.replace("  packages:", "  pakages:"), "unknown key 'contents.pakages'"),
        (MINIMAL_CONFIG + "accounts:\n  users:\n    - username: x\n      uid: nope\n", "'accounts.users[0].uid' must be a number"),
        (MINIMAL_CONFIG + "paths:\n  - path: /x\n    type: fifo\n", "'paths[0].type' must be one of"),
        (MINIMAL_CONFIG + "archs: [mips]\n", "unsupported architecture 'mips'"),
        (MINIMAL_CONFIG + "entrypoint: [oops\n", "invalid YAML"),
        (MINIMAL_CONFIG.replace("tool-extras", "no-such-package"), "unable to select packages"),
    ]
    for number, (text, message) in enumerate(cases):
        config = write_config(tmp_path, repo["repository"], repo["key"], text, f"bad{number}.yaml")
        result = build(pk_path, config, tmp_path / f"out{number}", check=False)
        assert result.returncode != 0, text
        assert message in result.stderr, (message, result.stderr)
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
        assert errors and errors[-1].startswith("ERROR: ") and "\n" not in errors[-1]


def test_apko_config_features(repo, pk_path, tmp_path):
    """include (deep merge), shell-fragment, vcs-url, volumes and stop-signal, as apko maps them."""
    base = write_config(tmp_path, repo["repository"], repo["key"], MINIMAL_CONFIG + "environment:\n  A: base\n", "base.yaml")
    text = ("include: base.yaml\ncontents:\n  packages: [extra]\nentrypoint:\n  shell-fragment: exec tool \"$@\"\n"
            "environment:\n  B: top\nvcs-url: https://example.org/src.git@abc123\nvolumes: [/data]\nstop-signal: SIGINT\n")
    config = write_config(tmp_path, repo["repository"], repo["key"], text, "top.yaml")
    assert os.path.exists(base)
    output = tmp_path / "out"
    build(pk_path, config, output)
    manifest = manifest_of(output)
    runtime = json.loads(blob(output, manifest["config"]["digest"]))["config"]
    assert runtime["Entrypoint"] == ["/bin/sh", "-c", 'exec tool "$@"']
    assert {"A=base", "B=top"} <= set(runtime["Env"])
    assert runtime["Volumes"] == {"/data": {}} and runtime["StopSignal"] == "SIGINT"
    assert manifest["annotations"] == {"org.opencontainers.image.source": "https://example.org/src.git",
                                       "org.opencontainers.image.revision": "abc123"}
    world = layer_members(output)["etc/apk/world"][1]
    assert world == b"base-layout\nextra\ntool-extras\n"


def test_http_repository_and_keyring_url(repo, pk_path, tmp_path):
    """Packages and the key fetched over real HTTP give the same installed set as the local repository."""
    from repo_helpers import Server

    with Server(repo["base"]) as server:
        url = server.url + "/" + os.path.relpath(repo["repository"], repo["base"])
        key_url = server.url + "/" + os.path.relpath(repo["key"], repo["base"])
        config = write_config(tmp_path, url, key_url, MINIMAL_CONFIG, "http.yaml")
        build(pk_path, config, tmp_path / "http", "--sbom-dir", tmp_path / "sbom")
    build(pk_path, repo["minimal"], tmp_path / "local")
    remote, local = layer_members(tmp_path / "http"), layer_members(tmp_path / "local")
    assert remote["lib/apk/db/installed"][1] == local["lib/apk/db/installed"][1]
    assert remote["etc/apk/repositories"][1] == (url + "\n").encode()
    assert remote["etc/apk/keys/factory.rsa.pub"][1] == local["etc/apk/keys/factory.rsa.pub"][1]
    sbom = read_json(tmp_path / "sbom" / "sbom-x86_64.spdx.json")
    # SPDX wants a host name with a domain for downloadLocation, so a 127.0.0.1 URL goes to the comment
    assert sbom["packages"][1]["downloadLocation"] == "NOASSERTION"
    assert f"fetched from {url}/x86_64/base-layout-1.0-r0.apk" in sbom["packages"][1]["comment"]


def test_example_configs_are_valid():
    from buildroot import config
    from support import PROJECT

    examples = sorted((PROJECT / "buildroot" / "examples").glob("*.yaml"))
    assert [path.name for path in examples] == ["alpine-base.yaml", "pybox-base.yaml"]
    loaded = {path.name: config.load(str(path)) for path in examples}
    main = loaded["pybox-base.yaml"]
    assert main.packages == ["pk-baselayout", "pybox"] and main.run_as == "app" and main.users[0].uid == 10000
    assert [platform.oci_name for platform in loaded["alpine-base.yaml"].archs] == ["arm64", "amd64"]
