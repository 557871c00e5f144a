"""apk's command-line grammar: global options plus each command's own, accepted anywhere.

Like apk-tools (getopt_long over the global and the applet's option tables together),
options may come before or after the command name and between arguments; short options
bundle (`-qU`); `--opt=value` and `--opt value` are both accepted. Each command module
declares its options as a table, so parsing and `--help` come from one place.
"""

from __future__ import annotations


class Option:
    """One option: `--long`, optional `-s`, and a metavar when it takes a value."""

    __slots__ = ("long", "short", "metavar", "help", "repeat", "count", "optional_value")

    def __init__(self, long: str, short: str | None = None, metavar: str | None = None, help: str = "",
                 repeat: bool = False, count: bool = False, optional_value: bool = False):
        self.long = long
        self.short = short
        self.metavar = metavar  # takes a value when set
        self.help = help
        self.repeat = repeat  # collect every value into a list (-X)
        self.count = count  # count occurrences (-v -v)
        self.optional_value = optional_value  # value only as --opt=value (apk's --root-tmpfs[=BOOL])

    @property
    def key(self) -> str:
        return self.long.replace("-", "_")


class UsageError(Exception):
    """A command line apk would reject; printed as `ERROR: message` with exit status 1."""


def _find_long(name: str, tables) -> Option:
    for table in tables:
        for option in table:
            if option.long == name:
                return option
    candidates = [option for table in tables for option in table if option.long.startswith(name)]
    if len(candidates) == 1:
        return candidates[0]
    raise UsageError(f"unrecognized option '--{name}'" if not candidates else f"option '--{name}' is ambiguous")


def _find_short(char: str, tables) -> Option:
    for table in tables:
        for option in table:
            if option.short == char:
                return option
    raise UsageError(f"invalid option -- '{char}'")


def _store(values: dict, option: Option, value) -> None:
    if option.count:
        values[option.key] = values.get(option.key, 0) + 1
    elif option.repeat:
        values.setdefault(option.key, []).append(value)
    else:
        values[option.key] = True if value is None else value


def takes_value(argument: str, tables) -> bool:
    """Does this option token consume the next argument (used to find the command name)?"""
    try:
        if argument.startswith("--"):
            name, eq, _ = argument[2:].partition("=")
            option = _find_long(name, tables)
            return bool(option.metavar) and not option.optional_value and not eq
        for pos, char in enumerate(argument[1:], 1):
            option = _find_short(char, tables)
            if option.metavar:
                return pos == len(argument) - 1
    except UsageError:
        return False
    return False


def parse(argv: list[str], tables) -> tuple[dict, list[str]]:
    """Parse options from any position; returns ({key: value}, operands)."""
    values: dict = {}
    operands: list[str] = []
    i = 0
    while i < len(argv):
        argument = argv[i]
        i += 1
        if argument == "--":
            operands.extend(argv[i:])
            break
        if argument.startswith("--"):
            name, eq, value = argument[2:].partition("=")
            option = _find_long(name, tables)
            if not option.metavar:
                if eq:
                    raise UsageError(f"option '--{option.long}' doesn't allow an argument")
                _store(values, option, None)
            elif eq or option.optional_value:
                _store(values, option, value if eq else None)
            elif i < len(argv):
                _store(values, option, argv[i])
                i += 1
            else:
                raise UsageError(f"option '--{option.long}' requires an argument")
            continue
        if argument.startswith("-") and argument != "-":
            pos = 1
            while pos < len(argument):
                option = _find_short(argument[pos], tables)
                pos += 1
                if not option.metavar:
                    _store(values, option, None)
                    continue
                if pos < len(argument):
                    _store(values, option, argument[pos:])
                elif i < len(argv):
                    _store(values, option, argv[i])
                    i += 1
                else:
                    raise UsageError(f"option requires an argument -- '{option.short}'")
                break
            continue
        operands.append(argument)
    return values, operands


def format_table(options) -> str:
    """Option help lines as apk prints them: `  -s, --long VALUE   Help`."""
    rows = []
    for option in options:
        flag = f"-{option.short}, " if option.short else "    "
        flag += f"--{option.long}"
        if option.metavar:
            flag += f"[={option.metavar}]" if option.optional_value else f" {option.metavar}"
        rows.append((flag, option.help))
    width = max((len(flag) for flag, _ in rows), default=0) + 2
    return "".join(f"  {flag.ljust(width)}{text}\n" for flag, text in rows)
