"""Bolt listeners, one module per kind; each exposes register(app, conversation).

Every listener is split Bolt's lazy way: an acknowledgement that runs at once, before the HTTP
response, and the work, which runs after it on Bolt's thread pool. So Slack hears back within
milliseconds however long an answer takes.
"""

from slack_bolt import Ack


def ack_at_once(ack: Ack) -> None:
    ack()
