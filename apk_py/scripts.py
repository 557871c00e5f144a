"""Package scripts and triggers: stored in lib/apk/db, run inside the root.

Scripts run with chroot into the root (so only as root, unless the root is `/`), with
an environment of just PATH, APK_PACKAGE and APK_SCRIPT, the new version as the first
argument and, for upgrades, the old version as the second.
"""

from __future__ import annotations

import fnmatch
import io
import os
import subprocess

from apk_py.fsutil import atomic_write
from apk_py.tarfmt import REGULAR, TarEntry, TarReader, TarWriter

SCRIPTS_TAR = "lib/apk/db/scripts.tar"
TRIGGERS_FILE = "lib/apk/db/triggers"
EXEC_DIR = "lib/apk/exec"
ACTIONS = ("pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-deinstall", "post-deinstall", "trigger")
SCRIPT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


def script_key(pkg) -> str:
    """How scripts.tar names a package's scripts: NAME-VERSION.IDENTITY."""
    return f"{pkg.name}-{pkg.version}.{pkg.checksum}"


class ScriptStore:
    """lib/apk/db/scripts.tar: every installed package's scripts, by package and action."""

    def __init__(self, root: str):
        self.path = os.path.join(root, SCRIPTS_TAR)
        self.scripts: dict[str, dict[str, bytes]] = {}
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return
        reader = TarReader(io.BytesIO(data), self.path)
        for entry in reader:
            key, _, action = entry.name.rpartition(".")
            if key and action in ACTIONS:
                self.scripts.setdefault(key, {})[action] = reader.read()

    def get(self, pkg, action: str) -> bytes | None:
        return self.scripts.get(script_key(pkg), {}).get(action)

    def set(self, pkg, scripts: dict[str, bytes]) -> None:
        """Store a package's control-stream scripts (keys like `.post-install`)."""
        actions = {name.lstrip("."): body for name, body in scripts.items() if name.lstrip(".") in ACTIONS}
        if actions:
            self.scripts[script_key(pkg)] = actions

    def forget(self, pkg) -> None:
        self.scripts.pop(script_key(pkg), None)

    def save(self) -> None:
        atomic_write(self.path, scripts_tar(self.scripts))


def scripts_tar(scripts: dict[str, dict[str, bytes]]) -> bytes:
    """scripts.tar contents: NAME-VERSION.IDENTITY.ACTION members (mode 0755), sorted."""
    out = io.BytesIO()
    writer = TarWriter(out)
    for key in sorted(scripts):
        for action in ACTIONS:
            body = scripts[key].get(action)
            if body is not None:
                writer.add(TarEntry(f"{key}.{action}", REGULAR, 0o755, 0, 0, len(body), 0, uname="root", gname="root"), body)
    writer.finish()
    return out.getvalue()


def triggers_text(triggers: dict[str, list[str]]) -> bytes:
    """lib/apk/db/triggers contents: `IDENTITY /glob...` per package that has triggers."""
    return "".join(f"{identity} {' '.join(globs)}\n" for identity, globs in triggers.items() if globs).encode("utf-8", "surrogateescape")


def run(ctx, root: str, pkg, action: str, body: bytes, args: list[str]) -> bool:
    """Run one script inside the root; returns False (after reporting) when it failed."""
    label = f"{pkg.name}-{pkg.version}.{action}"
    if ctx.no_scripts:
        return True
    in_place = os.path.realpath(root) == "/"
    if not in_place and os.geteuid() != 0:
        ctx.out.warning(f"{label}: not run: scripts need root to chroot into {root} (use --no-scripts)")
        return True
    exec_dir = os.path.join(root, EXEC_DIR)
    os.makedirs(exec_dir, exist_ok=True)
    script = os.path.join(exec_dir, f"{pkg.name}-{pkg.version}.{action}")
    with open(script, "wb") as handle:
        handle.write(body)
    os.chmod(script, 0o700)
    ctx.out.msg(f"Executing {label}")

    def enter_root():
        os.chdir(root)
        if not in_place:
            os.chroot(".")
        os.umask(0o022)

    inside = "/" + EXEC_DIR + "/" + os.path.basename(script)
    env = {"PATH": SCRIPT_PATH, "APK_PACKAGE": pkg.name, "APK_SCRIPT": action}
    try:
        ctx.out.stdout.flush()
        result = subprocess.run([inside, *args], env=env, preexec_fn=enter_root, cwd="/")
        status = result.returncode
    except OSError as exc:
        ctx.out.error(f"{label}: could not run script: {exc.strerror or exc}")
        return False
    finally:
        try:
            os.unlink(script)
        except OSError:
            pass
    if status != 0:
        ctx.out.error(f"{label}: script exited with error {status if status > 0 else 128 - status}")
        return False
    return True


# --- triggers ------------------------------------------------------------------------


def read_triggers(root: str) -> dict[str, list[str]]:
    """lib/apk/db/triggers: identity -> directory globs."""
    triggers = {}
    try:
        with open(os.path.join(root, TRIGGERS_FILE), encoding="utf-8", errors="surrogateescape") as handle:
            for line in handle:
                words = line.split()
                if words:
                    triggers[words[0]] = words[1:]
    except FileNotFoundError:
        pass
    return triggers


def write_triggers(root: str, triggers: dict[str, list[str]]) -> None:
    atomic_write(os.path.join(root, TRIGGERS_FILE), triggers_text(triggers))


def matching_dirs(globs: list[str], changed_dirs: set[str]) -> list[str]:
    """The changed directories (absolute, as apk passes them) that a trigger watches."""
    return sorted(d for d in changed_dirs if any(fnmatch.fnmatchcase(d, pattern) for pattern in globs))
