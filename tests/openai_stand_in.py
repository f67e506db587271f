"""A local HTTP server that speaks the OpenAI chat-completions protocol, for the real
langchain-openai client to talk to on loopback. It records every request."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_ENTRY_ID = re.compile(r'"id": "([a-z0-9-]+)"')


class OpenAIStandIn:
    def __init__(self):
        self.requests: list[dict] = []
        # While set, a streamed answer stops after its first piece (a provider that hangs).
        self.hanging = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.requests.append(body)
                if body.get("stream"):
                    self._stream(stand_in.reply_text(body))
                else:
                    self._json(stand_in.completion(body))

            def _json(self, data):
                raw = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, text):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                pieces = [text[i:i + 12] for i in range(0, len(text), 12)]
                for number, piece in enumerate(pieces + [None]):
                    if number == 1:
                        while stand_in.hanging.is_set():
                            time.sleep(0.05)
                    delta = {"content": piece} if piece is not None else {}
                    chunk = {"id": "c1", "object": "chat.completion.chunk", "created": int(time.time()),
                             "model": "gpt-4o-mini", "choices": [{"index": 0, "delta": delta,
                             "finish_reason": None if piece is not None else "stop"}]}
                    self._chunk(f"data: {json.dumps(chunk)}\n\n")
                self._chunk("data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")

            def _chunk(self, text):
                data = text.encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def reply_text(body: dict) -> str:
        """An answer citing the first entry it was given (as a grounded model would)."""
        last = body["messages"][-1]["content"]
        ids = _ENTRY_ID.findall(last)
        return f"The knowledge base covers this [{ids[0]}]." if ids else "OK"

    def completion(self, body: dict) -> dict:
        response_format = body.get("response_format") or {}
        if response_format.get("type") == "json_schema" or body.get("tools"):
            content = self.card(body)
        else:
            content = self.reply_text(body)
        message = {"role": "assistant", "content": content}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message = {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": name, "arguments": content}}]}
        return {"id": "cmpl-1", "object": "chat.completion", "created": int(time.time()), "model": "gpt-4o-mini",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 321, "completion_tokens": 45, "total_tokens": 366}}

    @staticmethod
    def card(body: dict) -> str:
        """The rule-based baseline the prompt carries, with a livelier title."""
        text = "\n".join(m["content"] for m in body["messages"] if isinstance(m.get("content"), str))
        baseline = json.loads(text.split("passes every check (data, JSON):", 1)[1].strip())
        baseline["content"]["title"] = "★ " + baseline["content"]["title"]
        return json.dumps(baseline, ensure_ascii=False)
