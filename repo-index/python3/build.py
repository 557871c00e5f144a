"""Copy this machine's Python into $DESTDIR: interpreter, libpython, standard library (compiled).

Runs with the interpreter that builds the repository; its *base* installation is what gets
packaged, laid out as /usr/bin/python3.X and /usr/lib/python3.X so that it finds itself.
"""

import compileall
import os
import py_compile
import shutil
import sys
import sysconfig

SKIP = {"site-packages", "dist-packages", "test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip",
        "lib2to3", "pydoc_data", "__pycache__", "distutils", "venv"}

dest = os.environ["DESTDIR"]
version = f"{sys.version_info[0]}.{sys.version_info[1]}"
base_bin = os.path.join(sys.base_prefix, "bin", f"python{version}")
interpreter = os.path.realpath(base_bin if os.path.exists(base_bin) else sys.executable)
bindir = os.path.join(dest, "usr/bin")
libdir = os.path.join(dest, "usr/lib")
os.makedirs(bindir, exist_ok=True)
os.makedirs(libdir, exist_ok=True)
shutil.copy2(interpreter, os.path.join(bindir, f"python{version}"))
os.symlink(f"python{version}", os.path.join(bindir, "python3"))

if sysconfig.get_config_var("Py_ENABLE_SHARED"):
    library = sysconfig.get_config_var("INSTSONAME") or sysconfig.get_config_var("LDLIBRARY")
    shutil.copy2(os.path.join(sysconfig.get_config_var("LIBDIR"), library), os.path.join(libdir, library))

stdlib = sysconfig.get_paths(vars={"base": sys.base_prefix, "installed_base": sys.base_prefix})["stdlib"]
target = os.path.join(libdir, f"python{version}")
shutil.copytree(stdlib, target, symlinks=True, ignore=lambda directory, names: [
    n for n in names if n in SKIP or n.startswith(("config-", "_tkinter")) or n.endswith((".pyc", ".exe", ".a"))])
compileall.compile_dir(target, quiet=2, ddir=f"/usr/lib/python{version}",
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
