"""chown and chgrp: change the owner and/or group of files, names looked up in passwd/group."""

import os

from applets.common import Fail, UsageError, getopt, stdout, warn
from applets._fileutil import walk

USAGE = """chown [-RhLHPcvf]... USER[:[GRP]] FILE...

Change the owner and/or group of FILEs to USER and/or GRP

\t-h\tAffect symlinks instead of symlink targets
\t-L\tTraverse all symlinks to directories
\t-H\tTraverse symlinks on command line only
\t-P\tDon't traverse symlinks (default)
\t-R\tRecurse
\t-c\tList changed files
\t-v\tVerbose
\t-f\tHide errors"""

USAGES = {"chown": USAGE, "chgrp": """chgrp [-RhLHPcvf]... GROUP FILE...

Change the group membership of FILEs to GROUP

\t-h\tAffect symlinks instead of symlink targets
\t-L\tTraverse all symlinks to directories
\t-H\tTraverse symlinks on command line only
\t-P\tDon't traverse symlinks (default)
\t-R\tRecurse
\t-c\tList changed files
\t-v\tVerbose
\t-f\tHide errors"""}

LONG_OPTIONS = ["recursive", "no-dereference", "dereference", "changes", "verbose", "silent", "quiet"]
LONG_TO_SHORT = {
    "--recursive": "-R",
    "--no-dereference": "-h",
    "--dereference": "",
    "--changes": "-c",
    "--verbose": "-v",
    "--silent": "-f",
    "--quiet": "-f",
}


def _user_id(name: str) -> int:
    import pwd

    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        if name.isdigit():
            return int(name)
        raise Fail(f"unknown user {name}") from None


def _group_id(name: str) -> int:
    import grp

    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        if name.isdigit():
            return int(name)
        raise Fail(f"unknown group {name}") from None


def parse_owner(spec: str) -> tuple[int, int]:
    """USER, USER:GROUP, USER: (the user's login group), :GROUP, or USER.GROUP; -1 = keep."""
    user, sep, group = spec.partition(":")
    if not sep and "." in spec:
        import pwd

        try:
            pwd.getpwnam(spec)
        except KeyError:
            user, sep, group = spec.partition(".")
    uid = gid = -1
    if user:
        uid = _user_id(user)
        if sep and not group:
            import pwd

            try:
                gid = pwd.getpwuid(uid).pw_gid
            except KeyError:
                raise Fail(f"unknown user {user}") from None
    if group:
        gid = _group_id(group)
    return uid, gid


def main(argv: list[str]) -> int:
    chgrp = os.path.basename(argv[0]) == "chgrp"
    options, operands = getopt(argv[1:], "RhvcfLHP", LONG_OPTIONS)
    flags = {LONG_TO_SHORT.get(opt, opt) for opt, _ in options}
    if len(operands) < 2:
        raise UsageError()
    spec, paths = operands[0], operands[1:]
    uid, gid = (-1, _group_id(spec)) if chgrp else parse_owner(spec)
    recursive = "-R" in flags
    follow_top = bool(flags & {"-H", "-L"})
    follow_all = "-L" in flags
    no_deref = "-h" in flags or (recursive and not follow_top)
    out = stdout()

    def change(path: str, st, depth: int) -> bool:
        if not no_deref and not (follow_all or (follow_top and depth == 0)):
            try:
                st = os.stat(path)
            except OSError as exc:
                if "-f" not in flags:
                    warn(f"{path}: {exc.strerror}")
                return False
        new_uid = st.st_uid if uid == -1 else uid
        new_gid = st.st_gid if gid == -1 else gid
        try:
            os.chown(path, uid, gid, follow_symlinks=not no_deref)
        except OSError as exc:
            if "-f" not in flags:
                warn(f"{path}: {exc.strerror}")
            return False
        if "-v" in flags or ("-c" in flags and (st.st_uid, st.st_gid) != (new_uid, new_gid)):
            out.write(f"changed ownership of '{path}' to {new_uid}:{new_gid}\n".encode("utf-8", "surrogateescape"))
        return True

    status = 0
    for path in paths:
        if not walk(path, change, recursive, follow_top, follow_all, depth_first=True):
            status = 1
    return status
