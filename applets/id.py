"""id: print user and group ids (and names) of the current or a given user."""

import grp
import os
import pwd

from applets.common import Fail, UsageError, getopt, stdout, warn

USAGE = """id [-ugGnr] [USER]

Print information about USER or the current user

\t-u\tUser ID
\t-g\tGroup ID
\t-G\tSupplementary group IDs
\t-n\tPrint names instead of numbers
\t-r\tPrint real ID instead of effective ID"""


def _user_name(uid: int) -> str | None:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def _group_name(gid: int) -> str | None:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return None


class _Printer:
    """Formats one id the way BusyBox's print_common does for the chosen options."""

    def __init__(self, selective: bool, names: bool):
        self.selective = selective  # any of -u -g -G: bare values, no "uid=" labels
        self.names = names
        self.out = stdout()
        self.status = 0

    def write(self, text: str) -> None:
        self.out.write(os.fsencode(text))

    def add(self, number: int, name: str | None, prefix: str = "") -> None:
        self.write(prefix)
        if not self.names or name is None:
            self.write(str(number))
        if self.selective and not self.names:
            return
        if name is not None:
            self.write(name if self.selective else f"({name})")
        elif self.selective:
            self.out.flush()  # like bb_error_msg: what was printed so far comes first
            warn(f"unknown ID {number}")
            self.status = 1


def main(argv: list[str]) -> int:
    options, operands = getopt(argv[1:], "rnugG")
    flags = {opt[1] for opt, _ in options}
    selectors = flags & {"u", "g", "G"}
    if len(operands) > 1 or len(selectors) > 1 or (flags & {"r", "n"} and not selectors):
        raise UsageError()
    if operands:
        try:
            entry = pwd.getpwnam(operands[0])
        except KeyError:
            raise Fail(f"unknown user {operands[0]}") from None
        ruid = euid = entry.pw_uid
        rgid = egid = entry.pw_gid
    else:
        ruid, euid, rgid, egid = os.getuid(), os.geteuid(), os.getgid(), os.getegid()
    printer = _Printer(bool(selectors), "n" in flags)
    if not flags or "G" in flags:
        if not flags:
            printer.add(ruid, _user_name(ruid), "uid=")
            printer.add(rgid, _group_name(rgid), " gid=")
            if euid != ruid:
                printer.add(euid, _user_name(euid), " euid=")
            if egid != rgid:
                printer.add(egid, _group_name(egid), " egid=")
        else:
            printer.add(rgid, _group_name(rgid))
            if egid != rgid:
                printer.add(egid, _group_name(egid), " ")
        groups = os.getgrouplist(operands[0], rgid) if operands else os.getgroups()
        prefix = " groups="
        for gid in groups:
            if flags and gid in (rgid, egid):
                continue
            printer.add(gid, _group_name(gid), " " if flags else prefix)
            prefix = ","
    elif "r" in flags:
        euid, egid = ruid, rgid
    if "u" in flags:
        printer.add(euid, _user_name(euid))
    elif "g" in flags:
        printer.add(egid, _group_name(egid))
    printer.write("\n")
    return printer.status
