#!/usr/bin/env python3
"""A reload under load: does `warden serve` keep answering while it swaps rule sets?

    python3 Benchmarks/reload.py [--keys 1000000] [--bin .build/release/warden]

Starts `warden serve --state memory` on a copy of rules/, fills the counters with KEYS distinct
accounts (batches of 1,000 sends), then probes GET /healthz and POST /v1/check from two threads
without pause, first for 5 s alone, then while it reloads five times (each reload changes a rule,
so a new rule set is compiled and swapped in). Prints the probes' p50/p99/max before and during
the reloads, each reload's time, and the server's resident memory (VmRSS, VmHWM) before and after.
"""
import argparse, http.client, json, os, shutil, subprocess, sys, tempfile, threading, time


def rss(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":")
                fields[k] = int(v.split()[0]) / 1024
    return fields


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def percentiles(xs):
    xs = sorted(xs)
    if not xs:
        return "no samples"
    pick = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))] * 1000
    return f"p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms, max {xs[-1] * 1000:.2f} ms ({len(xs)} probes)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--bin", default=".build/release/warden")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="warden-reload-")
    rules = os.path.join(work, "rules")
    shutil.copytree("rules", rules)
    env = dict(os.environ, WARDEN_ADMIN_TOKEN="bench")
    server = subprocess.Popen([args.bin, "serve", "--port", "0", "--rules", rules, "--state", "memory", "--body-limit", str(4 << 20)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    line = server.stdout.readline()
    port = int(line.split("127.0.0.1:")[1].split()[0].rstrip(")"))
    try:
        now = int(time.time()) - 3600
        start = time.time()
        for b in range(args.keys // 1000):
            events = [{"id": f"k{b}-{i}", "type": "send", "account": f"acct{b * 1000 + i}", "to": ["x"], "text": "hi", "ts": now + b % 3000}
                      for i in range(1000)]
            status, _ = request(port, "POST", "/v1/check", json.dumps({"events": events}))
            assert status == 200, status
        print(f"filled {args.keys} accounts in {time.time() - start:.1f} s")
        status, metrics = request(port, "GET", "/metrics")
        keys = [l for l in metrics.decode().splitlines() if l.startswith("warden_counter_keys ")]
        print(keys[0] if keys else "no counter key metric")
        before = rss(server.pid)
        print(f"memory before reloads: RSS {before['VmRSS']:.0f} MiB, peak {before['VmHWM']:.0f} MiB")

        samples = {"healthz": [], "check": []}
        phase = {"name": "before"}
        stop = threading.Event()
        record = {"before": {"healthz": [], "check": []}, "during": {"healthz": [], "check": []}}

        def probe(kind):
            k = 0
            while not stop.is_set():
                k += 1
                t = time.perf_counter()
                if kind == "healthz":
                    request(port, "GET", "/healthz")
                else:
                    body = json.dumps({"id": f"p{k}", "type": "send", "account": f"probe{k % 50}", "to": ["x"], "text": "hi", "ts": now + 3000})
                    request(port, "POST", "/v1/check", body)
                record[phase["name"]][kind].append(time.perf_counter() - t)

        threads = [threading.Thread(target=probe, args=(k,)) for k in ("healthz", "check")]
        for t in threads:
            t.start()
        time.sleep(5)
        phase["name"] = "during"
        path = os.path.join(rules, "99-reload-bench.rules")
        for k in range(5):
            with open(path, "w") as f:
                f.write(f"rule reload_bench_{k} {{ on send when len(text) > {100000 + k} }}\n")
            t = time.perf_counter()
            status, body = request(port, "POST", "/v1/rules/reload", headers={"Authorization": "Bearer bench"})
            print(f"reload {k + 1}: {status} in {(time.perf_counter() - t) * 1000:.0f} ms, counters kept {json.loads(body).get('counters_kept')}")
            time.sleep(1)
        stop.set()
        for t in threads:
            t.join()
        after = rss(server.pid)
        for name in ("before", "during"):
            for kind in ("healthz", "check"):
                print(f"{kind:7} {name:6} reloads: {percentiles(record[name][kind])}")
        print(f"memory after reloads: RSS {after['VmRSS']:.0f} MiB, peak {after['VmHWM']:.0f} MiB "
              f"(peak grew {after['VmHWM'] - before['VmHWM']:.0f} MiB)")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
