"""An SMTP sink for tests/notify_delivery_test.sh, run by Debian's aiosmtpd:

    PYTHONPATH=tests /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Recorder OUT DELAY

Each message is appended to OUT as a JSON line (to, Message-ID, subject, body), flushed to disk
before the reply, and then, after DELAY seconds, accepted with 250: a client killed during the
delay has been received but never heard so. The address bounce@example.com is refused with 550.
"""
import asyncio
import email
import email.policy
import json
import os


class Recorder:
    def __init__(self, out, delay):
        self.out = out
        self.delay = delay

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 2:
            parser.error("smtp_sink.Recorder takes OUT and DELAY")
        return cls(args[0], float(args[1]))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == "bounce@example.com":
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {"to": envelope.rcpt_tos, "message_id": message["Message-ID"],
                  "subject": str(message["Subject"]), "body": message.get_content()}
        with open(self.out, "a") as out:
            out.write(json.dumps(record) + "\n")
            out.flush()
            os.fsync(out.fileno())
        await asyncio.sleep(self.delay)
        return "250 OK queued"
