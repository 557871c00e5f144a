"""expand / unexpand: convert tabs to spaces and back (one module, picked by argv[0]).

Widths count characters, not bytes (BusyBox has Unicode on): a valid UTF-8
sequence is one column, as is each byte that is not part of one. Blocks
without a tab (expand) or without a run of blanks (unexpand) pass through;
`unexpand -a` converts whole ASCII blocks at once (see unexpand_block).
"""

import re

from applets import _text
from applets.common import Fail, getopt, stdout

USAGES = {"expand": """expand [-i] [-t N] [FILE]...

Convert tabs to spaces, writing to stdout

\t-i\tDon't convert tabs after non blanks
\t-t\tTabstops every N chars""",
           "unexpand": """unexpand [-fa][-t N] [FILE]...

Convert spaces to tabs, writing to stdout

\t-a\tConvert all blanks
\t-f\tConvert only leading blanks
\t-t N\tTabstops every N chars"""}
USAGE = USAGES["expand"]
UINT_MAX = 2**32 - 1
BLANKS = re.compile(rb"[ \t]*")
WORD = re.compile(rb"[^ \t]*")


def text_width(text: bytes) -> int:
    """Columns taken by text: characters, counting undecodable bytes one each."""
    if text.isascii():
        return len(text)
    return len(text.decode("utf-8", "surrogateescape"))


def expand_line(line: bytes, tab_size: int, initial: bool) -> bytes:
    """One line (newline included) with its tabs (or only its leading ones) as spaces."""
    if initial:
        body = line.lstrip(b" \t")
        lead = line[: len(line) - len(body)]
        return expand_line(lead, tab_size, False) + body if b"\t" in lead else line
    if line.isascii() and b"\r" not in line:
        return line.expandtabs(tab_size)
    pieces = []
    column = 0
    segments = line.split(b"\t")
    for segment in segments[:-1]:
        column += text_width(segment)
        pad = tab_size - column % tab_size
        pieces.append(segment + b" " * pad)
        column += pad
    pieces.append(segments[-1])
    return b"".join(pieces)


def spaces_to_tabs(text: bytes, tab_size: int) -> bytes:
    """Unexpand text whose bytes are each one column and which holds no tab.

    Cut into tab-stop cells from the line start, BusyBox's loop turns exactly the
    spaces that end a complete cell into one tab, and leaves all else alone.
    """
    cells = [text[start : start + tab_size] for start in range(0, len(text), tab_size)]
    return b"".join(
        [cell.rstrip(b" ") + b"\t" if len(cell) == tab_size and cell.endswith(b" ") else cell for cell in cells]
    )


# unexpand_block's byte codes: a blank of the text, a line end, the padding expandtabs adds
_BLANK, _LINE_END = 0x80, 0x81
_MARK_SPACES = bytes(_BLANK if byte == 0x20 else byte for byte in range(256))
_IS_BLANK = bytes(byte == _BLANK for byte in range(256))
_UNMARK = bytes(0x20 if byte == _BLANK else 0x0A if byte == _LINE_END else byte for byte in range(256))
BLOCK_TAB_SIZE_LIMIT = 32  # past this, padding each line to a tab stop costs more than it saves


def unexpand_block(block: bytes, tab_size: int) -> bytes:
    """`unexpand -a` for newline-terminated ASCII lines without \r, with column slices.

    Once its tabs are expanded, a line converts cell by cell (spaces_to_tabs). The
    lines are padded to tab stops (each newline becomes a marker and a tab for
    expandtabs), so that every cell of the block starts at a multiple of tab_size:
    then column c of all cells is the slice [c::tab_size], and a cell's trailing
    blanks are found by AND-ing the columns' blank flags from the last one down, as
    integers. Those flags turn the last column's blank into a tab and the others
    into padding, which one translate deletes while it restores blanks and newlines.
    """
    if b"\t" in block:
        block = block.expandtabs(tab_size)
    text = block.translate(_MARK_SPACES).replace(b"\n", b"\x81\t").expandtabs(tab_size)
    cells = len(text) // tab_size
    blank = text.translate(_IS_BLANK)
    out = bytearray(text)
    run = -1  # per cell, 1 while the columns from the last one down to this one are blanks
    for column in range(tab_size - 1, -1, -1):
        run &= int.from_bytes(blank[column::tab_size], "little")
        if not run:
            break
        becomes = 0x09 if column == tab_size - 1 else 0x20
        values = int.from_bytes(text[column::tab_size], "little") ^ (run * (_BLANK ^ becomes))
        out[column::tab_size] = values.to_bytes(cells, "little")
    return out.translate(_UNMARK, b" ")


def unexpand_line(line: bytes, tab_size: int, initial: bool) -> bytes:
    """One line with runs of blanks as tabs, following BusyBox's unexpand() loop."""
    if line.isascii() and b"\t" not in line:
        if not initial:
            return spaces_to_tabs(line, tab_size)
        # -f converts the leading blanks, or else the blanks right after the first word.
        end = BLANKS.match(line).end() or BLANKS.match(line, WORD.match(line).end()).end()
        return spaces_to_tabs(line[:end], tab_size) + line[end:]
    out = []
    at = 0
    column = 0
    while at < len(line):
        run = BLANKS.match(line, at).group()
        at += len(run)
        if at == len(line) and run.endswith(b"\t"):
            break  # BusyBox's loop ends on that tab, before writing the pending blanks
        for byte in run:
            column += 1 if byte == 32 else tab_size - column % tab_size
        spaces = len(run) - run.rfind(b"\t") - 1  # the spaces after the run's last tab
        tabs = column // tab_size
        if tabs:
            spaces = column = column % tab_size
            out.append(b"\t" * tabs)
        if initial and at:
            out.append(b" " * spaces + line[at:])
            break
        end = WORD.match(line, at).end()
        word = line[at:end]
        out.append(b" " * spaces + word)
        column = (column + text_width(word)) % tab_size
        at = end
    return b"".join(out)


def _tab_size(text: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise Fail(f"invalid number '{text}'")
    if not 1 <= int(text) <= UINT_MAX:
        raise Fail(f"number {text} is not in 1..{UINT_MAX} range")
    return int(text)


def main(argv: list[str]) -> int:
    expanding = argv[0] == "expand"
    if expanding:
        options, files = getopt(argv[1:], "it:", ("initial", "tabs="))
    else:
        options, files = getopt(argv[1:], "ft:a", ("first-only", "tabs=", "all"))
    tab_size = 8
    flags = set()
    for option, value in options:
        if option in ("-t", "--tabs"):
            tab_size = _tab_size(value)
            flags.add("t")
        else:
            flags.add({"--initial": "i", "--first-only": "f", "--all": "a"}.get(option, option[1]))
    if expanding:
        initial = "i" in flags
        convert = expand_line
        marker = b"\t"
    else:
        # -t implies -a; -f (first-only) is the default and beats both.
        initial = "f" in flags or not flags & {"a", "t"}
        convert = unexpand_line
        marker = b" "

    whole_blocks = not expanding and not initial and tab_size <= BLOCK_TAB_SIZE_LIMIT
    out = stdout()
    inputs = _text.Inputs(files, "Input/output error")
    for chunks in inputs.each(_text.read_blocks):
        for block in chunks:
            if marker not in block and (expanding or b"\t" not in block):
                out.write(block)
                continue
            if whole_blocks and block.isascii() and b"\r" not in block:
                complete = block.rfind(b"\n") + 1
                out.write(unexpand_block(block[:complete], tab_size))
                block = block[complete:]  # an unterminated last line goes the general way
            lines = _split_keep(block)
            out.write(b"".join([convert(line, tab_size, initial) for line in lines]))
    return inputs.status


def _split_keep(block: bytes) -> list[bytes]:
    """Lines ending in \\n only (splitlines would also break at \\r and friends)."""
    lines = [line + b"\n" for line in block.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    return lines
