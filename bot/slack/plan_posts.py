"""Plans posted to Slack: the saved-card confirmation (threaded thereafter), the review list, one
plan with its history, status changes, files (CSV, the coverage PNG) and App Home."""

import io
import logging
import re
from datetime import date, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import describe_error, label, t
from bot.models import Actor, ContentPlan, Lang, PlanQuery, PlanStatus
from bot.slack.face import SlackFace
from bot.slack.plan_blocks import (
    PAGE_SIZE,
    gap_lines,
    home_view,
    open_again,
    plan_detail,
    plans_list,
    saved_card,
)
from bot.slack.safe import error_text, escape, mentioned_user, person

log = logging.getLogger(__name__)


def save_and_confirm(planbot: SlackFace, client: WebClient, plan: ContentPlan, actor: Actor, lang: Lang,
                     channel: str | None) -> None:
    """Save a card (kept as a draft if it has errors) and confirm it; a refusal is told to the user."""
    user = actor.user
    try:
        saved = planbot.service.save_plan(plan, user, keep_as_draft=True, actor=actor)
    except UserError as error:
        if error.code == "stale_plan":
            message = t("error.stale_plan", lang, plan_id=error.params["plan_id"], who=person(error.params["who"]))
            tell(client, user, channel, message, blocks=open_again(error.params["plan_id"], message, lang))
        else:
            tell(client, user, channel, error_text(error, lang))
        return
    confirm(planbot, client, saved, user, lang, channel)
    publish_home(planbot, client, user, actor.workspace)


def confirm(planbot: SlackFace, client: WebClient, plan: ContentPlan, user: str, lang: Lang,
            channel: str | None) -> None:
    """The saved card, posted where the work started (or to the user), threaded thereafter."""
    known = planbot.state.plan_message(plan.id)
    blocks = saved_card(plan, user, lang)
    fallback = escape(plan.content.title or f"#{plan.id}")
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
        planbot.state.remember_plan_message(plan.id, posted["channel"], posted["ts"])
        return


def tell(client: WebClient, user: str, channel: str | None, message: str, blocks: list[dict] | None = None) -> None:
    """A message only ``user`` sees: ephemeral where the work started, else a DM."""
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=message, blocks=blocks)
            return
    except SlackApiError:
        pass
    client.chat_postMessage(channel=user, text=message, blocks=blocks)


def list_plans(planbot: SlackFace, respond, actor: Actor, filters: str, offset: int, lang: Lang,
               replace: bool) -> None:
    """The plans this channel may see (its own and the user's), filtered, a page at a time."""
    try:
        query = planbot.service.parse_plan_query(filters, me=actor.user)
    except UserError as error:
        respond(response_type="ephemeral", replace_original=False, text=escape(describe_error(error, lang)))
        return
    plans = planbot.service.list_plans(query, PAGE_SIZE, offset, actor=actor)
    total = planbot.service.count_plans(query, actor=actor)
    respond(response_type="ephemeral", replace_original=replace, text=t("plans_heading", lang, count=total,
            first=offset + 1, last=offset + len(plans)), blocks=plans_list(plans, total, offset, filters, lang))


def show(planbot: SlackFace, respond, actor: Actor, plan_id: int, lang: Lang) -> None:
    plan = planbot.service.get_plan(plan_id, actor)
    respond(response_type="ephemeral", replace_original=False, text=escape(plan.content.title or f"#{plan_id}"),
            blocks=plan_detail(plan, planbot.service.plan_history(plan_id, actor), lang))


def set_status(planbot: SlackFace, client: WebClient, respond, actor: Actor, plan_id: int, status: PlanStatus,
               lang: Lang) -> None:
    user, workspace = actor.user, actor.workspace
    plan = planbot.service.set_plan_status(plan_id, status, user, actor=actor)
    respond(response_type="ephemeral", replace_original=False,
            text=t("status_changed", lang, id=plan_id, status=label(plan.status, lang)))
    if known := planbot.state.plan_message(plan_id):
        client.chat_postMessage(channel=known[0], thread_ts=known[1], text=t(
            "status_note", lang, who=person(user), id=plan_id, status=label(plan.status, lang)))
    publish_home(planbot, client, user, workspace)


_PLAN_NUMBER = re.compile(r"^#?(\d{1,12})$")


def plan_number(word: str) -> int | None:
    """The plan a word names: `12` or `#12`."""
    found = _PLAN_NUMBER.match(word.strip())
    return int(found[1]) if found else None


def hand_over(planbot: SlackFace, actor: Actor, words: str, lang: Lang) -> str:
    """`/content handover #12 @bo`: the plan is bo's from now on (its owner or an admin may)."""
    parts = words.split()
    number = _PLAN_NUMBER.match(parts[0]) if len(parts) == 2 else None
    owner = mentioned_user(parts[1]) if number else None
    if not owner:
        return t("handover_usage", lang)
    plan = planbot.service.hand_over_plan(int(number[1]), owner, actor.user, actor)
    return t("handed_over", lang, id=plan.id, owner=person(plan.owner))


def export(planbot: SlackFace, client: WebClient, respond, actor: Actor, filters: str, lang: Lang) -> None:
    """The plans this channel may see as a CSV file, uploaded to the channel."""
    query = planbot.service.parse_plan_query(filters, me=actor.user)
    buffer = io.StringIO()
    count = planbot.service.export_plans_csv(query, buffer, actor=actor)
    upload(client, respond, actor.channel, lang, content=buffer.getvalue().encode("utf-8-sig"),
            filename="content-plans.csv", title="content-plans.csv", comment=t("exported", lang, count=count))


def coverage(planbot: SlackFace, client: WebClient, respond, actor: Actor, lang: Lang) -> None:
    """The heatmap of the plans this channel may see, uploaded to it."""
    channel = actor.channel
    report = planbot.service.coverage(actor)
    gaps = "\n".join(gap_lines(report.gaps[:25], lang))
    upload(client, respond, channel, lang, content=planbot.service.coverage_png(report, lang), filename="coverage.png",
            title="5A × channel coverage", comment=f"{t('coverage_comment', lang)}\n{gaps}")


def upload(client: WebClient, respond, channel: str, lang: Lang, *, content: bytes, filename: str, title: str,
            comment: str) -> None:
    try:
        client.files_upload_v2(channel=channel, content=content, filename=filename, title=title,
                               initial_comment=comment[:3000])
    except SlackApiError as error:
        respond(response_type="ephemeral", text=t("upload_failed", lang,
                                                     error=error.response.get("error", "error")))


def publish_home(planbot: SlackFace, client: WebClient, user: str, workspace: str) -> None:
    lang = planbot.lang_of(user, client)
    service = planbot.service
    # App Home is nobody's channel: what it lists is the user's own.
    actor = service.actor(workspace, user)
    mine = service.list_plans(service.parse_plan_query("mine", me=user), limit=5, actor=actor)
    review = service.list_plans(service.parse_plan_query("status:in_review"), limit=5, actor=actor)
    team = service.team_profile(workspace).profile if workspace else None
    taught = len(service.team_teachings(workspace)) if workspace else 0
    today = date.today()
    upcoming = service.calendar(PlanQuery(due_from=today, due_to=today + timedelta(days=13)), actor=actor)[:5]
    client.views_publish(user_id=user, view=home_view(mine, review, service.coverage(actor), lang, team, taught,
                                                      upcoming, service.funnel(actor=actor).weakest()))
