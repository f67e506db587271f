"""Block Kit for plans in messages and on App Home: drafted cards, confirmations, the review
list, one plan with its history, and the Home tab."""

import json
import re

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.i18n import history_lines, label, t
from bot.i18n.loop import percent
from bot.models import (
    ALLOWED_TRANSITIONS,
    ContentPlan,
    CoverageCell,
    CoverageReport,
    FunnelStep,
    HistoryEvent,
    Lang,
    PlanStatus,
    TeamProfile,
)
from bot.slack.blocks import plan_card_blocks
from bot.slack.safe import escape, person

_PERSON_MARK = re.compile("\x00(.*?)\x00")

SAVE_DRAFT, EDIT_DRAFT, ANOTHER_IDEA = "save_draft", "edit_draft", "another_idea"
EDIT_PLAN, OPEN_PLAN, SET_STATUS, PAGE = "edit_plan", "open_plan", "set_status", "plans_page"
OPEN_PLAN_MODAL, HOME_ASK, HOME_DRAFT = "open_plan_modal", "home_ask", "home_draft"
OPEN_TEAM_SETUP, OPEN_TEACH = "open_team_setup", "open_teach"
ADD_RESULTS = "add_results"
PAGE_SIZE = 10

_STATUS_BUTTON = {PlanStatus.IN_REVIEW: "to_in_review", PlanStatus.APPROVED: "to_approved",
                  PlanStatus.PUBLISHED: "to_published", PlanStatus.ARCHIVED: "to_archived",
                  PlanStatus.DRAFT: "to_draft"}


def button(label_text: str, action_id: str, value: dict | str, style: str | None = None) -> ButtonElement:
    value = value if isinstance(value, str) else json.dumps(value)
    return ButtonElement(text=PlainTextObject(text=label_text[:75]), action_id=action_id, value=value, style=style)


def gap_lines(gaps: list[CoverageCell], lang: Lang) -> list[str]:
    """One bullet per empty stage × channel cell."""
    return [f"• {label(gap.stage, lang)} × {label(gap.channel, lang)}" for gap in gaps]


def open_again(plan_id: int, message: str, lang: Lang) -> list[dict]:
    """A message with a button that opens the plan's current version in the card modal."""
    return [SectionBlock(text=MarkdownTextObject(text=message[:3000])).to_dict(),
            ActionsBlock(elements=[button(t("open_again", lang), EDIT_PLAN, {"plan": plan_id}, "primary")]).to_dict()]


def drafted_card(plan: ContentPlan, draft_id: int) -> list[dict]:
    lang = plan.lang
    buttons = ActionsBlock(elements=[
        button(t("save", lang), SAVE_DRAFT, {"draft": draft_id}, "primary"),
        button(t("edit", lang), EDIT_DRAFT, {"draft": draft_id}),
        button(t("another_idea", lang), ANOTHER_IDEA, {"draft": draft_id}),
    ])
    return plan_card_blocks(plan, lang, heading=t("draft_title", lang)) + [buttons.to_dict()]


def saved_card(plan: ContentPlan, who: str, lang: Lang) -> list[dict]:
    headline = t("saved", lang, who=person(who), id=plan.id,
                     stage=label(plan.stage, lang) if plan.stage else "—",
                     channel=label(plan.channel, lang) if plan.channel else "—", status=label(plan.status, lang))
    blocks = [SectionBlock(text=MarkdownTextObject(text=f":white_check_mark: {headline}")).to_dict()]
    blocks += plan_card_blocks(plan, lang)
    blocks.append(ActionsBlock(elements=[button(t("edit", lang), EDIT_PLAN, {"plan": plan.id})]).to_dict())
    return blocks


def status_buttons(plan: ContentPlan, lang: Lang) -> list[ButtonElement]:
    allowed = sorted(ALLOWED_TRANSITIONS[plan.status], key=list(PlanStatus).index)
    return [button(t(_STATUS_BUTTON[status], lang), SET_STATUS, {"plan": plan.id, "status": status.value},
                    "primary" if status is PlanStatus.APPROVED else None) for status in allowed]


def plans_list(plans: list[ContentPlan], total: int, offset: int, filters: str, lang: Lang) -> list[dict]:
    if not plans:
        return [SectionBlock(text=MarkdownTextObject(text=t("no_plans", lang))).to_dict()]
    blocks = [ContextBlock(elements=[MarkdownTextObject(text=t(
        "plans_heading", lang, count=total, first=offset + 1, last=offset + len(plans)))])]
    for plan in plans:
        facts = " · ".join(value for value in (
            label(plan.status, lang), label(plan.stage, lang) if plan.stage else "",
            label(plan.channel, lang) if plan.channel else "", person(plan.author) if plan.author else "") if value)
        title = escape(plan.content.title or "—")
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*#{plan.id} {title}*\n{facts}"[:3000]),
                                   accessory=button(t("open", lang), OPEN_PLAN, {"plan": plan.id})))
        if buttons := status_buttons(plan, lang):
            blocks.append(ActionsBlock(elements=buttons))
    pages = []
    if offset > 0:
        previous = {"filters": filters, "offset": max(0, offset - PAGE_SIZE)}
        pages.append(button(t("previous_page", lang), PAGE, previous))
    if offset + len(plans) < total:
        pages.append(button(t("next_page", lang), PAGE, {"filters": filters, "offset": offset + PAGE_SIZE}))
    if pages:
        blocks.append(ActionsBlock(elements=pages))
    return [block.to_dict() for block in blocks[:50]]


def plan_detail(plan: ContentPlan, history: list[HistoryEvent], lang: Lang) -> list[dict]:
    blocks = plan_card_blocks(plan, lang)
    # Escaped as a whole (the values are what people typed), then the people put back as mentions.
    lines = [_PERSON_MARK.sub(lambda match: person(match.group(1)), escape(line))[:300]
             for line in history_lines(history, lang, who=lambda user: f"\x00{user}\x00")[-10:]]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text=f"*{t('history', lang)}*\n" + "\n".join(lines))]).to_dict())
    actions = [button(t("edit", lang), EDIT_PLAN, {"plan": plan.id}), *status_buttons(plan, lang)]
    if plan.status is PlanStatus.PUBLISHED:
        actions.insert(0, button(t("results.button", lang), ADD_RESULTS, {"plan": plan.id}, "primary"))
    blocks.append(ActionsBlock(elements=actions[:25]).to_dict())
    return blocks[:50]


def team_lines(team: TeamProfile | None, taught: int, lang: Lang) -> str:
    """The team's profile in two lines, or an invitation to set one up."""
    if team is None or team.is_empty:
        return t("home_team_empty", lang)
    products = ", ".join(escape(p.name) for p in team.products) or "—"
    segments = ", ".join(escape(s.name) for s in team.segments) or "—"
    return t("home_team", lang, products=products, segments=segments, taught=taught)


def home_view(mine: list[ContentPlan], review: list[ContentPlan], coverage: CoverageReport, lang: Lang,
              team: TeamProfile | None = None, taught: int = 0, upcoming: list[ContentPlan] | None = None,
              weakest: FunnelStep | None = None) -> dict:
    def plan_lines(plans: list[ContentPlan]) -> str:
        if not plans:
            return t("home_none", lang)
        return "\n".join(
            f"• #{p.id} {escape(p.content.title or '—')} — {label(p.status, lang)}"
            + (f" · {label(p.stage, lang)}" if p.stage else "") for p in plans)

    def upcoming_lines(plans: list[ContentPlan]) -> str:
        if not plans:
            return t("home_none", lang)
        return "\n".join(f"• {p.due.isoformat()} · #{p.id} {escape(p.content.title or '—')} — {label(p.status, lang)}"
                         for p in plans)

    gaps = "\n".join(gap_lines(coverage.gaps[:6], lang))
    blocks = [
        HeaderBlock(text=PlainTextObject(text=t("home_title", lang))),
        SectionBlock(text=MarkdownTextObject(text=t("home_intro", lang))),
        ActionsBlock(elements=[
            button(t("home_plan", lang), OPEN_PLAN_MODAL, "new", "primary"),
            button(t("home_draft", lang), HOME_DRAFT, "draft"),
            button(t("home_ask", lang), HOME_ASK, "ask"),
        ]),
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=f"*{t('home_mine', lang)}*\n{plan_lines(mine)}"[:3000])),
        SectionBlock(text=MarkdownTextObject(text=f"*{t('home_review', lang)}*\n{plan_lines(review)}"[:3000])),
        SectionBlock(text=MarkdownTextObject(text=f"*{t('home_upcoming', lang)}*\n"
                                                  f"{upcoming_lines(upcoming or [])}"[:3000])),
        SectionBlock(text=MarkdownTextObject(text=f"*{t('home_gaps', lang)}*\n{gaps or t('home_none', lang)}")),
        *([SectionBlock(text=MarkdownTextObject(text=t("home_weakest", lang, step=label(weakest.name, lang),
                                                       rate=percent(weakest.rate))))] if weakest else []),
        DividerBlock(),
        SectionBlock(text=MarkdownTextObject(text=f"*{t('home_team_heading', lang)}*\n"
                                                  f"{team_lines(team, taught, lang)}"[:3000])),
        ActionsBlock(elements=[button(t("team_setup_button", lang), OPEN_TEAM_SETUP, "setup"),
                               button(t("teach_button", lang), OPEN_TEACH, "teach")]),
    ]
    return View(type="home", blocks=blocks).to_dict()
