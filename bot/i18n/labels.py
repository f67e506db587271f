"""The names of vocabulary values and card fields in the reader's language."""

import re
from functools import cache

from bot.domain.access import PlanAction, Role, TeamAction
from bot.domain.channels import Channel
from bot.domain.experiment import Lever
from bot.domain.language import Lang
from bot.domain.plan import PlanStatus
from bot.domain.results import StepName
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.i18n.catalog import t

Vocabulary = AwarenessStage | FunnelStage | Channel | PlanStatus | Role | PlanAction | TeamAction | StepName | Lever

# The catalogue key prefix of each kind of value ("stage.ask", "channel.webinar").
KEY_PREFIXES: dict[type, str] = {AwarenessStage: "stage", FunnelStage: "funnel", Channel: "channel",
                                 PlanStatus: "status", Role: "role", PlanAction: "plan_action",
                                 TeamAction: "team_action", StepName: "step", Lever: "lever"}


def label(value: Vocabulary, lang: Lang) -> str:
    """A stage, funnel stage, channel or status as the reader calls it."""
    return t(f"{KEY_PREFIXES[type(value)]}.{value.value}", lang)


def field_label(field: str, lang: Lang) -> str:
    """A card field by its dotted name: "content.title" → "content title", "内容标题"."""
    return t(f"field.{field}", lang)


def vocabulary_value(text: str) -> Vocabulary | None:
    """The plan vocabulary value spelled ``text`` exactly ("ask", "short_video"), if any."""
    for kind in (AwarenessStage, FunnelStage, Channel, PlanStatus):
        try:
            return kind(text)
        except ValueError:
            continue
    return None


_GLOSS = re.compile(r"^(.*?)\s*[（(]([^()（）]*)[）)]\s*$")


def normalised(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name).strip().lower()


@cache
def printed_names(kind: type) -> dict[str, Vocabulary]:
    """Every name planbot prints for a value of ``kind``, in every language, normalised: the label,
    its two halves when it carries a gloss ("吸引（Appeal）" → "吸引", "appeal"), a stage's short
    name, and the value itself. A name planbot shows is a name it accepts."""
    names: dict[str, Vocabulary] = {}
    for value in kind:
        spellings = {value.value}
        for lang in Lang:
            shown = label(value, lang)
            spellings.add(shown)
            if gloss := _GLOSS.match(shown):
                spellings.update(gloss.groups())
            if kind is AwarenessStage:
                spellings.add(t(f"stage_short.{value.value}", lang))
        for spelling in spellings:
            names.setdefault(normalised(spelling), value)
    return names
