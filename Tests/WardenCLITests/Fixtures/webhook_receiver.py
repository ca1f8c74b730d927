#!/usr/bin/env python3
"""A webhook receiver for tests: fails every third request with 500, records the
Idempotency-Key and body of each accepted one (one JSON line each) in the file given. With a
secret as its second argument it checks each Warden-Signature as docs/serving.md tells a
receiver to, and records "signature": "ok", "bad" or "missing"."""
import hashlib, hmac, http.server, json, sys, threading, time

log_path = sys.argv[1]
secret = sys.argv[2].encode() if len(sys.argv) > 2 else None


def verify(secret, body, header, tolerance=300):
    """The snippet of docs/serving.md."""
    parts = dict(p.split("=", 1) for p in header.split(","))
    t = int(parts["t"])
    if abs(time.time() - t) > tolerance:
        return False
    expected = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])
count = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            count += 1
            fail = count % 3 == 0
            if not fail:
                record = {"key": self.headers.get("Idempotency-Key"), "body": json.loads(body)}
                if secret is not None:
                    header = self.headers.get("Warden-Signature")
                    record["signature"] = "missing" if header is None else ("ok" if verify(secret, body, header) else "bad")
                with open(log_path, "a") as f:
                    f.write(json.dumps(record) + "\n")
        self.send_response(500 if fail else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
