"""The card modal's flow: opening it, pre-selecting a partner stage, checking a submission
(once, in the acknowledgement), and the card to save."""

import json

from pydantic import BaseModel
from slack_sdk import WebClient
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.errors import UserError
from bot.i18n import describe_error, t
from bot.models import ContentPlan, Finding, FindingLevel, Lang, has_errors
from bot.slack.face import SlackFace, workspace_of
from bot.slack.plan_form import (
    describe_problems,
    finding_errors,
    plan_form,
    plan_from_state,
    warnings_view,
)

ASK_MODAL, DRAFT_MODAL = "ask_modal", "draft_modal"


class ModalMetadata(BaseModel):
    """What rides along in a modal's private_metadata (at most 3,000 characters: ids, not cards)."""

    lang: Lang = Lang.EN
    channel: str | None = None   # where the work started, for the confirmation
    draft: int | None = None     # a kept card: a drafted one, or one waiting behind the warnings view
    plan_id: int | None = None   # the saved plan being edited…
    version: int | None = None   # …and the version it had when the form opened

    @classmethod
    def of(cls, view: dict) -> "ModalMetadata":
        try:
            return cls.model_validate_json(view.get("private_metadata") or "{}")
        except ValueError:
            return cls()

    def as_dict(self) -> dict:
        return self.model_dump(mode="json", exclude_none=True)


class Review(BaseModel):
    """A submitted card, checked: inline errors by block id, or the card and its findings."""

    errors: dict[str, str] = {}
    plan: ContentPlan | None = None
    findings: list[Finding] = []

    @property
    def has_warnings(self) -> bool:
        return any(finding.level is FindingLevel.WARNING for finding in self.findings)


def open_plan_form(client: WebClient, trigger_id: str, plan: ContentPlan, metadata: ModalMetadata) -> None:
    client.views_open(trigger_id=trigger_id, view=plan_form(plan, metadata.lang, metadata.as_dict()))


def plan_being_edited(planbot: SlackFace, metadata: ModalMetadata, workspace: str) -> ContentPlan:
    """What the form edits: a kept card, the saved plan when editing, else a blank card."""
    if metadata.draft:
        kept = planbot.kept_draft(metadata.draft, workspace)
        if kept is None:
            raise UserError("plan_not_found", plan_id="draft")
        plan = kept.plan
    elif metadata.plan_id:
        plan = planbot.service.get_plan(metadata.plan_id)
        if metadata.version is not None:
            # Saved as an edit of what the user saw: a change made since is not undone.
            plan = plan.model_copy(update={"version": metadata.version})
    else:
        plan = ContentPlan()
    return plan.model_copy(update={"lang": metadata.lang})


def repick(planbot: SlackFace, client: WebClient, body: dict) -> None:
    """A stage select changed: pre-select its partner from the team's mapping, keep the rest."""
    view, action = body["view"], body["actions"][0]
    metadata = ModalMetadata.of(view)
    plan, _, _ = plan_from_state(view.get("state", {}), plan_being_edited(planbot, metadata, workspace_of(body)))
    if plan is None or not (action.get("selected_option") or {}).get("value"):
        return
    changed = "funnel_stage" if action["block_id"] == "funnel_stage" else "stage"
    plan = planbot.service.with_partner_stage(plan, changed, workspace_of(body))
    client.views_update(view_id=view["id"], hash=view.get("hash"),
                        view=plan_form(plan, metadata.lang, metadata.as_dict()))


def review_submission(planbot: SlackFace, body: dict) -> Review:
    """The submitted card checked, with no side effects."""
    view = body["view"]
    metadata = ModalMetadata.of(view)
    try:
        base = plan_being_edited(planbot, metadata, workspace_of(body))
    except UserError as error:
        return Review(errors={"content.title": describe_error(error, metadata.lang)})
    plan, problems, _ = plan_from_state(view.get("state", {}), base)
    if plan is None:
        return Review(errors=describe_problems(problems, metadata.lang))
    findings = planbot.service.check(plan, workspace_of(body))
    errors = finding_errors(findings, metadata.lang) if has_errors(findings) else {}
    return Review(errors=errors, plan=plan, findings=findings)


def submission_response(planbot: SlackFace, body: dict, review: Review) -> dict:
    """What the modal shows on submit: inline errors, the warnings view, or nothing (it closes)."""
    if review.errors:
        return {"response_action": "errors", "errors": review.errors}
    if review.has_warnings:
        metadata = ModalMetadata.of(body["view"])
        plan = review.plan
        # The card waits in SQLite: private_metadata holds 3,000 characters, a card more.
        pending = planbot.state.keep_draft(body["user"]["id"], {"plan": plan.model_dump(mode="json"), "brief": {},
                                                                "workspace": workspace_of(body)})
        return {"response_action": "update",
                "view": warnings_view(review.findings, plan.lang, metadata.as_dict() | {"draft": pending})}
    return {}


def confirmed_plan(planbot: SlackFace, body: dict) -> ContentPlan:
    """The card waiting behind the warnings view, which the user chose to save anyway."""
    return plan_being_edited(planbot, ModalMetadata.of(body["view"]), workspace_of(body))


def go_back(planbot: SlackFace, client: WebClient, body: dict) -> None:
    view = body["view"]
    metadata = ModalMetadata.of(view)
    plan = plan_being_edited(planbot, metadata, workspace_of(body))
    client.views_update(view_id=view["id"], hash=view.get("hash"),
                        view=plan_form(plan, metadata.lang, metadata.as_dict()))


def open_text_modal(client: WebClient, trigger_id: str, kind: str, lang: Lang) -> None:
    """A one-field modal: a question to ask, or a brief to draft from."""
    title, field = ("ask_modal_title", "ask_modal_label") if kind == ASK_MODAL else \
        ("draft_modal_title", "draft_modal_label")
    view = View(type="modal", callback_id=kind, title=t(title, lang)[:24], submit=t("send", lang),
                close=t("form_cancel", lang), private_metadata=json.dumps({"lang": lang.value}),
                blocks=[InputBlock(block_id="text", label=t(field, lang)[:2000],
                                   element=PlainTextInputElement(action_id="value", multiline=True,
                                                                 max_length=500))])
    client.views_open(trigger_id=trigger_id, view=view.to_dict())
