"""The solver, the change set and the commit output, against apk-tools 3.0.6's behaviour.

Small repositories exercise each rule (dependencies first, providers and priorities,
install_if, pinning, conflicts, fix/upgrade/del); the upstream suites and the real Alpine
v3.16 index check the whole.
"""

import base64
import io
import os
import re
import subprocess
import tarfile

from apk_py import cli, commit, database
from apk_py import solver as S
from support import SHARED, fixture, installed_program, needs_shared

BASIC = """\
C:Q1EyN5AdpAOBJWKMR89pp/C66o+OE=
P:a
V:1
S:1
I:1
D:b

C:Q1eVpkasfqZAukAXFYbgwt4xAMZWU=
P:a
V:2
S:1
I:1
D:b

C:Q1C4uoV7SdMdDhYg4OCVmI71D8HIA=
P:b
V:1
S:1
I:1

C:Q1hdUpqRv5mYgJEqW52UmVsvmyysE=
P:b
V:2
S:1
I:1
"""

INSTALLED_A1_B1 = """\
C:Q1EyN5AdpAOBJWKMR89pp/C66o+OE=
P:a
V:1
S:1
I:1
D:b

C:Q1C4uoV7SdMdDhYg4OCVmI71D8HIA=
P:b
V:1
S:1
I:1
"""


def record(name, version, checksum, **fields):
    lines = [f"C:{checksum}", f"P:{name}", f"V:{version}", "S:1", "I:1"]
    lines += [f"{key}:{value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def checksum(number: int) -> str:
    """A distinct, well-formed identity for test records."""
    return "Q1" + base64.b64encode(number.to_bytes(20, "big")).decode()


def make_root(tmp_path, repos=(), installed="", world=""):
    """A root laid out as apk-tools' test runner does; `repos` are index texts, optionally '@tag text'."""
    root = tmp_path / "root"
    for directory in ("etc/apk", "lib/apk/db", "tmp"):
        (root / directory).mkdir(parents=True, exist_ok=True)
    (root / "etc/apk/world").write_text("\n".join(world.split()) + ("\n" if world else ""))
    (root / "lib/apk/db/installed").write_text(installed)
    lines = []
    for number, repo in enumerate(repos):
        tag = ""
        if isinstance(repo, tuple):
            tag, repo = repo
            tag += " "
        data = repo.encode()
        path = tmp_path / f"repo{number}.tar.gz"
        info = tarfile.TarInfo("APKINDEX")
        info.size = len(data)
        with tarfile.open(path, "w:gz", format=tarfile.USTAR_FORMAT) as tar:
            tar.addfile(info, io.BytesIO(data))
        lines.append(f"{tag}test:/{path}")
    (root / "etc/apk/repositories").write_text("".join(line + "\n" for line in lines))
    return root


def pk(capsys, root, *args):
    """Run pk in simulate mode the way the upstream runner does; (status, stdout+stderr)."""
    status = cli.main(["--root", str(root), "--allow-untrusted", "--simulate", "--root-tmpfs=no", "--no-cache", *args])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_dependencies_are_installed_first(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC])
    status, out = pk(capsys, root, "add", "a")
    assert status == 0
    assert out == "(1/2) Installing b (2)\n(2/2) Installing a (2)\nOK: 2 B in 2 packages\n"


def test_installed_versions_are_kept_unless_upgrading(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC], INSTALLED_A1_B1, "a")
    assert pk(capsys, root, "add")[1] == "OK: 2 B in 2 packages\n"
    assert pk(capsys, root, "upgrade")[1] == "(1/2) Upgrading b (1 -> 2)\n(2/2) Upgrading a (1 -> 2)\nOK: 2 B in 2 packages\n"


def test_fix_reinstalls_and_upgrades(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC], INSTALLED_A1_B1, "a")
    assert pk(capsys, root, "fix", "a")[1] == "(1/1) Reinstalling a (1)\nOK: 2 B in 2 packages\n"
    assert pk(capsys, root, "fix", "--depends", "a")[1].startswith("(1/2) Reinstalling b (1)\n(2/2) Reinstalling a (1)\n")
    assert pk(capsys, root, "fix", "--upgrade", "b")[1] == "(1/1) Upgrading b (1 -> 2)\nOK: 2 B in 2 packages\n"


def test_version_constraints_and_conflict_report(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC])
    status, out = pk(capsys, root, "add", "a", "b<2")
    assert status == 0 and out.startswith("(1/2) Installing b (1)\n(2/2) Installing a (2)\n")
    status, out = pk(capsys, root, "add", "a", "!b")
    assert status != 0
    assert out == "ERROR: unable to select packages:\n  b-2:\n    breaks: world[!b]\n    satisfies: a-2[b]\n"


def test_unknown_package_report(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC])
    status, out = pk(capsys, root, "add", "a", "nonexistent")
    assert status == 1
    assert out == "ERROR: unable to select packages:\n  nonexistent (no such package):\n    required by: world[nonexistent]\n"


def test_fuzzy_versions(tmp_path, capsys):
    repo = record("a", "2.2", checksum(1)) + "\n" + record("a", "2.10", checksum(2))
    root = make_root(tmp_path, [repo])
    assert pk(capsys, root, "add", "a~2.2")[1].startswith("(1/1) Installing a (2.2)\n")
    assert pk(capsys, root, "add", "a>~2.5")[1].startswith("(1/1) Installing a (2.10)\n")
    status, out = pk(capsys, root, "add", "a~2.4")
    assert status != 0 and out == "ERROR: unable to select packages:\n  a-2.10:\n    breaks: world[a~2.4]\n"


def test_virtual_names_need_a_choice_or_a_priority(tmp_path, capsys):
    repo = "\n".join([
        record("dash-binsh", "1", checksum(1), p="/bin/sh", k="60"),
        record("busybox-binsh", "1", checksum(2), p="/bin/sh", k="100"),
        record("mta-a", "1", checksum(3), p="mta"),
        record("mta-b", "1", checksum(4), p="mta"),
    ])
    root = make_root(tmp_path, [repo])
    assert pk(capsys, root, "add", "/bin/sh")[1].startswith("(1/1) Installing busybox-binsh (1)\n")
    assert pk(capsys, root, "add", "/bin/sh", "dash-binsh")[1].startswith("(1/1) Installing dash-binsh (1)\n")
    status, out = pk(capsys, root, "add", "mta")
    assert status != 0
    assert out == ("ERROR: unable to select packages:\n  mta (virtual):\n"
                   "    note: please select one of the 'provided by'\n          packages explicitly\n"
                   "    provided by: mta-a mta-b\n    required by: world[mta]\n")


def test_install_if_follows_its_conditions(tmp_path, capsys):
    repo = "\n".join([
        record("app", "1", checksum(1)),
        record("docs", "1", checksum(2)),
        record("app-doc", "1", checksum(3), i="app docs"),
    ])
    root = make_root(tmp_path, [repo])
    assert pk(capsys, root, "add", "app")[1] == "(1/1) Installing app (1)\nOK: 1 B in 1 packages\n"
    out = pk(capsys, root, "add", "app", "docs")[1]
    assert out == "(1/3) Installing app (1)\n(2/3) Installing docs (1)\n(3/3) Installing app-doc (1)\nOK: 3 B in 3 packages\n"


def test_tagged_repository_is_used_only_when_asked(tmp_path, capsys):
    main = record("a", "2", checksum(1))
    testing = record("a", "3", checksum(2))
    root = make_root(tmp_path, [main, ("@testing", testing)])
    assert pk(capsys, root, "add", "a")[1].startswith("(1/1) Installing a (2)\n")
    assert pk(capsys, root, "add", "a@testing")[1].startswith("(1/1) Installing a@testing (3)\n")
    status, out = pk(capsys, root, "add", "a>2")
    assert status != 0 and "masked in: @testing" in out


def test_latest_prefers_newest_over_installed(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC], INSTALLED_A1_B1, "a")
    assert pk(capsys, root, "add", "--latest", "a")[1].startswith("(1/2) Upgrading b (1 -> 2)\n")


def test_delete_reports_what_keeps_a_package(tmp_path, capsys):
    repo = record("sh", "1", checksum(1), p="/bin/sh=1")
    installed = record("sh", "1", checksum(1), p="/bin/sh=1")
    root = make_root(tmp_path, [repo], installed, "/bin/sh sh")
    status, out = pk(capsys, root, "del", "sh")
    assert status == 0
    assert out == "World updated, but the following packages are not removed due to:\n  sh: /bin/sh\n\nOK: 1 B in 1 packages\n"
    status, out = pk(capsys, root, "del", "nothing-like-it")
    assert status == 1 and out == "ERROR: No such package: nothing-like-it\n"


def test_virtual_package_from_the_command_line(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC])
    out = pk(capsys, root, "add", "-t", ".deps=1", "a")[1]
    assert out == "(1/3) Installing b (2)\n(2/3) Installing a (2)\n(3/3) Installing .deps (1)\nOK: 2 B in 3 packages\n"
    status, out = pk(capsys, root, "add", "-t", ".deps>1")
    assert status != 0 and out == "ERROR: .deps>1: bad package specifier\n"


def test_bad_input_gives_apk_errors(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC])
    status, out = pk(capsys, root, "add", "foo==")
    assert status != 0
    assert out == "ERROR: 'foo==' is not a valid world dependency, format is name(@tag)([<>~=]version)\n"
    (root / "etc/apk/world").write_text("a=x.y\n")
    status, out = pk(capsys, root, "add")
    assert status == 99
    assert out == ("ERROR: Unable to read database: package version is invalid\n"
                   "ERROR: Failed to open apk database: package version is invalid\n")
    status, out = pk(capsys, tmp_path / "missing", "add", "a")
    assert status == 99 and out == "ERROR: Unable to open root: No such file or directory\n"


def test_malformed_installed_database_and_repositories(tmp_path, capsys):
    root = make_root(tmp_path, [BASIC], "P:a\nnot a field\n", "a")
    status, out = pk(capsys, root, "add")
    assert status == 99 and out.startswith("ERROR: Unable to read database: v2 database format error\n")
    root = make_root(tmp_path, [BASIC])
    with open(root / "etc/apk/repositories", "a") as handle:
        handle.write("nonsense\n")
    status, out = pk(capsys, root, "add", "a")
    assert status == 0 and "WARNING: etc/apk/repositories:2: unrecogized keyword: nonsense\n" in out


def test_identity_ignores_base64_padding_bits():
    assert database.identity("Q1hdUpqRv5mYgJEqW52UmVsvmyysE=") == database.identity("Q1hdUpqRv5mYgJEqW52UmVsvmyysF=")
    assert database.identity("Q1hdUpqRv5mYgJEqW52UmVsvmyysE=") != database.identity("Q1hdUpqRv5mYgJEqW52UmVsvmyysI=")


def test_murmur3_matches_reference_vectors():
    assert database.murmur3_32(b"", 0) == 0
    assert database.murmur3_32(b"", 1) == 0x514E28B7
    assert database.murmur3_32(b"hello", 0) == 0x248BFA47
    assert database.murmur3_32(b"The quick brown fox jumps over the lazy dog", 0) == 0x2E4FF723


def test_many_names_hash_like_one_at_a_time():
    texts = [f"py3-name-{number}-doc".encode()[: number % 23] for number in range(300)] + [b"", b"\xff\xfe"]
    assert database.murmur3_32_many(texts, 5381) == [database.murmur3_32(text, 5381) for text in texts]


IRREGULAR_INDEX = """\
P:late-checksum
V:1
C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAE=
D:a
p:cmd:x=1 so:libx.so.1=1
D:b

C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAI=
P:a
V:2
i:late-checksum docs
"""


def _graph(db):
    packages = sorted((pkg.name.name, pkg.version, [str(dep) for dep in pkg.depends], list(pkg.provided),
                       list(pkg.install_if_names)) for pkg in db.packages.values())
    providers = {name.name: [(pkg.version, version) for pkg, version in name.providers] for name in db.names.values()}
    providers.update({text: [(pkg.version, version) for pkg, version in found]
                      for text, found in db._pending_providers.items()})
    return packages, providers


def test_usual_index_layout_reads_like_the_general_reader(tmp_path):
    """The one-pattern reader and the general one agree; irregular records take the latter."""
    regular = "\n".join([
        record("a", "2", checksum(1), D="b so:libc.musl-x86_64.so.1", p="cmd:a=2 so:liba.so.1=2"),
        record("b", "1", checksum(2), k="10", D="c>=1.2 !d", p="virtual", i="a=2 docs"),
        record("b-bad", "1", checksum(3), D="c=1.x"),
    ])
    ctx = type("Ctx", (), {"arch": "x86_64", "out": None})()
    fast, general = database.Database(ctx), database.Database(ctx)
    fast.add_index_text(regular, 1, "test")
    general._add_records(regular, 2, False, "test")
    assert _graph(fast) == _graph(general)
    assert fast.compat_depversions and fast.compat_notinstallable
    assert [pkg.name.name for pkg in fast.packages.values() if pkg.uninstallable] == ["b-bad"]
    irregular = database.Database(ctx)
    irregular.add_index_text(IRREGULAR_INDEX, 1, "test")
    late = irregular.names["late-checksum"].providers[0][0]
    assert [str(dep) for dep in late.depends] == ["a", "b"]
    assert late.provided == [("cmd:x", "1"), ("so:libx.so.1", "1")]


def test_discovery_numbers_names_as_apks_depth_first_walk(tmp_path):
    """Provided names nest (each walks its package's remaining provides); the order ids
    must be those of apk's plain recursive walk."""
    repo = "\n".join([
        record("top", "1", checksum(1), D="tool"),
        record("tool", "1", checksum(2), p="cmd:one=1 cmd:two=1 cmd:three=1", D="lib"),
        record("lib", "1", checksum(3), p="so:lib.so.1=1"),
        record("tool-doc", "1", checksum(4), i="tool=1 docs"),
        record("docs", "1", checksum(5)),
    ])
    ctx = type("Ctx", (), {"arch": "x86_64", "out": None, "forced": lambda self, what: False})()
    db = database.Database(ctx)
    db.add_index_text(repo, 1, "test")
    top = db.name("top")
    solver = S.Solver(db, 0)
    solver.discover_name(top)
    order = sorted((name.order_id & 0xFFFFFFF, name.name) for name in db.names.values() if name.seen_in == solver.run)
    # A name gets its id before its providers' install_if conditions are walked.
    assert [text for _, text in order] == ["so:lib.so.1", "lib", "tool-doc", "docs", "cmd:three", "cmd:two", "cmd:one",
                                           "tool", "top"]


def test_human_sizes_as_apk_prints_them():
    assert commit.human_size(2) == "2 B"
    assert commit.human_size(9999) == "9999 B"
    assert commit.human_size(10000) == "9 KiB"
    assert commit.human_size(9184 * 1024) == "9184 KiB"
    assert commit.human_size(170163 * 1024) == "166.2 MiB"


def test_indented_lists_wrap_under_their_label():
    out = io.StringIO()
    indent = commit.Indented(out, 50)
    indent.group(0, "    provided by:")
    for word in ("conflicted-provider-a", "conflicted-provider-b"):
        indent.item(word)
    indent.end()
    assert out.getvalue() == "    provided by: conflicted-provider-a\n                 conflicted-provider-b\n"


def _suite(tool: str, data: str) -> str:
    runner = needs_shared("tools", tool)
    target = needs_shared("conformance", *data.split("/"))
    env = dict(os.environ, APK=installed_program("pk"))
    result = subprocess.run([str(runner), "-j", "2", str(target)], cwd=str(SHARED), env=env,
                            capture_output=True, text=True, timeout=1800)
    return result.stdout.strip().splitlines()[-1]


def test_upstream_solver_suite():
    last = _suite("apk-solver-suite", "apk-solver")
    assert re.fullmatch(r"\d+ passed, 0 failed", last), last


def test_upstream_version_suite_fuzzy_matching():
    last = _suite("apk-version-suite", "apk-version/version.data")
    assert re.fullmatch(r"\d+ passed, 0 failed", last), last


def test_real_alpine_index_plan(tmp_path):
    index = fixture("alpine", "v3.16", "main", "x86_64", "APKINDEX.tar.gz")
    keys = fixture("alpine", "keys")
    repository = index.parent.parent
    root = tmp_path / "root"
    root.mkdir()
    result = subprocess.run([installed_program("pk"), "--root", str(root), "--arch", "x86_64", "--no-cache", "--simulate",
                             "--keys-dir", str(keys), "-X", str(repository), "add", "alpine-base", "python3", "gcc"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert result.stderr == "WARNING: The indexes contain broken packages which are not installable.\n"
    lines = result.stdout.splitlines()
    assert lines[-1] == "OK: 162.3 MiB in 42 packages"
    plan = [re.fullmatch(r"\(\s*(\d+)/42\) Installing (\S+) \((\S+)\)", line) for line in lines[:-1]]
    assert all(plan) and [int(match.group(1)) for match in plan] == list(range(1, 43))
    names = [match.group(2) for match in plan]
    # apk walks the world (sorted) depth first, each package after its dependencies.
    assert names[:4] == ["alpine-baselayout-data", "musl", "busybox", "alpine-baselayout"]
    assert names[10] == "ssl_client"  # pulled in by install_if right after libssl1.1
    assert names.index("alpine-base") == 20 and names.index("gcc") == 30 and names[-1] == "python3"
    assert names.index("mpfr4") < names.index("mpc1") < names.index("gcc")
