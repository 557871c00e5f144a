"""gzip, gunzip, zcat: compress and decompress gzip files (one module, dispatching on argv[0]).

zlib does the work on megabyte chunks; the header and trailer are handled here so that
every error gets BusyBox's message. zcat also reads bzip2 and xz, as BusyBox's does.
"""

from applets.common import getopt

USAGES = {
    "gzip": """gzip [-cfkdt123456789] [FILE]...

Compress FILEs (or stdin)

\t-1..9\tCompression level
\t-d\tDecompress
\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity""",
    "gunzip": """gunzip [-cfkt] [FILE]...

Decompress FILEs (or stdin)

\t-c\tWrite to stdout
\t-f\tForce
\t-k\tKeep input files
\t-t\tTest integrity""",
    "zcat": """zcat [FILE]...

Decompress to stdout""",
}

USAGE = USAGES["gzip"]

LONG_OPTIONS = ("stdout", "to-stdout", "force", "keep", "verbose", "quiet", "decompress", "uncompress", "test", "fast", "best", "no-name")
LONG_TO_SHORT = {"stdout": "c", "to-stdout": "c", "force": "f", "keep": "k", "verbose": "v", "quiet": "q", "decompress": "d", "uncompress": "d", "test": "t", "fast": "1", "best": "9", "no-name": "n"}


def gunzip_name(path: str):
    """x.gz -> x, x.tgz -> x.tar; None for any other suffix (BusyBox refuses those)."""
    stem, dot, suffix = path.rpartition(".")
    if not dot or "/" in suffix:
        return None
    if suffix == "gz":
        return stem
    if suffix == "tgz":
        return stem + ".tar"
    return None


def main(argv: list[str]) -> int:
    from applets import _archival

    applet = argv[0]
    shortopts = "cfkvqdtn123456789" if applet == "gzip" else "cfkvqdtn"
    options, files = getopt(argv[1:], shortopts, LONG_OPTIONS)
    letters = [LONG_TO_SHORT[opt[2:]] if opt.startswith("--") else opt[1] for opt, _ in options]
    flags = set(letters)
    if applet == "zcat":
        flags.add("c")
        return _archival.run_files(files, flags, None, gunzip_name, seamless=True)
    if applet == "gunzip" or flags & {"d", "t"}:
        return _archival.run_files(files, flags, _archival.gunzip_chunks, gunzip_name)
    levels = [int(letter) for letter in letters if letter.isdigit()]
    level = levels[-1] if levels else 6

    def deflate(chunks, info):
        return _archival.encode_chunks(chunks, _archival.encoder("gz", level))

    return _archival.run_files(files, flags, deflate, lambda path: path + ".gz", packing=True)
