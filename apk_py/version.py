"""Alpine version strings: validation, comparison and constraint matching exactly as apk-tools 3.

Grammar: digit{.digit}...{letter}{_suffix{digits}}...{~hash}{-r#}.  Comparison walks both
versions token by token; the first differing token decides, and when one version runs out
first, the longer one is newer unless what follows is a pre-release suffix.
"""

import re

LESS = 2
EQUAL = 1
GREATER = 4
FUZZY = 8
CONFLICT = 16
ANY = EQUAL | LESS | GREATER | FUZZY
CHECKSUM = LESS | GREATER

# Token kinds, in the order apk allows them to follow each other.
_INITIAL_DIGIT, _DIGIT, _LETTER, _SUFFIX, _SUFFIX_NO, _COMMIT_HASH, _REVISION_NO, _END, _INVALID = range(9)

# Suffix ranks: pre-release suffixes sort before "no suffix" (_NONE), the rest after.
_SUFFIX_RANK = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}
_SUFFIX_NONE = 4
_DIGITS = frozenset("0123456789")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_HEX = frozenset("0123456789abcdefABCDEF")

_tokens_cache: dict[str, tuple] = {}


def _scan(text: str, start: int, allowed: frozenset) -> int:
    end = start
    while end < len(text) and text[end] in allowed:
        end += 1
    return end


def tokens(version: str) -> tuple:
    """Split a version into (kind, sort value, raw text) tokens, ending with _END or _INVALID."""
    cached = _tokens_cache.get(version)
    if cached is not None:
        return cached
    out = []
    end = _scan(version, 0, _DIGITS)
    if end == 0:
        out.append((_INVALID, 0, ""))
    else:
        out.append((_INITIAL_DIGIT, int(version[:end]), version[:end]))
        kind, pos = _INITIAL_DIGIT, end
        while True:
            if pos == len(version):
                out.append((_END, 0, ""))
                break
            char = version[pos]
            token = None
            if char in _LOWER:
                if kind <= _DIGIT:
                    token = (_LETTER, ord(char), char)
                    pos += 1
            elif char == "." or char in _DIGITS:
                start = pos + 1 if char == "." else pos
                if char == "." and kind > _DIGIT:
                    pass
                elif kind in (_INITIAL_DIGIT, _DIGIT, _SUFFIX):
                    end = _scan(version, start, _DIGITS)
                    if end > start:
                        new_kind = _SUFFIX_NO if kind == _SUFFIX else _DIGIT
                        token = (new_kind, int(version[start:end]), version[start:end])
                        pos = end
            elif char == "_":
                if kind <= _SUFFIX_NO:
                    end = _scan(version, pos + 1, _LOWER)
                    rank = _SUFFIX_RANK.get(version[pos + 1 : end])
                    if rank is not None:
                        token = (_SUFFIX, rank, version[pos + 1 : end])
                        pos = end
            elif char == "~":
                if kind < _COMMIT_HASH:
                    end = _scan(version, pos + 1, _HEX)
                    if end > pos + 1:
                        token = (_COMMIT_HASH, 0, version[pos + 1 : end])
                        pos = end
            elif char == "-":
                if kind < _REVISION_NO and version.startswith("-r", pos):
                    end = _scan(version, pos + 2, _DIGITS)
                    if end > pos + 2:
                        token = (_REVISION_NO, int(version[pos + 2 : end]), version[pos + 2 : end])
                        pos = end
            if token is None:
                out.append((_INVALID, 0, ""))
                break
            out.append(token)
            kind = token[0]
    result = tuple(out)
    if len(_tokens_cache) < 100000:
        _tokens_cache[version] = result
    return result


# The same grammar as the tokenizer, as one pattern: validating a whole index stays cheap.
VALID_PATTERN = r"[0-9]+(?:\.[0-9]+)*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(?:~[0-9a-fA-F]+)?(?:-r[0-9]+)?"
_VALID = re.compile(VALID_PATTERN)


def is_valid(version: str) -> bool:
    """True when apk accepts the version string."""
    return _VALID.fullmatch(version) is not None


def _token_order(a: tuple, b: tuple) -> int:
    kind = a[0]
    if kind == _DIGIT and (a[2][0] == "0" or b[2][0] == "0"):
        kind = _COMMIT_HASH  # a leading zero makes apk compare the digits as strings
    if kind == _COMMIT_HASH:
        x, y = a[2].encode(), b[2].encode()
    else:
        x, y = a[1], b[1]
    return LESS if x < y else GREATER if x > y else EQUAL


def compare(a: str, b: str, fuzzy: bool = False) -> int:
    """Return LESS, EQUAL or GREATER; with `fuzzy`, `a` equals `b` when `b` is a prefix of it."""
    ta, tb = tokens(a), tokens(b)
    i = 0
    while ta[i][0] == tb[i][0] and ta[i][0] < _END:
        order = _token_order(ta[i], tb[i])
        if order != EQUAL:
            return order
        i += 1
    ka, kb = ta[i][0], tb[i][0]
    if ka == kb or (kb == _END and fuzzy):
        return EQUAL
    if ka == _SUFFIX and ta[i][1] < _SUFFIX_NONE:
        return LESS
    if kb == _SUFFIX and tb[i][1] < _SUFFIX_NONE:
        return GREATER
    if ka > kb:
        return LESS
    if kb > ka:
        return GREATER
    return EQUAL


def matches(version: str, op: int, wanted: str) -> bool:
    """Does `version` satisfy the operator mask `op` against `wanted` (apk_version_match)."""
    ok = (op & ANY) == ANY or bool(compare(version, wanted, bool(op & FUZZY)) & op)
    return not ok if op & CONFLICT else ok


def op_mask(text: str) -> int:
    """The mask of an operator spelled with < > = ~ (0 when it is not one)."""
    mask = 0
    for char in text:
        if char == "<":
            mask |= LESS
        elif char == ">":
            mask |= GREATER
        elif char == "=":
            mask |= EQUAL
        elif char == "~":
            mask |= FUZZY | EQUAL
        else:
            return 0
    return mask


_OP_TEXT = {
    LESS: "<",
    LESS | EQUAL: "<=",
    LESS | EQUAL | FUZZY: "<~",
    EQUAL | FUZZY: "~",
    FUZZY: "~",
    EQUAL: "=",
    GREATER | EQUAL: ">=",
    GREATER | EQUAL | FUZZY: ">~",
    GREATER: ">",
    CHECKSUM: "><",
    ANY: "",
}


def op_text(mask: int) -> str:
    """How apk spells an operator mask."""
    return _OP_TEXT.get(mask & ~CONFLICT, "?")


def result_char(order: int) -> str:
    """The `<`, `=` or `>` that `apk version -t` prints for a comparison result."""
    return "<" if order == LESS else ">" if order == GREATER else "="
