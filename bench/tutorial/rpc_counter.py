#!/usr/bin/env python3
"""A counting JSON-RPC proxy for the tutorial benchmark: forwards every POST to the chain's RPC URL and
counts the JSON-RPC calls by method (a batch counts each call). GET /counts returns the counts as JSON;
GET /reset sets them to zero. Loopback only.

    rpc_counter.py LISTEN_PORT UPSTREAM_URL
"""
import json
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {}
lock = threading.Lock()


class Proxy(BaseHTTPRequestHandler):
    upstream = ""

    def log_message(self, *args):
        pass

    def _reply(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        global counts
        with lock:
            if self.path == "/reset":
                counts = {}
            body = json.dumps(counts, sort_keys=True).encode()
        self._reply(200, body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        try:
            calls = json.loads(body)
            calls = calls if isinstance(calls, list) else [calls]
            with lock:
                for call in calls:
                    method = call.get("method", "?") if isinstance(call, dict) else "?"
                    counts[method] = counts.get(method, 0) + 1
        except ValueError:
            pass
        request = urllib.request.Request(self.upstream, data=body, headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                self._reply(response.status, response.read())
        except urllib.error.HTTPError as e:
            self._reply(e.code, e.read())


def main():
    port, Proxy.upstream = int(sys.argv[1]), sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()


if __name__ == "__main__":
    main()
