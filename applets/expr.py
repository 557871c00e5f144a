"""expr: evaluate an expression given as separate arguments, BusyBox's grammar.

Values are strings or 64-bit integers (wrapping like C on overflow). Exit
status: 0 if the result is neither empty nor 0, 1 if it is, 2 on errors.
"""

import os

from applets.common import Fail, stdout, warn

USAGE = """expr EXPRESSION

Print the value of EXPRESSION

EXPRESSION may be:
\tARG1 | ARG2\tARG1 if it is neither null nor 0, otherwise ARG2
\tARG1 & ARG2\tARG1 if neither argument is null or 0, otherwise 0
\tARG1 < ARG2\t1 if ARG1 is less than ARG2, else 0. Similarly:
\tARG1 <= ARG2
\tARG1 = ARG2
\tARG1 != ARG2
\tARG1 >= ARG2
\tARG1 > ARG2
\tARG1 + ARG2\tSum of ARG1 and ARG2. Similarly:
\tARG1 - ARG2
\tARG1 * ARG2
\tARG1 / ARG2
\tARG1 % ARG2
\tSTRING : REGEXP\t\tAnchored pattern match of REGEXP in STRING
\tmatch STRING REGEXP\tSame as STRING : REGEXP
\tsubstr STRING POS LEN\tSubstring of STRING, POS counts from 1
\tindex STRING CHARS\tIndex in STRING where any CHARS is found, or 0
\tlength STRING\t\tLength of STRING
\tquote TOKEN\t\tInterpret TOKEN as a string, even if
\t\t\t\tit is a keyword like 'match' or an
\t\t\t\toperator like '/'
\t(EXPRESSION)\t\tValue of EXPRESSION

Beware that many operators need to be escaped or quoted for shells.
Comparisons are arithmetic if both ARGs are numbers, else
lexicographical. Pattern matches return the string matched between
\\( and \\) or null; if \\( and \\) are not used, they return the number
of characters matched or 0."""

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1
KEYWORDS = (b"quote", b"length", b"match", b"index", b"substr")
COMPARISONS = (b"<", b"<=", b"=", b"==", b"!=", b">=", b">")
SPACES = b" \t\n\v\f\r"


def _wrap(value: int) -> int:
    """Reduce to a signed 64-bit value, as C arithmetic wraps."""
    return (value - INT_MIN) % (1 << 64) + INT_MIN


def _to_int(value: int | bytes) -> int | None:
    """strtoll over the whole string (leading blanks and a sign allowed, saturating), or None."""
    if isinstance(value, int):
        return value
    body = value.lstrip(SPACES)
    digits = body[1:] if body[:1] in (b"+", b"-") else body
    if not digits or not digits.isdigit():
        return None
    number = int(body)
    return min(max(number, INT_MIN), INT_MAX)


def _to_str(value: int | bytes) -> bytes:
    return b"%d" % value if isinstance(value, int) else value


def _is_null(value: int | bytes) -> bool:
    if isinstance(value, int):
        return value == 0
    return value in (b"", b"0")


class _Parser:
    """Recursive descent over the argument list, one method per precedence level."""

    def __init__(self, args: list[bytes]):
        self.args = args
        self.pos = 0

    def peek(self) -> bytes | None:
        return self.args[self.pos] if self.pos < len(self.args) else None

    def take(self, token: bytes) -> bool:
        if self.peek() == token:
            self.pos += 1
            return True
        return False

    def expression(self) -> int | bytes:
        left = self.conjunction()
        while self.take(b"|"):
            right = self.conjunction()
            if _is_null(left):
                left = right
        return left

    def conjunction(self) -> int | bytes:
        left = self.comparison()
        while self.take(b"&"):
            right = self.comparison()
            if _is_null(left) or _is_null(right):
                left = 0
        return left

    def comparison(self) -> int | bytes:
        left = self.sum()
        while self.peek() in COMPARISONS:
            operator = self.args[self.pos]
            self.pos += 1
            right = self.sum()
            a, b = _to_int(left), _to_int(right)
            a = left if a is None else a
            b = right if b is None else b
            if isinstance(a, bytes) or isinstance(b, bytes):
                a, b = _to_str(a), _to_str(b)
            left = int(
                {
                    b"<": a < b,
                    b"<=": a <= b,
                    b"=": a == b,
                    b"==": a == b,
                    b"!=": a != b,
                    b">=": a >= b,
                    b">": a > b,
                }[operator]
            )
        return left

    def sum(self) -> int | bytes:
        left = self.product()
        while self.peek() in (b"+", b"-"):
            operator = self.args[self.pos]
            self.pos += 1
            left = _arithmetic(left, self.product(), operator)
        return left

    def product(self) -> int | bytes:
        left = self.match()
        while self.peek() in (b"*", b"/", b"%"):
            operator = self.args[self.pos]
            self.pos += 1
            left = _arithmetic(left, self.match(), operator)
        return left

    def match(self) -> int | bytes:
        left = self.keyword()
        while self.take(b":"):
            left = _match(left, self.keyword())
        return left

    def keyword(self) -> int | bytes:
        word = self.peek()
        if word not in KEYWORDS:
            return self.operand()
        self.pos += 1
        if word == b"quote":
            if self.peek() is None:
                raise Fail("syntax error", 2)
            self.pos += 1
            return self.args[self.pos - 1]
        if word == b"length":
            return len(_to_str(self.keyword()))
        first = self.keyword()
        if word == b"match":
            return _match(first, self.keyword())
        if word == b"index":
            haystack, chars = _to_str(first), set(_to_str(self.keyword()))
            return next((i + 1 for i, byte in enumerate(haystack) if byte in chars), 0)
        start, length = _to_int(self.keyword()), _to_int(self.keyword())
        text = _to_str(first)
        if start is None or length is None or start > len(text) or start <= 0 or length <= 0:
            return b""
        return text[start - 1 : start - 1 + length]

    def operand(self) -> int | bytes:
        token = self.peek()
        if token is None or token == b")":
            raise Fail("syntax error", 2)
        self.pos += 1
        if token == b"(":
            value = self.expression()
            if not self.take(b")"):
                raise Fail("syntax error", 2)
            return value
        return token


def _arithmetic(left: int | bytes, right: int | bytes, operator: bytes) -> int:
    a, b = _to_int(left), _to_int(right)
    if a is None or b is None:
        raise Fail("non-numeric argument", 2)
    if operator == b"+":
        return _wrap(a + b)
    if operator == b"-":
        return _wrap(a - b)
    if operator == b"*":
        return _wrap(a * b)
    if b == 0:
        raise Fail("division by zero", 2)
    quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
    if operator == b"/":
        return _wrap(quotient)
    return _wrap(a - quotient * b)


def _match(subject: int | bytes, pattern: int | bytes) -> int | bytes:
    """STRING : REGEXP, anchored at the start: \\(..\\) text, else the match length."""
    from applets._regex import RegexError, compile_posix

    text, regex = _to_str(subject), _to_str(pattern)
    if regex.startswith(b"^"):
        warn(
            f"warning: '{os.fsdecode(regex)}': using '^' as the first character\n"
            "of a basic regular expression is not portable; it is ignored"
        )
    try:
        compiled = compile_posix(regex)
    except RegexError as exc:
        raise Fail(f"bad regex '{os.fsdecode(regex)}': {exc}", 2) from None
    found = compiled.match(text)
    if found is None:
        return b"" if compiled.groups else 0
    if compiled.groups and found.start(1) >= 0:
        return found.group(1)
    return found.end()


def main(argv: list[str]) -> int:
    args = [os.fsencode(arg) for arg in argv[1:]]
    if not args:
        raise Fail("too few arguments", 2)
    parser = _Parser(args)
    result = parser.expression()
    if parser.pos < len(args):
        raise Fail("syntax error", 2)
    stdout().write(_to_str(result) + b"\n")
    return 1 if _is_null(result) else 0
