"""patch: apply a unified diff to the files it names.

The patch is read the way BusyBox reads it (same file-name rules, same messages,
creation and removal of files).  Each hunk's old text must match exactly (no
fuzz); it is looked for at the line its header names, then at growing offsets
from there, never before the end of the previous hunk.  A file is rewritten
(through a temporary file renamed over it) only if all of its hunks apply; a
failed hunk is printed to stderr, as BusyBox does, and the exit status becomes 1.
"\\ No newline at end of file" markers are honoured.
"""

import os
import sys

from applets.common import Fail, getopt, stdout

USAGE = """patch [-RNE] [-p N] [-i DIFF] [ORIGFILE [PATCHFILE]]

\t-p N\tStrip N leading components from file names
\t-i DIFF\tRead DIFF instead of stdin
\t-R\tReverse patch
\t-N\tIgnore already applied patches
\t-E\tRemove output files if they become empty
\t--dry-run\tDon't actually change files"""

LONG_OPTIONS = (
    "reverse", "unified", "strip=", "input=", "forward", "remove-empty-files", "force",
    "get=", "dry-run", "backup-if-mismatch", "no-backup-if-mismatch",
)
LONG_TO_SHORT = {
    "--reverse": "-R", "--unified": "-u", "--strip": "-p", "--input": "-i", "--forward": "-N",
    "--remove-empty-files": "-E", "--force": "-f", "--get": "-g",
}


def _temporary(name: bytes):
    """A new file beside `name` (BusyBox uses NAME + "XXXXXX"): (fd, path)."""
    while True:
        path = name + os.urandom(3).hex().encode()
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            continue
        except OSError as exc:
            raise Fail(f"can't create temporary file for '{os.fsdecode(name)}': {exc.strerror}") from None


def _strtol(text: bytes):
    """C strtol in base 10: (value, rest); 0 and the text itself when there is no number."""
    stripped = text.lstrip(b" \t\n\r\f\v")
    sign = stripped[:1] if stripped[:1] in (b"+", b"-") else b""
    digits = len(stripped) - len(sign) - len(stripped[len(sign) :].lstrip(b"0123456789"))
    if not digits:
        return 0, text
    end = len(sign) + digits
    value = int(stripped[:end])
    return value, stripped[end:]


class _Target:
    """The file being patched: its lines, a read position and the output being built."""

    def __init__(self, name: bytes, lines: list[bytes], mode: int):
        self.name = name
        self.lines = lines
        self.texts = [_text(line) for line in lines]  # without line endings, for matching
        self.position = 0
        self.mode = mode
        self.output = []


def _text(line: bytes) -> bytes:
    return line[:-1] if line.endswith(b"\n") else line


class Patcher:
    """State of one patch run, following the structure of BusyBox's patch_main."""

    def __init__(self, reverse: bool, forward: bool, strip, remove_empty: bool, dry_run: bool, target_file):
        self.reverse = reverse
        self.forward = forward  # -N
        self.strip = strip  # None without -p
        self.remove_empty = remove_empty
        self.dry_run = dry_run
        self.target_file = target_file  # ORIGFILE operand, overrides names in the patch
        self.exit_status = 0
        self.out = stdout()
        self.target = None
        self.hunk = []
        self.no_newline = set()  # indexes of hunk lines marked "\ No newline at end of file"
        self.hunk_number = 0
        self.context = 0
        # Where the last hunk was found relative to the old and new line its header gives.
        self.offset = self.new_offset = 0
        self.old_line = self.old_length = self.new_line = self.new_length = 0

    # ---- messages ----

    def say(self, message: bytes) -> None:
        self.out.write(message + b"\n")
        self.out.flush()

    def complain(self, message: bytes) -> None:
        self.out.flush()
        os.write(2, message)

    # ---- files ----

    def _open(self, name: bytes, creating: bool) -> None:
        display = os.fsdecode(name)
        if creating:
            self.say(b"creating " + name)
            if self.dry_run:
                self.target = _Target(name, [], 0o644)
                return
            directory = os.path.dirname(name)
            if directory:
                try:
                    os.makedirs(directory, exist_ok=True)
                except OSError as exc:
                    raise Fail(f"can't create directory '{os.fsdecode(directory)}': {exc.strerror}") from None
            try:
                os.close(os.open(name, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666))
            except OSError as exc:
                raise Fail(f"can't open '{display}': {exc.strerror}") from None
        else:
            self.say(b"patching file " + name)
        try:
            with open(name, "rb") as handle:
                data = handle.read()
                mode = os.fstat(handle.fileno()).st_mode
        except OSError as exc:
            raise Fail(f"can't open '{display}': {exc.strerror}") from None
        self.target = _Target(name, _lines(data), mode)
        self.hunk_number = 0
        self.offset = self.new_offset = 0

    def finish_file(self) -> None:
        """Copy the rest of the input and put the result in place (BusyBox finish_oldfile)."""
        target = self.target
        self.target = None
        if target is None or target.output is None:
            return
        target.output.extend(target.lines[target.position :])
        if self.dry_run:
            return
        fd, temp = _temporary(target.name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(b"".join(target.output))
                os.fchmod(handle.fileno(), target.mode & 0o7777)
            os.rename(temp, target.name)
        except OSError:
            os.unlink(temp)
            raise

    def fail_hunk(self) -> None:
        """Report the hunk, drop everything done to this file so far."""
        if not self.hunk:
            return
        report = [b"Hunk %d FAILED %d/%d.\n" % (self.hunk_number, self.old_line, self.new_line)]
        report.extend(line + b"\n" for line in self.hunk)
        self.complain(b"".join(report))
        self.exit_status = 1
        self.hunk = []
        self.no_newline = set()
        if self.target is not None:
            self.target.output = None

    # ---- hunks ----

    def apply_hunk(self) -> int:
        """Place the hunk and replace its old text by its new text; the new parser state.

        The old text (context and removed lines) is looked for at the line the header
        names, shifted by the offset the previous hunk was found at, then ever further
        away, but never before the end of the previous hunk.  A hunk with less trailing
        than leading context must end at end of file, and one with less leading than
        trailing context must start the file.  When only the new text is found the
        hunk was probably applied already: -N skips it, otherwise it fails with
        BusyBox's "Possibly reversed hunk" warning.
        """
        hunk = self.hunk
        target = self.target
        if target is None or target.output is None:
            self.fail_hunk()
            return 0
        removing, adding = (b"+", b"-") if self.reverse else (b"-", b"+")
        old_side = [line[1:] for line in hunk if line[:1] != adding]
        new_side = [index for index, line in enumerate(hunk) if line[:1] != removing]
        leading = self.context
        trailing = _trailing_context(hunk)
        anchor = "end" if trailing < leading else "start" if leading < trailing else None
        old_start = self.new_line if self.reverse else self.old_line
        old_start = old_start - 1 if old_side else old_start
        expected = old_start + self.offset
        place = self._find(old_side, expected, anchor)
        already = [hunk[index][1:] for index in new_side]
        new_start = self.old_line if self.reverse else self.new_line
        new_start = new_start - 1 if already else new_start
        other = new_start + self.new_offset
        seen = self._find(already, other, anchor) if already or place is None else None
        if self.forward and seen is not None and (
            place is None
            or abs(seen - other) < abs(place - expected)
            or abs(seen - other) == abs(place - expected) and len(already) > len(old_side)
        ):
            self.offset, self.new_offset = seen - old_start, seen - new_start
            target.output.extend(target.lines[target.position : seen + len(already)])
            target.position = seen + len(already)
            self._hunk_done()
            return 1
        if place is None:
            if seen is not None and already:
                self.complain(b"Possibly reversed hunk %d at %d\n" % (self.hunk_number, len(target.lines) + 1))
            self.fail_hunk()
            return 0
        self.offset, self.new_offset = place - old_start, place - new_start
        target.output.extend(target.lines[target.position : place])
        target.position = place + len(old_side)
        for index in new_side:
            text = hunk[index][1:]
            target.output.append(text if index in self.no_newline else text + b"\n")
        self._hunk_done()
        return 1

    def _hunk_done(self) -> None:
        self.hunk = []
        self.no_newline = set()

    def _find(self, wanted: list[bytes], expected: int, anchor):
        """Index where the lines `wanted` occur nearest to `expected`, not before the read position."""
        texts = self.target.texts
        low = self.target.position
        high = len(texts) - len(wanted)
        count = len(wanted)
        for at in _candidates(low, high, expected, anchor):
            if texts[at : at + count] == wanted:
                return at
        return None

    def _strip(self, name: bytes):
        """Apply -p: drop that many leading components (all but the last without -p).

        Returns the stripped name and how many components were dropped.
        """
        stripped = 0
        position = 0
        while position < len(name):
            if self.strip is not None and self.strip == stripped:
                break
            position += 1
            if name[position - 1 : position] != b"/":
                continue
            while name[position : position + 1] == b"/":
                position += 1
            stripped += 1
            name = name[position:]
            position = 0
        return name, stripped

    def _whole_file(self, name: bytes, length: int) -> bool:
        """Whether a hunk of `length` old lines covers the whole file (unreadable: assume so)."""
        path = self.target_file if self.target_file is not None else self._strip(name)[0]
        try:
            with open(path, "rb") as handle:
                return len(_lines(handle.read())) == length
        except OSError:
            return True

    def start_file(self, names: dict) -> int:
        """On a file's first hunk: decide between create, patch, empty or delete; new state."""
        old_sum = self.old_line + self.old_length
        new_sum = self.new_line + self.new_length
        reverse = self.reverse
        name = names["old"] if reverse else names["new"]
        deleted = name == b"/dev/null"
        empty = deleted or not (old_sum if reverse else new_sum)
        if empty:
            other = names["new"] if reverse else names["old"]
            # A -U0 hunk deleting a file's first lines also says "+0,0": only a hunk
            # covering the whole file empties it.
            if deleted or self._whole_file(other, self.new_length if reverse else self.old_length):
                name = other
            else:
                empty = False
        name, stripped = self._strip(name)
        if self.target_file is not None:
            name = self.target_file
        if empty:
            if self.remove_empty:
                self.say(b"removing " + name)
                if not self.dry_run:
                    try:
                        os.unlink(name)
                    except OSError as exc:
                        raise Fail(f"can't remove file '{os.fsdecode(name)}': {exc.strerror}") from None
            else:
                self.say(b"patching file " + name)
                if not self.dry_run:
                    try:
                        os.close(os.open(name, os.O_WRONLY | os.O_TRUNC))
                    except OSError as exc:
                        raise Fail(f"can't open '{os.fsdecode(name)}': {exc.strerror}") from None
            return 0
        if self.strip is None or stripped <= self.strip:
            self._open(name, names["old"] == b"/dev/null" or not old_sum)
        return 2

    def run(self, patch) -> int:
        state = 0
        names = {"old": None, "new": None}
        old_left = new_left = 0
        pending = False  # a complete hunk waits: a "\ No newline" line may still follow
        for raw in patch:
            line = raw[:-1] if raw.endswith(b"\n") else raw
            if pending:
                if line[:1] == b"\\":
                    self.no_newline.add(len(self.hunk) - 1)
                    continue
                pending = False
                state = self.apply_hunk()
            if not line:
                line = b" "
            if state >= 2:
                marker = line[:1]
                if marker in (b" ", b"+", b"-"):
                    self.hunk.append(line)
                    if marker != b"+":
                        old_left -= 1
                    if marker != b"-":
                        new_left -= 1
                    if marker == b" " and state == 2:
                        self.context += 1
                    else:
                        state = 3
                    if not old_left and not new_left:
                        pending = True
                    continue
                if marker == b"\\" and self.hunk:
                    self.no_newline.add(len(self.hunk) - 1)
                    continue
                self.fail_hunk()
                state = 0
                continue
            if line.startswith((b"--- ", b"+++ ")):
                key = "new" if reverse_key(line, self.reverse) else "old"
                if line.startswith(b"+++ "):
                    state = 1
                self.finish_file()
                if self.target_file is None:
                    names[key] = _patch_name(line[4:])
            elif state == 1 and line.startswith(b"@@ -"):
                old_left, new_left = self._parse_range(line)
                self.context = 0
                state = 2
                for key in ("old", "new"):
                    if names[key] is None:
                        names[key] = b"MISSING_FILENAME"
                if self.target is None:
                    state = self.start_file(names)
                    if state == 0:
                        continue
                self.hunk_number += 1
        if pending:
            self.apply_hunk()
        elif state >= 2:
            self.fail_hunk()
        self.finish_file()
        self.out.flush()
        return self.exit_status

    def _parse_range(self, line: bytes):
        """@@ -OLD[,LEN] +NEW[,LEN] @@ (a missing length is 1)."""
        self.old_length = self.new_length = 1
        self.old_line, rest = _strtol(line[4:])
        if rest[:1] == b",":
            self.old_length, rest = _strtol(rest[1:])
        self.new_line, rest = _strtol(rest[2:])
        if rest[:1] == b",":
            self.new_length, rest = _strtol(rest[1:])
        if self.old_length < 1 and self.new_length < 1:
            raise Fail(f"Really? {os.fsdecode(line)}")
        return self.old_length, self.new_length


def _candidates(low: int, high: int, expected: int, anchor):
    """Positions to try, nearest to `expected` first, within low..high."""
    if anchor == "start":
        if low == 0 <= high:
            yield 0
        return
    if anchor == "end":
        if high >= low:
            yield high
        return
    expected = min(max(expected, low), high)
    if expected < low:
        return
    yield expected
    for distance in range(1, max(expected - low, high - expected) + 1):
        if expected + distance <= high:
            yield expected + distance
        if expected - distance >= low:
            yield expected - distance


def _trailing_context(hunk: list[bytes]) -> int:
    count = 0
    for line in reversed(hunk):
        if line[:1] != b" ":
            break
        count += 1
    return count


def reverse_key(line: bytes, reverse: bool) -> bool:
    """Whether a ---/+++ line names the "new" file (the roles swap under -R)."""
    return line.startswith(b"+++ ") != reverse


def _patch_name(text: bytes) -> bytes:
    """File name of a ---/+++ line: up to a tab (backslash keeps the next byte); an epoch date means /dev/null."""
    end = 0
    while end < len(text) and text[end : end + 1] != b"\t":
        if text[end : end + 1] == b"\\" and end + 1 < len(text):
            end += 1
        end += 1
    year, _ = _strtol(text[end:])
    if 1900 < year <= 1970:
        return b"/dev/null"
    return text[:end]


def _lines(data: bytes) -> list[bytes]:
    """Lines split on \\n only, keeping their endings; the last may lack one."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    return lines


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "Rup:i:NEfg", LONG_OPTIONS)
    flags = set()
    strip = None
    patch_file = None
    for option, value in options:
        option = LONG_TO_SHORT.get(option, option)
        if option == "-p":
            try:
                strip = int(value.strip(" "), 10)
            except ValueError:
                raise Fail(f"invalid number '{value}'") from None
        elif option == "-i":
            patch_file = value
        else:
            flags.add(option)
    if patch_file is None and len(operands) >= 2:
        patch_file = operands[1]
    if patch_file is None:
        source = sys.stdin.buffer
    else:
        try:
            source = open(patch_file, "rb")
        except OSError as exc:
            raise Fail(f"can't open '{patch_file}': {exc.strerror}") from None
    target_file = os.fsencode(operands[0]) if operands else None
    patcher = Patcher(
        reverse="-R" in flags,
        forward="-N" in flags,
        strip=strip,
        remove_empty="-E" in flags,
        dry_run="--dry-run" in flags,
        target_file=target_file,
    )
    try:
        return patcher.run(source)
    finally:
        patcher.out.flush()
