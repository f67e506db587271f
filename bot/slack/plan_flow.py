"""Plans in Slack: the card modal, drafted cards, the review list, status changes, exports,
coverage and App Home — over the same service functions the CLI uses."""

import io
import json
import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.charts import coverage_png
from bot.domain.labels import label
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, FindingLevel, PlanStatus
from bot.domain.rules import has_errors
from bot.errors import UserError
from bot.messages import describe
from bot.planning.draft import Brief
from bot.planning.filters import parse_filters
from bot.slack.conversation import SlackConversation
from bot.slack.i18n import text
from bot.slack.plan_blocks import (
    PAGE_SIZE,
    home_view,
    plan_detail,
    plans_list,
    saved_card,
)
from bot.slack.plan_form import (
    describe_problems,
    finding_errors,
    plan_form,
    plan_from_state,
    warnings_view,
)
from bot.storage.plan_log import PlanFilter

log = logging.getLogger(__name__)

ASK_MODAL, DRAFT_MODAL = "ask_modal", "draft_modal"


class SlackPlans:
    def __init__(self, conversation: SlackConversation):
        self.conversation = conversation
        self.service = conversation.service
        self.state = conversation.state

    # -- the card modal --

    def open_form(self, client: WebClient, trigger_id: str, plan: ContentPlan, lang: Lang, metadata: dict) -> None:
        client.views_open(trigger_id=trigger_id, view=plan_form(plan, lang, metadata))

    def base_plan(self, metadata: dict, lang: Lang) -> ContentPlan:
        """What the form edits: a kept card, the saved plan when editing, else a blank card."""
        if metadata.get("draft"):  # a drafted card, or an edit waiting behind the warnings view
            kept = self.drafted(int(metadata["draft"]))
            if kept is None:
                raise UserError("plan_not_found", plan_id="draft")
            return kept[0]
        if metadata.get("plan_id"):
            return self.service.get_plan(int(metadata["plan_id"]))
        return ContentPlan(lang=lang)

    def repick(self, client: WebClient, body: dict) -> None:
        """A stage select changed: pre-select its partner from the team's mapping, keep the rest."""
        view, action = body["view"], body["actions"][0]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang = Lang(metadata.get("lang", "en"))
        plan, _, raw = plan_from_state(view.get("state", {}), self._blank_like(metadata, lang))
        if plan is None:
            return
        picked = (action.get("selected_option") or {}).get("value")
        mapping = self.service.mapping
        if action["block_id"] == "funnel_stage" and picked:
            stage = mapping.awareness_for(plan.funnel_stage)
            plan = plan.model_copy(update={"stage": stage, "next_stage": stage.next or plan.next_stage})
        elif action["block_id"] == "stage" and picked:
            plan = plan.model_copy(update={"funnel_stage": mapping.funnel_for(plan.stage),
                                           "next_stage": plan.stage.next or plan.next_stage})
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=plan_form(plan, lang, metadata))

    def _blank_like(self, metadata: dict, lang: Lang) -> ContentPlan:
        plan = self.base_plan(metadata, lang)
        return plan.model_copy(update={"lang": lang})

    def _review(self, body: dict) -> tuple[dict, ContentPlan | None, list]:
        """The submitted card checked: (inline errors or {}, the card, its findings). No side effects."""
        view = body["view"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang = Lang(metadata.get("lang", "en"))
        try:
            base = self._blank_like(metadata, lang)
        except UserError as error:
            return {"content.title": describe(error, lang)}, None, []
        plan, problems, _ = plan_from_state(view.get("state", {}), base)
        if plan is None:
            return describe_problems(problems, lang), None, []
        findings = self.service.check(plan, lang)
        return finding_errors(findings) if has_errors(findings) else {}, plan, findings

    def submission_response(self, body: dict) -> dict:
        """What the modal shows on submit: inline errors, the warnings view, or nothing (save)."""
        errors, plan, findings = self._review(body)
        if errors:
            return {"response_action": "errors", "errors": errors}
        if _has_warnings(findings):
            metadata = json.loads(body["view"].get("private_metadata") or "{}")
            # The card waits in SQLite: private_metadata holds 3,000 characters, a card more.
            pending = self.state.keep_draft(body["user"]["id"], plan.model_dump(mode="json"), {})
            return {"response_action": "update",
                    "view": warnings_view(findings, plan.lang, metadata | {"draft": pending})}
        return {}

    def is_clean(self, body: dict) -> bool:
        """A submission that saves straight away: no errors and no warnings (tips are fine)."""
        errors, plan, findings = self._review(body)
        return not errors and plan is not None and not _has_warnings(findings)

    def plan_to_save(self, body: dict) -> tuple[ContentPlan, dict, Lang]:
        view = body["view"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang = Lang(metadata.get("lang", "en"))
        if view.get("callback_id") == "plan_confirm":
            return self.base_plan(metadata, lang), metadata, lang
        plan, _, _ = plan_from_state(view.get("state", {}), self._blank_like(metadata, lang))
        return plan, metadata, lang

    def save(self, client: WebClient, body: dict) -> None:
        user = body["user"]["id"]
        plan, metadata, lang = self.plan_to_save(body)
        try:
            saved = self.service.save_plan(plan, user, keep_as_draft=True)
        except UserError as error:
            self._tell(client, user, metadata.get("channel"), describe(error, lang))
            return
        self.confirm(client, saved, user, lang, metadata.get("channel"))
        self.publish_home(client, user)

    def go_back(self, client: WebClient, body: dict) -> None:
        view = body["view"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        lang = Lang(metadata.get("lang", "en"))
        plan = self.base_plan(metadata, lang)
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=plan_form(plan, lang, metadata))

    def confirm(self, client: WebClient, plan: ContentPlan, user: str, lang: Lang, channel: str | None) -> None:
        """The saved card, posted where the work started (or to the user), threaded thereafter."""
        known = self.state.plan_message(plan.id)
        blocks = saved_card(plan, user, lang)
        fallback = plan.content.title or f"#{plan.id}"
        if known:
            client.chat_postMessage(channel=known[0], thread_ts=known[1], text=fallback, blocks=blocks)
            return
        for target in [channel, user]:
            if not target:
                continue
            try:
                posted = client.chat_postMessage(channel=target, text=fallback, blocks=blocks)
            except SlackApiError as error:
                log.info("could not post the confirmation in a channel: %s", error.response.get("error"))
                continue
            self.state.remember_plan_message(plan.id, posted["channel"], posted["ts"])
            return

    def _tell(self, client: WebClient, user: str, channel: str | None, message: str) -> None:
        try:
            if channel:
                client.chat_postEphemeral(channel=channel, user=user, text=message)
                return
        except SlackApiError:
            pass
        client.chat_postMessage(channel=user, text=message)

    # -- drafts --

    def drafted(self, draft_id: int) -> tuple[ContentPlan, Brief] | None:
        kept = self.state.draft(draft_id)
        if kept is None:
            return None
        return ContentPlan.model_validate(kept[0]), Brief.model_validate(kept[1])

    # -- review --

    def list_plans(self, respond, user: str, filters: str, offset: int, lang: Lang, replace: bool) -> None:
        try:
            where = parse_filters(filters, me=user)
        except UserError as error:
            respond(response_type="ephemeral", replace_original=False, text=describe(error, lang))
            return
        plans = self.service.list_plans(where, PAGE_SIZE, offset)
        total = self.service.count_plans(where)
        respond(response_type="ephemeral", replace_original=replace, text=text("plans_heading", lang, count=total,
                first=offset + 1, last=offset + len(plans)), blocks=plans_list(plans, total, offset, filters, lang))

    def show(self, respond, plan_id: int, lang: Lang) -> None:
        plan = self.service.get_plan(plan_id)
        respond(response_type="ephemeral", replace_original=False, text=plan.content.title or f"#{plan_id}",
                blocks=plan_detail(plan, self.service.plan_history(plan_id), lang))

    def set_status(self, client: WebClient, respond, user: str, plan_id: int, status: PlanStatus,
                   lang: Lang) -> None:
        plan = self.service.set_plan_status(plan_id, status, user)
        respond(response_type="ephemeral", replace_original=False,
                text=text("status_changed", lang, id=plan_id, status=label(plan.status, lang)))
        if known := self.state.plan_message(plan_id):
            client.chat_postMessage(channel=known[0], thread_ts=known[1], text=text(
                "status_note", lang, who=f"<@{user}>", id=plan_id, status=label(plan.status, lang)))
        self.publish_home(client, user)

    # -- files --

    def export(self, client: WebClient, respond, user: str, channel: str, filters: str, lang: Lang) -> None:
        where = parse_filters(filters, me=user)
        buffer = io.StringIO()
        count = self.service.export_plans_csv(where, buffer)
        self._upload(client, respond, channel, lang, content=buffer.getvalue().encode("utf-8-sig"),
                     filename="content-plans.csv", title="content-plans.csv",
                     comment=text("exported", lang, count=count))

    def coverage(self, client: WebClient, respond, channel: str, lang: Lang) -> None:
        report = self.service.coverage()
        gaps = "\n".join(f"• {label(g.stage, lang)} × {label(g.channel, lang)}" for g in report.gaps[:25])
        self._upload(client, respond, channel, lang, content=coverage_png(report), filename="coverage.png",
                     title="5A × channel coverage", comment=f"{text('coverage_comment', lang)}\n{gaps}")

    def _upload(self, client, respond, channel, lang, *, content, filename, title, comment) -> None:
        try:
            client.files_upload_v2(channel=channel, content=content, filename=filename, title=title,
                                   initial_comment=comment[:3000])
        except SlackApiError as error:
            respond(response_type="ephemeral", text=text("upload_failed", lang,
                                                         error=error.response.get("error", "error")))

    # -- App Home --

    def publish_home(self, client: WebClient, user: str) -> None:
        lang = self.conversation.user_language(user, client) or Lang.EN
        mine = self.service.list_plans(PlanFilter(author=user), limit=5)
        review = self.service.list_plans(PlanFilter(status=PlanStatus.IN_REVIEW), limit=5)
        client.views_publish(user_id=user, view=home_view(mine, review, self.service.coverage(), lang))

    def open_text_modal(self, client: WebClient, trigger_id: str, kind: str, lang: Lang) -> None:
        title, field = ("ask_modal_title", "ask_modal_label") if kind == ASK_MODAL else \
            ("draft_modal_title", "draft_modal_label")
        view = View(type="modal", callback_id=kind, title=text(title, lang)[:24], submit=text("send", lang),
                    close=text("form_cancel", lang), private_metadata=json.dumps({"lang": lang.value}),
                    blocks=[InputBlock(block_id="text", label=text(field, lang)[:2000],
                                       element=PlainTextInputElement(action_id="value", multiline=True,
                                                                     max_length=500))])
        client.views_open(trigger_id=trigger_id, view=view.to_dict())


def _has_warnings(findings: list) -> bool:
    return any(finding.level is FindingLevel.WARNING for finding in findings)
