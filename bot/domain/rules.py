"""Checking a content plan against the channel, stage and template rules.

The thresholds are data: a `Rulebook` is built from the knowledge base (channel rules, the
channels that fit each stage) and the team's rules file (levels, CTA keywords), so a team
changes a rule without editing Python.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from bot.domain.channels import Channel, ChannelRule, Range
from bot.domain.knowledge_ids import CTA_ENTRY, TEMPLATE_ENTRY, entry_id
from bot.domain.language import Lang
from bot.domain.plan import LEGACY_FINDING, ContentPlan, Finding, FindingLevel
from bot.domain.stages import AwarenessStage, StageMapping
from bot.domain.vocabulary import TermMatcher

DEFAULT_LEVELS: dict[str, FindingLevel] = {
    "missing_field": FindingLevel.ERROR,
    "duration": FindingLevel.ERROR,
    "word_count": FindingLevel.WARNING,
    "word_count_over": FindingLevel.WARNING,
    "image_share": FindingLevel.WARNING,
    "image_count": FindingLevel.WARNING,
    "format_missing": FindingLevel.TIP,
    "cta_missing": FindingLevel.ERROR,
    "cta_other_stage": FindingLevel.WARNING,
    "funnel_mismatch": FindingLevel.ERROR,
    "next_stage": FindingLevel.ERROR,
    "channel_fit": FindingLevel.WARNING,
}

# Every code a finding can have (the message catalogue has a message and a fix for each).
FINDING_CODES = (*DEFAULT_LEVELS, LEGACY_FINDING, "llm_fallback")

# The blanks of the template card, in the order the card reads.
REQUIRED_FIELDS = (
    "funnel_stage", "stage", "content.title", "channel", "segment", "understanding", "feeling",
    "action", "next_stage",
)


class Rulebook(BaseModel):
    mapping: StageMapping = Field(default_factory=StageMapping)
    channel_rules: dict[Channel, ChannelRule] = Field(default_factory=dict)
    stage_channels: dict[AwarenessStage, list[Channel]] = Field(default_factory=dict)
    # Example CTAs per knowledge language, for fix hints.
    stage_ctas: dict[Lang, dict[AwarenessStage, list[str]]] = Field(default_factory=dict)
    cta_keywords: dict[AwarenessStage, list[str]] = Field(default_factory=dict)
    levels: dict[str, FindingLevel] = Field(default_factory=lambda: dict(DEFAULT_LEVELS))
    # The entry a channel's rule is cited by when it is not the channel's own (a team's rule).
    channel_rule_sources: dict[Channel, str] = Field(default_factory=dict)

    def model_post_init(self, _context) -> None:
        self._cta_matcher = TermMatcher(self.cta_keywords)

    def cta_stages(self, cta: str) -> set[AwarenessStage]:
        """The stages whose CTA words appear in ``cta``."""
        return {mention.value for mention in self._cta_matcher.find(cta)}

    def example_ctas(self, stage: AwarenessStage) -> dict[str, str]:
        """The stage's first example CTA in each language the knowledge base is written in."""
        return {lang.value: ctas[stage][0] for lang, ctas in self.stage_ctas.items() if ctas.get(stage)}

    def with_changes(self, **changes) -> "Rulebook":
        """A copy with some parts replaced (built anew, so that its CTA matcher is too)."""
        return Rulebook(**{name: getattr(self, name) for name in Rulebook.model_fields} | changes)

    def rule_source(self, channel: Channel) -> str:
        return self.channel_rule_sources.get(channel, entry_id(channel))


class _Checker:
    def __init__(self, plan: ContentPlan, rulebook: Rulebook):
        self.plan, self.rules = plan, rulebook
        self.findings: list[Finding] = []

    def add(self, code: str, rule: str, at: str, **params) -> None:
        """A finding of kind ``code`` on the plan field ``at``, citing knowledge entry ``rule``;
        ``params`` are language-neutral (see ``bot.i18n.findings``)."""
        level = self.rules.levels.get(code, DEFAULT_LEVELS[code])
        self.findings.append(Finding(level=level, rule=rule, field=at, code=code, params=params))

    def run(self) -> list[Finding]:
        self.required_fields()
        self.channel_rule()
        self.call_to_action()
        self.stage_agreement()
        self.channel_fit()
        return self.findings

    def required_fields(self) -> None:
        for field in REQUIRED_FIELDS:
            if field == "action":
                continue  # a missing CTA has a finding of its own
            if self.plan.value_at(field) in (None, ""):
                self.add("missing_field", TEMPLATE_ENTRY, field, field={"field": field})

    def channel_rule(self) -> None:
        channel = self.plan.channel
        rule = self.rules.channel_rules.get(channel) if channel else None
        if rule is None:
            return
        source, fmt = self.rules.rule_source(channel), self.plan.content.format
        for part, check in _FORMAT_CHECKS.items():
            bound = getattr(rule, part)
            if bound is None or (isinstance(bound, Range) and bound.min is None and bound.max is None):
                continue
            field, value = f"content.format.{check.field}", getattr(fmt, check.field)
            expected = check.expected(bound)
            if value is None:
                self.add("format_missing", source, field, channel=channel.value, expected=expected,
                         field={"field": field})
            elif code := check.broken(bound, value):
                self.add(code, source, field, channel=channel.value, expected=expected, actual=check.actual(value))

    def call_to_action(self) -> None:
        stage = self.plan.stage
        stage_param = stage.value if stage else "-"
        example = {"by_lang": self.rules.example_ctas(stage)} if stage else ""
        if not self.plan.action:
            self.add("cta_missing", CTA_ENTRY, "action", stage=stage_param, example=example)
            return
        if stage is None:
            return
        named = self.rules.cta_stages(self.plan.action)
        if named and stage not in named:
            other = [s.value for s in sorted(named, key=list(AwarenessStage).index)]
            self.add("cta_other_stage", CTA_ENTRY, "action", other={"any_of": other}, stage=stage.value,
                     example=example)

    def stage_agreement(self) -> None:
        plan, mapping = self.plan, self.rules.mapping
        if plan.funnel_stage and plan.stage:
            expected = mapping.awareness_for(plan.funnel_stage)
            if expected is not plan.stage:
                self.add("funnel_mismatch", entry_id(plan.funnel_stage), "stage", funnel=plan.funnel_stage.value,
                         expected=expected.value, stage=plan.stage.value)
        if plan.stage and plan.next_stage:
            expected = plan.stage.next
            # Advocacy is the end of the path; it loops back into awareness through referrals.
            allowed = {expected} if expected else {AwarenessStage.ADVOCATE, AwarenessStage.AWARE}
            if plan.next_stage not in allowed:
                self.add("next_stage", entry_id(plan.stage), "next_stage", stage=plan.stage.value,
                         expected=(expected or AwarenessStage.ADVOCATE).value, actual=plan.next_stage.value)

    def channel_fit(self) -> None:
        plan = self.plan
        fitting = self.rules.stage_channels.get(plan.stage) if plan.stage else None
        if plan.channel and fitting and plan.channel not in fitting:
            self.add("channel_fit", entry_id(plan.stage), "channel", channel=plan.channel.value,
                     stage=plan.stage.value, expected={"all_of": [channel.value for channel in fitting]})


@dataclass(frozen=True)
class _FormatCheck:
    """How one part of a channel rule is checked against the card's format."""

    field: str                                   # the ContentFormat field it reads
    expected: Callable[[Any], dict]              # the rule part as a finding parameter
    actual: Callable[[Any], dict]                # the card's value as one
    broken: Callable[[Any, float], str | None]   # the finding's code, None when the value keeps the rule


def _outside(below: str, above: str) -> Callable[[Range, float], str | None]:
    return lambda span, value: None if span.contains(value) else (
        below if span.min is not None and value < span.min else above)


# Each part of a ChannelRule, by its name there.
_FORMAT_CHECKS: dict[str, _FormatCheck] = {
    "duration_seconds": _FormatCheck("duration_seconds", lambda span: {"seconds": [span.min, span.max]},
                                     lambda value: {"seconds": value}, _outside("duration", "duration")),
    "word_count": _FormatCheck("word_count", lambda span: _bounds("words", span), lambda value: {"words": value},
                               _outside("word_count", "word_count_over")),
    "min_image_share": _FormatCheck("image_share", lambda share: {"min_image_share": share},
                                    lambda value: {"image_share": value},
                                    lambda share, value: "image_share" if value <= share else None),
    "image_count": _FormatCheck("image_count", lambda span: _bounds("images", span), lambda value: {"images": value},
                                _outside("image_count", "image_count")),
}


def _bounds(unit: str, span: Range) -> dict:
    """A range as a finding parameter: ``{"min_words": 1500}``, ``{"words": [None, 1000]}``…"""
    if span.max is None:
        return {f"min_{unit}": span.min}
    return {f"{unit}_range": [span.min, span.max]}


def check(plan: ContentPlan, rulebook: Rulebook) -> list[Finding]:
    """Every finding for ``plan``."""
    return _Checker(plan, rulebook).run()


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.level is FindingLevel.ERROR for finding in findings)
