"""A small Clustered Hashmap Protocol (RFC 12/CHP) peer in Python, written from the RFC for ZmqNative's wire tests.

  chp_peer.py client PORT SUBTREE COUNT   subscribe, snapshot, send COUNT KVSETs, print what comes back
  chp_peer.py server PORT SECONDS         serve a map with one seeded key for SECONDS, printing what it publishes

Every CHP command is five frames: key, sequence (8 bytes, network order), UUID, properties ("name=value\\n"), value.
"""
import struct
import sys
import time
import uuid

import zmq

DEADLINE = time.time() + 25


def frames(key, seq, body=b"", uid=b"", props=b""):
    return [key, struct.pack("!q", seq), uid, props, body]


def parse(msg):
    assert len(msg) == 5, "CHP commands have five frames, got %d" % len(msg)
    return msg[0], struct.unpack("!q", msg[1])[0], msg[2], msg[3], msg[4]


def client(port, subtree, count):
    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, subtree)
    sub.setsockopt(zmq.SUBSCRIBE, b"HUGZ")
    sub.connect("tcp://127.0.0.1:%d" % (port + 1))
    # Subscribe first, and wait for the subscription to deliver (HUGZ), so no update after the snapshot is missed.
    while True:
        if time.time() > DEADLINE:
            sys.exit("no HUGZ")
        if sub.poll(100):
            sub.recv_multipart()
            break
    snap = ctx.socket(zmq.DEALER)
    snap.connect("tcp://127.0.0.1:%d" % port)
    snap.send_multipart([b"ICANHAZ?", subtree])
    entries = {}
    while True:
        key, seq, _, _, body = parse(snap.recv_multipart())
        if key == b"KTHXBAI":
            break
        entries[key] = body
    print("snapshot %d %d" % (seq, len(entries)))
    for key in sorted(entries):
        print("entry %s %s" % (key.decode(), entries[key].decode()))
    sys.stdout.flush()
    last = seq
    pub = ctx.socket(zmq.PUB)
    pub.connect("tcp://127.0.0.1:%d" % (port + 2))
    mine = [(subtree + b"py-%d" % i, b"from python %d" % i, uuid.uuid4().bytes) for i in range(count)]
    seen = set()
    sent_at = 0.0
    while len(seen) < count:
        if time.time() > DEADLINE:
            sys.exit("only %d of %d updates came back" % (len(seen), count))
        if time.time() - sent_at > 0.5:
            # A PUB drops what it sends before the collector has subscribed: send what has not come back yet, again.
            for key, body, uid in mine:
                if key not in seen:
                    pub.send_multipart(frames(key, 0, body, uid, b"ttl=0\n"))
            sent_at = time.time()
        if sub.poll(50):
            key, seq, uid, props, body = parse(sub.recv_multipart())
            if key == b"HUGZ" or seq <= last:
                continue
            last = seq
            if key in [m[0] for m in mine] and key not in seen:
                seen.add(key)
                print("update %d %s %s" % (seq, key.decode(), body.decode()))
                sys.stdout.flush()
    print("done")


def server(port, seconds):
    ctx = zmq.Context()
    snap = ctx.socket(zmq.ROUTER)
    snap.bind("tcp://127.0.0.1:%d" % port)
    pub = ctx.socket(zmq.PUB)
    pub.bind("tcp://127.0.0.1:%d" % (port + 1))
    coll = ctx.socket(zmq.SUB)
    coll.setsockopt(zmq.SUBSCRIBE, b"")
    coll.bind("tcp://127.0.0.1:%d" % (port + 2))
    kvmap = {b"/py/seeded": b"from the python server"}
    seq = 0
    poller = zmq.Poller()
    poller.register(snap, zmq.POLLIN)
    poller.register(coll, zmq.POLLIN)
    end = time.time() + seconds
    hugz = 0.0
    print("ready")
    sys.stdout.flush()
    while time.time() < end:
        ready = dict(poller.poll(50))
        if snap in ready:
            msg = snap.recv_multipart()
            ident, subtree = msg[0], (msg[2] if len(msg) > 2 else b"")
            for key, body in kvmap.items():
                if key.startswith(subtree):
                    snap.send_multipart([ident] + frames(key, 0, body))
            snap.send_multipart([ident] + frames(b"KTHXBAI", seq, subtree))
            print("snapshot %d" % seq)
        if coll in ready:
            key, _, uid, props, body = parse(coll.recv_multipart())
            seq += 1
            pub.send_multipart(frames(key, seq, body, uid, props))
            if body:
                kvmap[key] = body
            else:
                kvmap.pop(key, None)
            print("publish %d %s %s" % (seq, key.decode(), body.decode()))
        if time.time() - hugz > 0.2:
            pub.send_multipart(frames(b"HUGZ", seq))
            hugz = time.time()
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1] == "client":
        client(int(sys.argv[2]), sys.argv[3].encode(), int(sys.argv[4]))
    else:
        server(int(sys.argv[2]), float(sys.argv[3]))
