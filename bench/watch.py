"""Watch latency: from an editor's save (a new file renamed over the day's file) to the whole
new view on the screen of `python -m graders watch` (default sandbox: auto), days 1-6."""
import os
import queue
import shutil
import subprocess
import threading
import time

from bench.common import ENV, ROOT, median, python, say

DONE = "Waiting for your next save"


class Watch:
    """A running `graders watch`; lines() gives what it printed since the last call."""

    def __init__(self, day, folder, out):
        self.proc = subprocess.Popen(
            python("-m", "graders", "watch", "--day", str(day), "--submission", str(folder),
                   "--out", str(out), "--seed", "1"),
            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.new = queue.Queue()
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        for line in self.proc.stdout:
            self.new.put((time.perf_counter(), line))

    def until(self, text, timeout=60):
        """The time at which a line holding `text` was printed."""
        end = time.monotonic() + timeout
        while True:
            at, line = self.new.get(timeout=max(0.01, end - time.monotonic()))
            if text in line:
                return at

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def save(path, text):
    """Save as editors do: write a temporary file beside it, rename it over the old one; the
    moment of the rename."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text)
    at = time.perf_counter()
    os.replace(tmp, path)
    return at


def measure(tmp, saves):
    """Median seconds from save to screen per day (the saves alternate the stub and the
    reference, so every grading has something new to say)."""
    samples = {}
    for day in range(1, 7):
        say(f"watch latency, Day {day}: {saves} saves")
        folder = tmp / f"day{day}"
        shutil.copytree(ROOT / "reference", folder, ignore=shutil.ignore_patterns("__pycache__"))
        versions = [(ROOT / d / f"day{day}.py").read_text() for d in ("exercises", "reference")]
        watch = Watch(day, folder, tmp / f"out{day}")
        try:
            watch.until(DONE)
            samples[str(day)] = []
            for n in range(saves):
                time.sleep(0.3)  # a learner types between saves
                start = save(folder / f"day{day}.py", versions[n % 2] + f"# save {n}\n")
                samples[str(day)].append(watch.until(DONE) - start)
        finally:
            watch.stop()
    return {"saves": saves, "median_s": {d: median(v) for d, v in samples.items()},
            "samples_s": samples}
