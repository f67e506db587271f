"""A local HTTP server standing in for the Slack Web API (and response_url), and requests signed
exactly as Slack signs them."""

import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T111"
SIGNING_SECRET = "test-signing-secret"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A planbot process killed mid-call (the fault tests do that) is not the stand-in's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class Call:
    method: str
    body: dict
    headers: dict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic, compare=False)  # arrival (time.monotonic), for benchmarks


class SlackApiStandIn:
    """Records every call; answers like Slack for the methods planbot uses."""

    def __init__(self):
        self.calls: list[Call] = []
        self.locales: dict[str, str] = {}
        self.workspace_admins: set[str] = set()   # users.info says is_admin for these
        self.private_channels: set[str] = set()   # conversations.info says is_private for these
        self.socket_url = ""
        self.auth_error = ""  # set to make auth.test refuse the token, e.g. "invalid_auth"
        self._rate_limited: dict[str, int] = {}
        self._held: dict[str, threading.Event] = {}
        self.uploads: dict[str, bytes] = {}
        # Installing through OAuth: the code Slack gives an installer of each workspace, and then
        # each workspace's bot token (auth.test answers for the token it is called with).
        self.install_codes: dict[str, str] = {}
        self.workspace_tokens: dict[str, str] = {}
        self._lock = threading.Condition()
        self._ts = 1000
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                path = self.path.split("?")[0]
                if path.startswith("/upload/"):
                    stand_in.uploads[path.removeprefix("/upload/")] = data
                    stand_in._record(Call("upload" + path, {"bytes": len(data)}, dict(self.headers)))
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                    return
                raw = data.decode("utf-8")
                content_type = self.headers.get("Content-Type", "")
                if "json" in content_type:
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                    for key in ("blocks", "view", "prompts", "files"):
                        if isinstance(body.get(key), str):
                            body[key] = json.loads(body[key])
                method = path.removeprefix("/api/") if path.startswith("/api/") else "response_url" + path
                stand_in._record(Call(method, body, dict(self.headers)))
                held = stand_in._held.get(method)
                if held is not None:
                    held.wait(60)
                retry_after = stand_in._rate_limited.pop(method, None)
                if retry_after is not None:
                    data = json.dumps({"ok": False, "error": "ratelimited"}).encode()
                    self.send_response(429)
                    self.send_header("Retry-After", str(retry_after))
                else:
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    data = json.dumps(stand_in._reply(method, body, token)).encode()
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/{name}"

    def close(self, test_name: str = "") -> None:
        self.server.shutdown()
        self.server.server_close()
        if record_to := os.environ.get("PLANBOT_RECORD_SLACK_CALLS"):
            # For comparing what planbot posts before and after a refactor (see tests/README).
            with open(record_to, "a", encoding="utf-8") as out:
                for call in self.calls:
                    out.write(json.dumps({"test": test_name, "method": call.method, "body": call.body},
                                         ensure_ascii=False, sort_keys=True) + "\n")

    def _next_ts(self) -> str:
        with self._lock:
            self._ts += 1
            return f"1700000000.{self._ts:06d}"

    def _reply(self, method: str, body: dict, token: str = "") -> dict:
        if self.workspace_tokens and method != "oauth.v2.access" and not method.startswith("response_url") \
                and token not in self.workspace_tokens:
            return {"ok": False, "error": "invalid_auth"}  # installed through OAuth: only its tokens work
        if method == "auth.test" and self.auth_error:
            return {"ok": False, "error": self.auth_error}
        if method == "auth.test":
            team = self.workspace_tokens.get(token, TEAM)
            return {"ok": True, "user_id": BOT_USER, "bot_id": BOT_ID, "team_id": team, "user": "planbot",
                    "team": f"Team {team}", "url": f"https://{team.lower()}.slack.com/"}
        if method == "oauth.v2.access":
            return self._installed(body)
        if method == "users.info":
            user = body.get("user")
            return {"ok": True, "user": {"id": user, "locale": self.locales.get(user, "en-US"),
                                         "is_admin": user in self.workspace_admins}}
        if method == "conversations.info":
            channel = body.get("channel")
            return {"ok": True, "channel": {"id": channel, "is_private": channel in self.private_channels}}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            return {"ok": True, "channel": body.get("channel"), "ts": self._next_ts(), "message": body}
        if method == "files.getUploadURLExternal":
            file_id = f"F{self._next_ts().replace('.', '')[-8:]}"
            return {"ok": True, "file_id": file_id, "upload_url": self.url.replace("/api/", f"/upload/{file_id}")}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in body.get("files", [])]}
        if method in ("views.open", "views.update", "views.publish"):
            view = body.get("view") or {}
            return {"ok": True, "view": view | {"id": "V123", "hash": "h1", "state": {"values": {}}}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        return {"ok": True}

    def installable(self, team: str) -> str:
        """A code that installs planbot into ``team`` (what Slack appends to the redirect URL)."""
        code = f"code-{team}-{uuid.uuid4().hex[:6]}"
        self.install_codes[code] = team
        return code

    def _installed(self, body: dict) -> dict:
        team = self.install_codes.pop(body.get("code", ""), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team}-{uuid.uuid4().hex[:8]}"
        self.workspace_tokens[token] = team
        return {"ok": True, "app_id": "A111", "authed_user": {"id": "UINSTALLER"}, "scope": "commands,chat:write",
                "token_type": "bot", "access_token": token, "bot_user_id": BOT_USER,
                "team": {"id": team, "name": f"Team {team}"}, "enterprise": None, "is_enterprise_install": False}

    def hold(self, method: str) -> threading.Event:
        """Calls to ``method`` are recorded, then answered only once the returned event is set
        (a Slack that is slow, to catch planbot in the middle of its work)."""
        self._held[method] = threading.Event()
        return self._held[method]

    def release(self, method: str) -> None:
        self._held.pop(method).set()

    def rate_limit_next(self, method: str, retry_after: int = 1) -> None:
        """The next call to ``method`` gets HTTP 429 with Retry-After, as Slack's rate limiter sends."""
        self._rate_limited[method] = retry_after

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20) -> list[Call]:
        """The first ``count`` calls to ``method``, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [call for call in self.calls if call.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} call(s) to {method}; got {[c.method for c in self.calls]}")
                self._lock.wait(remaining)

    def settle(self, quiet: float = 1.0, timeout: float = 20) -> None:
        """Wait until no call has arrived for ``quiet`` seconds (to assert that nothing else comes)."""
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            with self._lock:
                current = len(self.calls)
            if current == seen:
                return
            seen = current
            time.sleep(quiet)


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def post(url: str, body: str, content_type: str, headers: dict | None = None, signed: bool = True,
         timestamp: int | None = None, secret: str = SIGNING_SECRET) -> tuple[int, str]:
    all_headers = {"Content-Type": content_type} | (sign(body, timestamp, secret) if signed else {}) | (headers or {})
    request = urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def event_body(event: dict, event_id: str | None = None, team: str = TEAM) -> dict:
    return {
        "token": "verification-token", "team_id": team, "api_app_id": "A111", "type": "event_callback",
        "event": event, "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": BOT_USER, "is_bot": True}],
    }


def command_form(text: str, response_url: str, user: str = "U123", channel: str = "C111", team: str = TEAM) -> str:
    return urllib.parse.urlencode({
        "token": "verification-token", "team_id": team, "team_domain": "team", "channel_id": channel,
        "channel_name": "general", "user_id": user, "user_name": "ann", "command": "/content", "text": text,
        "api_app_id": "A111", "response_url": response_url, "trigger_id": f"{uuid.uuid4().int % 10**9}.1.x",
    })


def interactive_form(payload: dict) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})
