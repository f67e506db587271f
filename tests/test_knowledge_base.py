"""The shipped knowledge base: complete, consistent across languages, in our own words."""

import re
from collections import defaultdict

import pytest
from conftest import SHARED

from bot.config import Settings
from bot.domain.channels import Channel
from bot.domain.stages import AwarenessStage, FunnelStage
from bot.knowledge.entries import EntryKind, load_entries

ENTRIES = load_entries(Settings().knowledge_dir)
BY_ID = defaultdict(dict)
for _entry in ENTRIES:
    BY_ID[_entry.id][_entry.lang.value] = _entry
NEUTRAL_FIELDS = ("kind", "stage", "funnel", "channel", "channels", "stages", "rule")


def _ids(kind):
    return {entry.id for entry in ENTRIES if entry.kind is kind}


def test_every_entry_is_written_in_english_simplified_chinese_and_korean():
    incomplete = {i: sorted(langs) for i, langs in BY_ID.items() if set(langs) != {"en", "zh-Hans", "ko"}}
    assert not incomplete


def test_translations_share_their_language_neutral_facts():
    for entry_id, versions in BY_ID.items():
        facts = [e.model_dump(include=set(NEUTRAL_FIELDS)) for e in versions.values()]
        assert all(f == facts[0] for f in facts), entry_id


def test_every_stage_funnel_stage_and_channel_has_an_entry():
    assert {BY_ID[i]["en"].stage for i in _ids(EntryKind.STAGE)} == set(AwarenessStage)
    assert {BY_ID[i]["en"].funnel for i in _ids(EntryKind.FUNNEL)} == set(FunnelStage)
    assert {BY_ID[i]["en"].channel for i in _ids(EntryKind.CHANNEL_RULE)} == set(Channel)


def test_the_source_channel_rules_are_data():
    rules = {BY_ID[i]["en"].channel: BY_ID[i]["en"].rule for i in _ids(EntryKind.CHANNEL_RULE)}
    short_video = rules[Channel.SHORT_VIDEO].duration_seconds
    assert (short_video.min, short_video.max) == (60, 90)
    assert rules[Channel.ONLINE_COURSE].duration_seconds.contains(15 * 60)
    assert rules[Channel.WECHAT_ARTICLE].min_image_share == 0.3


def test_stage_entries_carry_what_answers_are_built_from():
    for entry_id in _ids(EntryKind.STAGE):
        for entry in BY_ID[entry_id].values():
            assert entry.content_types and entry.ctas and entry.channels and entry.signals, entry.doc_id


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="the source documents are not beside the repo")
def test_no_sentence_is_copied_from_the_sources():
    def normalise(text):
        return re.sub(r"[\W_]+", "", text)

    seeds = normalise("".join(p.read_text(encoding="utf-8") for p in (SHARED / "seeds").glob("*.txt")))
    for entry in ENTRIES:
        text = normalise(entry.search_text())
        for start in range(0, max(0, len(text) - 30), 5):
            piece = text[start : start + 30]
            assert not (re.search(r"[\u4e00-\u9fff]{8}", piece) and piece in seeds), (entry.doc_id, piece)


def test_stage_entries_have_an_idea_for_every_fitting_channel_in_every_language():
    for entry_id in _ids(EntryKind.STAGE):
        for entry in BY_ID[entry_id].values():
            assert [idea.channel for idea in entry.ideas] == entry.channels, entry.doc_id
            assert len(entry.understandings) == 3 and len(entry.feelings) == 3, entry.doc_id
            for text in [i.title for i in entry.ideas] + [i.description for i in entry.ideas] + entry.understandings:
                text.format(product="P", segment="S")  # only the two known placeholders


def test_channel_entries_and_stage_entries_agree_on_which_stages_a_channel_fits():
    for lang in ("en", "zh-Hans", "ko"):
        stages = {entry.stage: set(entry.channels) for entry in ENTRIES
                  if entry.kind is EntryKind.STAGE and entry.lang.value == lang}
        for entry in ENTRIES:
            if entry.kind is EntryKind.CHANNEL_RULE and entry.lang.value == lang:
                listing_it = {stage for stage, channels in stages.items() if entry.channel in channels}
                assert set(entry.stages) == listing_it, (lang, entry.id)


def test_every_stage_cta_reads_as_a_cta_of_that_stage():
    from bot.knowledge.rulebook import RULES_FILE, build_rulebook

    rulebook = build_rulebook(ENTRIES, Settings().knowledge_dir / RULES_FILE)
    misplaced = [(entry.doc_id, cta, sorted(named)) for entry in ENTRIES if entry.kind is EntryKind.STAGE
                 for cta in entry.ctas if (named := rulebook.cta_stages(cta)) and entry.stage not in named]
    assert misplaced == []


def test_every_idea_ends_on_a_cta_of_its_own_stage():
    """An idea's title, description and CTA are one piece: a post-purchase onboarding idea does
    not end on "sign the contract"."""
    from bot.knowledge.rulebook import RULES_FILE, build_rulebook

    rulebook = build_rulebook(ENTRIES, Settings().knowledge_dir / RULES_FILE)
    wrong = [(entry.doc_id, idea.channel.value, idea.cta) for entry in ENTRIES if entry.kind is EntryKind.STAGE
             for idea in entry.ideas if entry.stage not in rulebook.cta_stages(idea.cta)]
    assert wrong == []


def test_signals_never_name_a_5a_stage():
    """A named stage is read before any signal, so a signal that names one describes nothing the
    router could use. (Words such as "renewal" or "churn" are situations as well as names of the
    retention stage, and may appear.)"""
    from bot.domain.vocabulary import find_mentions

    naming = [(entry.doc_id, signal) for entry in ENTRIES for signal in entry.signals
              if any(isinstance(m.value, AwarenessStage) for m in find_mentions(signal))]
    assert naming == []
