#!/usr/bin/env python3
"""faultproxy: a fault-injecting HTTP/1.1 proxy between an AWS client and moto.

usage: faultproxy.py --listen 127.0.0.1:0 --upstream http://127.0.0.1:PORT
                     [--port-file F] [--log F] [--seed N]
                     [--fault KIND] [--rate R] [--match REGEX] [--service REGEX]
                     [--limit N] [--keep-alive] [--imds FILE]

The client points its endpoint (AWS_ENDPOINT_URL) at the proxy.  Requests are
forwarded byte for byte (request line, headers in order including the client's
Host, which the client signed, and body) to the upstream, and the upstream's
answer is streamed back unchanged, unless a fault applies.

Faults (--fault, or "fault" in the control endpoint's JSON):
  none        forward everything (default)
  throttle    the caller's protocol's throttling error:
                EC2 (Query, Action= with service ec2)  503 RequestLimitExceeded
                other Query services (sts, iam)         400 Throttling
                JSON 1.0/1.1 (X-Amz-Target)             400 ThrottlingException
                REST (S3)                               503 SlowDown
  500, 503    an internal error / service unavailable in the caller's protocol
  error:CODE[:STATUS]
              AWS error CODE in the caller's protocol, HTTP STATUS (default 400)
  drop        read the request, then close the connection without answering
  answer:STATUS
              answer HTTP STATUS with the setting "body" (a string, sent as
              it is, with the content type of the caller's protocol), for an
              answer moto does not model (a Service Quotas quota of EC2)
  garbage:KIND
              HTTP 200 with a body no client can read as the answer it asked for:
                binary   bytes that are not UTF-8 (a gzip header and zeros)
                xml      XML cut off in the middle of an element
                deep     XML nested 300 elements deep
                html     a well-formed HTML page (a captive portal)
  lost[:S]    forward the request (the upstream acts on it), wait S seconds
              (default 0), then close the connection without answering:
              the client sees a failed request that in fact succeeded, as
              when an answer comes after the client's timeout or the
              connection breaks on the way back; logged with the upstream's
              status

A fault applies to a request when its operation matches --match (re.search on
the Action= value, the operation after the last "." of X-Amz-Target, or for
REST "METHOD /path" without the query), its signing service (credential scope
of the Authorization header) matches --service, fewer than --limit faults were
injected so far, and a draw from a random generator seeded with --seed is
below --rate (0..1, default 1).  With --seed, the sequence of decisions for a
sequence of matching requests is reproducible.

Control endpoint (never forwarded, never faulted, never logged):
  GET  /__faultproxy/config   current settings as JSON
  POST /__faultproxy/config   replace the settings: JSON object with any of
                              fault, rate, match, service, limit, keep_alive,
                              seed, body (omitted keys return to their defaults;
                              seed reseeds the generator); answers the new
                              settings, or 400 {"error": ...}
  GET  /__faultproxy/stats    {"requests","forwarded","faulted","by_op":{...}}
  POST /__faultproxy/reset    zero the counters

--log gets one JSON object per request, written before the client gets its
answer: {"time","seq","method","path","query","host","service","protocol",
"op","fault","status"} where query is the raw query string (S3 names its
sub-resources there: ?versioning, ?policy, ...), host the Host header,
fault is "forwarded" or the fault injected and status is the status the
client got (null for drop).  --port-file gets the port once the
proxy listens.  --keep-alive removes "Connection: close" from forwarded
responses whose length is known, so the client can reuse its connection to
the proxy (moto closes every connection; real AWS keeps them open).

--imds FILE makes the proxy answer EC2 instance metadata requests itself
(paths under /latest/, after the fault decision, so faults apply to them too;
logged with fault "imds") from FILE, a JSON object read at every request:
{"role","AccessKeyId","SecretAccessKey","Token","Expiration","region"}.  It
behaves as IMDSv2 with tokens required: PUT /latest/api/token with header
X-aws-ec2-metadata-token-ttl-seconds (1..21600) gives a token; every GET
needs it in X-aws-ec2-metadata-token (else 401); served are
/latest/meta-data/iam/security-credentials/ (the role name),
/latest/meta-data/iam/security-credentials/ROLE (the credentials JSON as EC2
gives it) and /latest/meta-data/placement/region; anything else is 404.

Only loopback addresses are accepted for --listen and --upstream.
"""

import argparse
import ipaddress
import json
import os
import random
import re
import socket
import socketserver
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

CONTROL_PREFIX = "/__faultproxy/"
MAX_LINE = 65536
MAX_HEADERS = 256
COPY_CHUNK = 65536
FAULT_RE = re.compile(r"^(none|throttle|500|503|drop|lost(?::(?P<lost>[0-9]{1,3}))?"
                      r"|error:(?P<code>[A-Za-z0-9_.]+)(?::(?P<status>[1-5][0-9][0-9]))?"
                      r"|answer:(?P<answer>[1-5][0-9][0-9])|garbage:(?P<garbage>binary|xml|deep|html))$")


class BadRequest(Exception):
    pass


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings:
    """Fault settings; replaced as a whole by the control endpoint."""

    KEYS = ("fault", "rate", "match", "service", "limit", "keep_alive", "seed", "body")

    def __init__(self, d):
        unknown = set(d) - set(self.KEYS)
        if unknown:
            raise ValueError("unknown setting(s): " + ", ".join(sorted(unknown)))
        self.fault = d.get("fault", "none")
        if not isinstance(self.fault, str) or not FAULT_RE.match(self.fault):
            raise ValueError("fault must be none, throttle, 500, 503, drop, lost[:SECONDS], error:CODE[:STATUS], answer:STATUS or garbage:KIND")
        rate = d.get("rate", 1.0)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError("rate must be a number from 0 to 1")
        self.rate = float(rate)
        self.match = self._regex(d.get("match"), "match")
        self.service = self._regex(d.get("service"), "service")
        limit = d.get("limit")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
            raise ValueError("limit must be a non-negative integer or null")
        self.limit = limit
        keep_alive = d.get("keep_alive", False)
        if not isinstance(keep_alive, bool):
            raise ValueError("keep_alive must be true or false")
        self.keep_alive = keep_alive
        seed = d.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError("seed must be an integer or null")
        self.seed = seed
        body = d.get("body")
        if body is not None and not isinstance(body, str):
            raise ValueError("body must be a string or null")
        if self.fault.startswith("answer:") and body is None:
            raise ValueError("fault answer:STATUS needs a body")
        self.body = body

    @staticmethod
    def _regex(value, name):
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValueError(name + " must be a string (regular expression)")
        try:
            return re.compile(value)
        except re.error as e:
            raise ValueError("bad %s regex: %s" % (name, e)) from None

    def as_json(self):
        return {
            "fault": self.fault,
            "rate": self.rate,
            "match": self.match.pattern if self.match else None,
            "service": self.service.pattern if self.service else None,
            "limit": self.limit,
            "keep_alive": self.keep_alive,
            "seed": self.seed,
            "body": self.body,
        }


class State:
    def __init__(self, settings, log_path):
        self.lock = threading.Lock()
        self.settings = settings
        self.rng = random.Random(settings.seed)
        self.injected = 0
        self.seq = 0
        self.stats = self._zero()
        self.log = open(log_path, "a", encoding="utf-8") if log_path else None

    @staticmethod
    def _zero():
        return {"requests": 0, "forwarded": 0, "faulted": 0, "by_op": {}}

    def configure(self, settings):
        with self.lock:
            self.settings = settings
            if settings.seed is not None:
                self.rng = random.Random(settings.seed)
            self.injected = 0

    def decide(self, op, service):
        """Count the request; return (seq, fault or None, keep_alive, body of answer:STATUS)."""
        with self.lock:
            self.seq += 1
            s = self.settings
            fault = None
            if (
                s.fault != "none"
                and (s.match is None or s.match.search(op))
                and (s.service is None or s.service.search(service))
                and (s.limit is None or self.injected < s.limit)
                and self.rng.random() < s.rate
            ):
                fault = s.fault
                self.injected += 1
            self.stats["requests"] += 1
            self.stats["faulted" if fault else "forwarded"] += 1
            o = self.stats["by_op"].setdefault(op, {"requests": 0, "faulted": 0})
            o["requests"] += 1
            if fault:
                o["faulted"] += 1
            return self.seq, fault, s.keep_alive, s.body

    def write_log(self, rec):
        if not self.log:
            return
        line = json.dumps(rec, separators=(",", ":")) + "\n"
        with self.lock:
            self.log.write(line)
            self.log.flush()


def now_iso():
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % int((t % 1) * 1000)


def http_date():
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())


class Request:
    pass


def read_line(rfile):
    line = rfile.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise BadRequest("line too long")
    return line


def read_exact(rfile, n):
    parts = []
    while n > 0:
        b = rfile.read(min(n, COPY_CHUNK))
        if not b:
            raise ConnectionError("connection closed in the middle of a body")
        parts.append(b)
        n -= len(b)
    return b"".join(parts)


def read_headers(rfile):
    """Return (raw header lines, {lower name: [values]}); stops after the blank line."""
    raw = []
    fields = {}
    while True:
        line = read_line(rfile)
        if not line:
            raise ConnectionError("connection closed in the headers")
        if line in (b"\r\n", b"\n"):
            return raw, fields
        if len(raw) >= MAX_HEADERS:
            raise BadRequest("too many headers")
        raw.append(line)
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise BadRequest("malformed header line")
        fields.setdefault(name.strip().lower(), []).append(value.strip())


def header(fields, name):
    v = fields.get(name)
    return ",".join(v) if v else None


def is_chunked(fields):
    te = header(fields, "transfer-encoding")
    return te is not None and "chunked" in te.lower()


def content_length(fields):
    v = fields.get("content-length")
    if not v:
        return None
    try:
        n = int(v[0])
    except ValueError:
        raise BadRequest("bad Content-Length") from None
    if n < 0 or any(x != v[0] for x in v):
        raise BadRequest("bad Content-Length")
    return n


def copy_chunked(rfile, emit, data=None):
    """Copy a chunked body as is through emit(bytes); collect the payload in data."""
    while True:
        line = read_line(rfile)
        if not line:
            raise ConnectionError("connection closed in a chunked body")
        emit(line)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest("bad chunk size") from None
        if size == 0:
            while True:
                t = read_line(rfile)
                emit(t)
                if t in (b"\r\n", b"\n", b""):
                    return
        chunk = read_exact(rfile, size)
        emit(chunk)
        if data is not None:
            data.append(chunk)
        emit(read_line(rfile))


def classify(req):
    """Set req.protocol, req.op, req.service, req.version."""
    auth = header(req.fields, "authorization") or ""
    m = re.search(r"Credential=([^,\s]+)", auth)
    cred = m.group(1) if m else (req.query.get("X-Amz-Credential", [""])[0])
    parts = cred.split("/")
    req.service = parts[3] if len(parts) >= 5 else ""
    target = header(req.fields, "x-amz-target")
    ctype = (header(req.fields, "content-type") or "").lower()
    req.version = ""
    if target:
        req.protocol = "json"
        req.op = target.rsplit(".", 1)[-1]
        req.json_type = "1.0" if "json-1.0" in ctype else "1.1"
        return
    params = {}
    if req.method == "POST" and "application/x-www-form-urlencoded" in ctype:
        params = parse_qs(req.body.decode("latin-1"), keep_blank_values=True)
    elif "Action" in req.query:
        params = req.query
    if "Action" in params:
        req.protocol = "query"
        req.op = params["Action"][0]
        req.version = params.get("Version", [""])[0]
        if req.service == "ec2" or (not req.service and req.version in ("", "2016-11-15")):
            req.protocol = "ec2"
        return
    req.protocol = "rest"
    req.op = "%s %s" % (req.method, req.path)


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# (status, code, message) per fault kind and protocol family.
CANNED = {
    "throttle": {
        "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
        "query": (400, "Throttling", "Rate exceeded"),
        "json": (400, "ThrottlingException", "Rate exceeded"),
        "rest": (503, "SlowDown", "Please reduce your request rate."),
    },
    "500": {
        "ec2": (500, "InternalError", "An internal error has occurred."),
        "query": (500, "InternalFailure", "An internal error has occurred."),
        "json": (500, "InternalFailure", "An internal error has occurred."),
        "rest": (500, "InternalError", "We encountered an internal error. Please try again."),
    },
    "503": {
        "ec2": (503, "Unavailable", "The server is overloaded and can't handle the request."),
        "query": (503, "ServiceUnavailable", "Service is unable to handle request."),
        "json": (503, "ServiceUnavailable", "Service is unable to handle request."),
        "rest": (503, "ServiceUnavailable", "Service is unable to handle request."),
    },
}

REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
           429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


CONTENT_TYPE = {"ec2": "text/xml;charset=UTF-8", "query": "text/xml", "rest": "application/xml"}

GARBAGE = {
    "binary": ("application/octet-stream", b"\x1f\x8b\x08\x00" + b"\xff\xfe\x00" * 20),
    "xml": ("text/xml", b'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeVpcsResponse><vpcSet><item>'),
    "deep": ("text/xml", b"<a>" * 300 + b"</a>" * 300),
    "html": ("text/html", b"<html><head><title>Sign in</title></head><body>Wi-Fi</body></html>"),
}


def fault_response(req, fault, answer_body=None):
    """Return (status, [(name, value)], body) of an injected error, answer or garbage."""
    m = FAULT_RE.match(fault)
    if m.group("garbage"):
        ctype, body = GARBAGE[m.group("garbage")]
        return 200, [("Content-Type", ctype)], body
    if m.group("answer"):
        ctype = ("application/x-amz-json-" + req.json_type if req.protocol == "json"
                 else CONTENT_TYPE.get(req.protocol, "application/xml"))
        return int(m.group("answer")), [("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Type", ctype)], \
            answer_body.encode("utf-8")
    if m.group("code"):
        status, code, message = int(m.group("status") or 400), m.group("code"), "Injected fault: " + m.group("code")
    else:
        status, code, message = CANNED[fault][req.protocol]
    rid = str(uuid.uuid4())
    if req.protocol == "json":
        body = json.dumps({"__type": code, "message": message}, separators=(",", ":"))
        hdrs = [("x-amzn-RequestId", rid), ("X-Amzn-ErrorType", code),
                ("Content-Type", "application/x-amz-json-" + req.json_type)]
    elif req.protocol == "ec2":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>%s</Code>'
                "<Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>"
                % (code, xml_escape(message), rid))
        hdrs = [("Content-Type", "text/xml;charset=UTF-8")]
    elif req.protocol == "query":
        ns = "https://%s.amazonaws.com/doc/%s/" % (req.service or "sts", req.version or "2011-06-15")
        body = ('<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message>'
                "</Error><RequestId>%s</RequestId></ErrorResponse>"
                % (ns, "Receiver" if status >= 500 else "Sender", code, xml_escape(message), rid))
        hdrs = [("x-amzn-RequestId", rid), ("Content-Type", "text/xml")]
    else:
        host_id = uuid.uuid4().hex
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
                "<RequestId>%s</RequestId><HostId>%s</HostId></Error>"
                % (code, xml_escape(message), rid, host_id))
        hdrs = [("x-amz-request-id", rid), ("x-amz-id-2", host_id), ("Content-Type", "application/xml")]
    return status, hdrs, body.encode("utf-8")


class Handler(socketserver.StreamRequestHandler):
    timeout = 300  # idle keep-alive connections end after this many seconds

    def setup(self):
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self):
        try:
            while self.handle_one():
                pass
        except (ConnectionError, socket.timeout, BrokenPipeError):
            pass
        except BadRequest as e:
            self.send_simple(400, "application/json", json.dumps({"error": str(e)}).encode(), close=True)

    def send_simple(self, status, ctype, body, close=False, extra=()):
        head = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status")),
                "Date: " + http_date(), "Server: faultproxy"]
        head += ["%s: %s" % kv for kv in extra]
        head += ["Content-Type: " + ctype, "Content-Length: %d" % len(body)]
        if close:
            head.append("Connection: close")
        try:
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            self.wfile.flush()
        except OSError:
            pass

    def read_request(self):
        line = read_line(self.rfile)
        while line in (b"\r\n", b"\n"):
            line = read_line(self.rfile)
        if not line:
            return None
        req = Request()
        parts = line.decode("latin-1").rstrip("\r\n").split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest("malformed request line")
        req.method, target, req.http_version = parts
        req.request_line = line
        if target.startswith(("http://", "https://")):
            # absolute form, as sent to an HTTP proxy: forward in origin form
            u = urlsplit(target)
            target = (u.path or "/") + ("?" + u.query if u.query else "")
            req.request_line = ("%s %s %s\r\n" % (req.method, target, req.http_version)).encode("latin-1")
        req.target = target
        u = urlsplit(target)
        req.path = u.path
        req.raw_query = u.query
        req.query = parse_qs(u.query, keep_blank_values=True)
        req.raw_headers, req.fields = read_headers(self.rfile)
        conn = (header(req.fields, "connection") or "").lower()
        req.close = "close" in conn or (req.http_version == "HTTP/1.0" and "keep-alive" not in conn)
        expect = (header(req.fields, "expect") or "").lower() == "100-continue"
        raw_body = []
        payload = []
        if is_chunked(req.fields):
            if expect:
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.wfile.flush()
            copy_chunked(self.rfile, raw_body.append, payload)
            req.raw_body = b"".join(raw_body)
            req.body = b"".join(payload)
        else:
            n = content_length(req.fields) or 0
            if expect and n:
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.wfile.flush()
            req.body = req.raw_body = read_exact(self.rfile, n) if n else b""
        return req

    def handle_one(self):
        req = self.read_request()
        if req is None:
            return False
        if req.path.startswith(CONTROL_PREFIX):
            self.control(req)
            return not req.close
        classify(req)
        seq, fault, keep_alive, answer_body = self.server.state.decide(req.op, req.service)
        rec = {"time": now_iso(), "seq": seq, "method": req.method, "path": req.path,
               "query": req.raw_query, "host": header(req.fields, "host") or "",
               "service": req.service, "protocol": req.protocol, "op": req.op}
        if fault == "drop":
            rec.update(fault="drop", status=None)
            self.server.state.write_log(rec)
            self.request.shutdown(socket.SHUT_RDWR)
            return False
        if fault and fault.startswith("lost"):
            return self.forward(req, rec, keep_alive, lose_after=float(FAULT_RE.match(fault).group("lost") or 0))
        if fault:
            status, hdrs, body = fault_response(req, fault, answer_body)
            rec.update(fault=fault, status=status)
            self.server.state.write_log(rec)
            self.send_simple(status, dict(hdrs).pop("Content-Type"), body, close=req.close,
                             extra=[h for h in hdrs if h[0] != "Content-Type"])
            return not req.close
        if self.server.imds_file and req.path.startswith("/latest/"):
            rec.update(fault="imds")
            self.imds(req, rec)
            return not req.close
        return self.forward(req, rec, keep_alive)

    def imds(self, req, rec):
        """Answer an instance metadata request from the --imds file."""
        def answer(status, body, ctype="text/plain", extra=()):
            rec["status"] = status
            self.server.state.write_log(rec)
            self.send_simple(status, ctype, body.encode("utf-8"), close=req.close, extra=extra)

        if req.path == "/latest/api/token":
            if req.method != "PUT":
                return answer(405, "")
            ttl = header(req.fields, "x-aws-ec2-metadata-token-ttl-seconds") or ""
            if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
                return answer(400, "")
            return answer(200, self.server.imds_token, extra=[("X-aws-ec2-metadata-token-ttl-seconds", ttl)])
        if req.method not in ("GET", "HEAD"):
            return answer(405, "")
        if header(req.fields, "x-aws-ec2-metadata-token") != self.server.imds_token:
            return answer(401, "")
        try:
            with open(self.server.imds_file, encoding="utf-8") as f:
                d = json.load(f)
            missing = [k for k in ("role", "AccessKeyId", "SecretAccessKey", "Token", "Expiration", "region")
                       if not isinstance(d.get(k), str)]
            if missing:
                raise ValueError("missing " + ", ".join(missing))
        except (OSError, ValueError, AttributeError) as e:
            return answer(500, "faultproxy: --imds file: %s\n" % e)
        prefix = "/latest/meta-data/iam/security-credentials/"
        if req.path == prefix:
            return answer(200, d["role"])
        if req.path == prefix + d["role"]:
            creds = {"Code": "Success", "LastUpdated": now_iso()[:19] + "Z", "Type": "AWS-HMAC",
                     "AccessKeyId": d["AccessKeyId"], "SecretAccessKey": d["SecretAccessKey"],
                     "Token": d["Token"], "Expiration": d["Expiration"]}
            return answer(200, json.dumps(creds, indent=2))
        if req.path == "/latest/meta-data/placement/region":
            return answer(200, d["region"])
        return answer(404, "")

    def forward(self, req, rec, keep_alive, lose_after=None):
        """Forward req and stream the answer back; with lose_after (seconds),
        wait that long once the upstream has answered, then close the
        client's connection without a byte of the answer."""
        rec["fault"] = "forwarded" if lose_after is None else "lost"
        try:
            up = socket.create_connection(self.server.upstream, timeout=self.server.upstream_timeout)
        except OSError as e:
            rec.update(status=502, error=str(e))
            self.server.state.write_log(rec)
            self.send_simple(502, "text/plain", ("faultproxy: upstream: %s\n" % e).encode(), close=True)
            return False
        with up:
            urfile = up.makefile("rb")
            try:
                up.sendall(req.request_line + b"".join(req.raw_headers) + b"\r\n" + req.raw_body)
                while True:
                    status_line = read_line(urfile)
                    if not status_line:
                        raise ConnectionError("upstream closed without answering")
                    parts = status_line.split(b" ", 2)
                    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
                        raise ConnectionError("upstream answered %r" % status_line[:100])
                    status = int(parts[1])
                    raw_headers, fields = read_headers(urfile)
                    if 100 <= status < 200 and status != 101:
                        continue  # interim answers (100 Continue) were already given by us
                    break
            except (OSError, BadRequest) as e:
                code = 504 if isinstance(e, socket.timeout) else 502
                rec.update(status=code, error=str(e) or type(e).__name__)
                self.server.state.write_log(rec)
                self.send_simple(code, "text/plain", ("faultproxy: upstream: %s\n" % rec["error"]).encode(),
                                 close=True)
                return False
            rec["status"] = status
            self.server.state.write_log(rec)
            if lose_after is not None:
                time.sleep(lose_after)
                self.request.shutdown(socket.SHUT_RDWR)
                return False
            if req.method == "HEAD" or status in (204, 304):
                framing = "none"
            elif is_chunked(fields):
                framing = "chunked"
            elif content_length(fields) is not None:
                framing = "length"
            else:
                framing = "close"
            conn = (header(fields, "connection") or "").lower()
            if keep_alive and framing != "close" and "close" in conn:
                raw_headers = [h for h in raw_headers if not h.lower().startswith(b"connection:")]
                conn = ""
            w = self.wfile
            w.write(status_line + b"".join(raw_headers) + b"\r\n")
            if framing == "chunked":
                copy_chunked(urfile, w.write)
            elif framing == "length":
                n = content_length(fields)
                while n > 0:
                    b = urfile.read(min(n, COPY_CHUNK))
                    if not b:
                        raise ConnectionError("upstream closed in the middle of a body")
                    w.write(b)
                    n -= len(b)
            elif framing == "close":
                while True:
                    b = urfile.read1(COPY_CHUNK)
                    if not b:
                        break
                    w.write(b)
            w.flush()
        return not (req.close or "close" in conn or framing == "close")

    def control(self, req):
        state = self.server.state
        name = req.path[len(CONTROL_PREFIX):]
        code, out = 200, None
        if name == "config" and req.method == "GET":
            out = state.settings.as_json()
        elif name == "config" and req.method == "POST":
            try:
                d = json.loads(req.body.decode("utf-8") or "{}")
                if not isinstance(d, dict):
                    raise ValueError("config must be a JSON object")
                s = Settings(d)
            except ValueError as e:
                code, out = 400, {"error": str(e)}
            else:
                state.configure(s)
                out = s.as_json()
        elif name == "stats" and req.method == "GET":
            with state.lock:
                out = json.loads(json.dumps(state.stats))
        elif name == "reset" and req.method == "POST":
            with state.lock:
                state.stats = state._zero()
            out = {"status": "ok"}
        else:
            code, out = 404, {"error": "unknown control request %s %s" % (req.method, req.path)}
        self.send_simple(code, "application/json", (json.dumps(out) + "\n").encode(), close=req.close)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128


def host_port(s, what):
    host, sep, port = s.rpartition(":")
    if not sep or not port.isdigit():
        raise SystemExit("faultproxy: %s must be HOST:PORT, got %r" % (what, s))
    if not is_loopback(host):
        raise SystemExit("faultproxy: %s must be a loopback address, got %r" % (what, host))
    return host, int(port)


def main():
    p = argparse.ArgumentParser(description="Fault-injecting HTTP/1.1 proxy for AWS API tests.")
    p.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT to listen on (port 0: any free port)")
    p.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of the server to forward to")
    p.add_argument("--port-file", help="write the listening port here once listening")
    p.add_argument("--log", help="append one JSON line per request here")
    p.add_argument("--seed", type=int, help="seed of the fault draws (reproducible)")
    p.add_argument("--fault", default="none", help="none|throttle|500|503|drop|lost[:SECONDS]|error:CODE[:STATUS]|answer:STATUS|garbage:KIND")
    p.add_argument("--rate", type=float, default=1.0, help="fraction 0..1 of matching requests that fail")
    p.add_argument("--match", help="regex on the operation: only matching requests can fail")
    p.add_argument("--service", help="regex on the signing service: only matching requests can fail")
    p.add_argument("--limit", type=int, help="inject at most this many faults, then forward")
    p.add_argument("--keep-alive", action="store_true",
                   help="drop Connection: close from forwarded responses of known length")
    p.add_argument("--imds", metavar="FILE", help="answer instance metadata requests from this JSON file")
    p.add_argument("--upstream-timeout", type=float, default=60.0, help="seconds (default 60)")
    a = p.parse_args()

    u = urlsplit(a.upstream)
    if u.scheme != "http" or not u.hostname or not u.port:
        raise SystemExit("faultproxy: --upstream must be http://HOST:PORT, got %r" % a.upstream)
    if not is_loopback(u.hostname):
        raise SystemExit("faultproxy: --upstream must be a loopback address, got %r" % u.hostname)
    try:
        settings = Settings({"fault": a.fault, "rate": a.rate, "match": a.match, "service": a.service,
                             "limit": a.limit, "keep_alive": a.keep_alive, "seed": a.seed})
    except ValueError as e:
        raise SystemExit("faultproxy: " + str(e)) from None
    listen = host_port(a.listen, "--listen")

    server = Server(listen, Handler)
    server.state = State(settings, a.log)
    server.upstream = (u.hostname, u.port)
    server.upstream_timeout = a.upstream_timeout
    server.imds_file = a.imds
    server.imds_token = "plc-imds-" + uuid.uuid4().hex
    port = server.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    print("faultproxy: listening on %s:%d, upstream %s" % (listen[0], port, a.upstream), file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
