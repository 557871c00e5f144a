"""pybox: one entry point for every applet, dispatching on the name it is called by.

Start-up cost is paid by every shell pipeline that runs an applet, so this module
imports nothing beyond what the interpreter has already loaded; the applet's own
module is imported only once it has been picked.
"""

import os
import sys

# applet name -> (module in this package, install directory as BusyBox lays it out)
APPLETS = {
    "[": ("test", "usr/bin"),
    "[[": ("test", "usr/bin"),
    "base64": ("base64", "bin"),
    "basename": ("basename", "usr/bin"),
    "bunzip2": ("bzip2", "usr/bin"),
    "bzcat": ("bzip2", "usr/bin"),
    "bzip2": ("bzip2", "usr/bin"),
    "cat": ("cat", "bin"),
    "chgrp": ("chown", "bin"),
    "chmod": ("chmod", "bin"),
    "chown": ("chown", "bin"),
    "cksum": ("cksum", "usr/bin"),
    "cmp": ("cmp", "usr/bin"),
    "comm": ("comm", "usr/bin"),
    "cp": ("cp", "bin"),
    "cpio": ("cpio", "bin"),
    "cut": ("cut", "usr/bin"),
    "date": ("date", "bin"),
    "dd": ("dd", "bin"),
    "df": ("df", "bin"),
    "diff": ("diff", "usr/bin"),
    "dirname": ("dirname", "usr/bin"),
    "du": ("du", "usr/bin"),
    "echo": ("echo", "bin"),
    "egrep": ("grep", "bin"),
    "env": ("env", "usr/bin"),
    "expand": ("expand", "usr/bin"),
    "expr": ("expr", "usr/bin"),
    "false": ("false", "bin"),
    "fgrep": ("grep", "bin"),
    "find": ("find", "usr/bin"),
    "fold": ("fold", "usr/bin"),
    "grep": ("grep", "bin"),
    "gunzip": ("gzip", "bin"),
    "gzip": ("gzip", "bin"),
    "head": ("head", "usr/bin"),
    "hexdump": ("hexdump", "usr/bin"),
    "hostname": ("hostname", "bin"),
    "id": ("id", "usr/bin"),
    "install": ("install", "usr/bin"),
    "link": ("link", "bin"),
    "ln": ("ln", "bin"),
    "ls": ("ls", "bin"),
    "md5sum": ("hashsum", "usr/bin"),
    "mkdir": ("mkdir", "bin"),
    "mkfifo": ("mkfifo", "usr/bin"),
    "mknod": ("mknod", "bin"),
    "mktemp": ("mktemp", "bin"),
    "mv": ("mv", "bin"),
    "nl": ("nl", "usr/bin"),
    "nproc": ("nproc", "usr/bin"),
    "od": ("od", "usr/bin"),
    "paste": ("paste", "usr/bin"),
    "patch": ("patch", "usr/bin"),
    "printenv": ("printenv", "bin"),
    "printf": ("printf", "usr/bin"),
    "pwd": ("pwd", "bin"),
    "readlink": ("readlink", "usr/bin"),
    "realpath": ("realpath", "usr/bin"),
    "rev": ("rev", "bin"),
    "rm": ("rm", "bin"),
    "rmdir": ("rmdir", "bin"),
    "sed": ("sed", "bin"),
    "seq": ("seq", "usr/bin"),
    "sha1sum": ("hashsum", "usr/bin"),
    "sha256sum": ("hashsum", "usr/bin"),
    "sha3sum": ("hashsum", "usr/bin"),
    "sha512sum": ("hashsum", "usr/bin"),
    "sleep": ("sleep", "bin"),
    "sort": ("sort", "usr/bin"),
    "split": ("split", "usr/bin"),
    "stat": ("stat", "bin"),
    "strings": ("strings", "usr/bin"),
    "sum": ("sum", "usr/bin"),
    "sync": ("sync", "bin"),
    "tac": ("tac", "usr/bin"),
    "tail": ("tail", "usr/bin"),
    "tar": ("tar", "bin"),
    "tee": ("tee", "usr/bin"),
    "test": ("test", "usr/bin"),
    "timeout": ("timeout", "usr/bin"),
    "touch": ("touch", "bin"),
    "tr": ("tr", "usr/bin"),
    "true": ("true", "bin"),
    "truncate": ("truncate", "usr/bin"),
    "tsort": ("tsort", "usr/bin"),
    "uname": ("uname", "bin"),
    "unexpand": ("expand", "usr/bin"),
    "uniq": ("uniq", "usr/bin"),
    "unlink": ("unlink", "usr/bin"),
    "unxz": ("xz", "usr/bin"),
    "uudecode": ("uudecode", "usr/bin"),
    "uuencode": ("uuencode", "usr/bin"),
    "wc": ("wc", "usr/bin"),
    "which": ("which", "usr/bin"),
    "whoami": ("whoami", "usr/bin"),
    "xargs": ("xargs", "usr/bin"),
    "xxd": ("xxd", "usr/bin"),
    "xz": ("xz", "usr/bin"),
    "xzcat": ("xz", "usr/bin"),
    "yes": ("yes", "usr/bin"),
    "zcat": ("gzip", "bin"),
}

HELP = """

Usage: pybox [function [arguments]...]
   or: pybox --list[-full]
   or: pybox --install [-s] [DIR]
   or: function [arguments]...

\tpybox combines many common Unix utilities into a single program,
\tcompatible with BusyBox. Most people will create a link to pybox
\tfor each function they wish to use, and pybox will act like
\twhatever it was invoked as.

Currently defined functions:
"""


def _write(fd: int, text: str) -> None:
    os.write(fd, os.fsencode(text))


def _function_list() -> str:
    """The applet names wrapped at 78 columns, tab-indented, as BusyBox prints them."""
    lines, line = [], ""
    for name in APPLETS:
        piece = name + ", "
        if len(line) + len(piece) > 70:
            lines.append("\t" + line.rstrip())
            line = ""
        line += piece
    lines.append("\t" + line.rstrip(", "))
    return "\n".join(lines) + "\n"


def _install(args: list[str]) -> int:
    """Link every applet into DIR (or the BusyBox install dirs under /), like busybox --install."""
    symbolic = bool(args) and args[0] == "-s"
    if symbolic:
        args = args[1:]
    target = os.path.realpath(sys.argv[0])
    status = 0
    for name, (_, subdir) in APPLETS.items():
        directory = args[0] if args else "/" + subdir
        path = os.path.join(directory, name)
        try:
            os.makedirs(directory, exist_ok=True)
            if os.path.lexists(path):
                continue
            if symbolic:
                os.symlink(target, path)
            else:
                os.link(target, path)
        except OSError as exc:
            _write(2, f"pybox: {path}: {exc.strerror}\n")
            status = 1
    return status


def _multicall(args: list[str]) -> int:
    """Handle `pybox [--list|--list-full|--install|--help|APPLET ...]`."""
    if not args or args[0] in ("--help", "-h"):
        from applets.common import BANNER

        _write(1 if args else 2, BANNER + HELP + _function_list())
        return 0 if args else 1
    if args[0] == "--list":
        _write(1, "".join(name + "\n" for name in APPLETS))
        return 0
    if args[0] == "--list-full":
        _write(1, "".join(f"{APPLETS[name][1]}/{name}\n" for name in sorted(APPLETS, key=lambda n: (APPLETS[n][1], n))))
        return 0
    if args[0] == "--install":
        return _install(args[1:])
    return run(args)


def run(argv: list[str]) -> int:
    """Run the applet named by argv[0] with argv[1:] as its arguments."""
    name = argv[0]
    entry = APPLETS.get(name)
    if entry is None:
        _write(2, f"{name}: applet not found\n")
        return 127
    from applets import common

    common.APPLET = name
    module = __import__("applets." + entry[0], fromlist=["main"])
    usage = usage_of(module, name)
    if len(argv) == 2 and argv[1] == "--help" and name not in ("[", "[[", "test", "echo", "true", "false"):
        common.show_usage(usage, status=0)
    return common.guard(module, argv, usage)


def usage_of(module, name: str) -> str:
    """The usage text for an applet: per name when one module serves several (USAGES)."""
    usages = getattr(module, "USAGES", None)
    return usages[name] if usages and name in usages else module.USAGE


def _undo_locale_coercion() -> None:
    """In the C locale Python adds LC_CTYPE=C.UTF-8 to its own environment (PEP 538);
    applets show and pass on the environment they were given, so it goes again."""
    if os.environ.get("LC_CTYPE") != "C.UTF-8":
        return
    try:
        with open("/proc/self/environ", "rb") as handle:
            given = b"\0" + handle.read()
    except OSError:
        return
    if b"\0LC_CTYPE=" not in given:
        del os.environ["LC_CTYPE"]


def main() -> int:
    """Console-script and zipapp entry: pick the applet from argv[0], else from argv[1]."""
    import _signal

    # Die silently on a closed pipe and by signal on ^C, exactly as a C applet does
    # (an ignored SIGINT, as in a shell's background job, stays ignored); Python's
    # ignoring of SIGXFSZ must not leak into the programs applets start either.
    _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    _signal.signal(_signal.SIGXFSZ, _signal.SIG_DFL)
    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
    _undo_locale_coercion()
    name = os.path.basename(sys.argv[0])
    if name in APPLETS:
        return run([name] + sys.argv[1:])
    return _multicall(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
