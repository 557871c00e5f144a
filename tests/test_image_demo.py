"""The README's main job: `python -m buildroot.demo` builds the bundled repository and the example image."""

import json
import os
import re
import subprocess
import sys

from support import PROJECT
from image_helpers import read_json, require_tool, run


def test_main_job_builds_the_example_image_and_reports_it(tmp_path):
    output, sboms = tmp_path / "image", tmp_path / "sbom"
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-m", "buildroot.demo", "--output", str(output), "--sbom-dir", str(sboms)],
                            cwd=PROJECT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    digest = re.search(r"^Digest:\s+(sha256:[0-9a-f]{64})$", result.stdout, re.M).group(1)
    assert read_json(output / "index.json")["manifests"][0]["digest"] == digest
    assert re.search(r"^Size:\s+\S+ \S+ \(\d+ bytes: layer \d+ compressed, \d+ unpacked\)", result.stdout, re.M)
    listing = result.stdout.split("Packages (4):\n", 1)[1].split("Output:", 1)[0]
    listed = re.findall(r"^  (\S+)\s+(\S+)\s+\S+", listing, re.M)
    assert [name for name, _ in listed] == ["pk-baselayout", "host-libs", "python3", "pybox"]
    sbom = json.loads(next(sboms.iterdir()).read_text())
    assert sorted(package["name"] for package in sbom["packages"][1:]) == sorted(name for name, _ in listed)

    require_tool("umoci")
    bundle = tmp_path / "bundle"
    is_root = os.geteuid() == 0
    run(["umoci", "unpack", *([] if is_root else ["--rootless"]), "--image", f"{output}:latest", bundle])
    rootfs = bundle / "rootfs"
    assert os.readlink(rootfs / "bin/ls") == "../usr/bin/pybox"
    assert "app:x:10000:10000:" in (rootfs / "etc/passwd").read_text()
    assert (rootfs / "etc/apk/world").read_text() == "pk-baselayout\npybox\n"
    if is_root:
        # the image's own interpreter runs its own pybox: the image works, not just unpacks
        ran = subprocess.run(["chroot", "--userspec=10000:10000", str(rootfs), "/usr/bin/pybox", "echo", "hello from the image"],
                             capture_output=True, text=True, timeout=120)
        assert ran.stdout == "hello from the image\n", ran.stderr
