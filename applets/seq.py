"""seq: print a sequence of numbers, as BusyBox does (plus GNU's -f FORMAT).

Values are FIRST + n*INC in floating point, printed with as many decimals as
the most precise of FIRST and INC. Integer sequences, the common case, are
generated with integer ranges and joined in large chunks.
"""

import os

from applets._cnumber import strtod
from applets.common import Fail, UsageError, getopt, stdout

USAGE = """seq [-w] [-s SEP] [-f FMT] [FIRST [INC]] LAST

Print numbers from FIRST to LAST, in steps of INC.
FIRST, INC default to 1.

\t-w\tPad to last with leading zeros
\t-s SEP\tString separator
\t-f FMT\tprintf-style floating-point FORMAT"""

CHUNK = 1 << 16
EXACT_LIMIT = 1 << 53


def _float_pattern(fmt: str) -> str:
    """Check -f FMT as GNU seq does (exactly one floating directive) and return it as a %-pattern."""
    pieces = []
    directive = None
    i = 0
    while i < len(fmt):
        if fmt[i] != "%":
            pieces.append(fmt[i])
            i += 1
            continue
        if fmt[i + 1 : i + 2] == "%":
            pieces.append("%%")
            i += 2
            continue
        if directive is not None:
            raise Fail(f"format '{fmt}' has too many % directives")
        j = i + 1
        while j < len(fmt) and fmt[j] in "-+ #0":
            j += 1
        while j < len(fmt) and (fmt[j].isdigit() or fmt[j] == "."):
            j += 1
        if j >= len(fmt):
            raise Fail(f"format '{fmt}' ends in %")
        if fmt[j] not in "eEfFgG":
            raise Fail(f"format '{fmt}' has unknown %{fmt[j]} directive")
        directive = len(pieces)
        pieces.append(fmt[i : j + 1])
        i = j + 1
    if directive is None:
        raise Fail(f"format '{fmt}' has no % directive")
    return "".join(pieces)


def _layout(operands: list[str], pad: bool) -> tuple[int, int]:
    """(width, decimals) from the operands' spelling, as BusyBox (and coreutils 6.10) compute them."""
    width = decimals = 0
    for index, arg in enumerate(operands):
        dot = arg.find(".")
        if dot < 0:
            dot = len(arg)
        width = max(width, dot)
        if index < len(operands) - 1:
            decimals = max(decimals, len(arg) - dot)
    if decimals:
        decimals -= 1
        if decimals:
            width += decimals + 1
    return (width if pad else 0), decimals


def _integer_run(first: float, step: float, last: float):
    """A range() for the sequence when every value is an exactly representable integer, else None."""
    if not (first.is_integer() and step.is_integer() and step and abs(last) != float("inf")):
        return None
    if last != last or abs(first) >= EXACT_LIMIT or abs(step) >= EXACT_LIMIT or abs(last) >= EXACT_LIMIT:
        return None
    if first == 0 and str(first).startswith("-"):
        return None  # -0 prints as "-0"
    import math

    if step > 0:
        return range(int(first), math.floor(last) + 1, int(step))
    return range(int(first), math.ceil(last) - 1, int(step))


def _inside(value: float, step: float, last: float) -> bool:
    return value <= last if step >= 0 else value >= last


def _count(first: float, step: float, last: float) -> int | None:
    """How many values FIRST + n*INC stay within LAST; None when that cannot be counted ahead."""
    if not _inside(first, step, last):
        return 0
    if step == 0:
        return None
    estimate = (last - first) / step
    if estimate != estimate or abs(estimate) == float("inf"):
        return None
    count = max(int(estimate) + 1, 1)
    while count > 1 and not _inside(first + (count - 1) * step, step, last):
        count -= 1
    while _inside(first + count * step, step, last):
        count += 1
    return count


def _chunks(first: float, step: float, last: float, pattern: str, integers: bool, width: int):
    """Lists of formatted values, CHUNK at a time. Integer sequences skip float formatting."""
    run = _integer_run(first, step, last) if integers else None
    if run is not None:
        for start in range(0, len(run), CHUNK):
            texts = map(str, run[start : start + CHUNK])
            yield [text.zfill(width) for text in texts] if width else list(texts)
        return
    total = _count(first, step, last)
    if total is None:
        batch, count, value = [], 0, first
        while _inside(value, step, last):
            batch.append(pattern % value)
            count += 1
            value = first + count * step
            if len(batch) >= CHUNK:
                yield batch
                batch = []
        if batch:
            yield batch
        return
    for start in range(0, total, CHUNK):
        # The first value is FIRST itself: -0 + 0*INC would lose the sign of "-0".
        yield [pattern % (first + n * step if n else first) for n in range(start, min(start + CHUNK, total))]


def main(argv: list[str]) -> int:
    args = argv[1:]
    cut = len(args)
    for index, arg in enumerate(args):
        if arg[:1] == "-" and (arg[1:2] == "." or arg[1:2].isdigit()):
            cut = index
            break
    options, operands = getopt(args[:cut], "ws:f:", permute=False)
    operands += args[cut:]
    pad = False
    separator = fmt = None
    for opt, value in options:
        if opt == "-w":
            pad = True
        elif opt == "-s":
            separator = value
        else:
            fmt = value
    if not 1 <= len(operands) <= 3:
        raise UsageError()
    values = [strtod(arg) for arg in operands]
    if None in values:
        raise UsageError()
    last = values[-1]
    first = values[0] if len(values) > 1 else 1.0
    step = values[1] if len(values) > 2 else 1.0
    sep = os.fsencode(separator if separator is not None else "\n").decode("latin-1")
    width, decimals = _layout(operands, bool(pad))

    if fmt is not None:
        if pad:
            raise Fail("format string may not be specified when printing equal width strings")
        pattern = _float_pattern(os.fsencode(fmt).decode("latin-1"))
    else:
        pattern = f"%0{width}.{decimals}f"

    out = stdout()
    wrote = False
    for chunk in _chunks(first, step, last, pattern, fmt is None and decimals == 0, width):
        out.write(((sep if wrote else "") + sep.join(chunk)).encode("latin-1"))
        wrote = True
    if wrote:
        out.write(b"\n")
    return 0
