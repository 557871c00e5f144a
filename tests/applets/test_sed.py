"""sed: commands, addresses, s/// details, newline bookkeeping, -i, GNU extras, hostile input."""

import os

NUMBERS = b"".join(b"%d\n" % n for n in range(1, 11))


def sed(applet, *args, input=NUMBERS):
    result = applet("sed", *args, input=input)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_addresses_and_ranges(applet):
    assert sed(applet, "-n", "3p") == b"3\n"
    assert sed(applet, "-n", "$p") == b"10\n"
    assert sed(applet, "-n", "/^2/,/4/p") == b"2\n3\n4\n"
    assert sed(applet, "-n", "/5/,+2p") == b"5\n6\n7\n"
    assert sed(applet, "-n", "8,3p") == b"8\n"
    assert sed(applet, "2,9d") == b"1\n10\n"
    assert sed(applet, "2,9!d") == b"2\n3\n4\n5\n6\n7\n8\n9\n"
    assert sed(applet, "-n", r"\%1%p") == b"1\n10\n"
    # BusyBox: a numbered range whose first line was deleted still starts later
    assert sed(applet, "-n", "1d;1,3p", input=b"a\nb\nc\nd\n") == b"b\nc\n"
    assert sed(applet, "-n", "2d;2,1p", input=b"a\nb\nc\nd\n") == b"c\n"


def test_gnu_addresses(applet):
    assert sed(applet, "-n", "1~3p") == b"1\n4\n7\n10\n"
    assert sed(applet, "0~4d") == b"1\n2\n3\n5\n6\n7\n9\n10\n"
    assert sed(applet, "2,~4d") == b"1\n5\n6\n7\n8\n9\n10\n"
    assert sed(applet, "0,/1/d") == b"2\n3\n4\n5\n6\n7\n8\n9\n10\n"
    assert sed(applet, "1,/1/d") == b""  # without 0, the end is looked for from line 2 on
    assert sed(applet, "-n", "/A/Ip", input=b"a\nb\n") == b"a\n"


def test_substitute_flags_and_references(applet):
    assert sed(applet, "s/a/b/2", input=b"aaa\n") == b"aba\n"
    assert sed(applet, "s/a/b/2g", input=b"aaaa\n") == b"bbbb\n"  # BusyBox: the last of N and g wins
    assert sed(applet, "s/a/b/g2", input=b"aaaa\n") == b"abaa\n"
    assert sed(applet, r"s/\(.\)\(.\)/\2\1/", input=b"abc\n") == b"bac\n"
    assert sed(applet, "-E", r"s/(a|b)+/<&>/g", input=b"abcab\n") == b"<ab>c<ab>\n"
    assert sed(applet, r"s/b/\n/;s/c/\t/", input=b"abc\n") == b"a\n\t\n"
    assert sed(applet, r"s/x/a\&b\\c/", input=b"x\n") == b"a&b\\c\n"
    assert sed(applet, "s/A/x/gI", input=b"aAa\n") == b"xxx\n"
    assert sed(applet, "-n", "s/a/b/p", input=b"a\nc\n") == b"b\n"
    assert sed(applet, r"s/a/\U&/", input=b"a\n") == b"Ua\n"  # no case conversion, as in BusyBox
    assert sed(applet, "s/a\\|ab/X/", input=b"abc\n") == b"Xc\n"  # leftmost-longest


def test_empty_matches_follow_busybox(applet):
    assert sed(applet, "s/l*/@/g", input=b"helllo\n") == b"@h@e@o@\n"
    assert sed(applet, "s [^ .]* x g", input=b" a.b\n") == b"x x.x\n"
    assert sed(applet, "s/x*/-/g", input=b"abc\n") == b"-a-b-c-\n"
    assert sed(applet, "s/ *$/_/g", input=b"qwerty  \n") == b"qwerty_\n"
    assert sed(applet, "s/b*/X/2", input=b"bac\n") == b"bXac\n"
    assert sed(applet, "s/e*//g", input=b"eeaeb\n") == b"ab\n"


def test_delimiters_and_escapes(applet):
    assert sed(applet, "s@[@]@@", input=b"one@two") == b"onetwo"
    assert sed(applet, "s+9\\++X+", input=b"9+8=17\n") == b"X8=17\n"
    assert sed(applet, "s&9&X\\&&", input=b"9+8=17\n") == b"X&+8=17\n"
    assert sed(applet, "s1\\(9\\)1X\\11", input=b"9+8=17\n") == b"X1+8=17\n"
    assert sed(applet, "s/xxx/[/", input=b"xxx\n") == b"[\n"
    assert sed(applet, "y/abc/xyz/", input=b"aabbcc\n") == b"xxyyzz\n"
    assert sed(applet, "y/a\\/b/1|2/", input=b"a/b\n") == b"1|2\n"


def test_append_insert_change(applet):
    assert sed(applet, "2a\\\nadded", input=b"1\n2\n3\n") == b"1\n2\nadded\n3\n"
    assert sed(applet, "1i  first", input=b"x\n") == b"first\nx\n"
    assert sed(applet, "2,3c\\\nchanged", input=b"1\n2\n3\n4\n") == b"1\nchanged\n4\n"
    assert sed(applet, "$!c\\\nz", input=b"1\n2\n") == b"z\n2\n"
    assert sed(applet, "-e", "a\\", "-e", "tail", input=b"x\n") == b"x\ntail\n"
    assert sed(applet, "/1/a\\\\t\\rzero\\none", input=b"line1\n") == b"line1\n\t\rzero\none\n"
    assert sed(applet, "a foo", input=b"woot") == b"woot\nfoo\n"
    assert sed(applet, "i foo", input=b"woot") == b"foo\nwoot"


def test_multiline_commands(applet):
    assert sed(applet, ":a;N;$!ba;s/\\n/,/g") == b"1,2,3,4,5,6,7,8,9,10\n"
    assert sed(applet, "$!N;P;D", input=b"a\nb\nc\n") == b"a\nb\nc\n"
    assert sed(applet, "-n", "1!G;h;$p", input=b"a\nb\nc\n") == b"c\nb\na\n"
    assert sed(applet, "N;N;s/\\n/+/g", input=b"1\n2\n3\n4\n") == b"1+2+3\n4\n"
    assert sed(applet, "x;G", input=b"a\nb\n") == b"\na\na\nb\n"
    assert sed(applet, "-n", "$=") == b"10\n"
    assert sed(applet, "n;d") == b"1\n3\n5\n7\n9\n"


def test_branches_and_quit(applet):
    assert sed(applet, "s/a/1/;t one;p;: one;p", input=b"a\nb\n") == b"1\n1\nb\nb\nb\n"
    assert sed(applet, "s/a/1/;T skip;s/$/!/;: skip", input=b"a\nb\n") == b"1!\nb\n"
    assert sed(applet, ":x;s/e//;tx", input=b"eeexe\n") == b"x\n"
    assert sed(applet, "3q") == b"1\n2\n3\n"
    assert sed(applet, "/4/{p;q}") == b"1\n2\n3\n4\n4\n"
    quit_code = applet("sed", "2q5", input=NUMBERS)
    assert (quit_code.stdout, quit_code.returncode) == (b"1\n2\n", 5)
    assert sed(applet, "3Q") == b"1\n2\n"
    assert sed(applet, "/x/{/y/d}", input=b"xy\nx\ny\n") == b"x\ny\n"


def test_newline_bookkeeping(applet, tmp_path):
    (tmp_path / "input").write_bytes(b"one")
    (tmp_path / "two").write_bytes(b"a woo\nb woo")
    assert applet("sed", "p", "input", "-", input=b"two").stdout == b"one\none\ntwo\ntwo"
    assert applet("sed", "-n", "s/woo/bang/p", "two", "-", input=b"c no\nd woo").stdout == b"a bang\nb bang\nd bang"
    assert applet("sed", "s/x/y/", "input", "-", input=b"").stdout == b"one"
    assert applet("sed", "$p", "two", "-", input=b"\n").stdout == b"a woo\nb woo\n\n\n"
    assert sed(applet, "G", input=b"a\nb") == b"a\n\nb\n\n"


def test_write_and_read_files(applet, tmp_path):
    (tmp_path / "extra").write_bytes(b"r1\nr2")
    result = applet("sed", "-n", "-e", "/a/w out", "-e", "/c/w out", input=b"a\nb\nc\n")
    assert result.returncode == 0
    assert (tmp_path / "out").read_bytes() == b"a\nc\n"
    assert sed(applet, "1r extra", input=b"x\ny\n") == b"x\nr1\nr2\ny\n"
    assert sed(applet, "r nonexistent", input=b"x\n") == b"x\n"
    assert sed(applet, "s/x/X/w out2", input=b"x\ny\n") == b"X\ny\n"
    assert (tmp_path / "out2").read_bytes() == b"X\n"


def test_in_place(applet, tmp_path):
    (tmp_path / "a").write_bytes(b"foo\nbar\n")
    (tmp_path / "b").write_bytes(b"foo\nbaz")
    os.chmod(tmp_path / "a", 0o640)
    result = applet("sed", "-i.orig", "1s/foo/X/;$s/$/!/", "a", "b", "missing")
    assert result.returncode == 1
    assert result.stderr == b"sed: missing: No such file or directory\n"
    assert (tmp_path / "a").read_bytes() == b"X\nbar!\n"
    assert (tmp_path / "b").read_bytes() == b"X\nbaz!"
    assert (tmp_path / "a.orig").read_bytes() == b"foo\nbar\n"
    assert os.stat(tmp_path / "a").st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["a", "a.orig", "b", "b.orig"]
    no_file = applet("sed", "-i", "p")
    assert (no_file.stderr, no_file.returncode) == (b"sed: -i requires an argument\n", 1)


def test_separate_files_and_nul_data(applet, tmp_path):
    (tmp_path / "f").write_bytes(b"1\n2\n")
    assert applet("sed", "-s", "-n", "1p;$p", "f", "f").stdout == b"1\n2\n1\n2\n"
    assert applet("sed", "-n", "1p;$p", "f", "f").stdout == b"1\n2\n"
    assert sed(applet, "-z", "s/\\n/,/g", input=b"a\nb\n\0c\0") == b"a,b,\0c\0"


def test_list_command(applet):
    assert sed(applet, "-n", "l", input=b"a\tb\\\x01\xff\n") == b"a\\tb\\\\\\001\\377$\n"
    assert sed(applet, "-n", "l 5", input=b"abcdefgh\n") == b"abcd\\\nefgh$\n"


def test_errors(applet):
    cases = {
        "s/a/b": b"sed: unmatched '/'\n",
        "s/a/b/x": b"sed: bad option in substitution expression\n",
        "k": b"sed: unsupported command k\n",
        "1,": b"sed: no address after comma\n",
        "1": b"sed: missing command\n",
        "b nowhere": b"sed: can't find label for jump to 'nowhere'\n",
        "s/\\(/x/": b"sed: bad regex '\\(': Unmatched ( or \\(\n",
        "w": b"sed: empty filename\n",
        "s//x/": b"sed: no previous regexp\n",
    }
    for script, message in cases.items():
        result = applet("sed", script, input=b"a\n")
        assert (result.stderr, result.returncode) == (message, 1), script
    missing = applet("sed", "p", "nope", input=b"")
    assert (missing.stderr, missing.returncode) == (b"sed: nope: No such file or directory\n", 1)
    assert applet("sed", "--version").stdout == b"This is not GNU sed version 4.0\n"
    assert b"Usage: sed " in applet("sed").stderr


def test_comments_and_quiet_marker(applet):
    assert sed(applet, "#n\n3p") == b"3\n"
    assert sed(applet, "# note\n3p;d") == b"3\n"
    assert sed(applet, "3p # print it\n", input=b"1\n2\n3\n") == b"1\n2\n3\n3\n"


def test_binary_directory_and_long_line(applet, tmp_path):
    data = b"\x00woo\xff\x00woo\x00"
    assert sed(applet, "s/woo/bang/", input=data) == b"\x00bang\xff\x00woo\x00"
    assert sed(applet, "s/woo/bang/g", input=data) == b"\x00bang\xff\x00bang\x00"
    (tmp_path / "dir").mkdir()
    result = applet("sed", "p", "dir")
    assert (result.stdout, result.returncode) == (b"", 0)
    line = b"ab" * (5 * 1024 * 1024)
    assert sed(applet, "s/b/c/g", input=line + b"\nx") == line.replace(b"b", b"c") + b"\nx"
    assert sed(applet, "s/$/!/", input=line) == line + b"!"


def test_fast_path_matches_line_by_line_engine(applet, tmp_path):
    """A script of plain s commands runs on whole blocks; it must agree with the cycle loop."""
    data = b"".join(b"a%db ab\n" % n for n in range(12000)) + b"tail ab"  # more than one block
    scripts = [["s/ab/X/g"], ["s/a\\(.\\)/<\\1>/g"], ["s/a/A/"], ["s/b*/-/g"], ["s/b*//g"], ["s/b/B/2"],
               ["s/a\\|ab/Y/g"], ["s/^/>/", "s/$/</"], ["s/a/\\n/", "s/\\n/X/"], ["y/ab/ba/", "s/a/A/g"],
               ["y/a/\\n/", "s/\\n/N/"]]
    for commands in scripts:
        fast = applet("sed", ";".join(commands), input=data).stdout
        # an address that selects every line sends the same script through the cycle loop
        slow = applet("sed", ";".join("1,$" + command for command in commands), input=data).stdout
        assert fast == slow, commands
    for options in (["-n", "/1/p"], ["-n", "/1/!p"], ["/1/d"], ["/1/!d"], ["-n", "/^$/p"]):
        fast = applet("sed", *options, input=data + b"\n\n1").stdout
        slow = applet("sed", *options[:-1], options[-1] + ";:label", input=data + b"\n\n1").stdout
        assert fast == slow, options


def test_line_number_and_print_scripts_match_line_by_line_engine(applet, tmp_path):
    """Lone p, and lone d (or p with -n) on line numbers, run on whole blocks: they must
    agree with the cycle loop (`;:label` sends a script there), across files and blocks."""
    (tmp_path / "big").write_bytes(b"".join(b"line %d\n" % n for n in range(1, 20001)))
    (tmp_path / "short").write_bytes(b"x\ny")
    (tmp_path / "empty").write_bytes(b"")
    scripts = [["p"], ["-n", "p"], ["1d"], ["2d"], ["$d"], ["$!d"], ["-n", "$p"], ["-n", "$!p"], ["5,7d"],
               ["7,5d"], ["19999,$d"], ["-n", "4000,4002p"], ["-n", "3,4!p"], ["2!d"], ["30000d"],
               ["-s", "$d"], ["-s", "1d"], ["-n", "-s", "$p"], ["-z", "2d"]]
    inputs = [["big"], ["short"], ["big", "short"], ["short", "big"], ["big", "empty"], ["short", "empty"],
              ["empty"], ["short", "short"]]
    for options in scripts:
        for files in inputs:
            fast = applet("sed", *options, *files, cwd=tmp_path)
            slow = applet("sed", *options[:-1], options[-1] + ";:label", *files, cwd=tmp_path)
            assert (fast.stdout, fast.returncode) == (slow.stdout, slow.returncode), (options, files)


def test_line_number_scripts_on_small_inputs(applet):
    assert sed(applet, "p", input=b"a\nb") == b"a\na\nb\nb"
    assert sed(applet, "-n", "p", input=b"a\nb") == b"a\nb\n"
    assert sed(applet, "$d", input=b"a\nb") == b"a\n"
    assert sed(applet, "$!d", input=b"a\nb") == b"b"
    assert sed(applet, "-n", "$p", input=b"a\nb") == b"b\n"
    assert sed(applet, "3,$d") == b"1\n2\n"
    assert sed(applet, "-n", "9,12p") == b"9\n10\n"
    assert sed(applet, "1d", input=b"") == b""


def test_replacing_every_empty_match_on_blocks(applet):
    """s/x*/R/g puts R at every position but right after a non-empty match, block-wise."""
    data = b"".join(b"abxxc%d x\n\nxx\n" % n for n in range(6000)) + b"tail x"
    for script in ["s/x*/-/g", "s/x\\?/[]/g", "s/[a-c]*/\\\\/g", "s/.*/Z/g", "s/x\\{0,2\\}/\\n/g",
                   "s/\\w*/<>/g", "s/[^x]*/xx/g", "s/x*//g"]:
        fast = applet("sed", script, input=data).stdout
        slow = applet("sed", "1,$" + script, input=data).stdout
        assert fast == slow, script
    assert sed(applet, "s/x*/-/g", input=b"abxxc\n\nxx\nxax\n") == b"-a-b-c-\n-\n-\n-a-\n"
    every_byte = bytes(range(256)) * 2 + b"xx\n"  # no byte is free to mark matches: line by line
    assert sed(applet, "s/x*/-/g", input=every_byte) == sed(applet, "1,$s/x*/-/g", input=every_byte)
    assert sed(applet, "s/x*/-/g", input=b"\xff\x00\x01\xfeaxxb\n") == b"-\xff-\x00-\x01-\xfe-a-b-\n"
