"""No edit is lost: concurrent edits of different fields all land, a stale edit is refused, and
only the card's own fields can be edited."""

import json
import os
import subprocess
import sys

import pytest
from conftest import data_dir_sharing_knowledge, sharing_knowledge

from bot.config import Settings
from bot.errors import UserError
from bot.models import Brief

EDITS = {
    "content.title": '"Pricing clinic"', "segment": '"plant managers"', "understanding": '"it pays back"',
    "feeling": '"from doubtful to sure"', "campaign": '"Q3"', "content.description": '"A live clinic"',
    "content.format.duration_seconds": "80", "tags": '["pricing"]',
}


@pytest.fixture
def plans_service(service, tmp_path):
    data = data_dir_sharing_knowledge(service, tmp_path)
    return sharing_knowledge(service, Settings(data_dir=data))


def test_eight_processes_editing_eight_fields_of_one_plan_at_once_all_land(plans_service):
    plan = plans_service.save_plan(plans_service.draft(Brief(stage="aware", channel="short_video")), "ann",
                                   keep_as_draft=True)
    env = os.environ | {"PLANBOT_DATA_DIR": str(plans_service.settings.data_dir), "PLANBOT_USER": "bo"}
    editors = [subprocess.Popen([sys.executable, "-m", "bot", "plans", "edit", str(plan.id), f"{field}={value}"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for field, value in EDITS.items()]
    for editor in editors:
        assert editor.wait(180) == 0, editor.stderr.read()
    edited = plans_service.get_plan(plan.id).model_dump(mode="json")
    for field, value in EDITS.items():
        stored = edited
        for part in field.split("."):
            stored = stored[part]
        assert stored == json.loads(value), field
    assert edited["version"] == plan.version + len(EDITS)
    assert len(plans_service.plan_history(plan.id)) == 1 + len(EDITS)


def test_an_edit_that_started_from_an_older_version_is_refused_and_writes_nothing(plans_service):
    plan = plans_service.save_plan(plans_service.draft(Brief(stage="ask", channel="webinar")), "ann")
    plans_service.edit_plan(plan.id, {"content.title": "Bo's title"}, "bo")
    stale = plan.model_copy(update={"content": plan.content.model_copy(update={"title": "Ann's title"})})
    with pytest.raises(UserError) as refused:
        plans_service.save_plan(stale, "ann")
    assert refused.value.code == "stale_plan" and refused.value.params["who"] == "bo"
    assert plans_service.get_plan(plan.id).content.title == "Bo's title"


@pytest.mark.parametrize("field, code", [("id", "not_editable"), ("author", "not_editable"),
                                          ("status", "not_editable"), ("version", "not_editable"),
                                          ("titel", "unknown_field"), ("content.titel", "unknown_field")])
def test_only_the_cards_own_fields_can_be_edited(plans_service, field, code):
    plan = plans_service.save_plan(plans_service.draft(Brief(stage="ask", channel="webinar")), "ann")
    with pytest.raises(UserError) as refused:
        plans_service.edit_plan(plan.id, {field: 2}, "bo")
    assert refused.value.code == code and refused.value.params["field"] == field
    assert plans_service.get_plan(plan.id) == plan
