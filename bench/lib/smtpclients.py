"""Small SMTP clients for the bench: RFC 1845 cut-and-resume, and many idle sessions.

Loopback only: every function refuses a host that is not 127.0.0.1. Every loop is bounded in
count and in time.
"""
import os
import selectors
import socket
import time

LOOPBACK = "127.0.0.1"


def _check(host):
    if host != LOOPBACK:
        raise ValueError("bench clients talk to 127.0.0.1 only, not " + host)


class Conn:
    """A blocking SMTP connection that reads replies strictly by CRLF lines."""

    def __init__(self, host, port, timeout=60.0):
        _check(host)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def reply(self):
        """Reads one (possibly multi-line) reply; returns (code, text of the last line)."""
        deadline = time.monotonic() + 120
        while True:
            while b"\r\n" not in self.buf:
                if time.monotonic() > deadline:
                    raise TimeoutError("no reply")
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("connection closed while waiting for a reply")
                self.buf += chunk
            line, self.buf = self.buf.split(b"\r\n", 1)
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]), line.decode("latin-1")

    def cmd(self, text, expect):
        self.sock.sendall(text.encode("ascii") + b"\r\n")
        code, line = self.reply()
        if code not in expect:
            raise RuntimeError("%r -> %s" % (text, line))
        return code, line

    def sendfile(self, f, offset, count):
        """Sends count octets of f from offset; returns octets handed to the kernel."""
        if count <= 0:
            return 0
        old = self.sock.gettimeout()
        self.sock.settimeout(None)   # blocking: os.sendfile straight from the page cache
        try:
            return self.sock.sendfile(f, offset, count)
        finally:
            self.sock.settimeout(old)

    def close(self, reset=False):
        if reset:
            # abortive close: RST, the peer loses what it had not read yet (a harsher cut)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.sock.close()


def cut_and_resume(port, msg_path, cut_at, transid, reset=False, ehlo="bench.resume"):
    """Sends msg_path (wire form, no dot-leading lines) with TRANSID, cuts after cut_at octets,
    reconnects and resumes from the offset in 355. Returns a dict with octets sent and the offset."""
    size = os.path.getsize(msg_path)
    with open(msg_path, "rb") as f:
        c = Conn(LOOPBACK, port)
        c.reply()
        c.cmd("EHLO " + ehlo, (250,))
        c.cmd("MAIL FROM:<from@localhost> TRANSID=<%s>" % transid, (250,))
        c.cmd("RCPT TO:<to@localhost>", (250,))
        c.cmd("DATA", (354,))
        first = c.sendfile(f, 0, cut_at)
        c.close(reset)
        t0 = time.monotonic()
        offset = None
        resumed = 0
        # the server may still be checkpointing the closed session: retry briefly (bounded)
        for _ in range(50):
            c = Conn(LOOPBACK, port)
            c.reply()
            c.cmd("EHLO " + ehlo, (250,))
            code, line = c.cmd("MAIL FROM:<from@localhost> TRANSID=<%s>" % transid, (250, 355, 421, 451, 452))
            if code == 355:
                offset = int(line[4:].split()[0])
                break
            if code == 250:
                offset = 0  # nothing kept: the whole message again
                break
            c.close()
            time.sleep(0.1)
        if offset is None:
            raise RuntimeError("no 355/250 after the cut")
        if offset == 0 and code == 250:
            c.cmd("RCPT TO:<to@localhost>", (250,))
        c.cmd("DATA", (354,))
        resumed = c.sendfile(f, offset, size - offset)
        c.sock.sendall(b".\r\n")
        code, line = c.reply()
        if code != 250:
            raise RuntimeError("end of data -> " + line)
        c.cmd("QUIT", (221,))
        c.close()
        return {"size": size, "cut_at": cut_at, "sent_first": first, "offset": offset,
                "sent_resume": resumed, "resent": first + resumed - size,
                "resume_seconds": time.monotonic() - t0}


def send_big(port, msg_path, transid=None, ehlo="bench.client"):
    """One message from a wire-form file: commands, wait for 354 (RFC 2920: DATA ends a pipelined
    group), then the file by sendfile(2) and the terminator. Returns (seconds, ok, last reply)."""
    size = os.path.getsize(msg_path)
    t0 = time.monotonic()
    c = Conn(LOOPBACK, port, timeout=600)
    c.reply()
    c.cmd("EHLO " + ehlo, (250,))
    t = " TRANSID=<%s>" % transid if transid else ""
    c.sock.sendall(("MAIL FROM:<from@localhost>%s\r\nRCPT TO:<to@localhost>\r\nDATA\r\n" % t).encode())
    for want in (250, 250, 354):
        code, line = c.reply()
        if code != want:
            c.close()
            return time.monotonic() - t0, False, line
    with open(msg_path, "rb") as f:
        c.sendfile(f, 0, size)
    c.sock.sendall(b".\r\n")
    code, line = c.reply()
    dt = time.monotonic() - t0
    try:
        c.cmd("QUIT", (221,))
    except (OSError, RuntimeError, ConnectionError):
        pass
    c.close()
    return dt, code == 250, line


def send_small(port, sessions, per_session, body, transid_prefix=None, timeout=600):
    """sessions threads, each one connection sending per_session messages (MAIL/RCPT/DATA pipelined,
    body after 354). Returns (seconds, messages accepted)."""
    import threading
    accepted = [0] * sessions
    errors = []
    deadline = time.monotonic() + timeout

    def one(k):
        try:
            c = Conn(LOOPBACK, port)
            c.reply()
            c.cmd("EHLO bench.client", (250,))
            for i in range(per_session):
                if time.monotonic() > deadline:
                    break
                t = " TRANSID=<%s-%d-%d@bench.client>" % (transid_prefix, k, i) if transid_prefix else ""
                c.sock.sendall(("MAIL FROM:<from@localhost>%s\r\nRCPT TO:<to@localhost>\r\nDATA\r\n" % t).encode())
                codes = [c.reply()[0] for _ in range(3)]
                if codes != [250, 250, 354]:
                    raise RuntimeError("replies %s" % codes)
                c.sock.sendall(body + b".\r\n")
                code, line = c.reply()
                if code == 250:
                    accepted[k] += 1
            c.cmd("QUIT", (221,))
            c.close()
        except Exception as e:  # reported, not fatal
            errors.append(repr(e))

    t0 = time.monotonic()
    threads = [threading.Thread(target=one, args=(k,)) for k in range(sessions)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(max(1.0, deadline - time.monotonic()))
    return time.monotonic() - t0, sum(accepted), errors


def idle_sessions(port, count, batch=500, timeout=120.0, hold=None):
    """Opens count connections, reads each greeting, keeps them open. Returns (socks, greeted).
    hold(socks) is called while they are all open; then they are closed."""
    _check(LOOPBACK)
    deadline = time.monotonic() + timeout
    sel = selectors.DefaultSelector()
    socks = []
    greeted = 0
    pending = {}
    opened = 0
    while (opened < count or pending) and time.monotonic() < deadline:
        while opened < count and len(pending) < batch:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex((LOOPBACK, port))
            pending[s] = b""
            sel.register(s, selectors.EVENT_READ)
            socks.append(s)
            opened += 1
        for key, _ in sel.select(timeout=1.0):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            buf = pending.get(s, b"") + data
            if not data or b"\r\n" in buf:
                sel.unregister(s)
                pending.pop(s, None)
                if buf.startswith(b"220") and b"\r\n" in buf:
                    greeted += 1
            else:
                pending[s] = buf
    result = None
    try:
        if hold:
            result = hold(socks, greeted)
    finally:
        for s in socks:
            try:
                s.close()
            except OSError:
                pass
        sel.close()
    return greeted, result
