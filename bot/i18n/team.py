"""A team's own guidance in the reader's words."""

from bot.domain.language import Lang
from bot.domain.team import Teaching, TeamChannelRule, TeamCta, TeamMapping, TeamSignal
from bot.i18n.catalog import t
from bot.i18n.formats import channel_rule
from bot.i18n.labels import label


def teaching_text(teaching: Teaching, lang: Lang) -> str:
    """"小红书: 6–9 images; at most 1000 words (our notes are swiped, not read)"."""
    if isinstance(teaching, TeamChannelRule):
        text = t("teaching.channel_rule", lang, channel=teaching.channel, rule=channel_rule(teaching.rule, lang))
    elif isinstance(teaching, TeamCta):
        text = t("teaching.cta", lang, stage=label(teaching.stage, lang), cta=teaching.cta)
    elif isinstance(teaching, TeamSignal):
        text = t("teaching.signal", lang, stage=label(teaching.stage, lang), signal=teaching.signal)
    elif isinstance(teaching, TeamMapping):
        text = t("teaching.mapping", lang, funnel=label(teaching.funnel_stage, lang), stage=label(teaching.stage, lang))
    else:
        raise TypeError(f"not a teaching: {teaching!r}")
    return f"{text} ({teaching.note})" if teaching.note else text
