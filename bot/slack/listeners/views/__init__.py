"""Modal submissions: the card modal (and its "save anyway" view), the ask / draft modals, the
team modals (profile, teaching), and a plan's results."""

from slack_bolt import App

from bot.slack.face import SlackFace
from bot.slack.listeners import bind, lazily
from bot.slack.listeners.views import card_modal, results_modal, team_modals, text_modals
from bot.slack.modal import ASK_MODAL, DRAFT_MODAL
from bot.slack.plan_form import PLAN_CONFIRM, PLAN_FORM
from bot.slack.results_form import RESULTS_FORM
from bot.slack.team_form import TEAM_SETUP, TEAM_TEACH


def register(app: App, planbot: SlackFace) -> None:
    app.view(PLAN_FORM)(ack=bind(card_modal.check_on_submit, planbot, after_ack=False),
                        lazy=[bind(card_modal.save_checked, planbot)])
    lazily(app.view(PLAN_CONFIRM), card_modal.save_confirmed, planbot)
    lazily(app.view(ASK_MODAL), text_modals.on_submit, planbot)
    lazily(app.view(DRAFT_MODAL), text_modals.on_submit, planbot)
    app.view(TEAM_SETUP)(ack=bind(team_modals.save_profile, planbot, after_ack=False),
                         lazy=[bind(team_modals.confirm, planbot)])
    app.view(TEAM_TEACH)(ack=bind(team_modals.save_teaching, planbot, after_ack=False),
                         lazy=[bind(team_modals.confirm, planbot)])
    app.view(RESULTS_FORM)(ack=bind(results_modal.record, planbot, after_ack=False),
                           lazy=[bind(results_modal.confirm, planbot)])
