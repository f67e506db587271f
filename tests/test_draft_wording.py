"""Every draft template, filled with every kind of product and segment, in every language, read
for the patterns that give slot filling away."""

import re

import pytest

from bot.models import AwarenessStage, Brief, Lang

PRODUCTS = ["", "AcmeFlow", "排产云", "스케줄러"]
SEGMENTS = ["", "plant managers", "a plant manager", "the budget-conscious start-up", "ACME Corp", "工厂厂长", "공장장"]
# How many ideas, understandings and feelings a stage entry has at most: variants cycle through them.
VARIANTS = 7

PLACEHOLDERS = ("our product", "我们的产品", "我們的產品", "우리 제품")
BROKEN_EVERYWHERE = [
    r"\{|\}|\[|\]|\|",                  # template syntax left over
    r"  ",                              # a slot that vanished mid-sentence
    r" [,.:;?!]",                       # …and left its space before punctuation
    r"\(\s*\)|（\s*）",                 # empty brackets
    r"^\s*[,.:;：，、]",                # a sentence starting with what an empty slot left
]
BROKEN = {
    Lang.EN: [r"\ba (our|the|a|an)\b", r"\bone the\b", r"\ba real the\b", r"\bthe the\b",
              r"\b(managers|start-ups|teams) (loses|gets|uses|wins|spends|knows|changes)\b",
              r"\b(manager|start-up|Corp) (lose|get|use|win|spend|know)\b"],
    Lang.ZH_HANS: [r"的的", r"：：", r"，，"],
    Lang.ZH_HANT: [r"的的", r"：：", r"，，"],
    # A particle after a word that already ends in one; "의의" alone is a word ("significance").
    Lang.KO: [r"[가-힣]의의", r"(을를|를을|은는|는은)(?=\s|$)", r"은\(는\)|이\(가\)|을\(를\)|\(으\)로"],
}


def drafted_texts(service, lang: Lang):
    for stage in AwarenessStage:
        for product in PRODUCTS:
            for segment in SEGMENTS:
                for variant in range(VARIANTS):
                    plan = service.draft(Brief(stage=stage, product=product, segment=segment, lang=lang,
                                               variant=variant))
                    where = f"{stage.value} product={product!r} segment={segment!r} variant={variant}"
                    for name in ("title", "description"):
                        yield where, name, getattr(plan.content, name)
                    for name in ("understanding", "feeling", "action"):
                        yield where, name, getattr(plan, name)


@pytest.mark.parametrize("lang", list(Lang))
def test_no_draft_gives_its_slot_filling_away(service, lang):
    problems = []
    for where, field, text in drafted_texts(service, lang):
        found = [pattern for pattern in BROKEN_EVERYWHERE + BROKEN[lang] if re.search(pattern, text)]
        found += [placeholder for placeholder in PLACEHOLDERS if placeholder in text]
        if found:
            problems.append(f"{where} {field}: {text!r} ({', '.join(found)})")
    assert problems == [], "\n".join(problems[:20])


def test_a_given_product_and_segment_reach_the_card(service):
    for lang in (Lang.EN, Lang.ZH_HANS, Lang.KO):
        for stage in AwarenessStage:
            plan = service.draft(Brief(stage=stage, product="AcmeFlow", segment="plant managers", lang=lang))
            text = " ".join([plan.content.title, plan.content.description, plan.understanding, plan.segment])
            assert "AcmeFlow" in text and "plant managers" in text, (lang, stage, text)


def test_traditional_chinese_drafts_keep_what_the_marketer_typed(service):
    plan = service.draft(Brief(stage=AwarenessStage.ADVOCATE, product="排产云", segment="工厂厂长", lang=Lang.ZH_HANT,
                               goal="让厂长预约演示"))
    assert plan.content.title.startswith("排产云") and "工厂厂长" in plan.content.title
    assert "帶來" in plan.understanding or "價值" in plan.understanding  # the knowledge base's words, converted
    assert plan.content.description.endswith("让厂长预约演示")
