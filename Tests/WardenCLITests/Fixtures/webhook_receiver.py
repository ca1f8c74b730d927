#!/usr/bin/env python3
"""A webhook receiver for tests: fails every third request with 500, records the
Idempotency-Key and body of each accepted one (one JSON line each) in the file given."""
import http.server, json, sys, threading

log_path = sys.argv[1]
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
                with open(log_path, "a") as f:
                    f.write(json.dumps({"key": self.headers.get("Idempotency-Key"), "body": json.loads(body)}) + "\n")
        self.send_response(500 if fail else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
