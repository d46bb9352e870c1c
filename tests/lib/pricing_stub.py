#!/usr/bin/env python3
"""A stand-in for the AWS Price List API (moto has none), for tests only.

usage: pricing_stub.py PAGES.json PORTFILE LOGFILE

Serves AWSPriceListService.GetProducts on 127.0.0.1 (a free port, written
to PORTFILE). PAGES.json maps a regionCode to a list of answer bodies; the
answer for page N carries NextToken "page-N+1" while more remain. Each
request is logged to LOGFILE as one JSON line (target, region of the
signature scope, the request body). Requests that are not SigV4-signed for
us-east-1/pricing, or lack ServiceCode, get a 400 error as AWS gives them.
"""
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGES = json.load(open(sys.argv[1]))
LOG = sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, code, message):
        self.answer(400, {"__type": code, "message": message})

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = self.headers.get("X-Amz-Target", "")
        auth = self.headers.get("Authorization", "")
        scope = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request", auth)
        try:
            req = json.loads(raw or b"{}")
        except ValueError:
            req = None
        with open(LOG, "a") as f:
            f.write(json.dumps({"target": target,
                                "scope": "/".join(scope.groups()) if scope else None,
                                "body": req}) + "\n")
        if not scope or scope.groups() != ("us-east-1", "pricing"):
            return self.error("IncompleteSignatureException", "bad credential scope")
        if target != "AWSPriceListService.GetProducts":
            return self.error("UnknownOperationException", target)
        if not isinstance(req, dict) or req.get("ServiceCode") != "AmazonEC2":
            return self.error("InvalidParameterException", "ServiceCode")
        region = next((f.get("Value") for f in req.get("Filters", [])
                       if f.get("Field") == "regionCode"), None)
        pages = PAGES.get(region, [{"FormatVersion": "aws_v1", "PriceList": []}])
        token = req.get("NextToken")
        n = int(token.split("-")[1]) if token else 1
        if not 1 <= n <= len(pages):
            return self.error("InvalidNextTokenException", str(token))
        body = dict(pages[n - 1])
        if n < len(pages):
            body["NextToken"] = "page-%d" % (n + 1)
        self.answer(200, body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
