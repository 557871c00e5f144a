"""bzip2, bunzip2, bzcat: bzip2 files through Python's bz2 (one module, dispatching on argv[0]).

Concatenated streams decode back to back; corrupt input reports BusyBox's
"bunzip error N" numbers (-2 not bzip2 data, -3 unexpected end, -5 data error).
"""

from applets.common import getopt

USAGES = {
    "bzip2": """bzip2 [-cfkdt123456789] [FILE]...

Compress FILEs (or stdin) with bzip2 algorithm

\t-1..9\tCompression level
\t-d\tDecompress
\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity""",
    "bunzip2": """bunzip2 [-cfk] [FILE]...

Decompress FILEs (or stdin)

\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity""",
    "bzcat": """bzcat [FILE]...

Decompress to stdout""",
}

USAGE = USAGES["bzip2"]

LONG_TO_SHORT = {"stdout": "c", "force": "f", "keep": "k", "verbose": "v", "quiet": "q", "decompress": "d", "test": "t", "fast": "1", "best": "9"}


def bunzip2_name(path: str):
    """x.bz2 -> x; None for any other suffix."""
    stem, dot, suffix = path.rpartition(".")
    return stem if dot and suffix == "bz2" else None


def main(argv: list[str]) -> int:
    from applets import _archival

    applet = argv[0]
    shortopts = "cfkvqdtzs123456789" if applet == "bzip2" else "cfkvqdt"
    options, files = getopt(argv[1:], shortopts, tuple(LONG_TO_SHORT))
    letters = [LONG_TO_SHORT[opt[2:]] if opt.startswith("--") else opt[1] for opt, _ in options]
    flags = set(letters)
    if applet == "bzcat":
        flags.add("c")
    if applet != "bzip2" or flags & {"d", "t"}:
        return _archival.run_files(files, flags, _archival.bunzip2_chunks, bunzip2_name)
    levels = [int(letter) for letter in letters if letter.isdigit()]
    level = levels[-1] if levels else 9

    def compress(chunks, info):
        return _archival.encode_chunks(chunks, _archival.encoder("bz2", level))

    return _archival.run_files(files, flags, compress, lambda path: path + ".bz2", packing=True)
