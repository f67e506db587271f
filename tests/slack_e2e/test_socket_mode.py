"""Socket Mode against a local websocket server standing in for Slack's."""

import json
import queue
import threading

from websockets.sync.server import serve

from bot.slack.transports import socket_mode_handler
from slack_e2e.harness import event_body


class SocketStandIn:
    """Sends hello, then whatever envelopes the test queues; collects the app's acknowledgements."""

    def __init__(self):
        self.outgoing: queue.Queue = queue.Queue()
        self.acks: queue.Queue = queue.Queue()
        self.server = serve(self._session, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"

    def _session(self, websocket) -> None:
        websocket.send(json.dumps({"type": "hello", "num_connections": 1,
                                   "connection_info": {"app_id": "A111"}}))
        while True:
            try:
                envelope = self.outgoing.get(timeout=0.1)
                websocket.send(json.dumps(envelope))
            except queue.Empty:
                pass
            try:
                self.acks.put(json.loads(websocket.recv(timeout=0.1)))
            except TimeoutError:
                pass
            except Exception:
                return

    def close(self) -> None:
        self.server.shutdown()


def test_an_event_over_socket_mode_is_acknowledged_and_answered(bolt_app, slack_settings, slack_api):
    socket = SocketStandIn()
    slack_api.socket_url = socket.url
    handler = socket_mode_handler(bolt_app, slack_settings)
    handler.connect()
    try:
        event = {"type": "app_mention", "user": "U123", "text": "<@UBOT> 短视频多长合适？",
                 "ts": "1700000005.000005", "channel": "C111", "event_ts": "1700000005.000005"}
        socket.outgoing.put({"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False,
                             "retry_attempt": 0, "retry_reason": "", "payload": event_body(event)})
        ack = socket.acks.get(timeout=20)
        while ack.get("envelope_id") != "env-1":
            ack = socket.acks.get(timeout=20)
        answer = slack_api.wait_for("chat.postMessage")[0].body
        assert answer["thread_ts"] == "1700000005.000005" and "60" in answer["text"]
        opened = slack_api.calls_to("apps.connections.open")[0]
        assert opened.headers.get("Authorization") == "Bearer xapp-test-token"
    finally:
        handler.close()
        socket.close()
