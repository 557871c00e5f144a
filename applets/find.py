"""find: walk directory trees and evaluate an expression on every entry.

Speed comes from os.scandir: directory entries carry their type, so the walk and
tests such as -name or -type f/d/l never call stat; the stat is made (once, cached
by the DirEntry) only when the expression or the options need it.  Paths are
bytes internally (scandir on a bytes path yields bytes), so any file name survives
and output needs no encoding.  Evaluation follows BusyBox: the expression is a
list of OR-ed groups of AND-ed actions, each action may be inverted, and -prune
sets a sticky "do not descend" bit whether or not its group succeeds.
"""

import os
import stat as statmod
from applets.common import Fail, show_usage, stdout, warn

USAGE = """find [-HL] [PATH]... [OPTIONS] [ACTIONS]

Search for files and perform actions on them.
First failed action stops processing of current file.
Defaults: PATH is current directory, action is '-print'

\t-L,-follow\tFollow symlinks
\t-H\t\t...on command line only
\t-xdev\t\tDon't descend directories on other filesystems
\t-maxdepth N\tDescend at most N levels. -maxdepth 0 applies
\t\t\tactions to command line arguments only
\t-mindepth N\tDon't act on first N levels
\t-depth\t\tAct on directory *after* traversing it

Actions:
\t( ACTIONS )\tGroup actions for -o / -a
\t! ACT\t\tInvert ACT's success/failure
\tACT1 [-a] ACT2\tIf ACT1 fails, stop, else do ACT2
\tACT1 -o ACT2\tIf ACT1 succeeds, stop, else do ACT2
\t\t\tNote: -a has higher priority than -o
\t-name PATTERN\tMatch file name (w/o directory name) to PATTERN
\t-iname PATTERN\tCase insensitive -name
\t-path PATTERN\tMatch path to PATTERN
\t-ipath PATTERN\tCase insensitive -path
\t-regex PATTERN\tMatch path to regex PATTERN
\t-type X\t\tFile type is X (one of: f,d,l,b,c,s,p)
\t-executable\tFile is executable
\t-perm MASK\tAt least one mask bit (+MASK), all bits (-MASK),
\t\t\tor exactly MASK bits are set in file's mode
\t-mtime DAYS\tmtime is greater than (+N), less than (-N),
\t\t\tor exactly N days in the past
\t-atime DAYS\tatime +N/-N/N days in the past
\t-ctime DAYS\tctime +N/-N/N days in the past
\t-mmin MINS\tmtime is greater than (+N), less than (-N),
\t\t\tor exactly N minutes in the past
\t-amin MINS\tatime +N/-N/N minutes in the past
\t-cmin MINS\tctime +N/-N/N minutes in the past
\t-newer FILE\tmtime is more recent than FILE's
\t-inum N\t\tFile has inode number N
\t-samefile FILE\tFile is same as FILE
\t-user NAME/ID\tFile is owned by given user
\t-group NAME/ID\tFile is owned by given group
\t-size N[bckMG]\tFile size is N (c:bytes,k:kbytes,b:512 bytes(def.))
\t\t\t+/-N: file size is bigger/smaller than N
\t-links N\tNumber of links is greater than (+N), less than (-N),
\t\t\tor exactly N
\t-empty\t\tMatch empty file/directory
\t-prune\t\tIf current file is directory, don't descend into it
If none of the following actions is specified, -print is assumed
\t-print\t\tPrint file name
\t-print0\t\tPrint file name, NUL terminated
\t-exec CMD ARG ;\tRun CMD with all instances of {} replaced by
\t\t\tfile name. Fails if CMD exits with nonzero
\t-exec CMD ARG + Run CMD with {} replaced by list of file names
\t-ok CMD ARG ;\tLike -exec, but ask for confirmation first
\t-delete\t\tDelete current file/directory. Turns on -depth option
\t-quit\t\tExit"""

TRUE = 1
SKIP = 2

# Options (no action of their own), then operators and argument-less actions,
# then everything that takes an argument.
_NO_ARG = {
    "-follow", "-xdev", "-depth", "-a", "-and", "-o", "-or", "!", "-not",
    "-print", "-print0", "-prune", "-quit", "-delete", "-exec", "-ok",
    "-executable", "-empty", "(",
}
_WITH_ARG = {
    "-name", "-iname", "-path", "-wholename", "-ipath", "-regex", "-type",
    "-perm", "-mtime", "-atime", "-ctime", "-mmin", "-amin", "-cmin", "-newer",
    "-inum", "-samefile", "-user", "-group", "-size", "-links", "-mindepth",
    "-maxdepth",
}
_TYPE_MODES = {
    "b": statmod.S_IFBLK, "c": statmod.S_IFCHR, "d": statmod.S_IFDIR, "p": statmod.S_IFIFO,
    "f": statmod.S_IFREG, "l": statmod.S_IFLNK, "s": statmod.S_IFSOCK,
}
_SIZE_UNITS = {"c": 1, "w": 2, "": 512, "b": 512, "k": 1024, "M": 1024**2, "G": 1024**3}


class _Quit(Exception):
    """-quit: stop the whole run at once."""


def _display(path: bytes) -> str:
    return os.fsdecode(path)


# --- patterns ---------------------------------------------------------------

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "0-9a-zA-Z", "upper": "A-Z",
    "lower": "a-z", "space": " \\t\\n\\r\\f\\v", "blank": " \\t", "xdigit": "0-9A-Fa-f",
    "punct": "!-/:-@\\[-`{-~", "print": " -~", "graph": "!-~", "cntrl": "\\x00-\\x1f\\x7f",
}


def _bracket(pattern: str, start: int, escapes: bool):
    """Translate the bracket expression opening at pattern[start] ('[').

    Returns (regex, index after ']'), or None when the bracket is not closed.
    Works on latin-1 text, one character per byte.
    """
    i = start + 1
    negate = i < len(pattern) and pattern[i] in ("!^" if escapes else "^")
    if negate:
        i += 1
    items = []
    first = True
    while i < len(pattern):
        char = pattern[i]
        if char == "]" and not first:
            body = "".join(items)
            return ("[^" if negate else "[") + body + "]", i + 1
        first = False
        if char == "[" and i + 1 < len(pattern) and pattern[i + 1] in ":=.":
            kind = pattern[i + 1]
            end = pattern.find(kind + "]", i + 2)
            if end < 0:
                return None
            name = pattern[i + 2 : end]
            if kind == ":":
                if name not in _CLASSES:
                    raise ValueError("Invalid character class name")
                items.append(_CLASSES[name])
            else:
                items.append("".join("\\x%02x" % ord(c) for c in name))
            i = end + 2
            continue
        if char == "\\" and escapes and i + 1 < len(pattern):
            i += 1
            char = pattern[i]
        low = char
        i += 1
        if i + 1 < len(pattern) and pattern[i] == "-" and pattern[i + 1] != "]":
            high = pattern[i + 1]
            i += 2
            if high == "\\" and escapes and i < len(pattern):
                high = pattern[i]
                i += 1
            if ord(high) < ord(low):
                raise ValueError("Invalid range end")
            items.append("\\x%02x-\\x%02x" % (ord(low), ord(high)))
        else:
            items.append("\\x%02x" % ord(low))
    return None


def glob_regex(pattern: bytes, fold: bool):
    """Compile a shell pattern into a bytes regex with fnmatch(3) semantics (flags 0).

    '*' and '?' match any byte including '/' and a leading '.', backslash quotes
    the next character, and an unclosed '[' is an ordinary character.
    """
    import re

    text = pattern.decode("latin-1")
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "*":
            while i < len(text) and text[i] == "*":
                i += 1
            out.append(".*")
            continue
        if char == "?":
            out.append(".")
        elif char == "[":
            try:
                found = _bracket(text, i, escapes=True)
            except ValueError:
                found = None
            if found:
                out.append(found[0])
                i = found[1]
                continue
            out.append("\\[")
        elif char == "\\":
            if i + 1 >= len(text):
                out.append("(?!)")  # a lone trailing backslash never matches
            else:
                i += 1
                out.append(re.escape(text[i]))
        else:
            out.append(re.escape(char))
        i += 1
    flags = re.DOTALL | (re.IGNORECASE if fold else 0)
    return re.compile("".join(out).encode("latin-1"), flags)


def bre_regex(pattern: bytes):
    """Compile a POSIX basic regular expression (with GNU extensions) into a bytes regex."""
    import re

    text = pattern.decode("latin-1")
    atoms = []  # each: regex text, quantifiable?
    groups_open = []
    group_count = 0
    closed = set()
    i = 0

    def at_expression_start() -> bool:
        return not atoms or atoms[-1][0] in ("(", "|") or atoms[-1][0] == "^" and len(atoms) == 1

    def quantify(quantifier: str) -> None:
        body, can = atoms[-1]
        if not can:
            raise ValueError("Invalid preceding regular expression")
        if body.endswith(("*", "+", "?", "}")) and not body.endswith("\\}"):
            body = "(?:" + body + ")"
        atoms[-1] = (body + quantifier, True)

    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text):
                raise ValueError("Trailing backslash")
            i += 1
            char = text[i]
            if char == "(":
                group_count += 1
                groups_open.append(group_count)
                atoms.append(("(", False))
            elif char == ")":
                if not groups_open:
                    raise ValueError("Unmatched ) or \\)")
                closed.add(groups_open.pop())
                atoms.append((")", False))
                _close_group(atoms)
            elif char == "|":
                atoms.append(("|", False))
            elif char == "{":
                end = text.find("\\}", i + 1)
                if end < 0:
                    raise ValueError("Unmatched \\{")
                spec = text[i + 1 : end]
                low, comma, high = spec.partition(",")
                if not low.isdigit() and not (comma and low == ""):
                    raise ValueError("Invalid content of \\{\\}")
                if high and not high.isdigit():
                    raise ValueError("Invalid content of \\{\\}")
                if low and high and int(high) < int(low):
                    raise ValueError("Invalid content of \\{\\}")
                if at_expression_start():
                    raise ValueError("Invalid preceding regular expression")
                quantify("{" + (low or "0") + comma + high + "}")
                i = end + 2
                continue
            elif char in "+?":
                if at_expression_start():
                    atoms.append((re.escape(char), True))
                else:
                    quantify(char)
            elif char.isdigit() and char != "0":
                if int(char) not in closed:
                    raise ValueError("Invalid back reference")
                atoms.append(("(?:\\" + char + ")", True))
            elif char in "wWsSbB":
                atoms.append(("\\" + char, char not in "bB"))
            elif char == "<":
                atoms.append(("\\b(?=\\w)", False))
            elif char == ">":
                atoms.append(("\\b(?<=\\w)", False))
            elif char == "`":
                atoms.append(("\\A", False))
            elif char == "'":
                atoms.append(("\\Z", False))
            else:
                atoms.append((re.escape(char), True))
        elif char == "*":
            if at_expression_start():
                atoms.append(("\\*", True))
            else:
                quantify("*")
        elif char == "^" and at_expression_start():
            atoms.append(("^", False))
        elif char == "$" and (i + 1 == len(text) or text[i + 1 : i + 3] in ("\\)", "\\|")):
            atoms.append(("$", False))
        elif char == "[":
            found = _bracket(text, i, escapes=False)
            if not found:
                raise ValueError("Unmatched [, [^, [:, [., or [=")
            atoms.append((found[0], True))
            i = found[1]
            continue
        elif char == ".":
            atoms.append((".", True))
        else:
            atoms.append((re.escape(char), True))
        i += 1
    if groups_open:
        raise ValueError("Unmatched ( or \\(")
    return re.compile("".join(body for body, _ in atoms).encode("latin-1"), re.DOTALL)


def _close_group(atoms: list) -> None:
    """Fold the atoms from the matching '(' up to this ')' into one quantifiable atom."""
    depth = 0
    for index in range(len(atoms) - 1, -1, -1):
        body = atoms[index][0]
        if body == ")" and atoms[index][1] is False:
            depth += 1
        elif body == "(" and atoms[index][1] is False:
            depth -= 1
            if depth == 0:
                inner = "".join(item[0] for item in atoms[index:])
                del atoms[index:]
                atoms.append((inner, True))
                return


# --- numbers ----------------------------------------------------------------


def _unsigned(text: str) -> int:
    """BusyBox xatoul: decimal digits only."""
    if not text.isdigit() or not text.isascii():
        raise Fail(f"invalid number '{text}'")
    return int(text)


def _sign_and_number(text: str):
    sign = text[:1] if text[:1] in ("+", "-") else ""
    return sign, text[len(sign) :]


def _compare(sign: str, value: int, wanted: int) -> bool:
    if sign == "+":
        return value > wanted
    if sign == "-":
        return value < wanted
    return value == wanted


def _parse_mode(text: str):
    """Octal or symbolic (u+x,g=r...) mode relative to 0, as bb_parse_mode; None if invalid."""
    if text and all(c in "01234567" for c in text):
        value = int(text, 8)
        return value if value <= 0o7777 else None
    mode = 0
    for clause in text.split(","):
        who = 0
        i = 0
        while i < len(clause) and clause[i] in "ugoa":
            who |= {"u": 0o4700, "g": 0o2070, "o": 0o1007, "a": 0o7777}[clause[i]]
            i += 1
        if i >= len(clause):
            return None
        if not who:
            who = 0o7777
        while i < len(clause):
            op = clause[i]
            if op not in "+-=":
                return None
            i += 1
            bits = 0
            while i < len(clause) and clause[i] in "rwxXstugo":
                char = clause[i]
                if char in "ugo":
                    shift = {"u": 6, "g": 3, "o": 0}[char]
                    part = (mode >> shift) & 7
                    bits |= part << 6 | part << 3 | part
                else:
                    bits |= {"r": 0o444, "w": 0o222, "x": 0o111, "X": 0o111, "s": 0o6000, "t": 0o1000}[char]
                i += 1
            bits &= who
            if op == "+":
                mode |= bits
            elif op == "-":
                mode &= ~bits
            else:
                mode = (mode & ~who) | bits
    return mode


# --- the program ------------------------------------------------------------


class _RootEntry:
    """A command-line path dressed as an os.DirEntry, with its stat already made."""

    __slots__ = ("path", "name", "_st")

    def __init__(self, path: bytes, st):
        self.path = path
        self.name = _root_name(path)
        self._st = st

    def stat(self, follow_symlinks: bool = True):
        return self._st

    def is_dir(self, follow_symlinks: bool = True) -> bool:
        return statmod.S_ISDIR(self._st.st_mode)

    def is_file(self, follow_symlinks: bool = True) -> bool:
        return statmod.S_ISREG(self._st.st_mode)

    def is_symlink(self) -> bool:
        return statmod.S_ISLNK(self._st.st_mode)


def _root_name(path: bytes) -> bytes:
    """The name -name sees for a command-line path: "dir/" is "dir", "//" is "/"."""
    stripped = path.rstrip(b"/")
    if not stripped:
        return path[:1]
    return stripped.rpartition(b"/")[2]


class Find:
    """Parsed command line and run-time state of one find invocation."""

    def __init__(self):
        self.follow = False  # -L / -follow: stat through every symlink
        self.follow_roots = False  # -H
        self.xdev = False
        self.depth_first = False
        self.min_depth = 0
        self.max_depth = None
        self.need_print = True
        self.status = 0
        self.exec_plus = []  # [_ExecAction] collecting names for "{} +"
        self.root_devices = set()
        self.may_skip = {_prune}  # actions whose result can carry the SKIP bit
        self.out = stdout()
        self.now = None

    # ---- parsing ----

    def parse(self, args: list[str]):
        """Parse an expression into OR-ed groups of (action, inverted) pairs."""
        groups = [[]]
        invert = False
        i = 0
        while i < len(args):
            arg = args[i]
            value = None
            if arg in _WITH_ARG:
                if i + 1 >= len(args):
                    raise Fail(f"{arg} requires an argument")
                i += 1
                value = args[i]
            elif arg not in _NO_ARG:
                warn(f"unrecognized: {arg}")
                show_usage(USAGE)
            action = None
            if arg == "-follow":
                self.follow = True
            elif arg == "-xdev":
                self.xdev = True
            elif arg == "-depth":
                self.depth_first = True
            elif arg in ("-mindepth", "-maxdepth"):
                number = _depth_number(value)
                if arg == "-mindepth":
                    self.min_depth = number
                else:
                    self.max_depth = number
            elif arg in ("-a", "-and"):
                pass
            elif arg in ("-o", "-or"):
                groups.append([])
            elif arg in ("!", "-not"):
                invert = not invert
            elif arg == "(":
                end = i
                nested = 1
                while True:
                    end += 1
                    if end >= len(args):
                        raise Fail("unpaired '('")
                    if args[end] == "(":
                        nested += 1
                    elif args[end] == ")":
                        nested -= 1
                        if not nested:
                            break
                action = compile_expression(self.parse(args[i + 1 : end]), self.may_skip)
                self.may_skip.add(action)
                i = end
            elif arg in ("-exec", "-ok"):
                action, i = self._exec(args, i)
            else:
                action = self._action(arg, value)
            if action is not None:
                groups[-1].append((action, invert))
                invert = False
            i += 1
        return groups

    def _action(self, arg: str, value):
        """Build the test or action for one primary."""
        if arg == "-print":
            self.need_print = False
            return self._print(b"\n")
        if arg == "-print0":
            self.need_print = False
            return self._print(b"\0")
        if arg == "-prune":
            return _prune
        if arg == "-quit":
            return self._quit
        if arg == "-delete":
            self.need_print = False
            self.depth_first = True
            return self._delete
        if arg in ("-name", "-iname"):
            regex = glob_regex(os.fsencode(value), arg == "-iname").fullmatch
            return lambda entry: regex(entry.name) is not None
        if arg in ("-path", "-wholename", "-ipath"):
            regex = glob_regex(os.fsencode(value), arg == "-ipath").fullmatch
            return lambda entry: regex(entry.path) is not None
        if arg == "-regex":
            try:
                regex = bre_regex(os.fsencode(value)).fullmatch
            except ValueError as exc:
                raise Fail(f"bad regex '{value}': {exc}") from None
            return lambda entry: regex(entry.path) is not None
        if arg == "-type":
            if len(value) != 1 or value not in _TYPE_MODES:
                raise Fail(f"invalid argument '{value}' to '-type'")
            return self._type(value)
        if arg == "-executable":
            return lambda entry: os.access(entry.path, os.X_OK)
        if arg == "-empty":
            return self._empty
        if arg == "-perm":
            kind = value[:1] if value[:1] in ("-", "+", "/") else ""
            text = value[len(kind) :]
            mask = _parse_mode(text)
            if mask is None:
                raise Fail(f"invalid mode '{text}'")
            if kind in ("+", "/"):
                return self._stat_test(lambda st: st.st_mode & mask != 0)
            if kind == "-":
                return self._stat_test(lambda st: st.st_mode & mask == mask)
            return self._stat_test(lambda st: st.st_mode & 0o7777 == mask)
        if arg in ("-mtime", "-atime", "-ctime", "-mmin", "-amin", "-cmin"):
            return self._age(arg, value)
        if arg in ("-newer", "-samefile"):
            try:
                other = os.stat(value)
            except OSError as exc:
                raise Fail(f"can't stat '{value}': {exc.strerror}") from None
            if arg == "-newer":
                limit = _seconds(other.st_mtime_ns)
                return self._stat_test(lambda st: _seconds(st.st_mtime_ns) > limit)
            key = (other.st_dev, other.st_ino)
            return self._stat_test(lambda st: (st.st_dev, st.st_ino) == key)
        if arg == "-inum":
            inode = _unsigned(value)
            return self._stat_test(lambda st: st.st_ino == inode)
        if arg in ("-user", "-group"):
            return self._owner(arg, value)
        if arg == "-size":
            sign, text = _sign_and_number(value)
            digits = text.rstrip("cwbkMG")
            unit = text[len(digits) :]
            if not digits.isdigit() or not digits.isascii() or unit not in _SIZE_UNITS:
                raise Fail(f"invalid number '{text}'")
            wanted = int(digits) * _SIZE_UNITS[unit]
            return self._stat_test(lambda st: _compare(sign, st.st_size, wanted))
        if arg == "-links":
            sign, text = _sign_and_number(value)
            wanted = _unsigned(text)
            return self._stat_test(lambda st: _compare(sign, st.st_nlink, wanted))
        raise AssertionError(arg)

    def _print(self, end: bytes):
        write = self.out.write

        def action(entry):
            write(entry.path + end)
            return TRUE

        return action

    def _quit(self, entry):
        raise _Quit

    def _delete(self, entry):
        path = entry.path
        try:
            if self._mode(entry) == statmod.S_IFDIR:
                if path != b".":
                    os.rmdir(path)
            else:
                os.unlink(path)
        except OSError as exc:
            self._report_soft(path, exc)
        return TRUE

    def _type(self, letter: str):
        wanted = _TYPE_MODES[letter]
        by_stat = self._stat_test(lambda st: statmod.S_IFMT(st.st_mode) == wanted)
        if letter not in "dfl":
            return by_stat
        # Without -L the entry's d_type answers, no stat needed (-follow may come later).
        if letter == "d":
            by_type = lambda entry: entry.is_dir(follow_symlinks=False)
        elif letter == "f":
            by_type = lambda entry: entry.is_file(follow_symlinks=False)
        else:
            by_type = lambda entry: entry.is_symlink()
        return lambda entry: by_stat(entry) if self.follow else by_type(entry)

    def _age(self, arg: str, value: str):
        sign, text = _sign_and_number(value)
        amount = _unsigned(text)
        unit = 60 if arg.endswith("min") else 24 * 60 * 60
        field = {"m": "st_mtime_ns", "a": "st_atime_ns", "c": "st_ctime_ns"}[arg[1]]
        start = amount * unit
        if self.now is None:
            import time

            self.now = int(time.time())
        now = self.now

        def test(st):
            age = now - _seconds(getattr(st, field))
            if sign == "+":
                return age >= start + unit
            if sign == "-":
                return age < start
            return start <= age < start + unit

        return self._stat_test(test)

    def _owner(self, arg: str, value: str):
        if value.isdigit() and value.isascii():
            ident = int(value)
        elif arg == "-user":
            import pwd

            try:
                ident = pwd.getpwnam(value).pw_uid
            except KeyError:
                raise Fail(f"unknown user {value}") from None
        else:
            import grp

            try:
                ident = grp.getgrnam(value).gr_gid
            except KeyError:
                raise Fail(f"unknown group {value}") from None
        if arg == "-user":
            return self._stat_test(lambda st: st.st_uid == ident)
        return self._stat_test(lambda st: st.st_gid == ident)

    def _stat_test(self, test):
        """Wrap a test of the entry's stat (made on first use, cached by the entry)."""
        stat_of = self._stat_of
        return lambda entry: test(stat_of(entry))

    def _stat_of(self, entry):
        if self.follow:
            try:
                return entry.stat()
            except FileNotFoundError:
                pass
        return entry.stat(follow_symlinks=False)

    def _mode(self, entry) -> int:
        return statmod.S_IFMT(self._stat_of(entry).st_mode)

    def _empty(self, entry) -> bool:
        """-empty: an empty regular file, or a directory with no entries."""
        if self._mode(entry) != statmod.S_IFDIR:
            return self._mode(entry) == statmod.S_IFREG and self._stat_of(entry).st_size == 0
        try:
            with os.scandir(entry.path) as it:
                return next(it, None) is None
        except OSError as exc:
            self._report_soft(entry.path, exc)
            return False

    def _exec(self, args: list[str], i: int):
        """-exec CMD ... ; | -exec CMD ... {} + | -ok CMD ... ;"""
        name = args[i]
        self.need_print = False
        start = i + 1
        end = start
        while True:
            if end >= len(args):
                raise Fail(f"{name} requires an argument")
            if args[end] == ";" or (args[end] == "+" and name == "-exec"):
                break
            end += 1
        if end == start:
            raise Fail(f"{name} requires an argument")
        command = [os.fsencode(word) for word in args[start:end]]
        plus = args[end] == "+"
        if plus and sum(word.count(b"{}") for word in command) != 1:
            raise Fail("only one '{}' allowed for -exec +")
        action = _ExecAction(self, command, plus, confirm=name == "-ok")
        if plus:
            self.exec_plus.append(action)
        return action, end

    # ---- walking ----

    def run(self, roots: list[str], expression) -> int:
        evaluate = compile_expression(expression, self.may_skip)
        if self.xdev:
            for root in roots:
                try:
                    self.root_devices.add(os.stat(root).st_dev)
                except OSError:
                    pass
        try:
            for root in roots:
                self._walk_root(os.fsencode(root), evaluate)
        except _Quit:
            self.out.flush()
            return self.status
        for action in self.exec_plus:
            if action.pending and not action.flush():
                self.status |= 1
        self.out.flush()
        return self.status

    def _report_soft(self, path: bytes, exc: OSError) -> None:
        """BusyBox bb_perror_msg: say what failed, keep the exit status."""
        self.out.flush()
        warn(f"{_display(path)}: {exc.strerror}")

    def _report(self, path: bytes, exc: OSError) -> None:
        """A walk failure: reported, and find exits 1."""
        self._report_soft(path, exc)
        self.status = 1

    def _walk_root(self, path: bytes, evaluate) -> None:
        follow = self.follow or self.follow_roots
        try:
            st = os.stat(path) if follow else os.lstat(path)
        except FileNotFoundError as exc:
            try:
                if not follow:
                    raise
                st = os.lstat(path)
            except OSError:
                self._report(path, exc)
                return
        except OSError as exc:
            self._report(path, exc)
            return
        root = _RootEntry(path, st)
        is_dir = statmod.S_ISDIR(st.st_mode)
        self._walk(root, is_dir, evaluate)

    def _visit(self, entry, is_dir: bool, depth: int, evaluate) -> int:
        """BusyBox fileAction: apply depth limits and -xdev, evaluate, print; TRUE or SKIP."""
        same_fs = True
        if is_dir and self.xdev and self._stat_of(entry).st_dev not in self.root_devices:
            same_fs = False
        if depth < self.min_depth:
            return TRUE if same_fs else SKIP
        if self.max_depth is not None and depth > self.max_depth:
            return SKIP
        try:
            result = evaluate(entry)
        except OSError as exc:
            self._report(entry.path, exc)
            result = 0
        if result & TRUE and self.need_print:
            self.out.write(entry.path + b"\n")
        if not same_fs or (is_dir and depth == self.max_depth):
            return SKIP
        return SKIP if result & SKIP else TRUE

    def _list(self, path: bytes):
        try:
            with os.scandir(path) as it:
                return list(it)
        except OSError as exc:
            self._report(path, exc)
            return None

    def _walk(self, root, root_is_dir: bool, evaluate) -> None:
        """Pre- or post-order walk from one root with an explicit stack (no recursion limit)."""
        if self._simple_walk_applies():
            self._fast_walk(root, root_is_dir, evaluate)
            return
        visit = self._visit
        follow = self.follow
        depth_first = self.depth_first
        max_depth = self.max_depth
        # Stack items: [entries, next index, depth of entries, parent entry, parent depth].
        if not depth_first:
            if visit(root, root_is_dir, 0, evaluate) == SKIP or not root_is_dir:
                return
        elif not root_is_dir:
            visit(root, False, 0, evaluate)
            return
        if max_depth is not None and max_depth < 1 and depth_first:
            visit(root, True, 0, evaluate)
            return
        children = self._list(root.path)
        if children is None:
            if depth_first:
                visit(root, True, 0, evaluate)
            return
        ancestors = {self._identity(root)} if follow else None
        stack = [[children, 0, 1, root, 0]]
        while stack:
            frame = stack[-1]
            entries, index, depth = frame[0], frame[1], frame[2]
            if index >= len(entries):
                stack.pop()
                if depth_first:
                    visit(frame[3], True, frame[4], evaluate)
                if follow:
                    ancestors.discard(self._identity(frame[3]))
                continue
            frame[1] = index + 1
            entry = entries[index]
            if follow:
                try:
                    st = self._stat_of(entry)
                except OSError as exc:
                    self._report(entry.path, exc)
                    continue
                is_dir = statmod.S_ISDIR(st.st_mode)
            else:
                is_dir = entry.is_dir(follow_symlinks=False)
            if not is_dir:
                visit(entry, False, depth, evaluate)
                continue
            if not depth_first:
                if visit(entry, True, depth, evaluate) == SKIP:
                    continue
            elif max_depth is not None and depth >= max_depth:
                visit(entry, True, depth, evaluate)
                continue
            if follow:
                identity = self._identity(entry)
                if identity in ancestors:
                    self.out.flush()
                    warn(f"{_display(entry.path)}: File system loop detected")
                    self.status = 1
                    continue
                ancestors.add(identity)
            children = self._list(entry.path)
            if children is None:
                if follow:
                    ancestors.discard(self._identity(entry))
                if depth_first:
                    visit(entry, True, depth, evaluate)
                continue
            stack.append([children, 0, depth + 1, entry, depth])

    def _identity(self, entry):
        st = self._stat_of(entry)
        return st.st_dev, st.st_ino

    def _simple_walk_applies(self) -> bool:
        return not (
            self.follow or self.depth_first or self.xdev or self.min_depth or self.max_depth is not None
        )

    def _fast_walk(self, root, root_is_dir: bool, evaluate) -> None:
        """The common case: pre-order, no symlink following, no depth limits; kept lean.

        Directories are recognised by the entry's d_type, so a walk whose tests need
        no stat makes none.
        """
        write = self.out.write
        need_print = self.need_print
        if self._visit(root, root_is_dir, 0, evaluate) == SKIP or not root_is_dir:
            return
        children = self._list(root.path)
        if children is None:
            return
        stack = []
        entries, index = children, 0
        while True:
            if index >= len(entries):
                if not stack:
                    return
                entries, index = stack.pop()
                continue
            entry = entries[index]
            index += 1
            try:
                result = evaluate(entry)
            except OSError as exc:
                self._report(entry.path, exc)
                continue
            if result & TRUE and need_print:
                write(entry.path + b"\n")
            if result & SKIP or not entry.is_dir(follow_symlinks=False):
                continue
            children = self._list(entry.path)
            if children:
                stack.append((entries, index))
                entries, index = children, 0


def _seconds(nanoseconds: int) -> int:
    return nanoseconds // 1_000_000_000


def _depth_number(text: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise Fail(f"invalid number '{text}'")
    value = int(text)
    if value > 2**31 - 1:
        raise Fail(f"number {text} is not in 0..2147483647 range")
    return value


class _ExecAction:
    """-exec/-ok: run a command per file, or batch file names for "{} +"."""

    def __init__(self, find: Find, command: list[bytes], plus: bool, confirm: bool):
        self.find = find
        self.command = command
        self.plus = plus
        self.confirm = confirm
        self.pending = []
        self.pending_size = 0
        self.limit = max(os.sysconf("SC_ARG_MAX") - 2048, 4096) if plus else 0

    def __call__(self, entry) -> int:
        if not self.plus:
            argv = [word.replace(b"{}", entry.path) for word in self.command]
            return TRUE if self._spawn(argv) else 0
        self.pending.append(entry.path)
        self.pending_size += len(entry.path) + 9
        if self.pending_size >= self.limit:
            return TRUE if self.flush() else 0
        return TRUE

    def flush(self) -> bool:
        """Run the batched command; True when it exited 0."""
        argv = []
        for word in self.command:
            if b"{}" in word:
                argv.extend(word.replace(b"{}", path) for path in self.pending)
            else:
                argv.append(word)
        self.pending = []
        self.pending_size = 0
        return self._spawn(argv)

    def _spawn(self, argv: list[bytes]) -> bool:
        self.find.out.flush()
        if self.confirm and not _ask(b" ".join(argv) + b" ?"):
            return False
        try:
            pid = os.posix_spawnp(argv[0], argv, os.environ)
        except OSError as exc:
            warn(f"{_display(argv[0])}: {exc.strerror}")
            return False
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status) == 0


def _ask(prompt: bytes) -> bool:
    """Prompt on stderr, read one answer line from stdin; yes when it starts with y/Y."""
    os.write(2, prompt)
    answer = b""
    while True:
        char = os.read(0, 1)
        if not char or char == b"\n":
            break
        answer += char
    return answer[:1] in (b"y", b"Y")


def _prune(entry) -> int:
    return SKIP | TRUE


def compile_expression(groups, may_skip):
    """Turn OR-ed groups of (action, inverted) into one callable returning TRUE/SKIP bits.

    Without -prune (directly or in parentheses) the result is a plain and/or of the
    actions, which Python evaluates much faster than BusyBox's bit-mask loop.
    """
    plain = all(group for group in groups) and not any(
        action in may_skip for group in groups for action, _ in group
    )
    if plain:
        alternatives = [[_negated(action) if inverted else action for action, inverted in group] for group in groups]
        if len(alternatives) == 1:
            actions = alternatives[0]
            if len(actions) == 1:
                return actions[0]
            if len(actions) == 2:
                first, second = actions
                return lambda entry: TRUE if first(entry) and second(entry) else 0
            return lambda entry: TRUE if all(action(entry) for action in actions) else 0
        return lambda entry: TRUE if any(all(action(entry) for action in group) for group in alternatives) else 0

    def evaluate(entry) -> int:
        failed = 0
        for group in groups:
            if not group:
                break
            failed &= ~TRUE
            for action, inverted in group:
                failed |= TRUE ^ action(entry)
                if inverted:
                    failed ^= TRUE
                if failed & TRUE:
                    break
            else:
                return failed ^ TRUE
        return failed ^ TRUE

    return evaluate


def _negated(action):
    return lambda entry: 0 if action(entry) else TRUE


def _split_leading_options(args: list[str]):
    """Take -H/-L/-P (possibly combined) off the front, as BusyBox's getopt "+HLP"."""
    follow = follow_roots = False
    i = 0
    while i < len(args):
        arg = args[i]
        if len(arg) < 2 or arg[0] != "-" or arg[1:].strip("HLP"):
            break
        for letter in arg[1:]:
            if letter == "H":
                follow_roots = True
            elif letter == "L":
                follow = True
        i += 1
    return follow, follow_roots, args[i:]


def main(argv: list[str]) -> int:
    find = Find()
    follow, follow_roots, args = _split_leading_options(argv[1:])
    find.follow = follow
    find.follow_roots = follow_roots
    first = 0
    while first < len(args) and not (args[first].startswith("-") or args[first] in ("!", "(")):
        first += 1
    roots = args[:first] or ["."]
    try:
        expression = find.parse(args[first:])
        return find.run(roots, expression)
    finally:
        find.out.flush()
