"""find: tests, operators, actions, walk options, BusyBox messages and hostile trees."""

import os

import pytest


@pytest.fixture
def tree(tmp_path):
    """t/ with files, a subdirectory, an empty dir, a symlink and an odd file name."""
    root = tmp_path / "t"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "a.txt").write_bytes(b"hello\n")
    (root / "b.c").write_bytes(b"")
    (root / "sub" / "c.txt").write_bytes(b"x" * 2000)
    (root / "sub" / "deep" / "d.TXT").write_bytes(b"y")
    os.symlink("a.txt", root / "link")
    (root / os.fsdecode(b"bad\xffname")).write_bytes(b"z")
    return root


def lines(result) -> list[bytes]:
    return sorted(result.stdout.splitlines())


def test_plain_walk_lists_everything(applet, tree):
    result = applet("find", "t")
    assert result.returncode == 0
    assert lines(result) == sorted(
        [b"t", b"t/sub", b"t/sub/deep", b"t/sub/deep/d.TXT", b"t/sub/c.txt", b"t/empty",
         b"t/a.txt", b"t/b.c", b"t/link", b"t/bad\xffname"]
    )


def test_directory_comes_before_its_contents_and_depth_reverses(applet, tree):
    out = applet("find", "t/sub").stdout.splitlines()
    assert out[0] == b"t/sub"
    assert out.index(b"t/sub/deep") < out.index(b"t/sub/deep/d.TXT")
    out = applet("find", "t/sub", "-depth").stdout.splitlines()
    assert out[-1] == b"t/sub"
    assert out.index(b"t/sub/deep/d.TXT") < out.index(b"t/sub/deep")


def test_default_path_is_dot(applet, tree):
    assert lines(applet("find", "-name", "*.c", cwd=tree)) == [b"./b.c"]


def test_name_iname_path_regex(applet, tree):
    assert lines(applet("find", "t", "-name", "*.txt")) == [b"t/a.txt", b"t/sub/c.txt"]
    assert lines(applet("find", "t", "-iname", "*.TXT")) == [b"t/a.txt", b"t/sub/c.txt", b"t/sub/deep/d.TXT"]
    assert lines(applet("find", "t", "-path", "t/sub/*")) == [b"t/sub/c.txt", b"t/sub/deep", b"t/sub/deep/d.TXT"]
    assert lines(applet("find", "t", "-ipath", "T/SUB/DEEP")) == [b"t/sub/deep"]
    assert lines(applet("find", "t", "-regex", r".*/[ab]\.[a-z]*")) == [b"t/a.txt", b"t/b.c"]
    assert lines(applet("find", "t", "-regex", r"t/s\(u\)b")) == [b"t/sub"]


def test_name_patterns_brackets_escapes_and_star_matching_dots(applet, tree):
    (tree / ".hidden").write_bytes(b"")
    (tree / "q?").write_bytes(b"")
    assert lines(applet("find", "t", "-maxdepth", "1", "-name", "*hidden")) == [b"t/.hidden"]
    assert lines(applet("find", "t", "-name", "[!a-b]*.txt")) == [b"t/sub/c.txt"]
    assert lines(applet("find", "t", "-name", "[[:upper:]]*")) == []
    assert lines(applet("find", "t", "-name", "q\\?")) == [b"t/q?"]
    assert lines(applet("find", "t", "-name", "bad?name")) == [b"t/bad\xffname"]


def test_type(applet, tree):
    assert lines(applet("find", "t", "-type", "d")) == [b"t", b"t/empty", b"t/sub", b"t/sub/deep"]
    assert lines(applet("find", "t", "-type", "l")) == [b"t/link"]
    assert b"t/link" not in lines(applet("find", "t", "-type", "f"))
    assert lines(applet("find", "-L", "t", "-type", "l")) == []
    assert b"t/link" in lines(applet("find", "-L", "t", "-type", "f"))


def test_size_empty_links_perm(applet, tree):
    assert lines(applet("find", "t", "-type", "f", "-size", "+1k")) == [b"t/sub/c.txt"]
    assert lines(applet("find", "t", "-size", "6c")) == [b"t/a.txt"]
    assert lines(applet("find", "t", "-type", "f", "-size", "-1")) == [b"t/a.txt", b"t/b.c", b"t/bad\xffname", b"t/sub/deep/d.TXT"]
    assert lines(applet("find", "t", "-empty")) == [b"t/b.c", b"t/empty"]
    assert lines(applet("find", "t", "-type", "d", "-links", "+2")) == [b"t", b"t/sub"]
    os.chmod(tree / "b.c", 0o751)
    assert lines(applet("find", "t", "-perm", "751")) == [b"t/b.c"]
    assert lines(applet("find", "t", "-type", "f", "-perm", "-o+x")) == [b"t/b.c"]
    assert lines(applet("find", "t", "-type", "f", "-perm", "/g=x")) == [b"t/b.c"]


def test_times_newer_and_identity(applet, tree):
    os.utime(tree / "a.txt", (0, 0))
    assert b"t/a.txt" in lines(applet("find", "t", "-mtime", "+1000"))
    assert b"t/a.txt" not in lines(applet("find", "t", "-mmin", "-5"))
    assert lines(applet("find", "t", "-newer", "t/a.txt", "-name", "*.c")) == [b"t/b.c"]
    inode = str(os.stat(tree / "b.c").st_ino)
    assert lines(applet("find", "t", "-inum", inode)) == [b"t/b.c"]
    assert lines(applet("find", "t", "-samefile", "t/b.c")) == [b"t/b.c"]
    assert lines(applet("find", "t", "-name", "b.c", "-user", "0", "-group", "root")) == [b"t/b.c"]


def test_operators_and_precedence(applet, tree):
    assert lines(applet("find", "t", "-name", "*.c", "-o", "-name", "a.*")) == [b"t/a.txt", b"t/b.c"]
    assert lines(applet("find", "t", "!", "-type", "d", "-a", "-name", "*.c")) == [b"t/b.c"]
    assert lines(applet("find", "t", "-not", "(", "-type", "d", "-or", "-name", "*t*", ")")) == [
        b"t/b.c", b"t/bad\xffname", b"t/link", b"t/sub/deep/d.TXT"]
    # -print binds to its own group only
    assert lines(applet("find", "t", "-name", "a.txt", "-print", "-o", "-name", "b.c")) == [b"t/a.txt"]


def test_prune_and_depth_limits(applet, tree):
    assert lines(applet("find", "t", "-name", "sub", "-prune", "-o", "-type", "f", "-print")) == [
        b"t/a.txt", b"t/b.c", b"t/bad\xffname"]
    assert lines(applet("find", "t", "-maxdepth", "1", "-type", "d")) == [b"t", b"t/empty", b"t/sub"]
    assert lines(applet("find", "t", "-mindepth", "2", "-type", "d")) == [b"t/sub/deep"]
    assert lines(applet("find", "t", "-maxdepth", "0")) == [b"t"]


def test_print0_exec_and_exec_plus(applet, tree):
    assert applet("find", "t/a.txt", "t/b.c", "-print0").stdout == b"t/a.txt\0t/b.c\0"
    result = applet("find", "t", "-name", "*.txt", "-exec", "echo", "<{}>", ";")
    assert sorted(result.stdout.splitlines()) == [b"<t/a.txt>", b"<t/sub/c.txt>"]
    result = applet("find", "t/a.txt", "t/b.c", "-exec", "echo", "files:", "{}", "+")
    assert result.stdout == b"files: t/a.txt t/b.c\n"


def test_exec_exit_codes(applet, tree):
    assert applet("find", "t/a.txt", "-exec", "false", ";").returncode == 0
    assert applet("find", "t/a.txt", "-exec", "false", "{}", "+").returncode == 1
    result = applet("find", "t/a.txt", "-exec", "no-such-command-xyz", ";", "-print")
    assert result.stdout == b""
    assert result.stderr == b"find: no-such-command-xyz: No such file or directory\n"


def test_ok_asks_on_stderr(applet, tree):
    result = applet("find", "t/a.txt", "t/b.c", "-ok", "echo", "run", "{}", ";", input=b"y\nn\n")
    assert result.stderr == b"echo run t/a.txt ?echo run t/b.c ?"
    assert result.stdout == b"run t/a.txt\n"


def test_delete_removes_depth_first(applet, tree):
    assert applet("find", "t/sub", "-delete").returncode == 0
    assert not (tree / "sub").exists()
    assert applet("find", ".", "-name", "nothing", "-delete", cwd=tree).returncode == 0


def test_quit_stops_after_first_match(applet, tree):
    result = applet("find", "t/a.txt", "t/b.c", "-print", "-quit")
    assert result.stdout == b"t/a.txt\n"


def test_root_name_rules(applet, tmp_path):
    assert applet("find", "/", "-maxdepth", "0", "-name", "/").stdout == b"/\n"
    assert applet("find", "//", "-maxdepth", "0", "-name", "/").stdout == b"//\n"
    assert applet("find", "./", "-maxdepth", "0", "-name", ".").stdout == b"./\n"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"")
    assert applet("find", "d//").stdout == b"d//\nd//f\n"


def test_missing_path_reports_and_continues(applet, tree):
    result = applet("find", "nope", "t/b.c")
    assert result.returncode == 1
    assert result.stdout == b"t/b.c\n"
    assert result.stderr == b"find: nope: No such file or directory\n"


def test_file_given_as_directory_operand(applet, tree):
    result = applet("find", "t/a.txt/")
    assert result.returncode == 1
    assert result.stderr == b"find: t/a.txt/: Not a directory\n"


def test_symlink_loops(applet, tmp_path):
    (tmp_path / "l" / "a").mkdir(parents=True)
    os.symlink("..", tmp_path / "l" / "a" / "up")
    os.symlink("self", tmp_path / "l" / "self")
    os.symlink("nowhere", tmp_path / "l" / "dangling")
    plain = applet("find", "l")
    assert plain.returncode == 0
    assert lines(plain) == [b"l", b"l/a", b"l/a/up", b"l/dangling", b"l/self"]
    followed = applet("find", "-L", "l")
    assert followed.returncode == 1
    assert lines(followed) == [b"l", b"l/a", b"l/a/up", b"l/dangling"]
    assert b"find: l/self: Too many levels of symbolic links\n" in followed.stderr
    assert b"find: l/a/up: File system loop detected\n" in followed.stderr


def test_parse_errors(applet, tree):
    def error(*args):
        result = applet("find", "t", *args)
        assert result.returncode == 1
        assert result.stdout == b""
        return result.stderr

    assert error("-name") == b"find: -name requires an argument\n"
    assert error("-type", "x") == b"find: invalid argument 'x' to '-type'\n"
    assert error("-exec", "echo") == b"find: -exec requires an argument\n"
    assert error("-exec", "echo", "{}", "{}", "+") == b"find: only one '{}' allowed for -exec +\n"
    assert error("-perm", "9") == b"find: invalid mode '9'\n"
    assert error("-mtime", "+x") == b"find: invalid number 'x'\n"
    assert error("-size", "1q") == b"find: invalid number '1q'\n"
    assert error("-newer", "nope") == b"find: can't stat 'nope': No such file or directory\n"
    assert error("-user", "no-such-user-here") == b"find: unknown user no-such-user-here\n"
    assert error("(", "-name", "a") == b"find: unpaired '('\n"
    assert error("-regex", "\\(") == b"find: bad regex '\\(': Unmatched ( or \\(\n"
    assert error("-bogus").startswith(b"find: unrecognized: -bogus\n")
    assert b"Usage: find [-HL] [PATH]... [OPTIONS] [ACTIONS]" in error("-bogus")


def test_large_flat_directory(applet, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    for number in range(3000):
        (big / f"f{number}.txt").write_bytes(b"")
    result = applet("find", "big", "-name", "f2999.*")
    assert result.stdout == b"big/f2999.txt\n"
    assert len(applet("find", "big").stdout.splitlines()) == 3001
