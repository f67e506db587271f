"""The template card as a Slack modal: building it from a plan, reading a plan back from its
state, and putting check findings on the fields they concern."""

import json

from pydantic import ValidationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.errors import from_validation_error
from bot.i18n import describe_error, field_label, finding_fix, finding_message, label, t
from bot.models import (
    FIELD_LIMITS,
    AwarenessStage,
    Channel,
    ContentPlan,
    Finding,
    FindingLevel,
    FunnelStage,
    Lang,
)
from bot.slack.safe import escape

PLAN_FORM = "plan_form"          # callback id of the card modal
PLAN_CONFIRM = "plan_confirm"    # callback id of the "warnings: save anyway?" view
PICK_FUNNEL = "pick_funnel"      # selects that pre-select their partner stage
PICK_STAGE = "pick_stage"
GO_BACK = "plan_go_back"
VALUE = "value"

_TEXT_FIELDS = {  # block id → (max length, multiline, optional)
    "content.title": (FIELD_LIMITS["title"], False),
    "content.description": (FIELD_LIMITS["description"], True),
    "segment": (FIELD_LIMITS["segment"], False),
    "understanding": (FIELD_LIMITS["understanding"], True),
    "feeling": (FIELD_LIMITS["feeling"], False),
    "action": (FIELD_LIMITS["action"], False),
    "campaign": (FIELD_LIMITS["campaign"], False),
}
_NUMBER_FIELDS = ("content.format.duration_seconds", "content.format.word_count", "content.format.image_share",
                  "content.format.image_count")
FORM_FIELDS = (
    "funnel_stage", "stage", "content.title", "content.description", *_NUMBER_FIELDS, "channel", "segment",
    "understanding", "feeling", "action", "next_stage", "campaign", "due",
)


def _option(value, lang: Lang) -> Option:
    return Option(value=value.value, text=PlainTextObject(text=label(value, lang)[:75]))


def _select(field: str, values, current, lang: Lang, action_id: str = VALUE) -> StaticSelectElement:
    options = [_option(value, lang) for value in values]
    initial = next((option for option, value in zip(options, values, strict=True) if value == current), None)
    return StaticSelectElement(action_id=action_id, options=options, initial_option=initial,
                               placeholder=PlainTextObject(text=field_label(field, lang)))


# Fields whose label in the form differs from the rule checks' words for them.
_FORM_ONLY_LABELS = {"campaign": "form_campaign", "due": "form_due",
                     "content.format.image_share": "form_content.format.image_share",
                     "content.format.image_count": "form_content.format.image_count"}


def _field_label(field: str, lang: Lang) -> str:
    return t(_FORM_ONLY_LABELS[field], lang) if field in _FORM_ONLY_LABELS else _localised_field(field, lang)


def _localised_field(field: str, lang: Lang) -> str:
    words = field_label(field, lang)
    return words[:1].upper() + words[1:]


def plan_form(plan: ContentPlan, lang: Lang, metadata: dict) -> dict:
    """The modal for ``plan`` (blank or pre-filled); ``metadata`` rides along in private_metadata."""
    blocks = []
    for field in FORM_FIELDS:
        value = plan.value_at(field)
        dispatch = None
        if field in ("funnel_stage", "stage", "next_stage", "channel"):
            values = {"funnel_stage": list(FunnelStage), "channel": list(Channel)}.get(field, list(AwarenessStage))
            action = {"funnel_stage": PICK_FUNNEL, "stage": PICK_STAGE}.get(field, VALUE)
            dispatch = True if action != VALUE else None
            element = _select(field, values, value, lang, action)
        elif field in _TEXT_FIELDS:
            limit, multiline = _TEXT_FIELDS[field]
            element = PlainTextInputElement(action_id=VALUE, initial_value=value or None, multiline=multiline,
                                            max_length=limit)
        elif field == "content.format.image_share":
            element = NumberInputElement(action_id=VALUE, is_decimal_allowed=True, min_value=0, max_value=100,
                                         initial_value=None if value is None else round(value * 100, 1))
        elif field in _NUMBER_FIELDS:
            element = NumberInputElement(action_id=VALUE, is_decimal_allowed=False, min_value=0,
                                         initial_value=value)
        else:  # due
            element = DatePickerElement(action_id=VALUE, initial_date=value.isoformat() if value else None)
        blocks.append(InputBlock(block_id=field, label=_field_label(field, lang), element=element, optional=True,
                                 dispatch_action=dispatch))
    view = View(type="modal", callback_id=PLAN_FORM, title=t("form_title", lang)[:24],
                submit=t("form_save", lang), close=t("form_cancel", lang), blocks=blocks,
                private_metadata=json.dumps(metadata | {"lang": lang.value}))
    return view.to_dict()


def _state_value(action: dict):
    kind = action.get("type")
    if kind == "static_select":
        return (action.get("selected_option") or {}).get("value")
    if kind == "datepicker":
        return action.get("selected_date")
    return action.get("value")


def plan_from_state(state: dict, base: ContentPlan) -> tuple[ContentPlan | None, dict[str, str], dict]:
    """The plan the form holds (over ``base``), or the field errors that stop reading it.

    Returns (plan, errors by block id, raw values by field) so that a form can be re-rendered
    with exactly what the user typed.
    """
    raw: dict = {}
    for block_id, actions in (state.get("values") or {}).items():
        for action in actions.values():
            raw[block_id] = _state_value(action)
    data = base.model_dump(mode="json", exclude={"findings", "created_at", "updated_at"})
    for field, value in raw.items():
        if field not in FORM_FIELDS:
            continue
        if value in ("", None):
            value = None if field not in _TEXT_FIELDS else ""
        elif field in _NUMBER_FIELDS:
            value = float(value) / 100 if field.endswith("image_share") else int(float(value))
        ContentPlan.set_in(data, field, value)
    try:
        return ContentPlan.model_validate(data), {}, raw
    except ValidationError as error:
        problems = {}
        for detail in error.errors():
            field = ".".join(str(part) for part in detail["loc"] if not isinstance(part, int))
            if field in FORM_FIELDS and field not in problems:
                single = ValidationError.from_exception_data(error.title, [detail])
                problems[field] = from_validation_error(single)
        return None, problems, raw


def describe_problems(problems: dict, lang: Lang) -> dict[str, str]:
    return {field: describe_error(problem, lang)[:150] for field, problem in problems.items()}


def finding_errors(findings: list[Finding], lang: Lang) -> dict[str, str]:
    """Error findings as `response_action: errors` (block id → "message — fix")."""
    errors: dict[str, str] = {}
    for finding in findings:
        if finding.level is not FindingLevel.ERROR:
            continue
        block = finding.field if finding.field in FORM_FIELDS else "stage"
        message = f"{finding_message(finding, lang)} {finding_fix(finding, lang)}".strip()
        errors[block] = (errors[block] + " · " + message) if block in errors else message
    return {block: message[:2000] for block, message in errors.items()}


def warnings_view(findings: list[Finding], lang: Lang, metadata: dict) -> dict:
    """'These rules are not met — save anyway or go back?'; ``metadata`` points at the kept card."""
    lines = [f":warning: *{escape(finding_message(f, lang))}* {escape(finding_fix(f, lang))}"
             for f in findings if f.level is FindingLevel.WARNING]
    blocks = [SectionBlock(text=MarkdownTextObject(text=t("warnings_intro", lang)))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=line[:3000])) for line in lines[:20]]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t("warnings_hint", lang))]))
    blocks.append(ActionsBlock(elements=[ButtonElement(text=t("go_back", lang), action_id=GO_BACK)]))
    payload = metadata | {"lang": lang.value}
    view = View(type="modal", callback_id=PLAN_CONFIRM, title=t("form_title", lang)[:24],
                submit=t("save_anyway", lang), close=t("form_cancel", lang), blocks=blocks,
                private_metadata=json.dumps(payload, ensure_ascii=False))
    return view.to_dict()

