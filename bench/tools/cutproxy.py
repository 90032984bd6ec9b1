#!/usr/bin/env python3
"""A loopback TCP proxy that cuts the first connection after N client-to-server octets.

Usage: cutproxy.py LISTEN_PORT TARGET_PORT CUT_OCTETS
Later connections pass through untouched. Used to measure how much a client re-sends after a cut.
"""
import socket, sys, threading

listen_port, target_port, cut_at = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
first = [True]

def pump(src, dst, limit, done):
    sent = 0
    try:
        while True:
            want = 65536 if limit is None else min(65536, limit - sent)
            if want <= 0:
                break
            data = src.recv(want)
            if not data:
                break
            dst.sendall(data)
            sent += len(data)
    except OSError:
        pass
    done.set()

def handle(client):
    server = socket.create_connection(("127.0.0.1", target_port))
    limit = cut_at if first[0] else None
    first[0] = False
    done = threading.Event()
    threading.Thread(target=pump, args=(client, server, limit, done), daemon=True).start()
    threading.Thread(target=pump, args=(server, client, None, done), daemon=True).start()
    done.wait()
    for s in (client, server):
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.shutdown(socket.SHUT_RDWR)  # wakes the other pump; close() alone would not
            s.close()
        except OSError:
            pass

ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", listen_port)); ls.listen(16)
ls.settimeout(600)
while True:
    try:
        c, _ = ls.accept()
    except socket.timeout:
        break
    threading.Thread(target=handle, args=(c,), daemon=True).start()
