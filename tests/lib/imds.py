#!/usr/bin/env python3
"""A stand-in for the EC2 instance metadata service (IMDSv2 only), for tests.

Serves the credentials given in the environment (IMDS_ACCESS_KEY_ID,
IMDS_SECRET_ACCESS_KEY, optional IMDS_SESSION_TOKEN) under role IMDS_ROLE
(default plc-node). A GET without the token that PUT /latest/api/token
handed out is answered 401, as IMDSv2 does. Listens on 127.0.0.1 only and
writes its port to the file named by --port-file.

usage: imds.py --port-file FILE [--log FILE]
"""
import argparse
import http.server
import json
import os
import secrets
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    args = ap.parse_args()
    token = secrets.token_hex(16)
    role = os.environ.get("IMDS_ROLE", "plc-node")
    creds = {
        "Code": "Success",
        "Type": "AWS-HMAC",
        "AccessKeyId": os.environ["IMDS_ACCESS_KEY_ID"],
        "SecretAccessKey": os.environ["IMDS_SECRET_ACCESS_KEY"],
        "Token": os.environ.get("IMDS_SESSION_TOKEN", ""),
        "Expiration": "2099-01-01T00:00:00Z",
    }
    log = open(args.log, "a", buffering=1) if args.log else None

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *a):
            if log:
                log.write("%s %s\n" % (self.command, self.path))

        def answer(self, status, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_PUT(self):
            if self.path != "/latest/api/token" or not self.headers.get(
                    "X-aws-ec2-metadata-token-ttl-seconds"):
                return self.answer(400, "bad token request")
            self.answer(200, token)

        def do_GET(self):
            if self.headers.get("X-aws-ec2-metadata-token") != token:
                return self.answer(401, "token required")
            base = "/latest/meta-data/iam/security-credentials/"
            if self.path == base:
                return self.answer(200, role)
            if self.path == base + role:
                return self.answer(200, json.dumps(creds))
            self.answer(404, "not found")

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
