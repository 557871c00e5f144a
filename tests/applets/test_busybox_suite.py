"""BusyBox's own testsuite against pybox: every case a stock BusyBox build passes must pass.

The suite and its runner live in ../shared (upstream data, unmodified). Upstream marks
three sed cases as known bugs that fail on BusyBox itself; `--skip-known-bugs` leaves
those out, as the stock build's calibration run does (758 passed, 0 failed).
"""

import subprocess
import sys

from support import needs_shared


def test_busybox_testsuite_passes(pybox_path, tmp_path):
    runner = needs_shared("tools", "applet-suite")
    suite = needs_shared("conformance", "busybox-testsuite")
    result = subprocess.run([sys.executable, str(runner), "--box", pybox_path, "-j2", "--skip-known-bugs", "--failures", str(suite)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=3600)
    last = result.stdout.strip().splitlines()[-1]
    assert last.endswith(" 0 failed"), result.stdout[-4000:]
    assert result.returncode == 0
