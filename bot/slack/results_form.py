"""The "Add results" modal on a published plan: a period and its figures, read back as the
service's input, and a refusal shown inline on the field it is about."""

from datetime import date, timedelta

from pydantic import BaseModel
from slack_sdk.models.blocks import DatePickerElement, InputBlock, NumberInputElement, PlainTextInputElement
from slack_sdk.models.views import View

from bot.errors import UserError
from bot.i18n import describe_error, t
from bot.models import Lang

RESULTS_FORM = "plan_results"
VALUE = "value"
COUNTS = ("reach", "engagement", "clicks", "moved")
_LABELS = {"period_start": "results.period_start", "period_end": "results.period_end", "reach": "results.reach",
           "engagement": "results.engagement", "clicks": "results.clicks", "moved": "results.moved",
           "note": "results.note"}
# The field a refusal is shown on.
_ERROR_FIELDS = {"results_moved_over_reach": "moved", "results_clicks_over_reach": "clicks",
                 "results_period_backwards": "period_end", "bad_date": "period_start"}


class ResultsFormMetadata(BaseModel):
    plan_id: int
    lang: Lang = Lang.EN
    channel: str = ""


def results_form(plan_id: int, lang: Lang, channel: str, today: date) -> dict:
    """The modal, on last week's period by default (results are recorded after the fact)."""
    monday = today - timedelta(days=today.weekday())
    blocks = [
        InputBlock(block_id="period_start", label=t(_LABELS["period_start"], lang),
                   element=DatePickerElement(action_id=VALUE, initial_date=(monday - timedelta(days=7)).isoformat())),
        InputBlock(block_id="period_end", label=t(_LABELS["period_end"], lang),
                   element=DatePickerElement(action_id=VALUE, initial_date=(monday - timedelta(days=1)).isoformat())),
        *[InputBlock(block_id=name, label=t(_LABELS[name], lang), optional=name != "reach",
                     element=NumberInputElement(action_id=VALUE, is_decimal_allowed=False, min_value="0"))
          for name in COUNTS],
        InputBlock(block_id="note", label=t(_LABELS["note"], lang), optional=True,
                   element=PlainTextInputElement(action_id=VALUE, max_length=500)),
    ]
    metadata = ResultsFormMetadata(plan_id=plan_id, lang=lang, channel=channel)
    return View(type="modal", callback_id=RESULTS_FORM, title=t("results.button", lang)[:24],
                submit=t("form_save", lang), close=t("form_cancel", lang), blocks=blocks,
                private_metadata=metadata.model_dump_json()).to_dict()


def metadata_of(view: dict) -> ResultsFormMetadata:
    return ResultsFormMetadata.model_validate_json(view.get("private_metadata") or "{}")


def figures_of(view: dict) -> dict[str, str]:
    """What was typed, by field; left-out optional counts are 0."""
    values = (view.get("state") or {}).get("values") or {}
    figures = {}
    for name in ("period_start", "period_end", *COUNTS, "note"):
        element = (values.get(name) or {}).get(VALUE) or {}
        typed = element.get("selected_date") if name.startswith("period") else element.get("value")
        if typed not in (None, ""):
            figures[name] = typed
    return figures


def form_errors(error: UserError, lang: Lang) -> dict[str, str]:
    """A refusal as Slack's inline errors, on the field it names (else on reach)."""
    field = error.params.get("field") if error.params.get("field") in _LABELS else None
    return {field or _ERROR_FIELDS.get(error.code, "reach"): describe_error(error, lang)[:150]}
