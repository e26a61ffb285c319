"""The warm side of the test sandbox: forks one fresh, isolated process per test run.

Started once per test runner by codeenhancer (src/sandbox/server.ts), inside a bubblewrap sandbox
that has no network, a read-only root and an empty environment, and that keeps one capability,
CAP_SYS_ADMIN, in its own user namespace (user namespaces cannot be nested: --disable-userns). It
imports the harness once; each run then costs a fork instead of a sandbox and a Python start.

Each run, in a child of this server (the run's supervisor, trusted code):
  1. new mount, PID, network and IPC namespaces: the run sees none of the other runs;
  2. a fresh size-capped tmpfs at /sandbox holding only the solution (and the test file for the
     pytest form), bound read-only; /dev read-only with a fresh /dev/shm and /dev/pts;
  3. a grandchild, PID 1 of the new PID namespace, mounts its own /proc, drops every capability,
     and runs the harness (test_harness.py: limits, then the tests);
  4. the supervisor kills the grandchild at the wall clock, or when asked: being PID 1, its death
     takes every process of the run with it (forked, daemonized or ignoring signals).
The untrusted code never runs in this process or the supervisor, and cannot see either.

Protocol, JSON lines. In, on stdin:
  {"op": "run", "id": N, "files": {NAME: TEXT}, "spec": SPEC|null, "limits": {...},
   "timeout": SECONDS, "work_bytes": BYTES, "cap": BYTES}
  {"op": "cancel", "id": N}
Out, on stdout: {"ready": PYTHON_VERSION} once, then per run
  {"id": N, "out": HARNESS_OUTPUT, "exit": CODE|null, "signal": N|null, "timed_out": BOOL,
   "overflow": BOOL, "killed": BOOL}   or   {"id": N, "error": TEXT}
"""

import ctypes
import fcntl
import gc
import json
import os
import select
import selectors
import signal
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_harness  # noqa: E402  (after the path: it sits next to this file)

# Modules tests commonly use, imported once here rather than in every run.
for _name in ("collections", "functools", "heapq", "itertools", "math", "re", "string", "typing", "bisect", "inspect"):
    __import__(_name)

LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1
PR_SET_PDEATHSIG = 1
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522

SANDBOX = "/sandbox"
READ_CHUNK = 65536

# The supervisor's exit codes (below 100: the run's own exit code).
SIGNALED = 100  # + the signal number
TIMED_OUT = 200
KILLED = 201  # on request: cancelled, or its output passed the cap
SETUP_FAILED = 202


class SetupError(Exception):
    pass


def check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise SetupError("%s: %s" % (what, os.strerror(error)))


def mount(source, target, fstype, flags, data=None):
    encode = lambda s: None if s is None else s.encode()  # noqa: E731
    check(LIBC.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data)), "mount %s" % target)


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities():
    """No capability left in any set: with no_new_privs (bwrap sets it) none can come back."""
    check(LIBC.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities")
    header = CapHeader(LINUX_CAPABILITY_VERSION_3, 0)
    data = (CapData * 2)()
    check(LIBC.capset(ctypes.byref(header), data), "drop capabilities")


def loopback_up():
    """A new network namespace has only `lo`, down: up, as bwrap leaves it (the run may talk to itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as handle:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(handle, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(handle, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def make_run_root(files, work_bytes):
    """In the run's new mount namespace: its own /sandbox, a read-only /dev with private shm and pts."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", SANDBOX, "tmpfs", MS_NOSUID | MS_NODEV, "size=%d,mode=0755" % work_bytes)
    for name, text in files.items():
        path = os.path.join(SANDBOX, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        mount(path, path, None, MS_BIND)
        mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    mount(None, "/dev", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=%d,mode=1777" % work_bytes)
    mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")


def become_run(request, out_w):
    """The grandchild, PID 1 of the run's PID namespace: isolate, drop privileges, run the tests."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(out_w, 1)
    os.dup2(null, 2)
    os.closerange(3, 1 << 16)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    drop_capabilities()
    os.setsid()
    os.chdir(SANDBOX)
    test_harness.main(request["limits"], request.get("spec"))


def supervise(request, out_w, control_r):
    """The run's supervisor (trusted): namespaces, files, then the grandchild within the wall clock."""
    try:
        check(LIBC.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC), "unshare")
        loopback_up()
        make_run_root(request["files"], request["work_bytes"])
        child = os.fork()
    except (OSError, SetupError) as error:
        os.write(out_w, (json.dumps({"setup_error": str(error)}) + "\n").encode())
        os._exit(SETUP_FAILED)
    if child == 0:
        try:
            os.close(control_r)
            become_run(request, out_w)
        finally:
            os._exit(1)
    os.close(out_w)
    process = os.pidfd_open(child)
    ready, _, _ = select.select([process, control_r], [], [], request["timeout"])
    outcome = None
    if process not in ready:
        # The wall clock, or the server said stop (or died: its end of the control pipe closed).
        outcome = KILLED if control_r in ready else TIMED_OUT
        os.kill(child, signal.SIGKILL)  # not reaped yet, so the pid is still the run's
    _, status = os.waitpid(child, 0)
    if outcome is not None:
        os._exit(outcome)
    if os.WIFSIGNALED(status):
        os._exit(SIGNALED + os.WTERMSIG(status))
    os._exit(min(os.WEXITSTATUS(status), SIGNALED - 1))


class Run:
    def __init__(self, request):
        self.id = request["id"]
        self.cap = request["cap"]
        self.output = bytearray()
        self.overflow = False
        self.killed = False
        self.status = None
        self.out_open = True
        out_r, out_w = os.pipe()
        control_r, control_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(out_r)
                os.close(control_w)
                for fd in list(RUNS_FDS):
                    os.close(fd)
                supervise(request, out_w, control_r)
            finally:
                os._exit(SETUP_FAILED)
        os.close(out_w)
        os.close(control_r)
        self.pid = pid
        self.out_r = out_r
        self.control_w = control_w
        self.process = os.pidfd_open(pid)
        RUNS_FDS.update((out_r, control_w, self.process))

    def kill(self):
        if self.control_w is not None:
            self.killed = True
            os.close(self.control_w)  # the supervisor sees the pipe close and kills the run
            RUNS_FDS.discard(self.control_w)
            self.control_w = None

    def read(self):
        data = os.read(self.out_r, READ_CHUNK)
        if not data:
            self.out_open = False
            return
        room = self.cap - len(self.output)
        self.output += data[: max(room, 0)]
        if len(data) > room and not self.overflow:
            self.overflow = True
            self.kill()

    def reap(self):
        _, status = os.waitpid(self.pid, 0)
        self.status = os.WEXITSTATUS(status) if os.WIFEXITED(status) else SETUP_FAILED

    def finished(self):
        return self.status is not None and not self.out_open

    def report(self):
        text = self.output.decode("utf-8", "replace")
        code = self.status
        if code == SETUP_FAILED and not self.killed:
            said = text.strip().splitlines()[-1:] if text.strip() else []
            try:
                detail = json.loads(said[0])["setup_error"] if said else "the run's supervisor failed"
            except (ValueError, KeyError, TypeError):
                detail = "the run's supervisor failed"
            return {"id": self.id, "error": "the sandbox could not set up the run: %s" % detail}
        result = {"id": self.id, "out": text, "exit": None, "signal": None, "timed_out": code == TIMED_OUT, "overflow": self.overflow, "killed": self.killed}
        if code < SIGNALED:
            result["exit"] = code
        elif code < TIMED_OUT:
            result["signal"] = code - SIGNALED
        return result

    def close(self):
        for fd in (self.out_r, self.process, self.control_w):
            if fd is not None:
                os.close(fd)
                RUNS_FDS.discard(fd)


RUNS_FDS = set()


def send(message):
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(1, data) :]


def serve():
    runs = {}
    selector = selectors.DefaultSelector()
    RUNS_FDS.add(selector.fileno())
    os.set_blocking(0, False)
    selector.register(0, selectors.EVENT_READ, ("stdin", None))
    pending = b""
    # What is loaded now stays untouched by the runs' garbage collections: fewer pages copied per fork.
    gc.freeze()
    send({"ready": sys.version.split()[0]})
    while True:
        for key, _ in selector.select():
            kind, run = key.data
            if kind == "stdin":
                data = os.read(0, READ_CHUNK)
                if not data:  # codeenhancer is gone: so are the runs (their supervisors see the control pipes close)
                    return
                pending += data
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    handle(json.loads(line), runs, selector)
            elif kind == "out":
                run.read()
                if not run.out_open:
                    selector.unregister(run.out_r)
            else:
                selector.unregister(run.process)
                run.reap()
            if run is not None and run.finished():
                del runs[run.id]
                run.close()
                send(run.report())


def handle(request, runs, selector):
    if request["op"] == "cancel":
        run = runs.get(request["id"])
        if run is not None:
            run.kill()
        return
    try:
        run = Run(request)
    except OSError as error:
        send({"id": request["id"], "error": "the sandbox could not start the run: %s" % error})
        return
    runs[run.id] = run
    selector.register(run.out_r, selectors.EVENT_READ, ("out", run))
    selector.register(run.process, selectors.EVENT_READ, ("exit", run))


if __name__ == "__main__":
    serve()
