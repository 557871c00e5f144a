"""File-tree helpers shared by the file utilities (cp, mv, install, rm, ls, stat, du, df, chmod...).

BusyBox keeps these in libbb (copy_file, remove_file, bb_parse_mode,
make_human_readable_str); here they live in one module that only file applets import.
"""

import os
import stat
import sys

from applets.common import stdout, warn, write_err

FILE_MODE_BITS = 0o7777

# Tree walks recurse once per directory level; PATH_MAX allows ~2000 levels.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))

# who letter -> the mode bits it governs
_WHO_BITS = {
    "a": 0o7777,
    "u": stat.S_ISUID | stat.S_IRWXU,
    "g": stat.S_ISGID | stat.S_IRWXG,
    "o": stat.S_IRWXO,
}
# permission letter -> the bits it names (for every class; masked by who later)
_PERM_BITS = {
    "r": 0o444,
    "w": 0o222,
    "x": 0o111,
    "X": 0o111,
    "s": stat.S_ISUID | stat.S_ISGID,
    "t": stat.S_ISVTX,
}


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def parse_mode(text: str, current: int) -> int | None:
    """Apply an octal or symbolic (chmod-style) MODE to `current`; None if MODE is invalid.

    `current` carries the file type bits too, so `X` can tell directories apart.
    """
    if text[:1] in "01234567" and text:
        try:
            value = int(text, 8)
        except ValueError:
            return None
        return value if value <= 0o7777 else None
    mode = current
    i, n = 0, len(text)
    while i < n:
        if text[i] == ",":
            i += 1
            continue
        who = 0
        while i < n and text[i] in _WHO_BITS:
            who |= _WHO_BITS[text[i]]
            i += 1
        if i >= n:
            return None
        while i < n and text[i] != ",":
            op = text[i]
            if op not in "+-=":
                return None
            i += 1
            if op == "=":
                mode &= ~(who or FILE_MODE_BITS)
            perms = 0
            if i < n and text[i] in "ugo":
                # copy another class's current rwx bits: "g=u"
                source = _WHO_BITS[text[i]] & 0o777 & mode
                for group in (0o444, 0o222, 0o111):
                    if source & group:
                        perms |= group
                i += 1
            else:
                while i < n and text[i] in _PERM_BITS:
                    char = text[i]
                    if char != "X" or mode & (stat.S_IFDIR | 0o111):
                        perms |= _PERM_BITS[char]
                    i += 1
            if perms:
                perms &= who or ~current_umask()
                if op == "-":
                    mode &= ~perms
                else:
                    mode |= perms
    return mode


def human_size(value: int, block_size: int = 1, unit: int = 0) -> str:
    """BusyBox make_human_readable_str: 1023, 1.0K, 117.7M; or a fixed `unit` (du -m).

    block_size multiplies value; 0 means 1 with whole numbers only ("4K", as df's headers).
    """
    if value == 0:
        return "0"
    whole = block_size == 0
    value *= block_size or 1
    if unit:
        return str((value + unit // 2) // unit)
    suffixes = "KMGTPEZY"
    level = -1
    fraction = 0
    while value >= 1024:
        fraction = ((value % 1024) * 10 + 512) // 1024
        value //= 1024
        level += 1
    if fraction >= 10:
        value += 1
        fraction = 0
    if level < 0:
        return str(value)
    if whole:
        return f"{value + (fraction >= 5)}{suffixes[level]}"
    return f"{value}.{fraction}{suffixes[level]}"


_TYPE_CHARS = {
    stat.S_IFDIR: "d",
    stat.S_IFCHR: "c",
    stat.S_IFBLK: "b",
    stat.S_IFREG: "-",
    stat.S_IFIFO: "p",
    stat.S_IFLNK: "l",
    stat.S_IFSOCK: "s",
}


def mode_string(mode: int) -> str:
    """`drwxr-sr-t` as ls -l shows a mode (BusyBox bb_mode_string)."""
    chars = [_TYPE_CHARS.get(stat.S_IFMT(mode), "?")]
    for shift, special, lower, upper in ((6, stat.S_ISUID, "s", "S"), (3, stat.S_ISGID, "s", "S"), (0, stat.S_ISVTX, "t", "T")):
        bits = (mode >> shift) & 7
        chars.append("r" if bits & 4 else "-")
        chars.append("w" if bits & 2 else "-")
        if mode & special:
            chars.append(lower if bits & 1 else upper)
        else:
            chars.append("x" if bits & 1 else "-")
    return "".join(chars)


_users: dict[int, str | None] = {}
_groups: dict[int, str | None] = {}


def user_name(uid: int) -> str | None:
    """Name of `uid` from the passwd database, cached; None if it has none."""
    if uid not in _users:
        import pwd

        try:
            _users[uid] = pwd.getpwuid(uid).pw_name
        except KeyError:
            _users[uid] = None
    return _users[uid]


def group_name(gid: int) -> str | None:
    """Name of `gid` from the group database, cached; None if it has none."""
    if gid not in _groups:
        import grp

        try:
            _groups[gid] = grp.getgrgid(gid).gr_name
        except KeyError:
            _groups[gid] = None
    return _groups[gid]


def ask(prompt: str) -> bool:
    """Print `APPLET: prompt` and read a line from stdin: yes if it starts with y/Y."""
    from applets import common

    write_err(f"{common.APPLET}: {prompt}")
    answer = sys.stdin.buffer.readline()
    return answer[:1] in (b"y", b"Y")


def last_component(path: str) -> str:
    """Last path component with trailing slashes dropped ("/" stays "/")."""
    stripped = path.rstrip("/")
    if not stripped:
        return "/" if path else ""
    return stripped.rsplit("/", 1)[-1]


def join(directory: str, name: str) -> str:
    """Concatenate like BusyBox concat_path_file: no doubled slash at the seam."""
    if not directory:
        return name
    return directory.rstrip("/") + "/" + name.lstrip("/")


def copy_fd(src: int, dst: int) -> None:
    """Copy src to dst to EOF through the kernel where possible."""
    try:
        while os.sendfile(dst, src, None, 1 << 30):
            pass
        return
    except OSError as exc:
        if exc.errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP
            raise
    while data := os.read(src, 1 << 20):
        view = memoryview(data)
        while view:
            view = view[os.write(dst, view) :]


class Copier:
    """BusyBox copy_file: copy one tree with cp's options; remembers hardlinks and made dirs.

    Like BusyBox's default (non-POSIX) mode, a destination that can't be opened is
    always unlinked and recreated, so -f needs no flag of its own.
    """

    def __init__(
        self,
        recursive=False,
        deref=True,
        deref_top=False,
        preserve=False,
        interactive=False,
        no_clobber=False,
        update=False,
        verbose=False,
        link=None,
    ):
        self.recursive = recursive
        self.deref = deref
        self.deref_top = deref_top
        self.preserve = preserve
        self.interactive = interactive
        self.no_clobber = no_clobber
        self.update = update
        self.verbose = verbose
        self.link = link  # None, "hard" or "soft"
        self.copied_inodes: dict[tuple[int, int], str] = {}
        self.made_dirs: set[tuple[int, int]] = set()

    def _replace(self, dest: str, error: OSError | None) -> int:
        """Make room for dest: ask under -i, then unlink. 1 = retry, 0 = skip, -1 = failed."""
        if self.interactive and not ask(f"overwrite '{dest}'? "):
            return 0
        try:
            os.unlink(dest)
        except OSError as exc:
            reason = error if error is not None and error.errno != 2 else exc
            warn(f"can't create '{dest}': {reason.strerror}")
            return -1
        return 1

    def _announce(self, source: str, dest: str) -> None:
        if self.verbose:
            out = stdout()
            out.write(f"'{source}' -> '{dest}'\n".encode("utf-8", "surrogateescape"))
            out.flush()

    def copy(self, source: str, dest: str, top: bool = True) -> bool:
        """Copy source to dest; False if the copy was not made (an error was reported)."""
        follow = self.deref or (top and self.deref_top)
        try:
            src_st = os.stat(source) if follow else os.lstat(source)
        except OSError as exc:
            if self.link:
                return self._make_link(source, dest)
            warn(f"can't stat '{source}': {exc.strerror}")
            return False
        try:
            dst_st = os.lstat(dest)
        except OSError as exc:
            if exc.errno != 2:
                warn(f"can't stat '{dest}': {exc.strerror}")
                return False
            dst_st = None
        if dst_st is not None and (src_st.st_dev, src_st.st_ino) == (dst_st.st_dev, dst_st.st_ino):
            warn(f"'{source}' and '{dest}' are the same file")
            return False
        if stat.S_ISDIR(src_st.st_mode):
            return self._copy_dir(source, dest, src_st, dst_st)
        if dst_st is not None:
            if self.no_clobber:
                return True
            if self.update and src_st.st_mtime <= dst_st.st_mtime:
                return True
        if self.link:
            return self._make_link(source, dest)
        if not self.recursive or stat.S_ISREG(src_st.st_mode):
            if follow or not stat.S_ISLNK(src_st.st_mode):
                return self._copy_data(source, dest, src_st, dst_st, follow)
        return self._copy_special(source, dest, src_st, dst_st)

    def _copy_dir(self, source, dest, src_st, dst_st) -> bool:
        if not self.recursive:
            warn(f"omitting directory '{source}'")
            return False
        if (src_st.st_dev, src_st.st_ino) in self.made_dirs:
            warn(f"recursion detected, omitting directory '{source}'")
            return False
        created = dst_st is None
        if not created:
            if not stat.S_ISDIR(dst_st.st_mode):
                warn(f"target '{dest}' is not a directory")
                return False
        else:
            mask = current_umask()
            mode = src_st.st_mode & 0o7777
            if not self.preserve:
                mode &= ~mask
            try:
                os.mkdir(dest, mode | stat.S_IRWXU)
                dst_st = os.lstat(dest)
            except OSError as exc:
                warn(f"can't create directory '{dest}': {exc.strerror}")
                return False
        self.made_dirs.add((dst_st.st_dev, dst_st.st_ino))
        ok = True
        try:
            names = os.listdir(source)
        except OSError as exc:
            warn(f"can't open directory '{source}': {exc.strerror}")
            names = []
            ok = False
        for name in names:
            if not self.copy(join(source, name), join(dest, name), top=False):
                ok = False
        if created:
            try:
                # the owner-rwx granted while filling it in is taken back now
                os.chmod(dest, src_st.st_mode & 0o7777 & ~mask)
            except OSError as exc:
                warn(f"can't preserve permissions of '{dest}': {exc.strerror}")
        self._announce(source, dest)
        self._preserve(dest, src_st)
        return ok

    def _make_link(self, source: str, dest: str) -> bool:
        make = os.symlink if self.link == "soft" else os.link
        try:
            make(source, dest)
            return True
        except OSError as exc:
            verdict = self._replace(dest, exc)
            if verdict <= 0:
                return verdict == 0
        try:
            make(source, dest)
        except OSError as exc:
            warn(f"can't create link '{dest}': {exc.strerror}")
            return False
        return True

    def _copy_data(self, source, dest, src_st, dst_st, follow) -> bool:
        key = (src_st.st_dev, src_st.st_ino)
        if not follow and stat.S_ISREG(src_st.st_mode):
            earlier = self.copied_inodes.get(key)
            if earlier is not None:
                try:
                    os.link(earlier, dest)
                    return True
                except OSError as exc:
                    verdict = self._replace(dest, exc)
                    if verdict <= 0:
                        return verdict == 0
                try:
                    os.link(earlier, dest)
                except OSError as exc:
                    warn(f"can't create link '{dest}': {exc.strerror}")
                    return False
                return True
            self.copied_inodes[key] = dest
        try:
            src_fd = os.open(source, os.O_RDONLY)
        except OSError as exc:
            warn(f"can't open '{source}': {exc.strerror}")
            return False
        try:
            mode = src_st.st_mode & 0o7777 if stat.S_ISREG(src_st.st_mode) else 0o666
            flags = os.O_WRONLY | os.O_CREAT
            if dst_st is not None and not (self.recursive or self.interactive) and not stat.S_ISLNK(dst_st.st_mode):
                flags |= os.O_TRUNC
            else:
                flags |= os.O_EXCL
            try:
                dst_fd = os.open(dest, flags, mode)
            except OSError as exc:
                verdict = self._replace(dest, exc)
                if verdict <= 0:
                    return verdict == 0
                try:
                    dst_fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
                except OSError as exc2:
                    warn(f"can't open '{dest}': {exc2.strerror}")
                    return False
            ok = True
            try:
                copy_fd(src_fd, dst_fd)
            except OSError as exc:
                warn(f"error copying '{source}' to '{dest}': {exc.strerror}")
                ok = False
            finally:
                try:
                    os.close(dst_fd)
                except OSError as exc:
                    warn(f"can't close '{dest}': {exc.strerror}")
                    ok = False
        finally:
            os.close(src_fd)
        if not stat.S_ISREG(src_st.st_mode):
            return ok
        self._announce(source, dest)
        self._preserve(dest, src_st)
        return ok

    def _copy_special(self, source, dest, src_st, dst_st) -> bool:
        """Recreate a symlink, device, fifo or socket rather than copying its data."""
        if dst_st is not None:
            verdict = self._replace(dest, None)
            if verdict <= 0:
                return verdict == 0
        if stat.S_ISLNK(src_st.st_mode):
            try:
                target = os.readlink(source)
            except OSError as exc:
                warn(f"{source}: cannot read link: {exc.strerror}")
                return False
            try:
                os.symlink(target, dest)
            except OSError as exc:
                warn(f"can't create symlink '{dest}': {exc.strerror}")
                return False
            if self.preserve:
                try:
                    os.lchown(dest, src_st.st_uid, src_st.st_gid)
                except OSError as exc:
                    warn(f"can't preserve ownership of '{dest}': {exc.strerror}")
            self._announce(source, dest)
            return True
        try:
            os.mknod(dest, src_st.st_mode, src_st.st_rdev)
        except OSError as exc:
            warn(f"can't create '{dest}': {exc.strerror}")
            return False
        self._announce(source, dest)
        self._preserve(dest, src_st)
        return True

    def _preserve(self, dest: str, src_st) -> None:
        """Under -p: times, then owner, then mode (set-id bits dropped if chown fails)."""
        if not self.preserve:
            return
        mode = src_st.st_mode & 0o7777
        try:
            os.utime(dest, ns=(src_st.st_atime_ns, src_st.st_mtime_ns))
        except OSError as exc:
            warn(f"can't preserve times of '{dest}': {exc.strerror}")
        try:
            os.chown(dest, src_st.st_uid, src_st.st_gid)
        except OSError as exc:
            mode &= ~(stat.S_ISUID | stat.S_ISGID)
            warn(f"can't preserve ownership of '{dest}': {exc.strerror}")
        try:
            os.chmod(dest, mode)
        except OSError as exc:
            warn(f"can't preserve permissions of '{dest}': {exc.strerror}")


def remove_tree(path: str, force=False, interactive=False, recursive=True, verbose=False) -> bool:
    """BusyBox remove_file: unlink path, descending into directories under -r; False on error."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        if exc.errno != 2:
            warn(f"can't stat '{path}': {exc.strerror}")
            return False
        if force:
            return True
        warn(f"can't remove '{path}': {exc.strerror}")
        return False
    # like BusyBox, a write-protected file prompts too when stdin is a terminal
    careful = interactive or (not force and not stat.S_ISLNK(st.st_mode) and not os.access(path, os.W_OK) and os.isatty(0))
    if stat.S_ISDIR(st.st_mode):
        if not recursive:
            warn(f"'{path}' is a directory")
            return False
        if careful and not ask(f"descend into directory '{path}'? "):
            return True
        ok = True
        try:
            names = os.listdir(path)
        except OSError as exc:
            warn(f"can't open '{path}': {exc.strerror}")
            return False
        for name in names:
            if not remove_tree(join(path, name), force, interactive, recursive, verbose):
                ok = False
        if careful and not ask(f"remove directory '{path}'? "):
            return True
        try:
            os.rmdir(path)
        except OSError as exc:
            warn(f"can't remove '{path}': {exc.strerror}")
            return False
        if verbose:
            _say(f"removed directory: '{path}'\n")
        return ok
    if careful and not ask(f"remove '{path}'? "):
        return True
    try:
        os.unlink(path)
    except OSError as exc:
        warn(f"can't remove '{path}': {exc.strerror}")
        return False
    if verbose:
        _say(f"removed '{path}'\n")
    return True


def _say(text: str) -> None:
    out = stdout()
    out.write(text.encode("utf-8", "surrogateescape"))
    out.flush()


def walk(path: str, action, recurse: bool, follow_top: bool = False, follow_all: bool = False,
         depth_first: bool = False, depth: int = 0) -> bool:
    """BusyBox recursive_action: call action(path, st, depth) on path and, under recurse, its tree.

    Symlinks are followed on the command line under follow_top, everywhere under follow_all.
    Directories are visited before their entries unless depth_first. False if anything failed.
    """
    follow = follow_all or (follow_top and depth == 0)
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as exc:
        warn(f"{path}: {exc.strerror}")
        return False
    if not recurse or not stat.S_ISDIR(st.st_mode):
        return action(path, st, depth)
    ok = True
    if not depth_first:
        ok = action(path, st, depth)
    try:
        names = os.listdir(path)
    except OSError as exc:
        warn(f"can't open directory '{path}': {exc.strerror}")
        return False
    for name in names:
        if not walk(join(path, name), action, recurse, follow_top, follow_all, depth_first, depth + 1):
            ok = False
    if depth_first:
        ok = action(path, st, depth) and ok
    return ok
