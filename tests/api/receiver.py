"""A real HTTP server on loopback that receives webhooks, verifies their Standard Webhooks
signature with the receiver's copy of the secret, and records what came."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class WebhookReceiver:
    def __init__(self):
        self.secrets: list[str] = []
        self.received: list[dict] = []  # verified deliveries: headers + parsed body
        self.rejected: list[str] = []
        self.status = 204  # what to answer
        self.hang = 0.0  # seconds to wait before answering (a slow receiver)
        self.started = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.started.set()
                if receiver.hang:
                    time.sleep(receiver.hang)
                headers = {key.lower(): value for key, value in self.headers.items()}
                payload = receiver.verify(body, headers)
                if payload is not None:
                    receiver.received.append(
                        {"headers": headers, "body": payload, "path": self.path}
                    )
                self.send_response(receiver.status if payload is not None else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def verify(self, body: bytes, headers: dict) -> dict | None:
        for secret in self.secrets:
            try:
                return Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
        self.rejected.append(body.decode(errors="replace"))
        return None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def types(self) -> list[str]:
        return [item["body"]["type"] for item in self.received]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return self.received
            time.sleep(0.05)
        raise AssertionError(
            f"expected {count} webhooks, got {len(self.received)}: "
            + json.dumps([r["body"] for r in self.received])
        )

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
