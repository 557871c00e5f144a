"""The `pk` command line: apk's global options, then one module per command.

This layer only parses arguments, builds a Context and reports errors; the work is done
by the library. Only the chosen command's module is imported.
"""

from __future__ import annotations

import os
import sys

from apk_py import __version__
from apk_py.options import Option, UsageError, format_table, parse, takes_value

APK_COMPAT = "3.0.6"

# command -> (module under apk_py.commands, one-line summary); grouped as apk's help groups them
COMMAND_GROUPS = (
    ("Package installation and removal", (
        ("add", "Add or update constraints to WORLD and commit changes"),
        ("del", "Remove constraints from WORLD and commit changes"),
    )),
    ("System maintenance", (
        ("fix", "Fix, reinstall or upgrade packages without modifying WORLD"),
        ("update", "Update repository indexes"),
        ("upgrade", "Install upgrades available from repositories"),
        ("cache", "Manage the local package cache"),
    )),
    ("Querying package information", (
        ("info", "Give detailed information about packages or repositories"),
        ("list", "List packages matching a pattern or other criteria"),
        ("dot", "Render dependencies as graphviz graphs"),
        ("policy", "Show repository policy for packages"),
        ("search", "Search for packages by name or description"),
    )),
    ("Repository and package maintenance", (
        ("index", "Create repository index file from packages"),
        ("fetch", "Download packages from repositories to a local directory"),
        ("manifest", "Show checksums of package contents"),
        ("verify", "Verify package integrity and signature"),
        ("mkpkg", "Create a package from a directory tree"),
        ("sign", "Sign packages and indexes with an RSA key"),
        ("keygen", "Generate an RSA signing key pair"),
        ("build", "Build package recipes into a signed repository"),
    )),
    ("Image building", (
        ("image", "Build, lock and push OCI base images from a declarative config"),
    )),
    ("Miscellaneous", (
        ("audit", "Audit system for changes"),
        ("stats", "Show statistics about repositories and installations"),
        ("version", "Compare package versions"),
    )),
)
COMMANDS = {name: summary for _, group in COMMAND_GROUPS for name, summary in group}

GLOBAL_OPTIONS = (
    Option("help", "h", help="Show generic help or command specific help"),
    Option("interactive", "i", help="Ask confirmation before performing certain operations"),
    Option("root", "p", "DIR", "Manage file system at DIR"),
    Option("quiet", "q", help="Print less information", count=True),
    Option("verbose", "v", help="Print more information (can be specified twice)", count=True),
    Option("version", "V", help="Print program version and exit"),
    Option("repository", "X", "REPO", "Specify additional package repository", repeat=True),
    Option("allow-untrusted", help="Install packages with untrusted signature or no signature"),
    Option("arch", None, "ARCH", "Temporarily override architecture"),
    Option("cache-dir", None, "DIR", "Temporarily override the cache directory"),
    Option("cache-max-age", None, "AGE", "Maximum AGE (in minutes) for index in cache before it's refreshed"),
    Option("force", "f", help="Enable all --force-* options"),
    Option("force-broken-world", help="Continue even if WORLD cannot be satisfied"),
    Option("force-missing-repositories", help="Continue even if some repositories cannot be read"),
    Option("force-non-repository", help="Continue even if packages may be lost on reboot"),
    Option("force-old-apk", help="Continue even if packages use unsupported features"),
    Option("force-overwrite", help="Overwrite files in other packages"),
    Option("force-refresh", help="Do not use cached files (local or from proxy)"),
    Option("keys-dir", None, "KEYSDIR", "Override directory of trusted keys"),
    Option("no-cache", help="Do not use any local cache path"),
    Option("no-interactive", help="Disable interactive mode"),
    Option("no-network", help="Do not use the network"),
    Option("no-progress", help="Disable progress bar even for TTYs"),
    Option("no-scripts", help="Do not run package scripts"),
    Option("print-arch", help="Print default arch and exit"),
    Option("progress", help="Show progress"),
    Option("repositories-file", None, "REPOFILE", "Override system repositories file"),
    Option("root-tmpfs", None, "BOOL", "Whether the root is on tmpfs (auto-detected otherwise)", optional_value=True),
    Option("timeout", None, "TIME", "Timeout network connections if no progress is made in TIME seconds"),
    Option("update-cache", "U", help="Alias for '--cache-max-age 1'"),
    Option("wait", None, "TIME", "Wait for TIME seconds to get an exclusive repository lock"),
    Option("simulate", "s", help="Simulate the requested operation without making any changes"),
)


def host_arch() -> str:
    """The apk architecture name of this machine."""
    machine = os.uname().machine
    return {"i686": "x86", "i586": "x86", "i386": "x86", "armv7l": "armv7", "arm64": "aarch64"}.get(machine, machine)


def _command_module(name: str):
    return __import__(f"apk_py.commands.{name}", fromlist=["run"])


def _find_command(argv: list[str]) -> int | None:
    """Position of the first operand (the command name), skipping values of options that take one."""
    skip = False
    for position, argument in enumerate(argv):
        if skip:
            skip = False
            continue
        if argument == "--":
            return None
        if argument.startswith("-") and argument != "-":
            skip = takes_value(argument, (GLOBAL_OPTIONS,))
            continue
        return position
    return None


def general_help() -> str:
    lines = [f"pk {__version__} (apk-tools {APK_COMPAT} compatible), compiled for {host_arch()}.", "",
             "usage: pk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]", ""]
    for title, commands in COMMAND_GROUPS:
        lines.append(f"{title}:")
        lines.extend(f"  {name:<10} {summary}" for name, summary in commands)
        lines.append("")
    lines.append("Global options:")
    return "\n".join(lines) + "\n" + format_table(GLOBAL_OPTIONS) + "\nThis pk has coffee making abilities.\n"


def command_help(name: str, module) -> str:
    text = f"pk {__version__} (apk-tools {APK_COMPAT} compatible), compiled for {host_arch()}.\n\n"
    text += f"usage: pk {name} {module.USAGE}\n\n{COMMANDS[name]}\n"
    if module.OPTIONS:
        text += "\nOptions:\n" + format_table(module.OPTIONS)
    text += "\nGlobal options:\n" + format_table(GLOBAL_OPTIONS)
    return text


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `pk` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv)
    except UsageError as exc:
        sys.stdout.flush()
        sys.stderr.write(f"ERROR: {exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0


def _run(argv: list[str]) -> int:
    from apk_py.errors import PkError

    position = _find_command(argv)
    name = module = None
    if position is not None:
        name = argv.pop(position)
        if name not in COMMANDS:
            raise UsageError(f"'{name}' is not an apk command. See 'pk --help'.")
        module = _command_module(name)
    # A command's own short options win over global ones (`info -s` is --size, not --simulate).
    tables = (module.OPTIONS, GLOBAL_OPTIONS) if module else (GLOBAL_OPTIONS,)
    values, operands = parse(argv, tables)
    global_keys = {option.key for option in GLOBAL_OPTIONS}
    command_values = {key: value for key, value in values.items() if key not in global_keys}
    values = {key: value for key, value in values.items() if key in global_keys}
    if values.get("version"):
        sys.stdout.write(f"pk {__version__} (apk-tools {APK_COMPAT} compatible), compiled for {host_arch()}.\n")
        return 0
    if values.get("print_arch"):
        from apk_py.context import Context

        sys.stdout.write(_print_arch(Context(**values)) + "\n")
        return 0
    if values.get("help") or module is None:
        sys.stdout.write(command_help(name, module) if module else general_help())
        return 0 if values.get("help") else 1
    from apk_py.context import Context

    ctx = Context(**values)
    try:
        return module.run(ctx, command_values, operands) or 0
    except PkError as exc:
        ctx.out.error(exc.message)
        return exc.status
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        ctx.out.error(f"{where}{exc.strerror or exc}")
        return 1
    except MemoryError:
        ctx.out.error("out of memory")
        return 1


def _print_arch(ctx) -> str:
    if ctx.arch:
        return ctx.arch
    try:
        with open(ctx.path("etc/apk/arch"), encoding="utf-8") as handle:
            return handle.read().strip() or host_arch()
    except OSError:
        return host_arch()


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the exit flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
