"""test, [ and [[: evaluate a conditional expression, with BusyBox's parser and quirks.

The grammar is the classic one (`-o` below `-a` below `!` below primaries),
preceded by POSIX's special cases for one to four arguments. `[[` adds `=~`
(extended regex), glob matching for `=`/`==`/`!=`, and `&&`/`||` in place of
`-a`/`-o`. Exit status: 0 true, 1 false, 2 on a syntax error.
"""

import os
import stat

from applets.common import warn

USAGE = """test EXPRESSION ]

Check file types, compare values etc. Return a 0/1 exit code
depending on logical value of EXPRESSION"""

# Token kinds and their classes
EOI, OPERAND = "EOI", "OPERAND"
UNOP, BINOP, BUNOP, BBINOP, PAREN = range(5)

UNARY = {
    "-r": "FILRD",
    "-w": "FILWR",
    "-x": "FILEX",
    "-e": "FILEXIST",
    "-f": "FILREG",
    "-d": "FILDIR",
    "-c": "FILCDEV",
    "-b": "FILBDEV",
    "-p": "FILFIFO",
    "-u": "FILSUID",
    "-g": "FILSGID",
    "-k": "FILSTCK",
    "-s": "FILGZ",
    "-t": "FILTT",
    "-z": "STREZ",
    "-n": "STRNZ",
    "-h": "FILSYM",
    "-O": "FILUID",
    "-G": "FILGID",
    "-L": "FILSYM",
    "-S": "FILSOCK",
}
BINARY = {
    "=": "STREQ",
    "==": "STREQ",
    "!=": "STRNE",
    "<": "STRLT",
    ">": "STRGT",
    "=~": "REGEX",
    "-eq": "INTEQ",
    "-ne": "INTNE",
    "-ge": "INTGE",
    "-gt": "INTGT",
    "-le": "INTLE",
    "-lt": "INTLT",
    "-nt": "FILNT",
    "-ot": "FILOT",
    "-ef": "FILEQ",
}
OTHER = {
    "!": ("UNOT", BUNOP),
    "-a": ("BAND", BBINOP),
    "-o": ("BOR", BBINOP),
    "&&": ("BAND", BBINOP),
    "||": ("BOR", BBINOP),
    "(": ("LPAREN", PAREN),
    ")": ("RPAREN", PAREN),
}
FILE_TYPES = {
    "FILREG": stat.S_IFREG,
    "FILDIR": stat.S_IFDIR,
    "FILCDEV": stat.S_IFCHR,
    "FILBDEV": stat.S_IFBLK,
    "FILFIFO": stat.S_IFIFO,
    "FILSOCK": stat.S_IFSOCK,
}
FILE_BITS = {"FILSUID": stat.S_ISUID, "FILSGID": stat.S_ISGID, "FILSTCK": stat.S_ISVTX}
ACCESS = {"FILRD": os.R_OK, "FILWR": os.W_OK, "FILEX": os.X_OK}
INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1


class _Syntax(Exception):
    """A syntax error: the message is printed and test exits 2."""


class _Quiet(Exception):
    """Exit 2 without a message ([[ with a bad =~ regex)."""


def _number(text: str) -> int:
    """strtoll in base 10 with surrounding blanks allowed; anything else is a syntax error."""
    body = text.lstrip(" \t\n\v\f\r")
    digits = body[1:] if body[:1] in "+-" else body
    digits = digits.rstrip(" \t\n\v\f\r")
    if not digits or not digits.isascii() or not digits.isdigit():
        raise _Syntax(f"{text}: bad number")
    value = int(body)
    if not INT_MIN <= value <= INT_MAX:
        raise _Syntax(f"{text}: out of range")
    return value


def _eaccess(info: os.stat_result, mode: int) -> bool:
    """access(2) by effective ids, but root may execute only files with an x bit."""
    euid = os.geteuid()
    if euid == 0:
        if mode != os.X_OK:
            return True
        if info.st_mode & 0o111:
            return True
    if info.st_uid == euid:
        mode <<= 6
    elif info.st_gid in (os.getgid(), os.getegid()) or info.st_gid in os.getgroups():
        mode <<= 3
    return bool(info.st_mode & mode)


def _file_test(name: str, kind: str) -> bool:
    if kind == "FILSYM":
        try:
            return stat.S_ISLNK(os.lstat(name).st_mode)
        except (OSError, ValueError):
            return False
    try:
        info = os.stat(name)
    except (OSError, ValueError):
        return False
    if kind == "FILEXIST":
        return True
    if kind in ACCESS:
        return _eaccess(info, ACCESS[kind])
    if kind in FILE_TYPES:
        return stat.S_IFMT(info.st_mode) == FILE_TYPES[kind]
    if kind in FILE_BITS:
        return bool(info.st_mode & FILE_BITS[kind])
    if kind == "FILGZ":
        return info.st_size > 0
    if kind == "FILUID":
        return info.st_uid == os.geteuid()
    return info.st_gid == os.getegid()  # FILGID


def _glob_regex(pattern: bytes) -> bytes:
    """fnmatch(3) with no flags as a Python regex: * ? [..] and backslash quoting."""
    import re

    from applets._regex import RegexError, bracket_expression

    out = []
    pos = 0
    end = len(pattern)
    while pos < end:
        byte = pattern[pos]
        pos += 1
        if byte == 0x2A:
            out.append(".*")
        elif byte == 0x3F:
            out.append(".")
        elif byte == 0x5B:
            body = pattern[pos:]
            if body[:1] == b"!":
                body = b"^" + body[1:]
            try:
                text, used = bracket_expression(body, 0)
            except RegexError:
                out.append(re.escape("["))
                continue
            out.append(text)
            pos += used
        elif byte == 0x5C:  # fnmatch: a trailing backslash makes the pattern match nothing
            out.append(re.escape(chr(pattern[pos])) if pos < end else "(?!)")
            pos += 1
        else:
            out.append(re.escape(chr(byte)))
    return "".join(out).encode("latin-1") + rb"\Z"


class _Evaluator:
    """BusyBox's recursive-descent evaluator over a NULL-terminated word list."""

    def __init__(self, words: list, bash: bool):
        self.words = words
        self.bash = bash
        self.at = 0
        self.last = (None, None)  # (kind, class) of the last word looked up

    def check(self, word) -> str:
        """Classify word, remembering its operator class in self.last."""
        self.last = (None, None)
        if word is None:
            return EOI
        if word in UNARY:
            self.last = (UNARY[word], UNOP)
        elif word in BINARY:
            if word == "=~" and not self.bash:
                return OPERAND
            self.last = (BINARY[word], BINOP)
        elif word in OTHER:
            kind, cls = OTHER[word]
            if cls == BBINOP and self.bash == (word[0] == "-"):
                return OPERAND
            self.last = (kind, cls)
        else:
            return OPERAND
        return self.last[0]

    def word(self, offset: int = 0):
        index = self.at + offset
        return self.words[index] if index < len(self.words) else None

    def binop(self) -> bool:
        left = self.word()
        self.at += 1
        self.check(self.word())
        kind = self.last[0]
        self.at += 1
        right = self.word()
        if right is None:
            raise _Syntax(f"{self.word(-1)}: argument expected")
        if kind.startswith("INT"):
            a, b = _number(left), _number(right)
            return {
                "INTEQ": a == b,
                "INTNE": a != b,
                "INTGE": a >= b,
                "INTGT": a > b,
                "INTLE": a <= b,
                "INTLT": a < b,
            }[kind]
        a, b = os.fsencode(left), os.fsencode(right)
        if self.bash and kind in ("STREQ", "STRNE", "REGEX"):
            import re

            if kind == "REGEX":
                from applets._regex import RegexError, compile_posix

                try:
                    return compile_posix(b, extended=True).search(a) is not None
                except RegexError:
                    raise _Quiet from None
            matched = re.match(_glob_regex(b), a, re.DOTALL) is not None
            return matched if kind == "STREQ" else not matched
        if kind.startswith("STR"):
            return {"STREQ": a == b, "STRNE": a != b, "STRLT": a < b, "STRGT": a > b}[kind]
        try:
            first, second = os.stat(left), os.stat(right)
        except (OSError, ValueError):
            return False
        if kind == "FILNT":
            return int(first.st_mtime) > int(second.st_mtime)
        if kind == "FILOT":
            return int(first.st_mtime) < int(second.st_mtime)
        return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)

    def oexpr(self, token: str) -> bool:
        result = self.aexpr(token)
        self.at += 1
        if self.check(self.word()) == "BOR":
            self.at += 1
            return self.oexpr(self.check(self.word())) or result
        self.at -= 1
        return result

    def aexpr(self, token: str) -> bool:
        result = self.nexpr(token)
        self.at += 1
        if self.check(self.word()) == "BAND":
            self.at += 1
            return self.aexpr(self.check(self.word())) and result
        self.at -= 1
        return result

    def nexpr(self, token: str) -> bool:
        if token == "UNOT":
            self.at += 1
            token = self.check(self.word())
            if token == EOI:
                self.at -= 1  # "! " with nothing after it is true
                return True
            return not self.nexpr(token)
        return self.primary(token)

    def primary(self, token: str) -> bool:
        if token == EOI:
            raise _Syntax("argument expected")
        if token == "LPAREN":
            self.at += 1
            result = self.oexpr(self.check(self.word()))
            self.at += 1
            if self.check(self.word()) != "RPAREN":
                raise _Syntax("closing paren expected")
            return result
        first_class = self.last[1]
        # Like coreutils: "is the next word a binary operator with an operand after it?" comes first.
        if self.check(self.word(1)) != EOI and self.word(2) is not None and self.last[1] == BINOP:
            return self.binop()
        if first_class == UNOP and self.word(1) is not None:
            self.at += 1
            operand = self.word()
            if token == "STREZ":
                return operand == ""
            if token == "STRNZ":
                return operand != ""
            if token == "FILTT":
                try:
                    return os.isatty(_number(operand))
                except OverflowError:
                    return False
            return _file_test(operand, token)
        if self.last[1] == BINOP:
            return self.binop()
        return self.word() != ""


def _evaluate(words: list, bash: bool) -> int:
    """Exit status for the expression in words (no brackets), POSIX special cases first."""
    words = words + [None]
    evaluator = _Evaluator(words, bash)
    start = 0
    negate = 0
    while True:
        if words[start] is None:
            return 1 ^ negate
        if words[start + 1] is None:
            return int(words[start] == "") ^ negate
        if words[start + 2] is not None:
            if words[start + 3] is None:
                evaluator.check(words[start + 1])
                if evaluator.last[1] == BINOP:
                    evaluator.at = start
                    return int(not evaluator.binop()) ^ negate
            elif words[start + 4] is None and words[start] == "(" and words[start + 3] == ")":
                words[start + 3] = None
                start += 1
        if words[start] != "!":
            break
        start += 1
        negate ^= 1
    status = int(not evaluator.oexpr(evaluator.check(words[0])))
    if evaluator.word() is not None and evaluator.word(1) is not None:
        warn(f"{evaluator.word(1)}: unknown operand")
        return 2
    return status


def main(argv: list[str]) -> int:
    name = os.path.basename(argv[0])
    words = argv[1:]
    bash = name == "[["
    if name.startswith("["):
        closing = "]]" if bash else "]"
        if not words or words[-1] != closing:
            warn(f"missing {closing}")
            return 2
        words = words[:-1]
    try:
        return _evaluate(words, bash)
    except _Syntax as exc:
        warn(str(exc))
        return 2
    except _Quiet:
        return 2
