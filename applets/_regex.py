"""POSIX regular expressions (BRE and ERE as glibc parses them) translated to Python's `re`.

grep and sed both take POSIX patterns; Python's engine has a different syntax and
leftmost-first instead of leftmost-longest matching. This module parses a pattern the
way glibc's regcomp does (same context rules for `*`, `^`, `$`, `\\{`, same error
messages) and emits an equivalent bytes pattern for `re`.

Two dialects matter: `gnu=False` is regcomp's strict POSIX syntax (what sed, cut -F,
expr and test's `=~` use), `gnu=True` the more forgiving GNU grep syntax BusyBox's grep
compiles with (a leading `*` in an ERE is ignored, an invalid `{` is a literal, `a**` is
fine in a BRE).

`eol` says what the subject text looks like: None for a sed pattern space (`.` and
`[^x]` match a newline, `^`/`$` only match at its ends), or the line terminator (b"\\n"
or b"\\0") when a whole buffer of lines is searched at once, in which case nothing may
match across a terminator and `^`/`$` match at every line boundary.
"""

import re

RE_DUP_MAX = 0x7FFF

# glibc's regerror() texts
BADPAT = "Invalid regular expression"
ECOLLATE = "Invalid collation character"
ECTYPE = "Invalid character class name"
EESCAPE = "Trailing backslash"
ESUBREG = "Invalid back reference"
EBRACK = "Unmatched [, [^, [:, [., or [="
EPAREN = "Unmatched ( or \\("
EBRACE = "Unmatched \\{"
BADBR = "Invalid content of \\{\\}"
ERANGE = "Invalid range end"
BADRPT = "Invalid preceding regular expression"
ESIZE = "Regular expression too big"
ERPAREN = "Unmatched ) or \\)"


class RegexError(Exception):
    """The pattern is not a valid POSIX regex; the message is glibc's wording."""


def _span(first: str, last: str) -> frozenset:
    return frozenset(range(ord(first), ord(last) + 1))


_UPPER = _span("A", "Z")
_LOWER = _span("a", "z")
_DIGIT = _span("0", "9")
CHAR_CLASSES = {
    "alpha": _UPPER | _LOWER,
    "upper": _UPPER,
    "lower": _LOWER,
    "digit": _DIGIT,
    "alnum": _UPPER | _LOWER | _DIGIT,
    "xdigit": _DIGIT | _span("A", "F") | _span("a", "f"),
    "space": frozenset(b" \t\n\v\f\r"),
    "blank": frozenset(b" \t"),
    "punct": _span("!", "/") | _span(":", "@") | _span("[", "`") | _span("{", "~"),
    "print": _span(" ", "~"),
    "graph": _span("!", "~"),
    "cntrl": frozenset(range(32)) | {127},
}

# token kinds
CHAR, ANY, BRACKET, OPEN, CLOSE, ALT, STAR, PLUS, QMARK, OPEN_DUP, CLOSE_DUP = range(11)
ANCHOR, BACKREF, CLASS, END, LONE_BACKSLASH = range(11, 16)

_GNU_ESCAPES = {
    ord("<"): (ANCHOR, "word_first"),
    ord(">"): (ANCHOR, "word_last"),
    ord("b"): (ANCHOR, "word_delim"),
    ord("B"): (ANCHOR, "not_word_delim"),
    ord("`"): (ANCHOR, "buf_first"),
    ord("'"): (ANCHOR, "buf_last"),
    ord("w"): (CLASS, "w"),
    ord("W"): (CLASS, "W"),
    ord("s"): (CLASS, "s"),
    ord("S"): (CLASS, "S"),
}
_BRE_ESCAPES = {ord("|"): ALT, ord("("): OPEN, ord(")"): CLOSE, ord("+"): PLUS, ord("?"): QMARK,
                ord("{"): OPEN_DUP, ord("}"): CLOSE_DUP}
_ERE_SPECIALS = {ord("|"): ALT, ord("("): OPEN, ord(")"): CLOSE, ord("+"): PLUS, ord("?"): QMARK,
                 ord("{"): OPEN_DUP, ord("}"): CLOSE_DUP}


class _Atom:
    """One translated piece: Python source, its minimum match length, (for the literal
    fast paths) the exact bytes it matches if it is a plain character, whether it always
    matches exactly one character, and for a repetition that may match nothing, the source
    of its non-empty matches when that is simple to state (see Translation.nonempty)."""

    __slots__ = ("src", "minlen", "char", "single", "quantified", "nonempty")

    def __init__(self, src: str, minlen: int, char: int | None = None, single: bool = False):
        self.src = src
        self.minlen = minlen
        self.char = char
        self.single = single
        self.quantified = False
        self.nonempty = None


class Branch:
    """A top-level alternative of a pattern: its source and, if it is a plain string, that string."""

    __slots__ = ("src", "minlen", "literal", "nonempty")

    def __init__(self, atoms: list):
        self.src = "".join(atom.src for atom in atoms)
        self.minlen = sum(atom.minlen for atom in atoms)
        chars = [atom.char for atom in atoms]
        self.literal = bytes(chars) if None not in chars else None
        self.nonempty = atoms[0].nonempty if len(atoms) == 1 else None


class Translation:
    """The result of translating one POSIX pattern."""

    def __init__(self, branches: list, groups: int):
        self.branches = branches
        self.groups = groups

    @property
    def source(self) -> str:
        return "|".join(branch.src for branch in self.branches)

    @property
    def nullable(self) -> bool:
        """Whether the pattern may match an empty string (then s///g needs the careful loop)."""
        return min(branch.minlen for branch in self.branches) == 0

    @property
    def literal(self) -> bytes | None:
        """The string this pattern matches, if it is nothing but one plain string."""
        return self.branches[0].literal if len(self.branches) == 1 else None

    @property
    def nonempty(self) -> str | None:
        """For a pattern that is one single-character atom repeated from zero times (`x*`,
        `[0-9]\\?`, `.\\{0,3\\}`), which matches at every position: the source of just
        its non-empty matches (`x+`), where greedy matching is also the longest. Else None."""
        return self.branches[0].nonempty if len(self.branches) == 1 else None


class _Parser:
    """A recursive-descent parser following glibc's regcomp.c structure and context rules."""

    def __init__(self, pattern: bytes, extended: bool, gnu: bool, eol: bytes | None, group_offset: int):
        self.p = pattern
        self.i = 0
        self.extended = extended
        self.gnu = gnu
        self.invalid_dup = not extended and not gnu  # BRE: `a**`, leading `\{` are errors
        self.invalid_ops = extended and not gnu  # ERE: leading `*` is an error
        self.interval_ord = extended and gnu  # ERE: bad `{` is a literal
        self.eol = None if eol is None else eol[0]
        self.offset = group_offset
        self.groups = 0
        self.completed: set[int] = set()
        self.tok = (END, 0, 0)  # (kind, value, length)

    # --- tokens -----------------------------------------------------------------------
    def peek(self, at: int, caret_here: bool = False):
        p = self.p
        if at >= len(p):
            return (END, 0, 0)
        c = p[at]
        if c == 0x5C:  # backslash
            if at + 1 >= len(p):
                return (LONE_BACKSLASH, c, 1)
            c2 = p[at + 1]
            if not self.extended and c2 in _BRE_ESCAPES:
                return (_BRE_ESCAPES[c2], c2, 2)
            if 0x31 <= c2 <= 0x39:
                return (BACKREF, c2 - 0x30, 2)
            if c2 in _GNU_ESCAPES:
                kind, value = _GNU_ESCAPES[c2]
                return (kind, value, 2)
            return (CHAR, c2, 2)
        if self.extended and c in _ERE_SPECIALS:
            return (_ERE_SPECIALS[c], c, 1)
        if c == 0x2A:
            return (STAR, c, 1)
        if c == 0x5B:
            return (BRACKET, c, 1)
        if c == 0x2E:
            return (ANY, c, 1)
        if c == 0x5E:  # ^ is an anchor at the start, after \( or \|, or anywhere in an ERE
            if self.extended or at == 0 or caret_here:
                return (ANCHOR, "line_first", 1)
            return (CHAR, c, 1)
        if c == 0x24:  # $ is an anchor at the end, before \) or \|, or anywhere in an ERE
            if not self.extended and at + 1 != len(p):
                if self.peek(at + 1)[0] not in (ALT, CLOSE):
                    return (CHAR, c, 1)
            return (ANCHOR, "line_last", 1)
        return (CHAR, c, 1)

    def fetch(self, caret_here: bool = False) -> None:
        self.i += self.tok[2]
        self.tok = self.peek(self.i, caret_here)

    # --- emitting ---------------------------------------------------------------------
    def literal(self, c: int) -> _Atom:
        if c == self.eol:
            return _Atom("(?!)", 1)
        return _Atom(re.escape(chr(c)), 1, c, single=True)

    def char_set(self, chars: set, negate: bool) -> _Atom:
        if self.eol is not None:
            if negate:
                chars = set(chars) | {self.eol}
            else:
                chars = set(chars) - {self.eol}
        if not chars:  # only a terminator was listed: it can never match inside a line
            return _Atom("(?!)", 1)
        ranges = []
        values = sorted(chars)
        start = prev = values[0]
        for value in values[1:] + [None]:
            if value is not None and value == prev + 1:
                prev = value
                continue
            ranges.append(f"\\x{start:02x}" if start == prev else f"\\x{start:02x}-\\x{prev:02x}")
            if value is not None:
                start = prev = value
        return _Atom("[" + ("^" if negate else "") + "".join(ranges) + "]", 1, single=True)

    def anchor(self, kind: str) -> str:
        line = self.eol is not None
        if kind in ("line_first", "buf_first"):
            if not line:
                return "^" if kind == "line_first" else "\\A"
            return "^" if self.eol == 10 else "(?<![^\\x00])"
        if kind in ("line_last", "buf_last"):
            if not line:
                return "\\Z"
            return "$" if self.eol == 10 else "(?![^\\x00])"
        return {
            "word_first": "\\b(?=\\w)",
            "word_last": "\\b(?<=\\w)",
            "word_delim": "\\b",
            "not_word_delim": "\\B",
        }[kind]

    def class_escape(self, kind: str) -> str:
        if self.eol is None:
            return "\\" + kind
        eol = f"\\x{self.eol:02x}"
        return {
            "w": "\\w",
            "W": f"[^\\w{eol}]",
            "s": f"[^\\S{eol}]",
            "S": f"[^\\s{eol}]",
        }[kind]

    # --- grammar ----------------------------------------------------------------------
    def parse(self) -> Translation:
        self.tok = self.peek(0)
        branches = self.reg_exp(0)
        return Translation(branches, self.groups)

    def reg_exp(self, nest: int) -> list:
        branches = [Branch(self.branch(nest))]
        while self.tok[0] == ALT:
            self.fetch(caret_here=True)
            if self.tok[0] not in (ALT, END) and not (nest and self.tok[0] == CLOSE):
                branches.append(Branch(self.branch(nest)))
            else:
                branches.append(Branch([]))
        return branches

    def branch(self, nest: int) -> list:
        atoms = []
        while self.tok[0] not in (ALT, END) and not (nest and self.tok[0] == CLOSE):
            atom = self.expression(nest)
            if atom is not None:
                atoms.append(atom)
        return atoms

    def expression(self, nest: int) -> _Atom | None:
        kind, value, _ = self.tok
        if kind == CHAR:
            atom = self.literal(value)
        elif kind == ANY:
            if self.eol is None:
                atom = _Atom(".", 1, single=True)
            else:
                atom = _Atom("." if self.eol == 10 else "[^\\x00]", 1, single=True)
        elif kind == BRACKET:
            self.i += 1
            atom = self.bracket()
            self.tok = (BRACKET, value, 0)  # bracket() consumed through the `]`: fetch() re-peeks here
        elif kind == OPEN:
            atom = self.sub_exp(nest + 1)
        elif kind == BACKREF:
            if value not in self.completed:
                raise RegexError(ESUBREG)
            atom = _Atom(f"(?:\\{value + self.offset})", 0)
        elif kind in (STAR, PLUS, QMARK, OPEN_DUP):
            if kind == OPEN_DUP and self.invalid_dup:
                raise RegexError(BADRPT)
            if self.invalid_ops:
                raise RegexError(BADRPT)
            if self.extended:  # GNU ERE: a repetition with nothing before it is ignored
                self.fetch()
                return self.expression(nest)  # (so a `)` right after it is a literal, as in glibc)
            atom = self.literal(value)
        elif kind == CLOSE:
            if not self.extended:  # regcomp reports both unmatched parens alike
                raise RegexError(ERPAREN if self.gnu else EPAREN)
            atom = self.literal(value)
        elif kind == CLOSE_DUP:
            atom = self.literal(value)
        elif kind == ANCHOR:
            self.fetch()
            return _Atom(self.anchor(value), 0)
        elif kind == CLASS:
            atom = _Atom(self.class_escape(value), 1, single=True)
        elif kind == LONE_BACKSLASH:
            raise RegexError(EESCAPE)
        else:  # ALT, END: an empty expression
            return None
        self.fetch()
        while self.tok[0] in (STAR, PLUS, QMARK, OPEN_DUP):
            repeated = self.duplication(atom)
            if repeated is atom:  # an invalid interval taken literally: `{` is the next token
                break
            atom = repeated
            if self.invalid_dup and self.tok[0] in (STAR, OPEN_DUP):
                raise RegexError(BADRPT)
        return atom

    def sub_exp(self, nest: int) -> _Atom:
        self.groups += 1
        number = self.groups
        self.fetch(caret_here=True)
        if self.tok[0] == CLOSE:
            inner = ""
            minlen = 0
        else:
            branches = self.reg_exp(nest)
            if self.tok[0] != CLOSE:
                raise RegexError(EPAREN)
            inner = "|".join(branch.src for branch in branches)
            minlen = min(branch.minlen for branch in branches)
        self.completed.add(number)
        return _Atom("(" + inner + ")", minlen)

    def fetch_number(self) -> int:
        """Read digits up to `,` or the closing brace: -1 if none, -2 if malformed."""
        number = -1
        while True:
            self.fetch()
            kind, value, _ = self.tok
            if kind == END:
                return -2
            if kind == CLOSE_DUP or value == 0x2C:
                return number
            if kind != CHAR or not 0x30 <= value <= 0x39 or number == -2:
                number = -2
            elif number == -1:
                number = value - 0x30
            else:
                number = min(RE_DUP_MAX + 1, number * 10 + value - 0x30)

    def duplication(self, atom: _Atom) -> _Atom:
        kind, value, _ = self.tok
        if kind == OPEN_DUP:
            brace_token = self.tok
            resume = self.i + brace_token[2]
            low = self.fetch_number()
            if low == -1:
                if self.tok[0] == CHAR and self.tok[1] == 0x2C:
                    low = 0  # {,n} means {0,n}
                else:
                    raise RegexError(BADBR)
            high = -2
            if low != -2:
                if self.tok[0] == CLOSE_DUP:
                    high = low
                elif self.tok[0] == CHAR and self.tok[1] == 0x2C:
                    high = self.fetch_number()
            if low == -2 or high == -2:
                if not self.interval_ord:
                    raise RegexError(EBRACE if self.tok[0] == END else BADBR)
                self.i = resume - 1
                self.tok = (CHAR, 0x7B, 1)
                return atom
            if (high != -1 and low > high) or self.tok[0] != CLOSE_DUP:
                raise RegexError(BADBR)
            if (low if high == -1 else high) > RE_DUP_MAX:
                raise RegexError(ESIZE)
            quantifier = f"{{{low},}}" if high == -1 else (f"{{{low}}}" if low == high else f"{{{low},{high}}}")
        else:
            low, high = {STAR: (0, -1), PLUS: (1, -1), QMARK: (0, 1)}[kind]
            quantifier = {STAR: "*", PLUS: "+", QMARK: "?"}[kind]
        self.fetch()
        src = f"(?:{atom.src})" if atom.quantified else atom.src
        repeated = _Atom(src + quantifier, atom.minlen * low)
        repeated.quantified = True
        if low == 0 and atom.single and not atom.quantified:
            if high == 0:
                repeated.nonempty = "(?!)"
            else:
                repeated.nonempty = atom.src + ("+" if high == -1 else "" if high == 1 else f"{{1,{high}}}")
        return repeated

    def bracket(self) -> _Atom:
        """Parse a bracket expression; self.i is just after the `[`."""
        chars: set[int] = set()
        negate = False
        tok = self.peek_bracket()
        if tok[0] == "^":
            negate = True
            self.i += 1
            tok = self.peek_bracket()
        if tok[0] == "end":  # regcomp: a pattern ending in `[` or `[^` is not "unmatched"
            raise RegexError(BADPAT)
        if tok[0] == "]":
            tok = ("char", 0x5D, 1)
        first_round = True
        while True:
            start = self.bracket_element(tok, accept_hyphen=first_round)
            first_round = False
            tok = self.peek_bracket()
            is_range = False
            if start[0] not in ("class", "equiv"):
                if tok[0] == "end":
                    raise RegexError(EBRACK)
                if tok[0] == "-":
                    self.i += 1
                    tok2 = self.peek_bracket()
                    if tok2[0] == "end":
                        raise RegexError(EBRACK)
                    if tok2[0] == "]":
                        self.i -= 1
                        tok = ("char", 0x2D, 1)
                    else:
                        is_range = True
            if is_range:
                end = self.bracket_element(tok2, accept_hyphen=True)
                tok = self.peek_bracket()
                low, high = self.range_end(start), self.range_end(end)
                if low > high:
                    raise RegexError(ERANGE)
                chars.update(range(low, high + 1))
            else:
                chars.update(self.element_chars(start))
            if tok[0] == "end":
                raise RegexError(EBRACK)
            if tok[0] == "]":
                self.i += 1
                break
        return self.char_set(chars, negate)

    def peek_bracket(self):
        p, at = self.p, self.i
        if at >= len(p):
            return ("end", 0, 0)
        c = p[at]
        if c == 0x5B and at + 1 < len(p) and p[at + 1] in b".=:":
            return ({0x2E: "coll", 0x3D: "equiv", 0x3A: "class"}[p[at + 1]], p[at + 1], 2)
        if c == 0x2D:
            return ("-", c, 1)
        if c == 0x5D:
            return ("]", c, 1)
        if c == 0x5E:
            return ("^", c, 1)
        return ("char", c, 1)

    def bracket_element(self, tok, accept_hyphen: bool):
        self.i += tok[2]
        if tok[0] in ("coll", "equiv", "class"):
            delimiter = tok[1]
            start = self.i
            while True:
                if self.i >= len(self.p):
                    raise RegexError(EBRACK)
                if self.i - start >= 32:
                    raise RegexError(EBRACK)
                if self.p[self.i] == delimiter and self.i + 1 < len(self.p) and self.p[self.i + 1] == 0x5D:
                    break
                self.i += 1
            name = self.p[start : self.i]
            self.i += 2
            return (tok[0], name)
        if tok[0] == "-" and not accept_hyphen and self.peek_bracket()[0] != "]":
            raise RegexError(ERANGE)
        return ("char", tok[1])

    @staticmethod
    def element_chars(element) -> set:
        kind, value = element
        if kind == "char":
            return {value}
        if kind == "class":
            chars = CHAR_CLASSES.get(value.decode("latin-1"))
            if chars is None:
                raise RegexError(ECTYPE)
            return chars
        if len(value) != 1:  # collating symbols and equivalence classes: single bytes in the C locale
            raise RegexError(ECOLLATE)
        return {value[0]}

    @staticmethod
    def range_end(element) -> int:
        kind, value = element
        if kind == "char":
            return value
        if kind == "coll":
            if len(value) != 1:
                raise RegexError(ECOLLATE)
            return value[0]
        raise RegexError(ERANGE)


def translate(pattern: bytes, extended: bool = False, gnu: bool = False, eol: bytes | None = None,
              group_offset: int = 0) -> Translation:
    """Translate a POSIX BRE/ERE to Python `re` syntax (as a latin-1 str); raises RegexError."""
    return _Parser(pattern, extended, gnu, eol, group_offset).parse()


def bracket_expression(pattern: bytes, pos: int) -> tuple[str, int]:
    """Translate the bracket expression whose `[` ends just before pos, for callers with
    a syntax of their own around it (test's glob patterns): its `re` source and the
    position after its `]`. Raises RegexError where regcomp would."""
    parser = _Parser(pattern, extended=False, gnu=False, eol=None, group_offset=0)
    parser.i = pos
    return parser.bracket().src, parser.i


def flags_for(eol: bytes | None, icase: bool) -> int:
    """The `re` flags a translated pattern must be compiled with."""
    flags = re.IGNORECASE if icase else 0
    if eol is None:
        return flags | re.DOTALL
    return flags | (re.MULTILINE if eol == b"\n" else 0)


def compile_source(source: str, flags: int) -> re.Pattern:
    """Compile translated source; Python-side limits surface as the generic glibc error."""
    try:
        return re.compile(source.encode("latin-1"), flags)
    except (re.error, OverflowError, RecursionError):
        raise RegexError(BADPAT) from None


class Longest:
    """Leftmost-longest matching on top of Python's leftmost-first engine.

    POSIX picks the longest match at the leftmost position; Python takes the first
    alternative that works. For a pattern whose top level is an alternation of plain
    strings, ordering the alternatives longest first is enough. Otherwise we keep one
    variant per top-level alternative (the others disabled but still numbered, so group
    numbers stay valid) and, at each match position, keep the longest variant match.
    """

    def __init__(self, translation: Translation, flags: int, wrap=None):
        branches = translation.branches
        wrap = wrap or (lambda source: source)
        self.variants = []
        if len(branches) > 1 and all(branch.literal is not None for branch in branches):
            ordered = sorted(branches, key=lambda branch: -len(branch.literal))
            source = "|".join(branch.src for branch in ordered)
        else:
            source = translation.source
            if len(branches) > 1:
                for index in range(len(branches)):
                    variant = "|".join(
                        branch.src if other == index else "(?!)" + branch.src for other, branch in enumerate(branches)
                    )
                    self.variants.append(compile_source(wrap(variant), flags))
        self.pattern = compile_source(wrap(source), flags)
        self.groups = self.pattern.groups

    def search(self, string: bytes, pos: int = 0):
        """The leftmost-longest match at or after pos, or None."""
        return self._longest(string, self.pattern.search(string, pos))

    def match(self, string: bytes, pos: int = 0):
        """The longest match starting at pos, or None."""
        return self._longest(string, self.pattern.match(string, pos))

    def _longest(self, string: bytes, found):
        """The longest of the variants' matches where `found` starts (none match where it does not)."""
        if found is None or not self.variants:
            return found
        start = found.start()
        for variant in self.variants:
            candidate = variant.match(string, start)
            if candidate is not None and candidate.end() > found.end():
                found = candidate
        return found


def compile_posix(pattern: bytes, extended: bool = False) -> Longest:
    """A pattern as plain regcomp() takes it (strict syntax, no REG_NEWLINE), for matching
    one whole string at a time: cut -F, expr's `:`, test's `=~`. Raises RegexError."""
    return Longest(translate(pattern, extended), flags_for(None, False))
