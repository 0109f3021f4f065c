"""A scripted OpenAI-compatible chat-completions service on loopback (the one allowed fake: an external LLM).

``script(system, prompt) -> str`` decides the reply; it is streamed back as server-sent events, word by word.
Every request is recorded (headers and messages) so a test can check what was sent.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Script = Callable[[str, str], str]


@dataclass
class FakeLLM:
    base_url: str
    script: Script
    requests: list[dict[str, Any]] = field(default_factory=list)


def evidence_blocks(prompt: str) -> dict[int, str]:
    """The numbered evidence of a prompt: {n: 'label + passage'}."""
    parts = re.split(r"^\[(\d+)\] ", prompt, flags=re.M)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            messages = body.get("messages", [])
            system = next((m["content"] for m in messages if m["role"] == "system"), "")
            prompt = messages[-1]["content"] if messages else ""
            fake.requests.append({"headers": dict(self.headers), "body": body})
            reply = fake.script(system, prompt)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in re.findall(r"\S+\s*", reply):
                chunk = {
                    "id": "scripted",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": body.get("model", "scripted"),
                    "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}],
                }
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def scripted_llm(script: Script) -> Iterator[FakeLLM]:
    fake = FakeLLM("", script)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
