"""The message catalogue is complete: every key in every language, the same placeholders in each,
every key used somewhere, and every key the code asks for present."""

import ast
import logging
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.cli.render import PLAN_LIST_COLUMNS
from bot.config import PROJECT_ROOT
from bot.domain.bant import CRITERION_TERMS
from bot.domain.plan import LEGACY_FINDING, ContentPlan, Finding, FindingLevel
from bot.domain.results import ResultProblem
from bot.domain.rules import FINDING_CODES, REQUIRED_FIELDS
from bot.i18n import finding_message, label, t
from bot.i18n.catalog import WRITTEN_IN, catalogue_path
from bot.i18n.labels import KEY_PREFIXES
from bot.models import AwarenessStage, Channel, Lang
from bot.slack.plan_form import FORM_FIELDS
from bot.storage.history import flatten

SOURCES = sorted((PROJECT_ROOT / "bot").rglob("*.py"))
LOOKUPS = {"t"}


def catalogue(lang: Lang) -> dict[str, str]:
    with catalogue_path(lang).open("rb") as file:
        return {message.id: message.string for message in read_po(file) if message.id}


CATALOGUES = {lang: catalogue(lang) for lang in WRITTEN_IN}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def string_literals() -> set[str]:
    found = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def looked_up_literally() -> dict[str, Path]:
    """Keys passed as a literal to the catalogue lookup, and where."""
    found = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found[node.args[0].value] = path
    return found


def error_codes() -> set[str]:
    codes = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "UserError"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                codes.add(node.args[0].value)
    return codes


def keys_built_from_data() -> set[str]:
    """Keys the code builds from values rather than writes out."""
    keys = {f"{prefix}.{value.value}" for kind, prefix in KEY_PREFIXES.items() for value in kind}
    keys |= {f"finding.{code}.{part}" for code in FINDING_CODES for part in ("message", "fix")}
    keys |= {f"error.{code}" for code in error_codes()}
    keys |= {f"stage_short.{stage.value}" for stage in AwarenessStage}
    keys |= {f"cli.column.{column}" for column in PLAN_LIST_COLUMNS}
    keys |= {f"bant.{criterion}" for criterion in CRITERION_TERMS}
    keys |= {f"error.results_{problem.value}" for problem in ResultProblem}
    # Any card field can be named: by the checks, the form and the history.
    card_fields = set(flatten(ContentPlan().model_dump())) - {"id", "created_at", "updated_at", "findings", "version"}
    keys |= {f"field.{field}" for field in {*REQUIRED_FIELDS, *FORM_FIELDS, *card_fields}
             if f"field.{field}" in CATALOGUES[Lang.EN] or field in {*REQUIRED_FIELDS, *card_fields}}
    return keys


@pytest.mark.parametrize("lang", [lang for lang in WRITTEN_IN if lang is not Lang.EN])
def test_every_language_has_every_message_with_the_same_placeholders(lang):
    english, other = CATALOGUES[Lang.EN], CATALOGUES[lang]
    assert sorted(set(english) - set(other)) == [], f"missing in {lang.value}"
    assert sorted(set(other) - set(english)) == [], f"only in {lang.value}"
    differing = [key for key in english if placeholders(english[key]) != placeholders(other[key])]
    assert differing == []


def test_no_message_is_empty():
    assert [(lang.value, key) for lang, messages in CATALOGUES.items() for key, text in messages.items()
            if not text and not key.endswith(".fix")] == []


def test_every_key_the_code_asks_for_exists():
    wanted = set(looked_up_literally()) | keys_built_from_data()
    assert sorted(wanted - set(CATALOGUES[Lang.EN])) == []


def test_every_message_is_used():
    used = string_literals() | keys_built_from_data()
    assert sorted(set(CATALOGUES[Lang.EN]) - used) == []


def test_a_missing_message_falls_back_to_english_and_an_unknown_key_never_raises(caplog, monkeypatch):
    from bot.i18n import catalog

    korean = dict(catalog.messages(Lang.KO))
    del korean["thanks"]
    monkeypatch.setattr(catalog, "messages", lambda lang: korean if lang is Lang.KO else CATALOGUES[Lang.EN])
    with caplog.at_level(logging.WARNING):
        assert t("thanks", Lang.KO) == CATALOGUES[Lang.EN]["thanks"]
        assert t("no.such.key", Lang.KO) == "no.such.key"
        assert t("unknown_command", Lang.KO) == CATALOGUES[Lang.KO]["unknown_command"]  # {word} not given
    assert "thanks" in caplog.text


def test_traditional_chinese_is_made_from_the_simplified_catalogue():
    assert label(Channel.SHORT_VIDEO, Lang.ZH_HANT) == "短影片"
    assert t("answer.not_found", Lang.ZH_HANT).startswith("知識庫")


def test_a_legacy_finding_is_shown_as_it_was_stored():
    legacy = Finding.model_validate({"level": "warning", "rule": "r", "field": "f", "message": "旧的句子",
                                     "fix": "修正"})
    assert legacy.code == LEGACY_FINDING and legacy.level is FindingLevel.WARNING
    assert finding_message(legacy, Lang.EN) == "旧的句子"


@pytest.mark.parametrize("lang", list(WRITTEN_IN))
def test_bold_text_stays_bold_whatever_it_holds(lang):
    """A bold placeholder next to Chinese or Korean text must still close: in CommonMark (the
    terminal's renderer) "**问询（Ask）**阶段" is not bold, because "**" after a bracket and before
    a letter is no closing mark. Every message is filled with labels that end in brackets (a
    channel's rule, which the code gives with its leading space, as it comes)."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt()
    for key, template in CATALOGUES[lang].items():
        if "**" not in template:
            continue
        label = "问询（Ask）" if lang is not Lang.KO else "질문(Ask)"
        filled = template.format(**{name: " (60–90 s)" if name == "rule" else label for name in placeholders(template)})
        assert "**" not in renderer.render(filled), (key, filled)


@pytest.mark.parametrize("lang", [Lang.ZH_HANS, Lang.ZH_HANT, Lang.KO])
def test_a_cards_bold_stages_close_in_chinese_and_korean(lang):
    from markdown_it import MarkdownIt

    from bot.i18n import plan_markdown

    plan = ContentPlan(awareness_stage="act", funnel_stage="revenue", next_stage="advocate",
                       content={"title": "上线第一周"}, channel="email", segment="工厂厂长")
    sentence = plan_markdown(plan, lang).split("\n")[2]
    assert sentence.count("**") >= 6 and "**" not in MarkdownIt().render(sentence), sentence
