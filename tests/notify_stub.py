"""A local stand-in for the GOV.UK Notify API, for tests/notify_delivery_test.sh.

    python3 tests/notify_stub.py PORT_FILE OUT DELAY SERVICE_ID SECRET SMS_TEMPLATE EMAIL_TEMPLATE \
        [CERT KEY]

Listens on a free loopback port (written to PORT_FILE), over TLS with the PEM certificate CERT and
its key KEY when they are given, as Notify is reached over TLS. Every request must carry a bearer JSON Web
Token signed HS256 with SECRET, iss = SERVICE_ID and iat within 30 seconds (403 otherwise), as
Notify checks. POST /v2/notifications/sms and /email must carry the JSON body Notify expects
(phone_number or email_address, the configured template_id, personalisation with a body, and a
reference); a bad body is answered 400, and so is the number 07700 900999. An accepted message is
appended to OUT as a JSON line, flushed to disk, and answered 201 after DELAY seconds (a client
killed during the delay has been taken but never heard so). GET /v2/notifications?reference=R
lists the messages taken under R, as Notify does.
"""
import base64
import hashlib
import hmac
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, out_file, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
service_id, secret, sms_template, email_template = sys.argv[4:8]
taken = []  # The accepted messages, in order.
lock = threading.Lock()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_error(header):
    if not header.startswith("Bearer "):
        return "no bearer token"
    parts = header[len("Bearer "):].split(".")
    if len(parts) != 3:
        return "not a JWT"
    signing_input = (parts[0] + "." + parts[1]).encode()
    expected = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, b64url_decode(parts[2])):
        return "bad signature"
    head, claims = json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))
    if head.get("alg") != "HS256" or head.get("typ") != "JWT":
        return "bad header"
    if claims.get("iss") != service_id:
        return "bad iss"
    if not isinstance(claims.get("iat"), int) or abs(claims["iat"] - time.time()) > 30:
        return "iat too far from now"
    return None


def body_error(kind, body):
    to_key, template = ("phone_number", sms_template) if kind == "sms" else ("email_address",
                                                                           email_template)
    if not isinstance(body.get(to_key), str) or not body[to_key]:
        return f"{to_key} is required"
    if body.get("template_id") != template:
        return "template_id is not the configured template"
    personalisation = body.get("personalisation")
    if not isinstance(personalisation, dict) or not personalisation.get("body"):
        return "personalisation.body is required"
    if kind == "email" and not personalisation.get("subject"):
        return "personalisation.subject is required"
    if not isinstance(body.get("reference"), str) or not body["reference"]:
        return "reference is required"
    if body.get(to_key) == "07700 900999":
        return "Not a UK mobile number"
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def refuse(self, status, error, message):
        self.answer(status, {"status_code": status,
                             "errors": [{"error": error, "message": message}]})

    def do_GET(self):
        problem = token_error(self.headers.get("Authorization", ""))
        if problem:
            return self.refuse(403, "AuthError", problem)
        url = urllib.parse.urlparse(self.path)
        if url.path != "/v2/notifications":
            return self.refuse(404, "NotFound", url.path)
        reference = urllib.parse.parse_qs(url.query).get("reference", [None])[0]
        with lock:
            found = [m for m in taken if m["reference"] == reference]
        self.answer(200, {"notifications": found, "links": {}})

    def do_POST(self):
        problem = token_error(self.headers.get("Authorization", ""))
        if problem:
            return self.refuse(403, "AuthError", problem)
        kind = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}.get(self.path)
        if kind is None:
            return self.refuse(404, "NotFound", self.path)
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        except ValueError:
            return self.refuse(400, "BadRequestError", "the body is not JSON")
        problem = body_error(kind, body)
        if problem:
            return self.refuse(400, "BadRequestError", problem)
        record = {"id": str(uuid.uuid4()), "reference": body["reference"], "type": kind,
                  "to": body.get("phone_number") or body.get("email_address"),
                  "body": body["personalisation"]["body"]}
        with lock:
            taken.append(record)
            with open(out_file, "a") as out:
                out.write(json.dumps(record) + "\n")
                out.flush()
                os.fsync(out.fileno())
        time.sleep(delay)
        self.answer(201, {"id": record["id"], "reference": record["reference"],
                          "content": {"body": record["body"]}})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 9:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(sys.argv[8], sys.argv[9])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
