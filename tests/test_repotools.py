"""Repository tooling through the CLI: keygen, sign, index options, recipe builds."""

import os
import stat
import subprocess
import tarfile

from apk_py import apkfile, index, trust
from pkgfactory import Factory
from repo_helpers import run_pk


def test_keygen_names_and_protects_the_key_pair(pk_path, tmp_path):
    result = run_pk(pk_path, "keygen", "-o", str(tmp_path), "--name", "dev@example.org", "--bits", "2048")
    private, public = result.stdout.split()
    assert os.path.basename(private).startswith("dev@example.org-") and private.endswith(".rsa")
    assert len(os.path.basename(private)) == len("dev@example.org-") + 8 + len(".rsa")
    assert public == private + ".pub"
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    key = trust.parse_public_key("k", open(public, "rb").read())
    assert key.modulus.bit_length() == 2048
    assert open(public, "rb").read() == trust.public_pem_of(private)
    refused = run_pk(pk_path, "keygen", "-o", str(tmp_path), "--bits", "1024", check=False)
    assert refused.returncode == 1 and "ERROR: keygen: keys shorter than 2048 bits are refused" in refused.stderr


def _signature_names(path):
    with tarfile.open(path) as archive:
        return [name for name in archive.getnames() if name.startswith(".SIGN.")]


def test_sign_replaces_signatures_with_sha1_or_sha256(pk_path, tmp_path):
    factory = Factory(tmp_path / "factory")
    package = tmp_path / "p-1.0-r0.apk"
    package.write_bytes(factory.package("p"))
    key = factory.key
    run_pk(pk_path, "sign", "-k", key, str(package))
    assert _signature_names(package) == [".SIGN.RSA.factory.rsa.pub"]
    run_pk(pk_path, "sign", "--sha256", "-k", key, str(package))
    assert _signature_names(package) == [".SIGN.RSA256.factory.rsa.pub"]
    keys = {"factory.rsa.pub": trust.parse_public_key("factory.rsa.pub", factory.public)}
    with apkfile.ApkFile.open(str(package)) as opened:
        assert opened.verify(keys).name == "factory.rsa.pub"
        opened.check_contents()


def test_index_options(pk_path, tmp_path):
    factory = Factory(tmp_path / "factory")
    first = tmp_path / "a-1.0-r0.apk"
    second = tmp_path / "b-2.0-r1.apk"
    first.write_bytes(factory.package("a", depends=["b"], arch="x86_64"))
    second.write_bytes(factory.package("b", "2.0-r1", arch="x86_64"))
    output = tmp_path / "APKINDEX.tar.gz"
    run_pk(pk_path, "index", "-o", str(output), "--description", "test repo", "--rewrite-arch", "noarch", str(second), str(first))
    parsed = index.load(output.read_bytes(), "index", allow_untrusted=True)
    assert [p.name for p in parsed.packages] == ["a", "b"]
    assert parsed.description == "test repo" and {p.arch for p in parsed.packages} == {"noarch"}
    assert parsed.packages[0].fields["D"] == "b"
    again = tmp_path / "again.tar.gz"
    run_pk(pk_path, "index", "-o", str(again), "--index", str(output), "--description", "test repo",
           "--rewrite-arch", "noarch", str(first), str(second))
    assert [p.fields for p in index.load(again.read_bytes(), "i", allow_untrusted=True).packages] == [p.fields for p in parsed.packages]
    missing = run_pk(pk_path, "index", "-o", str(output), str(tmp_path / "nope.apk"), check=False)
    assert missing.returncode == 1 and "nope.apk: No such file or directory" in missing.stderr


def test_build_recipes_into_a_signed_repository(pk_path, tmp_path):
    factory = Factory(tmp_path / "factory")
    recipes = tmp_path / "recipes"
    (recipes / "hello" / "files" / "usr" / "bin").mkdir(parents=True)
    script = recipes / "hello" / "files" / "usr" / "bin" / "hello"
    script.write_text("#!/bin/sh\necho hello\n")
    script.chmod(0o755)
    (recipes / "hello" / "post-install.sh").write_text("#!/bin/sh\ntrue\n")
    (recipes / "hello" / "recipe.toml").write_text(
        'name = "hello"\nversion = "1.0-r0"\ndescription = "says hello"\nlicense = "MIT"\n'
        'depends = ["busybox"]\nscripts = { post-install = "post-install.sh" }\n'
        'build = "mkdir -p \\"$DESTDIR/usr/share/doc/hello\\" && echo doc > \\"$DESTDIR/usr/share/doc/hello/README\\""\n')
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    out = tmp_path / "repo"
    subprocess.run([pk_path, "build", "-o", str(out), "-k", factory.key, "--arch", "x86_64", str(recipes)], check=True, env=env,
                   capture_output=True)
    apk = out / "x86_64" / "hello-1.0-r0.apk"
    with apkfile.ApkFile.open(str(apk)) as package:
        info = package.control[".PKGINFO"].decode()
        assert "depend = busybox\n" in info and "provides = cmd:hello=1.0-r0\n" in info
        assert ".post-install" in package.scripts()
        names = [entry.name for entry, _ in package.entries()]
    assert "usr/share/doc/hello/README" in names and "usr/bin/hello" in names
    first = apk.read_bytes()
    subprocess.run([pk_path, "build", "-o", str(out), "-k", factory.key, "--arch", "x86_64", str(recipes)], check=True, env=env,
                   capture_output=True)
    assert apk.read_bytes() == first
    (recipes / "hello" / "recipe.toml").write_text('name = "hello"\nversion = "1.0-r0"\nbogus = 1\n')
    bad = run_pk(pk_path, "build", "-o", str(out), "-k", factory.key, str(recipes), check=False)
    assert bad.returncode == 1 and "unknown key 'bogus'" in bad.stderr
