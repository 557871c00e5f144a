"""Floating-point numbers spelled the way C's strtod reads them (printf and seq)."""

BLANKS = " \t\n\v\f\r"
INFINITY = float("inf")


def _payload_ok(inside: str) -> bool:
    """The characters strtod allows between "nan(" and ")" (underscores are refused earlier)."""
    return inside == "" or inside.isalnum()


def strtod(text: str) -> float | None:
    """text's value if strtod would use all of it (leading blanks allowed), else None.

    Accepts a sign, decimal or hex (0x...p...) notation, inf, infinity and nan.
    An empty string counts as 0: strtod converts nothing and nothing is left.
    """
    if not text:
        return 0.0
    body = text.lstrip(BLANKS)
    if not body.isascii() or "_" in body or body != body.rstrip(BLANKS):
        return None
    negative = body.startswith("-")
    if body[:1] in ("+", "-"):
        body = body[1:]
    lowered = body.lower()
    try:
        if lowered in ("inf", "infinity"):
            value = INFINITY
        elif lowered == "nan" or (lowered.startswith("nan(") and lowered.endswith(")") and _payload_ok(lowered[4:-1])):
            value = float("nan")
        elif lowered.startswith("0x"):
            value = float.fromhex(lowered)
        elif lowered[:1].isdigit() or lowered[:1] == ".":
            value = float(lowered)
        else:
            return None
    except ValueError:
        return None
    return -value if negative else value
