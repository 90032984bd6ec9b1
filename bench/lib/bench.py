#!/usr/bin/env python3
"""Relaypoint vs Postfix vs smtp-sink on loopback. Started by bench/run.sh, which has already
installed Postfix, built Relaypoint and raised ulimit -n. See bench/README.md.

Every external command runs with a timeout, every loop is bounded, and all traffic goes to 127.0.0.1.
"""
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpclients  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH = os.path.join(ROOT, "bench")
LO = "127.0.0.1"
MIB = 1 << 20


def env_int(name, default):
    return int(os.environ.get(name, default))


RUNS = env_int("BENCH_RUNS", 3)
MSGS = env_int("BENCH_MSGS", 4000)            # 1 KiB messages per smtp-source run
WARMUP_MSGS = env_int("BENCH_WARMUP_MSGS", 4000)  # untimed messages per system before the timed runs
TRANSID_MSGS = env_int("BENCH_TRANSID_MSGS", 2000)  # 1 KiB messages per TRANSID on/off run
BIG_MIB = env_int("BENCH_BIG_MIB", 1024)       # size of the big message
IDLE = env_int("BENCH_IDLE", 10000)            # idle sessions
HEAP = os.environ.get("BENCH_HEAP", "256m")    # -Xmx for Relaypoint
IDLE_HEAP = os.environ.get("BENCH_IDLE_HEAP", "512m")
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "small,transid,big,cut,memory,idle").split(",")))
PROFILE = os.environ.get("BENCH_PROFILE", "")  # "1": JFR recording of Relaypoint during the run
TMP = os.environ.get("BENCH_TMP", os.path.join(os.environ.get("TMPDIR", "/tmp"), "relaypoint-bench"))
RESULTS = os.path.join(BENCH, "results")
EXTRA_JAVA = os.environ.get("BENCH_JAVA_OPTS", "")

PORT_SINK, PORT_POSTFIX, PORT_RP, PORT_RAW, PORT_DISCARD = 2525, 2526, 2531, 2539, 2533
DISCARD = os.environ.get("BENCH_DISCARD", "1") == "1"
SYSTEMS = {"relaypoint": PORT_RP, "postfix": PORT_POSTFIX, "smtp-sink": PORT_SINK}
if DISCARD:
    SYSTEMS["relaypoint-discard"] = PORT_DISCARD

samples = {}      # key -> list of numbers
notes = {}        # key -> extra info


def log(*a):
    print("[%s]" % time.strftime("%H:%M:%S"), *a, flush=True)


RAW = None  # raw samples, rewritten after every measurement so a crash loses nothing


def record(key, value, **info):
    samples.setdefault(key, []).append(value)
    if info:
        notes.setdefault(key, []).append(info)
    if RAW:
        with open(RAW + ".part", "w") as f:
            json.dump({"samples": samples, "notes": notes}, f, default=str)
        os.replace(RAW + ".part", RAW)


def wait_port(port, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((LO, port), timeout=1) as s:
                s.settimeout(5)
                if s.recv(64).startswith(b"220"):
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("nothing answers 220 on %d" % port)


def run(cmd, timeout, **kw):
    return subprocess.run(cmd, timeout=timeout, check=False, **kw)


# ---------------------------------------------------------------- servers

class Relaypoint:
    discard = False

    def __init__(self, name, port, heap, extra_flags=(), config=None, discard=False):
        self.name, self.port, self.discard = name, port, discard
        self.data = os.path.join(TMP, name + "-data")
        shutil.rmtree(self.data, ignore_errors=True)
        os.makedirs(self.data)
        cmd = [os.path.join(ROOT, "relaypoint"), "serve", "--listen", "%s:%d" % (LO, port), "--data-dir", self.data,
               "--domain", "localhost", "--hostname", "localhost", "--max-message-size", "2G",
               "--checkpoint-bytes", "1M"] + list(extra_flags)
        if discard:
            # the same product through the queue manager, local mail discarded as Postfix's discard: does
            cmd += ["--local-delivery", "discard"]
        if config:
            path = os.path.join(TMP, name + ".yaml")
            with open(path, "w") as f:
                f.write(config)
            cmd += ["--config", path]
        env = dict(os.environ)
        env["RELAYPOINT_JAVA_OPTS"] = ("-Xmx%s -XX:+FlightRecorder %s" % (heap, EXTRA_JAVA)).strip()
        self.logf = open(os.path.join(TMP, name + ".log"), "w")
        self.proc = subprocess.Popen(cmd, stdout=self.logf, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        wait_port(port)
        self.pid = self.proc.pid   # ./relaypoint execs java: this is the JVM
        log("%s started (pid %d, -Xmx%s) on %d" % (name, self.pid, heap, port))

    def queue_files(self):
        q = os.path.join(self.data, "queue")
        n = 0
        for d, _, files in os.walk(q):
            if os.path.basename(d) not in ("tmp", "spare"):  # spare: recycled empty files
                n += len(files)
        return n

    def maildir_new(self):
        return os.path.join(self.data, "maildir", "localhost", "to", "new")

    def delivered(self):
        try:
            return len(os.listdir(self.maildir_new()))
        except FileNotFoundError:
            return 0

    def drain(self, seconds=600):
        """Waits (bounded) until local delivery has emptied the queue; returns seconds waited."""
        t0 = time.monotonic()
        while self.queue_files() > 0 and time.monotonic() - t0 < seconds:
            time.sleep(0.05)
        return time.monotonic() - t0

    def clean_maildir(self):
        d = self.maildir_new()
        if os.path.isdir(d):
            for n in os.listdir(d):
                os.unlink(os.path.join(d, n))

    def status(self, field):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return None

    def reset_hwm(self):
        with open("/proc/%d/clear_refs" % self.pid, "w") as f:
            f.write("5")

    def jcmd(self, *args, timeout=60):
        r = run(["jcmd", str(self.pid)] + list(args), timeout, capture_output=True, text=True)
        return r.stdout

    def heap_used(self, gc=False):
        if gc:
            self.jcmd("GC.run")
        out = self.jcmd("GC.heap_info")
        # G1: " garbage-first heap   total 262144K, used 12345K [..."
        for line in out.splitlines():
            if "heap" in line and "used" in line and "total" in line:
                return int(line.split("used")[1].split("K")[0].strip().rstrip(",")) * 1024
        return None

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.logf.close()


class Sink:
    def __init__(self):
        self.proc = subprocess.Popen(["smtp-sink", "-u", "nobody", "%s:%d" % (LO, PORT_SINK), "256"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_port(PORT_SINK)
        log("smtp-sink started (pid %d) on %d" % (self.proc.pid, PORT_SINK))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def postfix_queue_files():
    n = 0
    for sub in ("incoming", "active", "deferred", "maildrop", "hold"):
        for _, _, files in os.walk(os.path.join("/var/spool/postfix", sub)):
            n += len(files)
    return n


def postfix_drain(seconds=300):
    t0 = time.monotonic()
    while postfix_queue_files() > 0 and time.monotonic() - t0 < seconds:
        time.sleep(0.05)
    return time.monotonic() - t0


def start_postfix(msg_limit):
    env = dict(os.environ, PORT=str(PORT_POSTFIX), MSG_LIMIT=str(msg_limit))
    r = run(["bash", os.path.join(BENCH, "postfix-setup.sh")], 120, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("postfix setup failed: " + r.stdout + r.stderr)
    run(["postfix", "start"], 60, capture_output=True)
    wait_port(PORT_POSTFIX)
    log("postfix started on %d (message_size_limit %d)" % (PORT_POSTFIX, msg_limit))


def stop_postfix():
    run(["postfix", "stop"], 60, capture_output=True)


# ---------------------------------------------------------------- message and dialogue files

def make_big_message(path, mib):
    """mib MiB of CRLF text (78 + CRLF octet lines, headers first, no dot-leading line)."""
    size = mib * MIB
    if os.path.exists(path) and os.path.getsize(path) == size:
        return size
    line = b"".join(bytes([33 + (i * 7 + j) % 90 if (33 + (i * 7 + j) % 90) != ord(".") else 65
                           for j in range(78)]) + b"\r\n" for i in range(16))
    block = bytearray()
    while len(block) < MIB:
        block += line
    block = block[:MIB]
    # the block must end on CRLF: end its last line early
    block[MIB - 2:MIB] = b"\r\n"
    head = b"From: <from@localhost>\r\nTo: <to@localhost>\r\nSubject: relaypoint bench %d MiB\r\n\r\n" % mib
    with open(path + ".part", "wb") as f:
        first = bytearray(block)
        first[:len(head)] = head
        # keep the line after the header block well-formed: pad up to the next CRLF with 'x'
        nxt = first.index(b"\r\n", len(head))
        first[len(head):nxt] = b"x" * (nxt - len(head))
        f.write(first)
        for _ in range(mib - 1):
            f.write(block)
    os.replace(path + ".part", path)
    return size


SMALL_BODY = None


def small_message():
    global SMALL_BODY
    if SMALL_BODY is None:
        head = b"From: <from@localhost>\r\nTo: <to@localhost>\r\nSubject: bench\r\n\r\n"
        body = head
        while len(body) < 1024:
            body += b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef\r\n"
        SMALL_BODY = body[:1022] + b"\r\n"
    return SMALL_BODY


# ---------------------------------------------------------------- measurements

def smtp_source(port, sessions, reuse, msgs):
    cmd = ["smtp-source"] + (["-d"] if reuse else []) + ["-s", str(sessions), "-m", str(msgs), "-l", "1024",
                                                         "-f", "from@localhost", "-t", "to@localhost",
                                                         "%s:%d" % (LO, port)]
    t0 = time.monotonic()
    r = run(cmd, 600, capture_output=True, text=True)
    dt = time.monotonic() - t0
    if r.returncode != 0 or r.stderr.strip():
        log("  smtp-source: rc=%d %s" % (r.returncode, r.stderr.strip()[:300]))
    return msgs / dt, dt, r.returncode


def small_case_key(sessions, reuse):
    return "1KiB %d session%s, %s" % (sessions, "s" if sessions > 1 else "", "reused (-d)" if reuse else "new conn/msg")


def warm_up(servers):
    """Untimed traffic into every system before the timed runs, so the figures are of a running
    server and not of a JVM still compiling its hot paths (a server runs for months; the first few
    thousand messages are JIT warm-up). Every system gets the same, Postfix and smtp-sink too."""
    if WARMUP_MSGS <= 0:
        return
    for system, port in SYSTEMS.items():
        for reuse in (True, False):
            smtp_source(port, 20, reuse, WARMUP_MSGS)
        rp = servers.get(system)
        if rp:
            rp.drain()
            rp.clean_maildir()
        elif system == "postfix":
            postfix_drain()
    log("warm-up: %d messages x 2 into each of %s" % (WARMUP_MSGS, ", ".join(SYSTEMS)))


def bench_small(servers):
    cases = [(1, False), (20, False), (1, True), (20, True)]
    order = list(SYSTEMS)
    warm_up(servers)
    for r in range(RUNS):
        for sessions, reuse in cases:
            key = small_case_key(sessions, reuse)
            k = r % len(order)
            rot = order[k:] + order[:k]
            for system in rot:
                port = SYSTEMS[system]
                rp = servers.get(system)
                before = rp.delivered() if rp else 0
                rate, dt, rc = smtp_source(port, sessions, reuse, MSGS)
                extra = {}
                if rp and rp.discard:
                    extra = {"drain_seconds": rp.drain()}
                elif rp:
                    wait = rp.drain()
                    got = rp.delivered() - before
                    extra = {"accepted_seconds": dt, "delivered": got, "drain_seconds": wait,
                             "end_to_end_msgs_per_s": MSGS / (dt + wait)}
                    rp.clean_maildir()
                    if got != MSGS:
                        log("  WARNING relaypoint delivered %d of %d" % (got, MSGS))
                elif system == "postfix":
                    extra = {"drain_seconds": postfix_drain()}
                record("%s|%s" % (key, system), rate, rc=rc, **extra)
                log("  %-34s %-10s %8.0f msg/s  %s" % (key, system, rate,
                                                       ", ".join("%s=%s" % (k, round(v, 2) if isinstance(v, float) else v)
                                                                 for k, v in extra.items())))


def bench_transid(rp):
    """Relaypoint only: the same Python client (threads, MAIL/RCPT/DATA pipelined, body after 354),
    TRANSID on vs off, 1 and 20 sessions."""
    for transid in ((None, uuid.uuid4().hex[:12]) if WARMUP_MSGS > 0 else ()):  # untimed, as in warm_up
        smtpclients.send_small(PORT_RP, 20, max(1, TRANSID_MSGS // 20), small_message(), transid)
    rp.drain()
    rp.clean_maildir()
    for r in range(RUNS):
        for sessions in (1, 20):
            per = max(1, TRANSID_MSGS // sessions)
            for transid in ((True, False) if r % 2 == 0 else (False, True)):
                before = rp.delivered()
                dt, ok, errors = smtpclients.send_small(PORT_RP, sessions, per, small_message(),
                                                        uuid.uuid4().hex[:12] if transid else None)
                wait = rp.drain()
                got = rp.delivered() - before
                rp.clean_maildir()
                total = per * sessions
                key = "1KiB %d session%s, python client, TRANSID %s" % (sessions, "s" if sessions > 1 else "",
                                                                          "on" if transid else "off")
                record(key + "|relaypoint", ok / dt, queued=ok, expected=total, delivered=got, drain_seconds=wait,
                       errors=errors[:3])
                log("  %-46s %8.0f msg/s (%d/%d queued, drain %.1fs)%s" % (key, ok / dt, ok, total, wait,
                                                                          " errors: %s" % errors[:2] if errors else ""))


def timed_pipe(shell, timeout=900):
    t0 = time.monotonic()
    r = run(["bash", "-c", "set -o pipefail; " + shell], timeout, capture_output=True)
    return time.monotonic() - t0, r


def big_send(system, port, msg, transid):
    return smtpclients.send_big(port, msg, transid)


def raw_loopback(src_shell, mib, direct=False):
    lst = subprocess.Popen(["nc", "-l", LO, str(PORT_RAW)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:     # wait for the listener (bounded)
            if ":%X" % PORT_RAW in open("/proc/net/tcp").read().upper():
                break
            time.sleep(0.05)
        dt, r = timed_pipe(src_shell if direct else "%s | nc -N %s %d" % (src_shell, LO, PORT_RAW))
        lst.wait(30)
    finally:
        if lst.poll() is None:
            lst.kill()
    return mib / dt


def bench_big(servers, msg):
    rp = servers["relaypoint"]
    mib = BIG_MIB
    variants = ["relaypoint TRANSID on", "relaypoint TRANSID off", "postfix", "loopback dd|nc",
                "loopback sendfile(msg)|nc", "disk dd conv=fsync"]
    if "relaypoint-discard" in servers:
        variants += ["relaypoint-discard TRANSID on"]
    for r in range(RUNS):
        rot = variants[r % len(variants):] + variants[:r % len(variants)]
        for v in rot:
            if v.startswith("relaypoint"):
                srv = servers[v.split()[0]]
                transid = ("%s@bench.client" % uuid.uuid4().hex) if "on" in v else None
                dt, ok, reply = big_send(v, srv.port, msg, transid)
                wait = srv.drain()
                srv.clean_maildir()
                record("%d MiB|%s" % (mib, v), mib / dt, ok=ok, seconds=dt, delivery_seconds=wait)
                log("  %-28s %7.0f MiB/s %s (then Maildir delivery %.1fs)" % (v, mib / dt, "" if ok else "FAILED " + reply[-200:], wait))
            elif v == "postfix":
                dt, ok, reply = big_send("postfix", PORT_POSTFIX, msg, None)
                wait = postfix_drain()
                record("%d MiB|postfix" % mib, mib / dt, ok=ok, seconds=dt, drain_seconds=wait)
                log("  %-28s %7.0f MiB/s %s" % (v, mib / dt, "" if ok else "FAILED " + reply[-200:]))
            elif v == "loopback dd|nc":
                rate = raw_loopback("dd if=/dev/zero bs=1M count=%d status=none" % mib, mib)
                record("%d MiB|%s" % (mib, v), rate)
                log("  %-28s %7.0f MiB/s" % (v, rate))
            elif v == "loopback sendfile(msg)|nc":
                rate = raw_loopback("python3 -c 'import socket,sys,os;s=socket.create_connection((\"%s\",%d));"
                                    "f=open(sys.argv[1],\"rb\");s.sendfile(f);s.close()' %s" % (LO, PORT_RAW, msg), mib,
                                    direct=True)
                record("%d MiB|%s" % (mib, v), rate)
                log("  %-28s %7.0f MiB/s" % (v, rate))
            else:
                path = os.path.join(rp.data, "dd-fsync.tmp")
                dt, _ = timed_pipe("dd if=/dev/zero of=%s bs=1M count=%d conv=fsync status=none" % (path, mib))
                os.unlink(path)
                record("%d MiB|%s" % (mib, v), mib / dt)
                log("  %-28s %7.0f MiB/s" % (v, mib / dt))


def bench_cut(rp, msg):
    size = os.path.getsize(msg)
    for r in range(RUNS):
        for frac in (0.5, 0.9):
            for reset in (False, True):
                cut = int(size * frac)
                res = smtpclients.cut_and_resume(PORT_RP, msg, cut, "%s@bench.client" % uuid.uuid4().hex, reset=reset)
                rp.drain()
                rp.clean_maildir()
                key = "cut at %d%%, %s|relaypoint" % (frac * 100, "RST" if reset else "FIN")
                record(key, res["resent"], **res)
                log("  %-30s re-sent %d octets (offset %d of cut %d)" % (key, res["resent"], res["offset"], cut))


def sample_heap(pid, seconds_max, stop):
    """jstat samples (every 100 ms) of heap used, in a background process; returns Popen."""
    return subprocess.Popen(["timeout", str(seconds_max), "jstat", "-gc", str(pid), "100"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def parse_jstat(text):
    peak = 0
    cols = None
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "S0C":
            cols = parts
            continue
        if cols and len(parts) == len(cols):
            try:
                vals = dict(zip(cols, map(float, parts)))
            except ValueError:
                continue
            used = vals.get("S0U", 0) + vals.get("S1U", 0) + vals.get("EU", 0) + vals.get("OU", 0)
            peak = max(peak, used * 1024)
    return int(peak)


def bench_memory(rp, msg):
    """Peak RSS (VmHWM) and heap during one more 1 GiB transfer with TRANSID, not timed in the table."""
    for r in range(RUNS):
        rp.heap_used(gc=True)
        rp.reset_hwm()
        rss0 = rp.status("VmRSS")
        js = sample_heap(rp.pid, 600, None)
        time.sleep(1.0)   # let jstat attach
        dt, ok, _ = big_send("relaypoint", PORT_RP, msg, "%s@bench.client" % uuid.uuid4().hex)
        hwm = rp.status("VmHWM")
        js.terminate()
        out = js.communicate(timeout=30)[0]
        peak_heap = parse_jstat(out)
        rp.drain()
        rp.clean_maildir()
        record("%d MiB transfer|peak RSS (VmHWM)" % BIG_MIB, hwm, rss_before=rss0, ok=ok)
        record("%d MiB transfer|peak heap used (jstat)" % BIG_MIB, peak_heap)
        log("  memory run %d: VmHWM %.0f MiB (RSS before %.0f MiB), peak heap used %.0f MiB, %s" % (
            r + 1, hwm / MIB, rss0 / MIB, peak_heap / MIB, "ok" if ok else "FAILED"))


def bench_idle():
    cfg = "max-connections: %d\nidle-timeout: 30m\n" % (IDLE + 1000)
    rp = Relaypoint("relaypoint-idle", PORT_RP + 1, IDLE_HEAP, config=cfg)
    try:
        for r in range(RUNS):
            heap0 = rp.heap_used(gc=True)
            rss0 = rp.status("VmRSS")
            rp.reset_hwm()

            def hold(socks, greeted):
                time.sleep(1.0)
                heap_live = rp.heap_used(gc=False)
                heap_gc = rp.heap_used(gc=True)
                return {"heap_before_gc": heap_live, "heap_after_gc": heap_gc, "rss": rp.status("VmRSS")}

            t0 = time.monotonic()
            greeted, m = smtpclients.idle_sessions(PORT_RP + 1, IDLE, hold=hold)
            dt = time.monotonic() - t0
            hwm = rp.status("VmHWM")
            record("%d idle sessions|greeted" % IDLE, greeted)
            record("%d idle sessions|heap after full GC" % IDLE, m["heap_after_gc"], heap_empty=heap0)
            record("%d idle sessions|heap in use (before GC)" % IDLE, m["heap_before_gc"])
            record("%d idle sessions|heap growth (after GC)" % IDLE, m["heap_after_gc"] - heap0)
            record("%d idle sessions|RSS" % IDLE, m["rss"], rss_empty=rss0, hwm=hwm)
            log("  idle run %d: %d/%d greeted in %.1fs; heap %.0f MiB in use, %.0f MiB after GC (empty %.0f); "
                "RSS %.0f MiB (empty %.0f)" % (r + 1, greeted, IDLE, dt, m["heap_before_gc"] / MIB,
                                                m["heap_after_gc"] / MIB, heap0 / MIB, m["rss"] / MIB, rss0 / MIB))
            # let the server notice the closes (bounded)
            time.sleep(3)
    finally:
        rp.stop()


# ---------------------------------------------------------------- report

TARGETS = {
    "1KiB 20 sessions, reused (-d)": ("≥3× Postfix, ≥0.5× smtp-sink", (3.0, 0.5)),
    "1KiB 20 sessions, new conn/msg": ("≥3× Postfix", (3.0, None)),
}


def med(key):
    v = samples.get(key)
    return statistics.median(v) if v else None


def rng(key):
    v = samples.get(key)
    return (min(v), max(v)) if v else None


def fmt(x, unit=""):
    if x is None:
        return "—"
    if abs(x) >= 100:
        return "{:,.0f}".format(x) + unit
    return "{:,.2f}".format(x) + unit


def verdict(ok):
    return "MET" if ok else "MISSED"


def report():
    rows = []
    table = ["| measurement | Relaypoint | Postfix | smtp-sink | RP/Postfix | RP/sink | target | verdict |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    for sessions, reuse in [(1, False), (20, False), (1, True), (20, True)]:
        key = small_case_key(sessions, reuse)
        rp, pf, sk = (med("%s|%s" % (key, s)) for s in ("relaypoint", "postfix", "smtp-sink"))
        if rp is None:
            continue
        r1 = rp / pf if pf else None
        r2 = rp / sk if sk else None
        # Not the like-for-like row: this Relaypoint also writes and fsyncs a Maildir file per
        # message, the Postfix baseline discards. The verdict is on the --local-delivery discard rows.
        tgt, vd = "(info: + Maildir delivery)", ""
        table.append("| %s, Relaypoint delivering to Maildir, msg/s | %s | %s | %s | %s | %s | %s | %s |" % (
            key, fmt(rp), fmt(pf), fmt(sk), fmt(r1, "×"), fmt(r2, "×"), tgt, vd))
        rows.append({"measurement": key, "unit": "msg/s", "relaypoint": rp, "postfix": pf, "smtp-sink": sk,
                     "relaypoint/postfix": r1, "relaypoint/smtp-sink": r2, "target": tgt, "verdict": vd})
    # the same product with --local-delivery discard instead of Maildir (what the Postfix here does)
    for sessions, reuse in [(1, False), (20, False), (1, True), (20, True)]:
        key = small_case_key(sessions, reuse)
        d, pf, sk = (med("%s|%s" % (key, s)) for s in ("relaypoint-discard", "postfix", "smtp-sink"))
        if d is None:
            continue
        tgt, v = TARGETS.get(key, ("", None))
        r1 = d / pf if pf else None
        r2 = d / sk if sk else None
        vd = ""
        if v:
            vd = verdict((r1 or 0) >= v[0] and (v[1] is None or (r2 or 0) >= v[1]))
        table.append("| %s, Relaypoint --local-delivery discard (as the Postfix baseline), msg/s | %s | %s | %s | %s | %s | %s | %s |" % (
            key, fmt(d), fmt(pf), fmt(sk), fmt(r1, "×"), fmt(r2, "×"), tgt, vd))
        rows.append({"measurement": key + ", discard instead of Maildir", "unit": "msg/s", "relaypoint-discard": d,
                     "relaypoint/postfix": r1, "relaypoint/smtp-sink": r2, "target": tgt, "verdict": vd})
    # Relaypoint end-to-end (accept + Maildir delivery) for the smtp-source cases
    for sessions, reuse in [(1, False), (20, False), (1, True), (20, True)]:
        key = small_case_key(sessions, reuse)
        n = notes.get("%s|relaypoint" % key)
        if n:
            e2e = statistics.median(x["end_to_end_msgs_per_s"] for x in n)
            table.append("| %s, Relaypoint until delivered to Maildir, msg/s | %s | | | | | (info) | |" % (key, fmt(e2e)))
            rows.append({"measurement": key + ", until delivered", "unit": "msg/s", "relaypoint": e2e})
    for sessions in (1, 20):
        base = "1KiB %d session%s, python client, TRANSID " % (sessions, "s" if sessions > 1 else "")
        on, off = med(base + "on|relaypoint"), med(base + "off|relaypoint")
        if on is None:
            continue
        diff = (off - on) / off * 100 if off else None
        table.append("| %son / off, msg/s | %s / %s | | | | | ≤5%% difference | %s (%.1f%%) |" % (
            base, fmt(on), fmt(off), verdict(abs(diff) <= 5), diff))
        rows.append({"measurement": base + "on vs off", "unit": "msg/s", "on": on, "off": off,
                     "difference_percent": diff, "target": "≤5%", "verdict": verdict(abs(diff) <= 5)})
    mib = BIG_MIB
    on, off, pf = (med("%d MiB|%s" % (mib, v)) for v in ("relaypoint TRANSID on", "relaypoint TRANSID off", "postfix"))
    if on is not None:
        best = max(on, off)
        table.append("| %d MiB message, durable, MiB/s (TRANSID on / off) | %s / %s | %s | | %s | | ≥500 MiB/s at -Xmx%s | %s |" % (
            mib, fmt(on), fmt(off), fmt(pf), fmt(on / pf if pf else None, "×"), HEAP, verdict(min(on, off) >= 500)))
        diff = (off - on) / off * 100
        table.append("| %d MiB, checkpointing on vs off | %.1f%% slower with | | | | | ≤5%% difference | %s |" % (
            mib, diff, verdict(abs(diff) <= 5)))
        rows.append({"measurement": "%d MiB message" % mib, "unit": "MiB/s", "relaypoint_transid_on": on,
                     "relaypoint_transid_off": off, "postfix": pf, "target": "≥500", "verdict": verdict(min(on, off) >= 500)})
        rows.append({"measurement": "%d MiB checkpointing on vs off" % mib, "difference_percent": diff,
                     "target": "≤5%", "verdict": verdict(abs(diff) <= 5)})
        dd = med("%d MiB|relaypoint-discard TRANSID on" % mib)
        if dd is not None:
            table.append("| %d MiB, --local-delivery discard instead of Maildir (TRANSID on), MiB/s | %s | | | %s | | ≥500 MiB/s | (would be %s) |" % (
                mib, fmt(dd), fmt(dd / pf if pf else None, "×"), verdict(dd >= 500)))
            rows.append({"measurement": "%d MiB discard instead of Maildir" % mib, "unit": "MiB/s", "relaypoint-discard": dd})
        for v in ("loopback dd|nc", "loopback sendfile(msg)|nc", "disk dd conv=fsync"):
            x = med("%d MiB|%s" % (mib, v))
            table.append("| limit: %s, MiB/s | %s | | | | | (limit) | |" % (v, fmt(x)))
            rows.append({"measurement": "limit " + v, "unit": "MiB/s", "value": x})
    for frac in (50, 90):
        for how in ("FIN", "RST"):
            key = "cut at %d%%, %s|relaypoint" % (frac, how)
            x = med(key)
            if x is None:
                continue
            table.append("| octets re-sent after a cut at %d%% of %d MiB (%s close) | %s | | | | | ≤1 MiB (1,048,576) | %s |" % (
                frac, mib, how, fmt(x), verdict(x <= MIB)))
    hw = med("%d MiB transfer|peak RSS (VmHWM)" % mib)
    ph = med("%d MiB transfer|peak heap used (jstat)" % mib)
    if hw is not None:
        table.append("| peak RSS / heap used during %d MiB transfer, MiB | %s / %s | | | | | heap ≤ -Xmx%s | %s |" % (
            mib, fmt(hw / MIB), fmt(ph / MIB), HEAP, "bounded" if ph <= 256 * MIB else "check"))
        rows.append({"measurement": "memory during %d MiB" % mib, "peak_rss_bytes": hw, "peak_heap_used_bytes": ph})
    g = med("%d idle sessions|greeted" % IDLE)
    if g is not None:
        ha = med("%d idle sessions|heap after full GC" % IDLE)
        hb = med("%d idle sessions|heap in use (before GC)" % IDLE)
        rss = med("%d idle sessions|RSS" % IDLE)
        table.append("| %d idle sessions: greeted; heap in use / after full GC; RSS (MiB) | %d; %s / %s; %s | | | | | ≤512 MiB heap | %s |" % (
            IDLE, g, fmt(hb / MIB), fmt(ha / MIB), fmt(rss / MIB), verdict(g >= IDLE and hb <= 512 * MIB)))
        rows.append({"measurement": "%d idle sessions" % IDLE, "greeted": g, "heap_in_use_bytes": hb,
                     "heap_after_gc_bytes": ha, "rss_bytes": rss, "target": "≤512 MiB heap",
                     "verdict": verdict(g >= IDLE and hb <= 512 * MIB)})
    return table, rows


def pressure():
    """(CPU 'some' stall µs, IO 'some' stall µs, loadavg1) from /proc: other work on a shared machine."""
    out = []
    for res in ("cpu", "io"):
        try:
            with open("/proc/pressure/" + res) as f:
                out.append(int(f.readline().split("total=")[1]))
        except (OSError, IndexError, ValueError):
            out.append(None)
    with open("/proc/loadavg") as f:
        out.append(float(f.read().split()[0]))
    return out


def report_only(raw_path):
    """bench.py --report RAW.json: the table again from saved samples."""
    with open(raw_path) as f:
        raw = json.load(f)
    samples.update(raw["samples"])
    notes.update(raw.get("notes", {}))
    table, _ = report()
    print("\n".join(table))


def main():
    global RAW
    if len(sys.argv) == 3 and sys.argv[1] == "--report":
        report_only(sys.argv[2])
        return
    os.makedirs(TMP, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    RAW = os.path.join(RESULTS, "raw-%s.json" % datetime.datetime.now().strftime("%Y%m%dT%H%M%S"))
    started = time.monotonic()
    p0 = pressure()
    cmdline = os.environ.get("BENCH_CMDLINE", "bench/run.sh")
    log("bench: runs=%d msgs=%d big=%d MiB idle=%d heap=%s tmp=%s only=%s" % (RUNS, MSGS, BIG_MIB, IDLE, HEAP, TMP, ",".join(sorted(ONLY))))
    msg = os.path.join(TMP, "message-%dMiB.eml" % BIG_MIB)
    if ONLY & {"big", "cut", "memory"}:
        t0 = time.monotonic()
        make_big_message(msg, BIG_MIB)
        log("big message ready: %s (%.1fs)" % (msg, time.monotonic() - t0))
    sink = Sink()
    start_postfix(2147483647)
    rp = Relaypoint("relaypoint", PORT_RP, HEAP)
    servers = {"relaypoint": rp}
    if DISCARD:
        servers["relaypoint-discard"] = Relaypoint("relaypoint-discard", PORT_DISCARD, HEAP, discard=True)
    jfr = None
    try:
        if PROFILE:
            jfr = os.path.join(TMP, "relaypoint.jfr")
            rp.jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + jfr)
        if "small" in ONLY:
            log("== 1 KiB messages, smtp-source, systems alternated")
            bench_small(servers)
        if "transid" in ONLY:
            log("== 1 KiB messages, Python client (waits for 354), Relaypoint TRANSID on/off")
            bench_transid(rp)
        if "big" in ONLY:
            log("== %d MiB message, systems and limits alternated" % BIG_MIB)
            bench_big(servers, msg)
        if "cut" in ONLY:
            log("== cuts at 50%% and 90%% of %d MiB with TRANSID" % BIG_MIB)
            bench_cut(rp, msg)
        if "memory" in ONLY:
            log("== memory during a %d MiB transfer (-Xmx%s)" % (BIG_MIB, HEAP))
            bench_memory(rp, msg)
        if jfr:
            rp.jcmd("JFR.stop", "name=bench")
            log("JFR recording: " + jfr)
    finally:
        for srv in servers.values():
            srv.stop()
        sink.stop()
        stop_postfix()
    if "idle" in ONLY:
        log("== %d idle sessions (-Xmx%s, max-connections raised by config file)" % (IDLE, IDLE_HEAP))
        bench_idle()
    table, rows = report()
    elapsed = time.monotonic() - started
    p1 = pressure()
    contention = {
        "cpu_some_stalled_percent": (p1[0] - p0[0]) / (elapsed * 1e6) * 100 if p0[0] is not None else None,
        "io_some_stalled_percent": (p1[1] - p0[1]) / (elapsed * 1e6) * 100 if p0[1] is not None else None,
        "loadavg_start_end": [p0[2], p1[2]],
    }
    header = ["", "Relaypoint benchmark, %s, %s, %d CPUs; medians of %d runs; %.0f s" % (
        datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), platform.node(), os.cpu_count(), RUNS, elapsed),
        "command: " + cmdline,
        "machine contention over the run (PSI, includes the bench itself): CPU 'some' stalled %.0f%% of the time, "
        "IO %.0f%%; load average %.1f at start, %.1f at end" % (
            contention["cpu_some_stalled_percent"] or -1, contention["io_some_stalled_percent"] or -1, p0[2], p1[2]),
        ""]
    print("\n".join(header + table), flush=True)
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    out = os.path.join(RESULTS, "bench-%s.json" % stamp)
    with open(out, "w") as f:
        json.dump({"when": stamp, "host": platform.node(), "cpus": os.cpu_count(), "command": cmdline,
                   "settings": {"runs": RUNS, "msgs": MSGS, "transid_msgs": TRANSID_MSGS, "big_mib": BIG_MIB, "idle": IDLE, "heap": HEAP,
                                "idle_heap": IDLE_HEAP},
                   "seconds": elapsed, "contention": contention, "table": rows, "samples": samples, "notes": notes,
                   "markdown": table}, f, indent=1, default=str)
    # latest.md is the last full run; a partial one (BENCH_ONLY, BENCH_DISCARD=0) goes to latest-partial.md
    full = ONLY == {"small", "transid", "big", "cut", "memory", "idle"} and DISCARD
    with open(os.path.join(RESULTS, "latest.md" if full else "latest-partial.md"), "w") as f:
        f.write("\n".join(header + table) + "\n")
    log("results: " + out)
    if os.path.exists(RAW):
        os.unlink(RAW)   # everything is in the results file now
    if not PROFILE:
        shutil.rmtree(TMP, ignore_errors=True) if os.environ.get("BENCH_KEEP") is None else None


if __name__ == "__main__":
    main()
