"""Modal submissions: the card modal (and its "save anyway" view), and the ask / draft modals."""

from slack_bolt import App

from bot.slack.face import SlackFace
from bot.slack.listeners import bind, lazily
from bot.slack.listeners.views import card_modal, text_modals
from bot.slack.modal import ASK_MODAL, DRAFT_MODAL
from bot.slack.plan_form import PLAN_CONFIRM, PLAN_FORM


def register(app: App, planbot: SlackFace) -> None:
    app.view(PLAN_FORM)(ack=bind(card_modal.check_on_submit, planbot, after_ack=False),
                        lazy=[bind(card_modal.save_checked, planbot)])
    lazily(app.view(PLAN_CONFIRM), card_modal.save_confirmed, planbot)
    lazily(app.view(ASK_MODAL), text_modals.on_submit, planbot)
    lazily(app.view(DRAFT_MODAL), text_modals.on_submit, planbot)
