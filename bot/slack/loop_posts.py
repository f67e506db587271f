"""The loop in Slack: the publish calendar (and its .ics), results, the funnel (and its chart),
what to test next, the channel digest and the reminders. Everything said is built from what the
service returns; what people typed is escaped."""

import logging
from datetime import UTC, date, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock, SectionBlock
from slack_sdk.models.blocks.basic_components import MarkdownTextObject

from bot.i18n import label, t
from bot.i18n.loop import (
    calendar_lines,
    experiment_lines,
    funnel_lines,
    funnel_scope,
    percent,
    reminder_text,
    result_lines,
    schedule_text,
)
from bot.models import Actor, Digest, Lang, Reminder
from bot.slack.face import SlackFace
from bot.slack.plan_blocks import OPEN_PLAN, button, gap_lines
from bot.slack.plan_posts import upload
from bot.slack.results_form import results_form
from bot.slack.safe import escape, person

log = logging.getLogger(__name__)


def calendar(planbot: SlackFace, client: WebClient, respond, actor: Actor, filters: str, lang: Lang) -> None:
    """The plans with a publish day this channel may see, as lines and as an .ics file."""
    query = planbot.service.parse_plan_query(filters, me=actor.user)
    plans = planbot.service.calendar(query, actor=actor)
    if not plans:
        respond(response_type="ephemeral", text=t("calendar.empty", lang))
        return
    lines = [t("calendar.heading", lang), *calendar_lines(plans[:30], lang, title=escape)]
    upload(client, respond, actor.channel, lang, content=planbot.service.calendar_ics(plans, lang, actor.workspace),
           filename="publish-calendar.ics", title=t("calendar.file", lang), comment="\n".join(lines))


def funnel(planbot: SlackFace, client: WebClient, respond, actor: Actor, filters: str, lang: Lang) -> None:
    """The funnel of the results this channel may see, as lines and a chart."""
    query, since, until = planbot.service.parse_funnel_query(filters, me=actor.user)
    found = planbot.service.funnel(query, since, until, actor=actor)
    text = "\n".join(funnel_lines(found, lang, escape(funnel_scope(found, lang))))
    if not found.measured:
        respond(response_type="ephemeral", text=text)
        return
    upload(client, respond, actor.channel, lang, content=planbot.service.funnel_png(found, lang),
           filename="funnel.png", title=t("funnel.chart", lang), comment=text)


def next_experiment(planbot: SlackFace, respond, actor: Actor, filters: str, lang: Lang) -> None:
    """What to test next, then the cards that would run it (each with Save / Edit / Another idea)."""
    query, since, until = planbot.service.parse_funnel_query(filters, me=actor.user)
    suggestion = planbot.service.next_experiment(query, since, until, actor=actor, lang=lang)
    # A model's reasons are text from outside planbot: escaped like everything else posted.
    respond(response_type="ephemeral", text="\n\n".join(escape(line) for line in experiment_lines(suggestion, lang)))
    for draft in suggestion.drafts:
        planbot.post_draft(lambda **card: respond(response_type="ephemeral", **card), actor.user, draft)


def results(planbot: SlackFace, client: WebClient, respond, actor: Actor, plan_id: int, lang: Lang) -> None:
    """A plan's recorded results, every version."""
    recorded = planbot.service.plan_results(plan_id, actor)
    lines = result_lines(recorded, lang, person=person) or [t("results.none", lang, plan_id=plan_id)]
    respond(response_type="ephemeral", text="\n".join([t("results.title", lang, plan_id=plan_id), *lines]))


def open_results_form(planbot: SlackFace, client: WebClient, trigger_id: str, actor: Actor, plan_id: int,
                      lang: Lang) -> None:
    planbot.service.get_plan(plan_id, actor)  # not seen, not opened
    client.views_open(trigger_id=trigger_id, view=results_form(plan_id, lang, actor.channel, date.today()))


def set_digest(planbot: SlackFace, actor: Actor, words: str, lang: Lang) -> str:
    schedule = planbot.service.set_digest(actor.workspace, actor.channel, words, actor, lang)
    return schedule_text(schedule, lang)


def digest_blocks(digest: Digest) -> list[dict]:
    lang = digest.lang
    sections = [f"{t('digest.heading', lang)}"]

    def plan_line(plan) -> str:
        facts = " · ".join(part for part in (plan.due.isoformat() if plan.due else "",
                                             label(plan.status, lang), person(plan.owner) if plan.owner else "")
                           if part)
        return f"• #{plan.id} {escape(plan.content.title or '—')} — {facts}"

    if digest.due:
        sections.append("\n".join([t("digest.due", lang), *map(plan_line, digest.due)]))
    if digest.in_review:
        sections.append("\n".join([t("digest.in_review", lang), *map(plan_line, digest.in_review)]))
    if digest.gaps:
        sections.append("\n".join([t("digest.gaps", lang), *gap_lines(digest.gaps, lang)]))
    if digest.weakest is not None:
        sections.append(t("digest.weakest", lang, step=label(digest.weakest.name, lang),
                          rate=percent(digest.weakest.rate)))
    if len(sections) == 1:
        sections.append(t("digest.nothing", lang))
    blocks = [SectionBlock(text=MarkdownTextObject(text=section[:3000])).to_dict() for section in sections]
    to_open = [*digest.due, *digest.in_review][:5]
    if to_open:
        blocks.append(ActionsBlock(elements=[button(f"{t('digest.open', lang)} #{plan.id}", OPEN_PLAN,
                                                    {"plan": plan.id}) for plan in to_open]).to_dict())
    return blocks


def post_digest(client: WebClient, digest: Digest) -> None:
    client.chat_postMessage(channel=digest.channel, text=t("digest.heading", digest.lang),
                            blocks=digest_blocks(digest))


def remind(planbot: SlackFace, client: WebClient, reminder: Reminder) -> None:
    plan = reminder.plan
    lang = planbot.lang_of(plan.owner, client)
    text = reminder_text(plan, reminder.today, lang, title=escape)
    client.chat_postMessage(channel=plan.owner, text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=text[:3000])).to_dict(),
        ActionsBlock(elements=[button(t("open", lang), OPEN_PLAN, {"plan": plan.id})]).to_dict()])


def send_scheduled(planbot: SlackFace, client_for, now: datetime | None = None) -> int:
    """Post the digests and reminders whose time has come; each is claimed once across every
    instance and restart, and released again when Slack refuses it (the next run retries).
    ``client_for(workspace)`` is that workspace's WebClient, None when it is not installed (then
    the message is dropped). How many were sent."""
    now = now or datetime.now(UTC)
    service, sent = planbot.service, 0
    for digest in service.due_digests(now):
        if client := client_for(digest.workspace):
            sent += _deliver(service, digest.key, post_digest, client, digest)
    for reminder in service.due_reminders(now):
        if client := client_for(reminder.plan.workspace):
            sent += _deliver(service, reminder.key, remind, planbot, client, reminder)
    return sent


def _deliver(service, key: str, send, *args) -> int:
    try:
        send(*args)
        return 1
    except (SlackApiError, OSError) as error:
        log.warning("a scheduled message could not be sent (%s); it is tried again: %s", key, error)
        service.release_notice(key)
        return 0
