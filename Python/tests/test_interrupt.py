"""Ctrl-C during a long call raises KeyboardInterrupt at once, and the interrupted run leaves no
output folder behind (checked after the computation under way has finished)."""
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
    out = sys.argv[3]
    print("start", flush=True)
    try:
        apk.analyze(sys.argv[1], sys.argv[2], "Li", 42, output=out, progress=False)
        print("finished before the interrupt", flush=True)
    except KeyboardInterrupt:
        t0 = time.time()
        print("interrupted", flush=True)
        while any(t.name == "atomprobekit" for t in threading.enumerate()):
            time.sleep(0.05)
        print("left behind:", os.path.exists(out), flush=True)
""")


def test_keyboard_interrupt_stops_cleanly(tmp_path):
    out = tmp_path / "analysis"
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(SAMPLE), str(RANGES), str(out)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "start"
    time.sleep(1.0)
    sent = time.time()
    p.send_signal(signal.SIGINT)
    line = p.stdout.readline().strip()
    reacted = time.time() - sent
    rest = p.communicate(timeout=300)[0]
    assert p.returncode == 0
    if line == "finished before the interrupt":
        return  # a fast machine: nothing to interrupt
    assert line == "interrupted" and reacted < 1.0
    assert "left behind: False" in rest
