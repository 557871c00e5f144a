"""Copy into $DESTDIR every shared library the packaged Python loads, at the same paths.

`ldd` (the build machine's loader) resolves the interpreter, libpython and every
extension module of the standard library; each library found, and the loader itself,
is copied as a regular file to the path the loader will look for it at.
"""

import glob
import os
import shutil
import subprocess
import sys
import sysconfig

dest = os.environ["DESTDIR"]
version = f"{sys.version_info[0]}.{sys.version_info[1]}"
base_bin = os.path.join(sys.base_prefix, "bin", f"python{version}")
objects = [os.path.realpath(base_bin if os.path.exists(base_bin) else sys.executable)]
base_paths = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix, "installed_base": sys.base_prefix})
objects += [path for path in glob.glob(os.path.join(base_paths["platstdlib"], "lib-dynload", "*.so")) if "_tkinter" not in path]
if sysconfig.get_config_var("Py_ENABLE_SHARED"):
    objects.append(os.path.join(sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("INSTSONAME")))
libdir = sysconfig.get_config_var("LIBDIR")

found = set()
for path in objects:
    result = subprocess.run(["ldd", path], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        words = line.split()
        if "=>" in words and len(words) >= 3 and words[2].startswith("/"):
            found.add(words[2])
        elif words and words[0].startswith("/"):
            found.add(words[0])

for library in sorted(found):
    if libdir and library.startswith(libdir + "/libpython"):
        continue  # packaged with the interpreter
    target = os.path.join(dest, library.lstrip("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(os.path.realpath(library), target)
    os.chmod(target, 0o755)
