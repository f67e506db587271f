"""What changed between two versions of a card, as the history records it."""

from typing import Any

from bot.domain.plan import ContentPlan

# Fields the log maintains itself; a difference in them is not an edit worth recording.
BOOKKEEPING_FIELDS = {"id", "created_at", "updated_at", "version"}


def flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """A card's dict form with dotted keys: {"content.format.duration_seconds": 75, …}."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{dotted field: [old, new]} for every field that differs, from two flattened JSON dumps."""
    return {
        field: [old[field], new[field]]
        for field in new
        if field not in BOOKKEEPING_FIELDS and old[field] != new[field]
    }


def diff(before: ContentPlan, after: ContentPlan) -> dict[str, list[Any]]:
    return changes_between(flatten(before.model_dump(mode="json")), flatten(after.model_dump(mode="json")))


BLANK_CARD = flatten(ContentPlan().model_dump(mode="json"))
