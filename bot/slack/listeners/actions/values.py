"""Reading what a button carries: its JSON value, the user, the channel it was pressed in."""

import json


def button_value(body: dict) -> dict:
    """The pressed button's value as a dict ({} when it is missing or not JSON)."""
    try:
        value = json.loads(body["actions"][0].get("value") or "{}")
    except (KeyError, IndexError, TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def int_value(body: dict, key: str) -> int | None:
    try:
        return int(button_value(body)[key])
    except (KeyError, TypeError, ValueError):
        return None


def str_value(body: dict, key: str) -> str | None:
    value = button_value(body).get(key)
    return value if isinstance(value, str) else None


def origin_channel(body: dict) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
