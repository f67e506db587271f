"""Checking a content plan against the channel, stage and template rules.

The thresholds are data: a `Rulebook` is built from the knowledge base (channel rules, the
channels that fit each stage) and the team's rules file (levels, CTA keywords), so a team
changes a rule without editing Python.
"""

from pydantic import BaseModel, Field

from bot.domain.channels import Channel, ChannelRule
from bot.domain.knowledge_ids import CTA_ENTRY, TEMPLATE_ENTRY, entry_id
from bot.domain.labels import label
from bot.domain.language import Lang
from bot.domain.plan import ContentPlan, Finding, FindingLevel
from bot.domain.rule_messages import (
    field_label,
    format_duration,
    format_duration_range,
    format_share,
    message,
    unit,
)
from bot.domain.stages import AwarenessStage, StageMapping
from bot.domain.vocabulary import TermMatcher

DEFAULT_LEVELS: dict[str, FindingLevel] = {
    "missing_field": FindingLevel.ERROR,
    "duration": FindingLevel.ERROR,
    "word_count": FindingLevel.WARNING,
    "image_share": FindingLevel.WARNING,
    "format_missing": FindingLevel.TIP,
    "cta_missing": FindingLevel.ERROR,
    "cta_other_stage": FindingLevel.WARNING,
    "funnel_mismatch": FindingLevel.ERROR,
    "next_stage": FindingLevel.ERROR,
    "channel_fit": FindingLevel.WARNING,
}

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

    def model_post_init(self, _context) -> None:
        self._cta_matcher = TermMatcher(self.cta_keywords)

    def cta_stages(self, cta: str) -> set[AwarenessStage]:
        """The stages whose CTA words appear in ``cta``."""
        return {mention.value for mention in self._cta_matcher.find(cta)}

    def example_cta(self, stage: AwarenessStage, lang: Lang) -> str:
        return next(iter(self.stage_ctas.get(lang.content_lang, {}).get(stage, [])), "")


class _Checker:
    def __init__(self, plan: ContentPlan, rulebook: Rulebook, lang: Lang):
        self.plan, self.rules, self.lang = plan, rulebook, lang
        self.findings: list[Finding] = []

    def add(self, key: str, rule: str, at: str, **values) -> None:
        """A finding of kind ``key`` on the plan field ``at``, citing knowledge entry ``rule``."""
        text, fix = message(key, self.lang, **values)
        level = self.rules.levels.get(key, DEFAULT_LEVELS[key])
        self.findings.append(Finding(level=level, rule=rule, field=at, message=text, fix=fix))

    def label(self, value) -> str:
        return label(value, self.lang)

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
                self.add("missing_field", TEMPLATE_ENTRY, field, field=field_label(field, self.lang))

    def channel_rule(self) -> None:
        channel = self.plan.channel
        rule = self.rules.channel_rules.get(channel) if channel else None
        if rule is None:
            return
        source, fmt = entry_id(channel), self.plan.content.format
        values = {"channel": self.label(channel)}
        if rule.duration_seconds:
            field = "content.format.duration_seconds"
            expected = format_duration_range(rule.duration_seconds.min, rule.duration_seconds.max, self.lang)
            if fmt.duration_seconds is None:
                self.add("format_missing", source, field, expected=expected,
                         field=field_label(field, self.lang), **values)
            elif not rule.duration_seconds.contains(fmt.duration_seconds):
                self.add("duration", source, field, expected=expected,
                         actual=format_duration(fmt.duration_seconds, self.lang), **values)
        if rule.word_count and rule.word_count.min is not None:
            field = "content.format.word_count"
            expected = unit("min_words", self.lang, n=f"{rule.word_count.min:g}")
            if fmt.word_count is None:
                self.add("format_missing", source, field, expected=expected,
                         field=field_label(field, self.lang), **values)
            elif not rule.word_count.contains(fmt.word_count):
                self.add("word_count", source, field, expected=expected,
                         actual=unit("words", self.lang, n=fmt.word_count), **values)
        if rule.min_image_share is not None:
            field = "content.format.image_share"
            expected = unit("min_images", self.lang, pct=f"{rule.min_image_share * 100:g}")
            if fmt.image_share is None:
                self.add("format_missing", source, field, expected=expected,
                         field=field_label(field, self.lang), **values)
            elif fmt.image_share <= rule.min_image_share:
                self.add("image_share", source, field, expected=expected,
                         actual=format_share(fmt.image_share, self.lang), **values)

    def call_to_action(self) -> None:
        stage = self.plan.stage
        stage_label = self.label(stage) if stage else "-"
        example = self.rules.example_cta(stage, self.lang) if stage else ""
        if not self.plan.action:
            self.add("cta_missing", CTA_ENTRY, "action", stage=stage_label, example=example)
            return
        if stage is None:
            return
        named = self.rules.cta_stages(self.plan.action)
        if named and stage not in named:
            other = unit("or", self.lang).join(self.label(s) for s in sorted(named, key=list(AwarenessStage).index))
            self.add("cta_other_stage", CTA_ENTRY, "action", other=other, stage=stage_label, example=example)

    def stage_agreement(self) -> None:
        plan, mapping = self.plan, self.rules.mapping
        if plan.funnel_stage and plan.stage:
            expected = mapping.awareness_for(plan.funnel_stage)
            if expected is not plan.stage:
                self.add("funnel_mismatch", entry_id(plan.funnel_stage), "stage",
                         funnel=self.label(plan.funnel_stage), expected=self.label(expected),
                         stage=self.label(plan.stage))
        if plan.stage and plan.next_stage:
            expected = plan.stage.next
            # Advocacy is the end of the path; it loops back into awareness through referrals.
            allowed = {expected} if expected else {AwarenessStage.ADVOCATE, AwarenessStage.AWARE}
            if plan.next_stage not in allowed:
                self.add("next_stage", entry_id(plan.stage), "next_stage", stage=self.label(plan.stage),
                         expected=self.label(expected or AwarenessStage.ADVOCATE),
                         actual=self.label(plan.next_stage))

    def channel_fit(self) -> None:
        plan = self.plan
        fitting = self.rules.stage_channels.get(plan.stage) if plan.stage else None
        if plan.channel and fitting and plan.channel not in fitting:
            self.add("channel_fit", entry_id(plan.stage), "channel", channel=self.label(plan.channel),
                     stage=self.label(plan.stage),
                     expected=unit("list_sep", self.lang).join(self.label(c) for c in fitting))


def check(plan: ContentPlan, rulebook: Rulebook, lang: Lang | None = None) -> list[Finding]:
    """Every finding for ``plan``, written in ``lang`` (the plan's language by default)."""
    return _Checker(plan, rulebook, lang or plan.lang).run()


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.level is FindingLevel.ERROR for finding in findings)
