"""The rulebook the plan checks use, read from the knowledge base and the team's rules file."""

from pathlib import Path

import yaml

from bot.domain.plan import FindingLevel
from bot.domain.rules import DEFAULT_LEVELS, Rulebook
from bot.domain.stages import AwarenessStage, StageMapping
from bot.knowledge.entries import YAML_LOADER, EntryKind, KnowledgeEntry

RULES_FILE = "rules.yaml"


def build_rulebook(
    entries: list[KnowledgeEntry], rules_file: Path | None, mapping: StageMapping | None = None
) -> Rulebook:
    """Channel thresholds and fitting channels from the entries; levels and CTA words from the file."""
    settings = {}
    if rules_file is not None and rules_file.exists():
        settings = yaml.load(rules_file.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
    stage_ctas: dict = {}
    channel_rules, stage_channels = {}, {}
    for entry in entries:
        if entry.kind is EntryKind.CHANNEL_RULE and entry.channel and entry.rule:
            channel_rules[entry.channel] = entry.rule
        if entry.kind is EntryKind.STAGE and entry.stage:
            stage_channels[entry.stage] = entry.channels
            stage_ctas.setdefault(entry.lang, {})[entry.stage] = entry.ctas
    levels = dict(DEFAULT_LEVELS) | {
        key: FindingLevel(value) for key, value in (settings.get("levels") or {}).items()
    }
    keywords = {
        AwarenessStage(stage): [str(word) for word in words]
        for stage, words in (settings.get("cta_keywords") or {}).items()
    }
    return Rulebook(
        mapping=mapping or StageMapping(),
        channel_rules=channel_rules,
        stage_channels=stage_channels,
        stage_ctas=stage_ctas,
        cta_keywords=keywords,
        levels=levels,
    )
