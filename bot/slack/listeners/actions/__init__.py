"""Button presses and select changes: under answers, on drafted and saved cards, in the review
list, in the card modal and on App Home."""

import re

from slack_bolt import App

from bot.slack.blocks import (
    ANSWER_AT_STAGE,
    DRAFT_FROM_ANSWER,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    MORE_FROM_ANSWER,
    SETUP_FROM_ANSWER,
)
from bot.slack.face import SlackFace
from bot.slack.listeners import lazily
from bot.slack.listeners.actions import (
    answer_buttons,
    card_form,
    drafted_cards,
    home_buttons,
    plan_buttons,
)
from bot.slack.plan_blocks import (
    ADD_RESULTS,
    ANOTHER_IDEA,
    EDIT_DRAFT,
    EDIT_PLAN,
    HOME_ASK,
    HOME_DRAFT,
    OPEN_PLAN,
    OPEN_PLAN_MODAL,
    OPEN_TEACH,
    OPEN_TEAM_SETUP,
    PAGE,
    SAVE_DRAFT,
    SET_STATUS,
)
from bot.slack.plan_form import GO_BACK, PICK_FUNNEL, PICK_STAGE


def register(app: App, planbot: SlackFace) -> None:
    handlers = {
        FEEDBACK_UP: answer_buttons.on_helpful,
        FEEDBACK_DOWN: answer_buttons.on_not_helpful,
        DRAFT_FROM_ANSWER: answer_buttons.on_draft_from_answer,
        MORE_FROM_ANSWER: answer_buttons.on_more,
        # One action id per offered stage (a message's action ids are unique).
        re.compile(rf"^{ANSWER_AT_STAGE}_\d$"): answer_buttons.on_answer_at_stage,
        SAVE_DRAFT: drafted_cards.on_save,
        EDIT_DRAFT: drafted_cards.on_edit,
        ANOTHER_IDEA: drafted_cards.on_another_idea,
        EDIT_PLAN: plan_buttons.on_edit,
        OPEN_PLAN: plan_buttons.on_open,
        SET_STATUS: plan_buttons.on_set_status,
        ADD_RESULTS: plan_buttons.on_add_results,
        PAGE: plan_buttons.on_page,
        PICK_FUNNEL: card_form.on_pick_stage,
        PICK_STAGE: card_form.on_pick_stage,
        GO_BACK: card_form.on_go_back,
        OPEN_PLAN_MODAL: home_buttons.on_new_plan,
        HOME_ASK: home_buttons.on_ask,
        HOME_DRAFT: home_buttons.on_draft,
        OPEN_TEAM_SETUP: home_buttons.on_team_setup,
        SETUP_FROM_ANSWER: home_buttons.on_team_setup,
        OPEN_TEACH: home_buttons.on_teach,
    }
    for action_id, handler in handlers.items():
        lazily(app.action(action_id), handler, planbot)
