"""Ctrl-C during a long call raises KeyboardInterrupt at once and publishes nothing: a new
output folder is not left behind, an existing one keeps its earlier results, and a script that
dies of the interrupt leaves no staging folder."""
import glob
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import RANGES, SAMPLE

CHILD = textwrap.dedent("""
    import os, sys, threading, time
    import atomprobekit as apk
    sample, ranges, out, catch = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "catch"
    try:
        print("start", flush=True)
        apk.analyze(sample, ranges, "Li", 42, output=out, progress=False, voxel=0.8)
        print("finished before the interrupt", flush=True)
    except KeyboardInterrupt:
        if not catch:
            raise
        print("interrupted", flush=True)
        while any(t.name == "atomprobekit" for t in threading.enumerate()):
            time.sleep(0.05)
        print("worker ended", flush=True)
""")


def interrupt(out, catch, early=False):
    """Runs the child and interrupts it: `early`, at once after the call begins (before the
    library has made its staging folder, as on a slow machine); else once the run is writing (its
    staging folder exists), so that the interrupt lands in the middle of the run, not after it."""
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(SAMPLE), str(RANGES), str(out), "catch" if catch else "die"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "start"
    deadline = time.time() + 60
    while not early and time.time() < deadline and not glob.glob(os.path.join(glob.escape(str(out)), ".atomprobe-staging-*")):
        time.sleep(0.01)
    sent = time.time()
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=300)
    return p.returncode, stdout, stderr, time.time() - sent


def visible(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else None


def test_interrupt_of_a_new_folder_leaves_nothing(tmp_path):
    out = tmp_path / "analysis"
    code, stdout, _, _ = interrupt(out, catch=True)
    assert code == 0
    if "finished before the interrupt" in stdout:
        return  # a fast machine: nothing to interrupt
    assert "interrupted" in stdout and "worker ended" in stdout
    assert visible(out) is None


def test_interrupt_before_the_run_writes_anything(tmp_path):
    """At once after the call begins (before the library has made its staging folder, as on a
    slow machine): the run still publishes nothing."""
    out = tmp_path / "analysis"
    code, stdout, _, _ = interrupt(out, catch=True, early=True)
    assert code == 0 and "interrupted" in stdout and "worker ended" in stdout
    assert visible(out) is None


def test_interrupt_keeps_earlier_results(tmp_path):
    out = tmp_path / "analysis"
    out.mkdir()
    (out / "mine.txt").write_text("a file of the user's")
    code, stdout, _, _ = interrupt(out, catch=True)
    assert code == 0
    if "finished before the interrupt" in stdout:
        return
    assert visible(out) == ["mine.txt"]


@pytest.mark.parametrize("early", [True, False])
def test_a_script_killed_by_the_interrupt_leaves_no_staging(tmp_path, early):
    out = tmp_path / "analysis"
    code, stdout, stderr, reacted = interrupt(out, catch=False, early=early)
    if "finished before the interrupt" in stdout:
        return
    assert code != 0 and "KeyboardInterrupt" in stderr and reacted < 5
    assert visible(out) is None
