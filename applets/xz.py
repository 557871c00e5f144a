"""xz, unxz, xzcat: .xz files through Python's lzma (one module, dispatching on argv[0]).

BusyBox's xz only decompresses; this one also compresses (-0..-9, -e), writing
what xz(1) writes by default: one stream with a CRC64 check.
"""

from applets.common import getopt

USAGES = {
    "xz": """xz [-cfkdte0123456789] [FILE]...

Compress FILEs (or stdin) with xz, or decompress with -d

\t-0..9\tCompression level
\t-e\tExtreme: slower, a little smaller
\t-d\tDecompress
\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity""",
    "unxz": """unxz [-cfkt] [FILE]...

Decompress FILEs (or stdin)

\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity""",
    "xzcat": """xzcat [FILE]...

Decompress to stdout""",
}

USAGE = USAGES["xz"]

LONG_TO_SHORT = {"stdout": "c", "to-stdout": "c", "force": "f", "keep": "k", "verbose": "v", "quiet": "q", "decompress": "d", "uncompress": "d", "test": "t", "extreme": "e", "fast": "0", "best": "9"}


def unxz_name(path: str):
    """x.xz -> x, x.txz -> x.tar; None for any other suffix."""
    stem, dot, suffix = path.rpartition(".")
    if not dot or "/" in suffix:
        return None
    if suffix == "xz":
        return stem
    if suffix == "txz":
        return stem + ".tar"
    return None


def main(argv: list[str]) -> int:
    from applets import _archival

    applet = argv[0]
    shortopts = "cfkvqdte0123456789" if applet == "xz" else "cfkvqdt"
    options, files = getopt(argv[1:], shortopts, tuple(LONG_TO_SHORT))
    letters = [LONG_TO_SHORT[opt[2:]] if opt.startswith("--") else opt[1] for opt, _ in options]
    flags = set(letters)
    if applet == "xzcat":
        flags.add("c")
    if applet != "xz" or flags & {"d", "t"}:
        return _archival.run_files(files, flags, _archival.unxz_chunks, unxz_name)
    levels = [int(letter) for letter in letters if letter.isdigit()]
    preset = levels[-1] if levels else 6
    if "e" in flags:
        import lzma

        preset |= lzma.PRESET_EXTREME

    def compress(chunks, info):
        return _archival.encode_chunks(chunks, _archival.encoder("xz", preset))

    return _archival.run_files(files, flags, compress, lambda path: path + ".xz", packing=True)
