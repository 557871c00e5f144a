"""nproc: usable CPUs, --all, --ignore=N (never below 1) and bad numbers."""

import os


def test_usable_cpus(applet):
    assert applet("nproc").stdout == b"%d\n" % len(os.sched_getaffinity(0))


def test_all_counts_sysfs_cpus(applet):
    names = os.listdir("/sys/devices/system/cpu")
    count = sum(1 for name in names if "cpu" in name and name[-1].isdigit())
    assert applet("nproc", "--all").stdout == b"%d\n" % count


def test_ignore(applet):
    usable = len(os.sched_getaffinity(0))
    assert applet("nproc", "--ignore=1").stdout == b"%d\n" % max(usable - 1, 1)
    assert applet("nproc", "--ignore", "1000").stdout == b"1\n"
    result = applet("nproc", "--ignore=x")
    assert (result.stderr, result.returncode) == (b"nproc: invalid number 'x'\n", 1)
