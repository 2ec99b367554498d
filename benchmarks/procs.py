"""Run a command and measure it: wall time, CPU time, exit code, peak memory of its whole tree.

Two memory figures, because they answer different questions:

- ``peak_largest``: ``ru_maxrss`` from ``wait4`` on the child. Linux reports there the largest
  peak RSS of the child *and of every descendant it waited for* (worker processes included),
  exact, but of one process at a time, not of the sum.
- ``peak_tree``: the largest sum of resident memory (``/proc/PID/statm``) over the child and all
  its living descendants, sampled every ``SAMPLE`` seconds by a thread of this process. A lower
  bound of the true peak of the sum (a spike shorter than the interval can be missed); pages a
  forked worker shares with its parent count twice, as RSS does.

``cpu`` is user + system time of the child and its waited-for descendants: above ``wall`` means
more than one core was busy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE = 0.02  # seconds between two samples of the process tree
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


@dataclass
class Measured:
    """One finished run of a command."""

    cmd: list[str]
    wall: float
    cpu: float
    returncode: int
    peak_largest: float  # MiB, one process (wait4 ru_maxrss over the child and its descendants)
    peak_tree: float  # MiB, sum over the living tree, sampled
    processes: int  # distinct processes seen in the tree (the child included)
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, float] = field(default_factory=dict)


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses; split after the last ')'.
    return int(data[data.rindex(b")") + 2 :].split()[1])


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process's descendants until stopped."""

    def __init__(self, root: int, interval: float = SAMPLE) -> None:
        super().__init__(daemon=True, name="tree-sampler")
        self.root = root
        self.interval = interval
        self.peak = 0
        self.seen: set[int] = set()
        self._parents: dict[int, int | None] = {}
        self._halt = threading.Event()

    def _tree(self) -> list[int]:
        try:
            pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        except OSError:
            return [self.root]
        parents = self._parents
        for pid in pids:
            if pid not in parents:  # a pid's parent is read once: processes here are short-lived
                parents[pid] = _ppid(pid)
        alive = set(pids)
        members = {self.root}  # the launcher: its descendants are measured, not itself
        grew = True
        while grew:  # descendants of descendants, whatever order the pids come in
            grew = False
            for pid in pids:
                if pid not in members and parents.get(pid) in members:
                    members.add(pid)
                    grew = True
        for gone in [p for p in parents if p not in alive]:
            del parents[gone]
        members.discard(self.root)
        return list(members)

    def run(self) -> None:
        while not self._halt.is_set():
            tree = self._tree()
            self.seen.update(tree)
            self.peak = max(self.peak, sum(_rss(p) for p in tree))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# Started by the harness (a large Python process) through this small one: Linux keeps the memory
# high-water mark of a process across exec, so a command forked straight from the harness would
# report the harness's size as its own peak. This launcher's size (about 8 MiB) is the floor.
LAUNCHER = """
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - started
code = os.waitstatus_to_exitcode(status)
with open(out, "w") as fh:
    fh.write(f"{wall} {ru.ru_utime + ru.ru_stime} {ru.ru_maxrss} {code}")
"""


def run(
    cmd: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float | None = None,
) -> Measured:
    """Run ``cmd`` to completion and measure it; output is kept (in temporary files, not pipes).

    Wall time is measured in the launcher, from its fork to the command's exit.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as report,
    ):
        proc = subprocess.Popen(
            [sys.executable, "-S", "-I", "-c", LAUNCHER, report.name, *cmd],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=dict(env) if env else None,
            cwd=cwd,
            start_new_session=True,  # a timeout ends the command's whole process group
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        sampler.stop()
        fields = report.read().split()
        if len(fields) == 4:
            wall, cpu = float(fields[0]), float(fields[1])
            maxrss, code = int(fields[2]), int(fields[3])
        else:  # timed out (or the launcher died): no usage figures
            wall, cpu, maxrss, code = timeout or 0.0, 0.0, 0, proc.returncode or -9
        out.seek(0)
        err.seek(0)
        return Measured(
            cmd=list(cmd),
            wall=wall,
            cpu=cpu,
            returncode=code,
            peak_largest=maxrss / 1024,
            peak_tree=max(sampler.peak / MIB, maxrss / 1024),
            processes=max(len(sampler.seen), 1),
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )
