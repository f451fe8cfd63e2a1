"""Ctrl-C during a long call raises KeyboardInterrupt at once and publishes nothing: a new
output folder is not left behind, an existing one keeps its earlier results, and a script that
dies of the interrupt leaves no staging folder."""
import os
import signal
import subprocess
import sys
import textwrap
import time

from conftest import RANGES, SAMPLE

CHILD = textwrap.dedent("""
    import os, sys, threading, time
    import atomprobekit as apk
    sample, ranges, out, catch = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "catch"
    print("start", flush=True)
    try:
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


def interrupt(out, catch):
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(SAMPLE), str(RANGES), str(out), "catch" if catch else "die"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "start"
    time.sleep(1.5)
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


def test_interrupt_keeps_earlier_results(tmp_path):
    out = tmp_path / "analysis"
    out.mkdir()
    (out / "mine.txt").write_text("a file of the user's")
    code, stdout, _, _ = interrupt(out, catch=True)
    assert code == 0
    if "finished before the interrupt" in stdout:
        return
    assert visible(out) == ["mine.txt"]


def test_a_script_killed_by_the_interrupt_leaves_no_staging(tmp_path):
    out = tmp_path / "analysis"
    code, stdout, stderr, reacted = interrupt(out, catch=False)
    if "finished before the interrupt" in stdout:
        return
    assert code != 0 and "KeyboardInterrupt" in stderr and reacted < 5
    assert visible(out) is None
