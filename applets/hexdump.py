"""hexdump: display file contents in user-defined formats (BSD hexdump semantics).

A format is a list of format units `[iterations]/[byte count] "printf-like text"`;
all format strings of a run consume the same block of input, sized by the
largest of them.  Identical consecutive blocks are folded into one "*" line
unless -v.  xxd builds its output with the same engine (see xxd.py).

Speed: each format unit of a full block is rendered with one C-level operation
(struct unpacking plus one %-formatting, or a byte-to-text table lookup); only
the short last block, padded with blanks, goes through the per-conversion path.
"""

import os
import struct

from applets.common import Fail, getopt, stdout, warn

USAGE = """hexdump [-bcdoxCv] [-e FMT] [-f FMT_FILE] [-n LEN] [-s OFS] [FILE]...

Display FILEs (or stdin) in a user specified format

\t-b\t\t1-byte octal display
\t-c\t\t1-byte character display
\t-d\t\t2-byte decimal display
\t-o\t\t2-byte octal display
\t-x\t\t2-byte hex display
\t-C\t\thex+ASCII 16 bytes per line
\t-v\t\tShow all (no dup folding)
\t-e FORMAT_STR\tExample: '16/1 "%02x|""\\n"'
\t-f FORMAT_FILE
\t-n LENGTH\tShow only first LENGTH bytes
\t-s OFFSET\tSkip OFFSET bytes"""

# Kinds of print unit.
TEXT, ADDRESS, CHAR, ESCAPED, NAMED, PRINTABLE, INT, UINT, FLOAT, STRING = range(10)

_FLAG_CHARS = b"#-+ 0123456789"
_ESCAPES = {b"\0": b"\\0", b"\a": b"\\a", b"\b": b"\\b", b"\f": b"\\f", b"\n": b"\\n",
            b"\r": b"\\r", b"\t": b"\\t", b"\v": b"\\v"}
_NAMES = (b"nul soh stx etx eot enq ack bel bs ht lf vt ff cr so si "
          b"dle dc1 dc2 dc3 dc4 nak syn etb can em sub esc fs gs rs us").split()
_STRUCT_CODES = {(INT, 1): "b", (INT, 2): "h", (INT, 4): "i", (UINT, 1): "B", (UINT, 2): "H",
                 (UINT, 4): "I", (FLOAT, 4): "f", (FLOAT, 8): "d"}


def c_format(spec: bytes, conversion: bytes, value) -> bytes:
    """printf one conversion as C does; `spec` holds flags, width and precision."""
    if conversion == b"o" and b"#" in spec and isinstance(value, int):
        # C's alternate octal form is a leading 0, Python's is "0o".
        digits = b"%o" % value
        if not digits.startswith(b"0"):
            digits = b"0" + digits
        return _pad(spec, digits)
    if conversion == b"u":
        conversion = b"d"
    return (b"%" + spec + conversion) % value


def _pad(spec: bytes, digits: bytes) -> bytes:
    width = int(spec.lstrip(b"#-+ 0").split(b".")[0] or b"0")
    if b"-" in spec:
        return digits.ljust(width)
    if spec.lstrip(b"#-+ ").startswith(b"0"):
        return digits.rjust(width, b"0")
    return digits.rjust(width)


class Unit:
    """One print unit: text, then at most one conversion (kind/spec/letter), then more text."""

    __slots__ = ("kind", "prefix", "spec", "letter", "suffix", "size")

    def __init__(self, kind, prefix=b"", spec=b"", letter=b"", suffix=b"", size=0):
        self.kind = kind
        self.prefix = prefix
        self.spec = spec
        self.letter = letter
        self.suffix = suffix
        self.size = size

    def render(self, data: bytes, address: int) -> bytes:
        """The text for this unit applied to `data` (its `size` bytes)."""
        kind = self.kind
        if kind == TEXT:
            return self.prefix
        if kind == ADDRESS:
            body = c_format(self.spec, self.letter, address & 0xFFFFFFFF)
        elif kind in (INT, UINT, FLOAT):
            (value,) = struct.unpack("<" + _STRUCT_CODES[kind, self.size], data[: self.size])
            if value != value:  # NaN: C prints the sign, Python does not
                import math

                text = b"-nan" if math.copysign(1.0, value) < 0 else b"nan"
                body = c_format(self.spec.replace(b"0", b"").replace(b"#", b""), b"s", text)
            else:
                body = c_format(self.spec, self.letter, value)
        elif kind == STRING:
            text = data[: self.size].split(b"\0", 1)[0]
            body = c_format(self.spec, b"s", text)
        else:
            body = self.convert_byte(data[0])
        return self.prefix + body + self.suffix

    def convert_byte(self, byte: int) -> bytes:
        """%c, %_c, %_u and %_p of one byte (without the unit's surrounding text)."""
        kind = self.kind
        spec = self.spec
        if kind == CHAR:
            return c_format(spec, b"c", byte)
        if kind == PRINTABLE:
            return c_format(spec, b"c", byte if 32 <= byte < 127 else 46)
        if kind == ESCAPED:
            escape = _ESCAPES.get(bytes([byte]))
            if escape is not None:
                return c_format(spec, b"s", escape)
            if 32 <= byte < 127:
                return c_format(spec, b"c", byte)
            return c_format(spec, b"s", b"%03o" % byte)
        if byte < 32:
            return c_format(spec, b"s", _NAMES[byte])
        if byte == 127:
            return c_format(spec, b"s", b"del")
        if byte < 127:
            return c_format(spec, b"c", byte)
        return c_format(spec, b"x", byte)

    def blank(self) -> bytes:
        """The unit past the end of the data: its conversion becomes blanks of its width."""
        if self.kind == TEXT:
            return self.prefix
        spec = self.spec.lstrip(b" -0+#")
        return self.prefix + (b"%" + spec + b"s") % b"" + self.suffix


class FormatUnit:
    """`reps/size "format"`: a list of print units repeated `reps` times."""

    def __init__(self, reps: int, size: int, explicit_reps: bool, units: list, ends_run: bool):
        self.reps = reps
        self.size = size  # bytes consumed by one repetition
        self.explicit_reps = explicit_reps
        self.units = units
        self.ends_run = ends_run  # %_A: print at the end only, stops this format string
        self.drop_space = False  # last repetition drops the final whitespace character
        self._last_units = None

    def units_for(self, last: bool) -> list:
        if not (last and self.drop_space):
            return self.units
        if self._last_units is None:
            final = self.units[-1]
            trimmed = Unit(final.kind, final.prefix, final.spec, final.letter, final.suffix, final.size)
            if trimmed.kind == TEXT:
                trimmed.prefix = trimmed.prefix[:-1]
            else:
                trimmed.suffix = trimmed.suffix[:-1]
            self._last_units = self.units[:-1] + [trimmed]
        return self._last_units


def _process_escapes(text: bytes) -> bytes:
    """Backslash escapes of a format string: \\n \\t ..., octal \\NNN, hex \\xHH; others kept."""
    out = bytearray()
    i = 0
    simple = {ord("a"): 7, ord("b"): 8, ord("e"): 27, ord("f"): 12, ord("n"): 10, ord("r"): 13,
              ord("t"): 9, ord("v"): 11, ord("\\"): 92}
    while i < len(text):
        char = text[i]
        if char != 92 or i + 1 >= len(text):
            out.append(char)
            i += 1
            continue
        following = text[i + 1]
        if following in simple:
            out.append(simple[following])
            i += 2
        elif 48 <= following <= 55:
            j = i + 1
            while j < len(text) and j < i + 4 and 48 <= text[j] <= 55:
                j += 1
            out.append(int(text[i + 1 : j], 8) & 0xFF)
            i = j
        elif following == ord("x") and i + 2 < len(text) and chr(text[i + 2]) in "0123456789abcdefABCDEF":
            j = i + 2
            while j < len(text) and j < i + 4 and chr(text[j]) in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(text[i + 2 : j], 16))
            i = j
        else:
            out.append(char)
            i += 1
    return bytes(out)


def parse_format(text: bytes) -> list:
    """Split one format string (one -e argument) into FormatUnits, checking it as BusyBox does."""
    units = []
    i = 0
    whitespace = b" \t\n\r\f\v"

    def bad():
        raise Fail(f"bad format {{{os.fsdecode(text)}}}")

    while True:
        while i < len(text) and text[i] in whitespace:
            i += 1
        if i >= len(text):
            return units
        reps, explicit, size = 1, False, 0
        if text[i : i + 1].isdigit():
            start = i
            while i < len(text) and text[i : i + 1].isdigit():
                i += 1
            if i >= len(text) or (text[i] not in whitespace and text[i : i + 1] != b"/"):
                bad()
            reps, explicit = int(text[start:i]), True
            i += 1
            while i < len(text) and text[i] in whitespace:
                i += 1
        if text[i : i + 1] == b"/":
            i += 1
            while i < len(text) and text[i] in whitespace:
                i += 1
        if text[i : i + 1].isdigit():
            start = i
            while i < len(text) and text[i : i + 1].isdigit():
                i += 1
            if i >= len(text) or text[i] not in whitespace:
                bad()
            size = int(text[start:i])
            while i < len(text) and text[i] in whitespace:
                i += 1
        if text[i : i + 1] != b'"':
            bad()
        end = text.find(b'"', i + 1)
        if end < 0:
            bad()
        body = _process_escapes(text[i + 1 : end])
        i = end + 1
        units.append(_rewrite(body, reps, explicit, size))


def _rewrite(fmt: bytes, reps: int, explicit: bool, size: int) -> FormatUnit:
    """Break a format unit's text into print units, one conversion each (BusyBox rewrite())."""
    prints = []
    position = 0
    conversions = 0
    ends_run = False
    while position < len(fmt):
        percent = fmt.find(b"%", position)
        if percent < 0:
            prints.append(Unit(TEXT, fmt[position:]))
            break
        prefix = fmt[position:percent]
        cursor = percent + 1
        precision = None
        if size:
            while cursor < len(fmt) and fmt[cursor] in b"." + _FLAG_CHARS:
                cursor += 1
        else:
            while cursor < len(fmt) and fmt[cursor] in _FLAG_CHARS:
                cursor += 1
            if fmt[cursor : cursor + 1] == b".":
                cursor += 1
                if fmt[cursor : cursor + 1].isdigit():
                    digits = cursor
                    while cursor < len(fmt) and fmt[cursor : cursor + 1].isdigit():
                        cursor += 1
                    precision = int(fmt[digits:cursor])
        spec = fmt[percent + 1 : cursor]
        letter = fmt[cursor : cursor + 1]
        rest = fmt[cursor:]
        end = cursor + 1
        if letter == b"c":
            kind, sizes, letter = CHAR, (1,), b"c"
        elif letter == b"l" and fmt[cursor + 1 : cursor + 2] in (b"d", b"i", b"o", b"u", b"x", b"X"):
            letter = fmt[cursor + 1 : cursor + 2]
            kind, sizes, end = (INT if letter in b"di" else UINT), (4, 2, 1), cursor + 2
        elif letter and letter in b"diouxX":
            kind, sizes = (INT if letter in b"di" else UINT), (4, 2, 1)
        elif letter and letter in b"eEfgG":
            kind, sizes = FLOAT, (8, 4)
        elif letter == b"s":
            kind, sizes = STRING, None
        elif letter == b"_":
            sub = fmt[cursor + 1 : cursor + 2]
            end = cursor + 2
            if sub in (b"a", b"A"):
                base = fmt[cursor + 2 : cursor + 3]
                if not base or base not in b"dox":
                    raise Fail(f"bad conversion character %{os.fsdecode(rest)}")
                if sub == b"A":
                    ends_run = True
                kind, sizes, letter, end = ADDRESS, (0,), base, cursor + 3
            elif sub in (b"c", b"p", b"u"):
                kind = {b"c": ESCAPED, b"p": PRINTABLE, b"u": NAMED}[sub]
                sizes, letter = (1,), b"c"
            else:
                raise Fail(f"bad conversion character %{os.fsdecode(rest)}")
        else:
            raise Fail(f"bad conversion character %{os.fsdecode(rest)}")
        if kind == STRING:
            if size:
                count = size
            elif precision is None:
                raise Fail("%s needs precision or byte count")
            else:
                count = precision
        elif kind == ADDRESS:
            count = 0
        elif size:
            if size not in sizes:
                raise Fail(f"bad byte count for conversion character {os.fsdecode(rest)}")
            count = size
        else:
            count = sizes[0]
        following = fmt.find(b"%", end)
        following = len(fmt) if following < 0 else following
        suffix = fmt[end:following]
        position = following
        if kind != ADDRESS and size:
            conversions += 1
            if conversions > 1:
                raise Fail("byte count with multiple conversion characters")
        prints.append(Unit(kind, prefix, spec, letter, suffix, count))
    unit_size = size or sum(item.size for item in prints)
    return FormatUnit(reps, unit_size, explicit, prints, ends_run)


class Dumper:
    """The hexdump engine: format strings, input stream, folding and output."""

    def __init__(self):
        self.formats = []  # list of lists of FormatUnit
        self.skip = 0
        self.length = -1
        self.show_all = False
        self.eof_string = None  # xxd -p/-i: stop a short last block with this text
        self.display_offset = 0  # xxd -o
        self.address = 0
        self.status = 0
        self.out = stdout()

    def add(self, text) -> None:
        if isinstance(text, str):
            text = os.fsencode(text)
        self.formats.append(parse_format(text))

    def add_file(self, path: str) -> None:
        try:
            with open(path, "rb") as handle:
                lines = handle.read().split(b"\n")
        except OSError as exc:
            raise Fail(f"can't open '{path}': {exc.strerror}") from None
        for line in lines:
            line = line.lstrip(b" \t\n\r\f\v")
            if line and not line.startswith(b"#"):
                self.add(line)

    # ---- layout ----

    def _prepare(self) -> int:
        """Block size, repetition of the last unit to fill a block, trailing-space dropping."""
        sizes = [sum(unit.size * unit.reps for unit in units) for units in self.formats]
        block = max(sizes, default=0)
        for units, size in zip(self.formats, sizes):
            for index, unit in enumerate(units):
                last = index == len(units) - 1
                if last and size < block and not unit.explicit_reps and unit.size:
                    unit.reps += (block - size) // unit.size
                if unit.reps > 1 and unit.units:
                    final = unit.units[-1]
                    tail = final.prefix if final.kind == TEXT else final.suffix
                    if tail[-1:] in (b" ", b"\t", b"\n", b"\r", b"\f", b"\v"):
                        unit.drop_space = True
        return block

    # ---- input ----

    def _chunks(self, files: list[str]):
        """Yield the input bytes in large pieces, honouring -s and -n, across all files."""
        remaining = self.length
        for name in files or ["-"]:
            if remaining == 0:
                return
            if name == "-":
                fd = 0
                display = "stdin" if not files else "-"
            else:
                try:
                    fd = os.open(name, os.O_RDONLY)
                except OSError as exc:
                    warn(f"{name}: {exc.strerror}")
                    self.status = 1
                    continue
                display = name
            try:
                if self.skip and not self._skip(fd):
                    continue
                while remaining:
                    want = 1 << 20 if remaining < 0 else min(remaining, 1 << 20)
                    try:
                        data = os.read(fd, want)
                    except OSError as exc:
                        self.out.flush()
                        warn(f"{display}: {exc.strerror}")
                        break
                    if not data:
                        break
                    if remaining > 0:
                        remaining -= len(data)
                    yield data
            finally:
                if fd:
                    os.close(fd)

    def _skip(self, fd: int) -> bool:
        """Apply -s to this file: True when data remains to be read from it."""
        import stat

        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and self.skip >= st.st_size:
            self.skip -= st.st_size
            self.address += st.st_size
            return False
        try:
            os.lseek(fd, self.skip, os.SEEK_SET)
        except OSError:
            left = self.skip
            while left:
                data = os.read(fd, min(left, 1 << 20))
                if not data:
                    self.skip = left
                    self.address += self.skip - left
                    return False
                left -= len(data)
        self.address += self.skip
        self.skip = 0
        return True

    def _chunked_blocks(self, files: list[str], size: int):
        """Yield (whole blocks, None) in large pieces, then (last short block, its length)."""
        pending = b""
        for data in self._chunks(files):
            if pending:
                data = pending + data
            full = len(data) - len(data) % size
            if full:
                yield data[:full], None
            pending = data[full:]
        if pending:
            yield pending, len(pending)

    # ---- output ----

    def dump(self, files: list[str]) -> int:
        size = self._prepare()
        if not size:
            return self._dump_without_data(files)
        steps = [step for units in self.formats for step in self._compile(units, size)]
        write = self.out.write
        previous = b""
        folding = not self.show_all
        state = "first"
        end_address = None
        for chunk, partial in self._chunked_blocks(files, size):
            address = self.address
            if partial is None:
                count = len(chunk) // size
                if not folding or not _has_repeat(chunk, size, previous if state != "first" else None):
                    self._render_full(steps, chunk, count, address)
                    state = "wait"
                    previous = chunk[-size:]
                    self.address += len(chunk)
                    continue
                for start in range(0, len(chunk), size):
                    block = chunk[start : start + size]
                    if folding:
                        if state != "first" and block == previous:
                            if state == "wait":
                                write(b"*\n")
                            state = "dup"
                            self.address += size
                            continue
                        state = "wait"
                        previous = block
                    self._render_full(steps, block, 1, self.address)
                    self.address += size
                continue
            end_address = address + partial
            if folding and state not in ("first", "dup") and chunk == previous[:partial]:
                write(b"*\n")
            self._render_partial(chunk + bytes(size - partial), address, end_address)
            self.address = end_address
        self._print_end(end_address)
        self.out.flush()
        return self.status

    def _render_full(self, steps, chunk: bytes, count: int, address: int) -> None:
        """Print `count` consecutive full blocks: each step renders all of them at once."""
        columns = [step(chunk, count, address) for step in steps]
        self.out.write(b"".join(map(b"".join, zip(*columns))))

    def _dump_without_data(self, files: list[str]) -> int:
        """Formats that read nothing (text only) print nothing, as BusyBox does."""
        for name in files:
            if name != "-" and not os.access(name, os.R_OK):
                warn(f"{name}: {os.strerror(2 if not os.path.lexists(name) else 13)}")
                self.status = 1
        return self.status

    def _print_end(self, end_address) -> None:
        """The last %_A unit given, once, after the data."""
        ending = [unit for units in self.formats for unit in units if unit.ends_run]
        if not ending:
            return
        if end_address is None:
            if not self.address:
                return
            end_address = self.address
        parts = []
        for item in ending[-1].units:
            if item.kind == TEXT:
                parts.append(item.prefix)
            elif item.kind == ADDRESS:
                parts.append(item.render(b"", end_address + self.display_offset))
        self.out.write(b"".join(parts))

    def _render_partial(self, block: bytes, address: int, end_address: int) -> None:
        """The last, short block: units past the end print as blanks (or xxd stops there)."""
        out = []
        for units in self.formats:
            position = address
            offset = 0
            for unit in units:
                if unit.ends_run:
                    break
                for repetition in range(unit.reps, 0, -1):
                    for item in unit.units_for(repetition == 1):
                        if position >= end_address and item.kind != TEXT:
                            if self.eof_string is not None:
                                out.append(self.eof_string)
                                self.out.write(b"".join(out))
                                return
                            out.append(item.blank())
                        else:
                            out.append(item.render(block[offset : offset + item.size], position + self.display_offset))
                        position += item.size
                        offset += item.size
        self.out.write(b"".join(out))

    def _compile(self, units: list, block_size: int) -> list:
        """Steps rendering one format string; a step maps (chunk, count, address) to one
        text per block, using C-level operations across all the blocks of the chunk."""
        steps = []
        offset = 0
        for unit in units:
            if unit.ends_run:
                break
            steps.append(self._compile_unit(unit, offset, block_size))
            offset += unit.size * unit.reps
        return steps

    def _compile_unit(self, unit: FormatUnit, start: int, block_size: int):
        reps = unit.reps
        span = unit.size * reps
        display = self.display_offset
        kinds = {item.kind for item in unit.units}
        if len(unit.units) == 1 and unit.units[0].kind in (CHAR, ESCAPED, NAMED, PRINTABLE):
            return _byte_table_step(unit, start, block_size)
        if _hex_step_applies(unit, start, block_size):
            return _hex_step(unit, start, block_size)
        if not kinds <= {TEXT, INT, UINT, ADDRESS}:
            return _fallback_step(unit, start, block_size, display)
        pieces = []
        codes = []
        for group, count in ((unit.units_for(last=False), reps - 1), (unit.units_for(last=True), 1)):
            for _ in range(count):
                for item in group:
                    pieces.append(_percent_template(item))
                    if item.kind in (INT, UINT):
                        codes.append(_STRUCT_CODES[item.kind, item.size])
        if None in pieces:
            return _fallback_step(unit, start, block_size, display)
        template = b"".join(pieces)
        if ADDRESS in kinds:
            if codes or len(pieces) != 1:
                return _fallback_step(unit, start, block_size, display)
            first = start + display

            def addresses(chunk, count, address):
                begin = address + first
                return [template % (value & 0xFFFFFFFF) for value in range(begin, begin + count * block_size, block_size)]

            return addresses
        if not codes:
            return lambda chunk, count, address: [template] * count
        layout = struct.Struct("<" + "x" * start + "".join(codes) + "x" * (block_size - start - span))
        render = template.__mod__
        return lambda chunk, count, address: list(map(render, layout.iter_unpack(chunk)))


# The hex text of the chunk being rendered, shared by the units that need the same one.
_HEX_TEXT = {}


def _hex_step_applies(unit: FormatUnit, start: int, block_size: int) -> bool:
    """A unit of one zero-padded full-width hex conversion ("%02x", "%04x", "%08X"...)."""
    if len(unit.units) != 1:
        return False
    item = unit.units[0]
    return (
        item.kind == UINT
        and item.letter in (b"x", b"X")
        and item.spec == b"0%d" % (2 * item.size)
        and start % item.size == 0
        and block_size % item.size == 0
    )


def _hex_step(unit: FormatUnit, start: int, block_size: int):
    """Render all the hex conversions of a chunk with bytes.hex, then cut one text per block.

    Every value takes the same width, so the text of value i starts at i * stride.
    """
    item = unit.units[0]
    size = item.size
    reps = unit.reps
    joint = item.suffix + item.prefix
    stride = len(joint) + 2 * size
    per_block = block_size // size
    first = start // size
    trim = 1 if unit.drop_space else 0
    upper = item.letter == b"X"

    key = (size, item.prefix, item.suffix, upper)

    def render(chunk, count, address):
        cached = _HEX_TEXT.get(key)
        if cached is not None and cached[0] is chunk:
            text = cached[1]
        else:
            data = _swap_bytes(chunk, size) if size > 1 else chunk
            digits = data.hex(" ", -size).encode() if size < len(data) else data.hex().encode()
            if upper:
                digits = digits.upper()
            text = item.prefix + (digits.replace(b" ", joint) if joint != b" " else digits) + item.suffix
            _HEX_TEXT[key] = (chunk, text)
        return [
            text[(value * stride) : (value + reps) * stride - trim]
            for value in range(first, count * per_block, per_block)
        ]

    return render


def _swap_bytes(data: bytes, size: int) -> bytes:
    """Reverse each `size`-byte group: little-endian values read as big-endian hex."""
    swapped = bytearray(len(data))
    for position in range(size):
        swapped[position::size] = data[size - 1 - position :: size]
    return bytes(swapped)


def _has_repeat(chunk: bytes, size: int, previous: bytes) -> bool:
    """Whether some block of the chunk equals the one before it (the first: `previous`)."""
    if previous is not None and chunk[:size] == previous:
        return True
    return chunk[size:] != b"" and any(
        map(bytes.__eq__, _split_blocks(chunk[size:], size), _split_blocks(chunk[:-size], size))
    )


def _split_blocks(data: bytes, size: int) -> list:
    return [data[start : start + size] for start in range(0, len(data), size)]


def _byte_table_step(unit: FormatUnit, start: int, block_size: int):
    """%c, %_c, %_u, %_p units: each byte's text comes from a 256-entry table."""
    reps = unit.reps
    table = [_surround(unit.units[0], byte) for byte in range(256)]
    last_table = [_surround(unit.units_for(last=True)[0], byte) for byte in range(256)]
    if all(len(entry) == 1 for entry in table + last_table) and table == last_table:
        translation = bytes(entry[0] for entry in table)

        def translated(chunk, count, address):
            text = chunk.translate(translation)
            return [text[begin : begin + reps] for begin in range(start, len(text), block_size)]

        return translated
    lookup = table.__getitem__

    def looked_up(chunk, count, address):
        out = []
        for begin in range(start, len(chunk), block_size):
            end = begin + reps - 1
            out.append(b"".join(map(lookup, chunk[begin:end])) + last_table[chunk[end]])
        return out

    return looked_up


def _fallback_step(unit: FormatUnit, start: int, block_size: int, display: int):
    """Per-conversion rendering for units the fast forms cannot express (%s, %#o, floats...)."""

    def render(chunk, count, address):
        out = []
        for block_start in range(0, count * block_size, block_size):
            parts = []
            offset = block_start + start
            position = address + block_start + start + display
            for repetition in range(unit.reps, 0, -1):
                for item in unit.units_for(repetition == 1):
                    parts.append(item.render(chunk[offset : offset + item.size], position))
                    offset += item.size
                    position += item.size
            out.append(b"".join(parts))
        return out

    return render


def _percent_template(item: Unit) -> bytes:
    """The unit as a %-format for Python (literal % doubled; C-only forms avoided)."""
    prefix = item.prefix.replace(b"%", b"%%")
    if item.kind == TEXT:
        return prefix
    suffix = item.suffix.replace(b"%", b"%%")
    letter = b"d" if item.letter == b"u" else item.letter
    spec = item.spec
    if letter == b"o" and b"#" in spec:
        return None
    return prefix + b"%" + spec + letter + suffix


def _surround(item: Unit, byte: int) -> bytes:
    return item.prefix + item.convert_byte(byte) + item.suffix


def parse_offset(text: str) -> int:
    """BusyBox xstrtoull with base 0 and b/k/m suffixes (512, 1024, 1048576)."""
    body = text
    multiplier = 1
    if body[-1:] in ("b", "k", "m") and not body.lower().startswith("0x"):
        multiplier = {"b": 512, "k": 1024, "m": 1024 * 1024}[body[-1]]
        body = body[:-1]
    try:
        if body.lower().startswith("0x"):
            value = int(body[2:], 16)
        elif body.startswith("0") and len(body) > 1:
            value = int(body[1:], 8)
        else:
            if not body.isdigit():
                raise ValueError
            value = int(body, 10)
    except ValueError:
        raise Fail(f"invalid number '{text}'") from None
    return value * multiplier


ADDRESS_LINE = '"%07.7_Ax\n"'
OPTION_FORMATS = {
    "-b": '"%07.7_ax " 16/1 "%03o " "\n"',
    "-c": '"%07.7_ax " 16/1 "%3_c " "\n"',
    "-d": '"%07.7_ax " 8/2 "  %05u " "\n"',
    "-o": '"%07.7_ax " 8/2 " %06o " "\n"',
    "-x": '"%07.7_ax " 8/2 "   %04x " "\n"',
}


def main(argv: list[str]) -> int:
    options, files = getopt(argv[1:], "bcdoxCe:f:n:s:v")
    dumper = Dumper()
    for option, value in options:
        if option in OPTION_FORMATS:
            dumper.add(ADDRESS_LINE)
            dumper.add(OPTION_FORMATS[option])
        elif option == "-C":
            dumper.add('"%08.8_Ax\n"')
            dumper.add('"%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x "')
            dumper.add('"  |" 16/1 "%_p" "|\n"')
        elif option == "-e":
            dumper.add(value)
        elif option == "-f":
            dumper.add_file(value)
        elif option == "-n":
            if not value.isdigit() or not value.isascii():
                raise Fail(f"invalid number '{value}'")
            dumper.length = int(value)
        elif option == "-s":
            dumper.skip = parse_offset(value)
        elif option == "-v":
            dumper.show_all = True
    if not dumper.formats:
        dumper.add(ADDRESS_LINE)
        dumper.add('"%07.7_ax " 8/2 "%04x " "\n"')
    try:
        return dumper.dump(files)
    finally:
        dumper.out.flush()
