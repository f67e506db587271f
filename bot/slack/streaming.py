"""An answer that appears as the model writes it: one threaded message, updated as text arrives
(at most once a second, to stay inside Slack's rate limits), finished with the full blocks.

The finished version is the last: once it is posted, a model still streaming (one given up
past its deadline, say) can no longer touch the message.
"""

import threading
import time

from slack_sdk import WebClient

from bot.slack.mrkdwn import SECTION_LIMIT, to_mrkdwn

UPDATE_EVERY_SECONDS = 1.0


class StreamClosed(RuntimeError):
    """The message has its final version; the text that streamed in is not shown."""


class ThreadStream:
    def __init__(self, client: WebClient, channel: str, thread_ts: str):
        self.client, self.channel, self.thread_ts = client, channel, thread_ts
        self.ts: str | None = None
        self._last_update = 0.0
        self._finished = False
        # Held across each Web API call, so that an update in flight ends before the final one.
        self._lock = threading.Lock()

    def on_text(self, text: str) -> None:
        with self._lock:
            if self._finished:
                raise StreamClosed("the answer was already posted")
            now = time.monotonic()
            shown = to_mrkdwn(text)[:SECTION_LIMIT] or "…"
            if self.ts is None:
                self.ts = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts,
                                                       text=shown)["ts"]
                self._last_update = now
            elif now - self._last_update >= UPDATE_EVERY_SECONDS:
                self.client.chat_update(channel=self.channel, ts=self.ts, text=shown)
                self._last_update = now

    def post(self, **message) -> None:
        """The finished answer: replaces the streamed message, or is posted if nothing streamed."""
        with self._lock:
            self._finished = True
            if self.ts is None:
                self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, **message)
            else:
                self.client.chat_update(channel=self.channel, ts=self.ts, **message)
