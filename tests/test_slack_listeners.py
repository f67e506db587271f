"""The pieces every Slack listener shares: binding handlers to the face, reading modal metadata."""

import inspect

import pytest

from bot.errors import UserError
from bot.slack.listeners import bind
from bot.slack.modal import ModalMetadata


def handler(body: dict, respond, planbot) -> str:
    if body.get("fail"):
        raise UserError("plan_not_found", plan_id=7)
    return f"{planbot}:{body['x']}"


def test_a_bound_handler_shows_bolt_only_the_arguments_it_injects():
    listener = bind(handler, planbot="face")
    assert list(inspect.signature(listener).parameters) == ["body", "respond"]
    assert inspect.getfullargspec(inspect.unwrap(listener)).args == ["body", "respond"]
    assert listener.__name__ == "handler"
    assert listener(body={"x": 1}, respond=None) == "face:1"


def test_a_user_error_needs_somewhere_to_be_told():
    # Without a response_url there is nobody to tell: the error goes on to Bolt's error handler.
    with pytest.raises(UserError):
        bind(handler, planbot="face")(body={"fail": True}, respond=None)


@pytest.mark.parametrize("raw", [None, "", "{", "[]", '{"lang": "fr"}', '{"draft": "x"}', "null"])
def test_modal_metadata_that_is_missing_or_malformed_reads_as_the_defaults(raw):
    metadata = ModalMetadata.of({"private_metadata": raw} if raw is not None else {})
    assert metadata == ModalMetadata()


def test_modal_metadata_round_trips_without_empty_fields():
    metadata = ModalMetadata(lang="zh-Hant", channel="C1", draft=3)
    assert metadata.as_dict() == {"lang": "zh-Hant", "channel": "C1", "draft": 3}
    assert ModalMetadata.of({"private_metadata": metadata.model_dump_json()}) == metadata
