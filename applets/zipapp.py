"""Build pybox as one executable file: a zipapp holding the applets package.

`python -m applets.zipapp -o pybox.pyz [--python /usr/bin/python3]`. Each module is
stored with its compiled bytecode beside it (unchecked-hash .pyc), so the zipapp starts
without compiling anything on the interpreter it was built with, and falls back to the
sources on any other. Entries have fixed timestamps: the same sources give the same file.
"""

import importlib.util
import io
import os
import py_compile
import sys
import tempfile
import time
import zipfile

MAIN = "import sys\nfrom applets.main import main\nsys.exit(main())\n"


def _stamp() -> tuple:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    return time.gmtime(max(epoch, 315532800))[:6]


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _stamp())
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build(output: str, interpreter: str = "/usr/bin/env python3") -> None:
    package_dir = os.path.dirname(os.path.abspath(__file__))
    modules = sorted(name for name in os.listdir(package_dir) if name.endswith(".py"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, tempfile.TemporaryDirectory() as scratch:
        _add(archive, "__main__.py", MAIN.encode())
        for name in modules:
            source = os.path.join(package_dir, name)
            with open(source, "rb") as handle:
                _add(archive, f"applets/{name}", handle.read())
            compiled = os.path.join(scratch, name + "c")
            py_compile.compile(source, cfile=compiled, dfile=f"applets/{name}", doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            with open(compiled, "rb") as handle:
                _add(archive, f"applets/{name}c", handle.read())
    with open(output, "wb") as handle:
        handle.write(b"#!" + interpreter.encode() + b"\n" + buffer.getvalue())
    os.chmod(output, 0o755)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m applets.zipapp", description="Build pybox as a single-file zipapp.")
    parser.add_argument("-o", "--output", default="pybox.pyz")
    parser.add_argument("--python", default="/usr/bin/env python3", help="interpreter for the #! line")
    options = parser.parse_args(argv)
    build(options.output, options.python)
    print(f"{options.output}: pybox zipapp for Python {sys.version_info[0]}.{sys.version_info[1]} "
          f"(bytecode magic {importlib.util.MAGIC_NUMBER.hex()})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
