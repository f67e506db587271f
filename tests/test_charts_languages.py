"""Charts in the reader's language: every glyph drawn from a font that has it, never a box.

They need a CJK font (CI installs fonts-noto-cjk); without one the Chinese and Korean cases skip,
saying so, rather than pass on an English chart.
"""

import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.image import imread

from bot import charts
from bot.charts import CHART_WORDS, FONT_ENV, STEP_FILL, WEAKEST_FILL, chart_families, coverage_png, funnel_png
from bot.domain.results import Funnel, MeasuredPlan, StepName, funnel
from bot.i18n import label
from bot.language import to_traditional
from bot.models import AwarenessStage, Channel, CoverageCell, CoverageReport, Lang

CJK_LANGS = [Lang.ZH_HANS, Lang.ZH_HANT, Lang.KO]
# How matplotlib says a glyph is missing (a UserWarning since 3.x), or that a family asked for is.
FONT_TROUBLE = re.compile(r"Glyph \d+ .*missing from font|findfont: Font family .* not found")


@pytest.fixture(autouse=True)
def font_choice_afresh():
    """Each test finds its fonts anew (some change what is installed or asked for)."""
    charts.chart_families.cache_clear()
    charts._warn_no_cjk_font.cache_clear()
    yield
    charts.chart_families.cache_clear()
    charts._warn_no_cjk_font.cache_clear()


def needs_a_font_for(lang: Lang) -> None:
    if chart_families(lang) is None:
        pytest.skip(f"no installed font writes {lang.value}: install fonts-noto-cjk "
                    f"(apt-get install fonts-noto-cjk) or set {FONT_ENV}")


@contextmanager
def font_trouble(caplog) -> Iterator[list[str]]:
    """What matplotlib says, as a warning or in its log, about glyphs or fonts it lacks in the block."""
    complaints: list[str] = []
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        yield complaints
    complaints += [str(warning.message) for warning in caught if FONT_TROUBLE.search(str(warning.message))]
    complaints += [record.getMessage() for record in caplog.records if FONT_TROUBLE.search(record.getMessage())]


def a_report() -> CoverageReport:
    channels = [Channel.SHORT_VIDEO, Channel.WECHAT_ARTICLE, Channel.ONLINE_COURSE, Channel.WEBINAR, Channel.BLOG]
    cells = [CoverageCell(stage=stage, channel=channel, plans=(row + column) % 4)
             for row, stage in enumerate(AwarenessStage) for column, channel in enumerate(channels)]
    return CoverageReport(cells=cells, gaps=[cell for cell in cells if not cell.plans])


def a_funnel() -> Funnel:
    """Attraction 25%, curiosity 5% (the weakest), commitment 20%, affinity not measured yet."""
    plans = [MeasuredPlan(plan_id=1, stage=AwarenessStage.AWARE, reach=4000, moved=1000),
             MeasuredPlan(plan_id=2, stage=AwarenessStage.APPEAL, reach=1000, moved=50),
             MeasuredPlan(plan_id=3, stage=AwarenessStage.ASK, reach=100, moved=20)]
    return funnel(plans, segment="SaaS founders", channel=Channel.WEBINAR, period_start=date(2026, 4, 1),
                  period_end=date(2026, 6, 30))


CHARTS: dict[str, Callable[[Lang], bytes]] = {
    "coverage": lambda lang: coverage_png(a_report(), lang),
    "funnel": lambda lang: funnel_png(a_funnel(), lang),
}


def colour_mask(png: bytes, colour: str) -> np.ndarray:
    pixels = imread(io.BytesIO(png))[:, :, :3]
    wanted = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.all(np.abs(pixels - wanted) < 0.02, axis=2)


def pixel_rows(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask.any(axis=1))


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("lang", [Lang.EN, *CJK_LANGS], ids=lambda lang: lang.value)
def test_a_chart_is_drawn_in_the_language_with_every_glyph(chart, lang, caplog):
    needs_a_font_for(lang)
    with font_trouble(caplog) as complaints:
        png = CHARTS[chart](lang)
    assert png.startswith(b"\x89PNG")
    assert complaints == []
    assert "fonts-noto-cjk" not in caplog.text  # drawn in the language, not fallen back to English


def test_the_glyph_check_catches_a_font_without_cjk(caplog):
    with font_trouble(caplog) as complaints:
        figure = Figure()
        figure.subplots().set_title(label(StepName.ATTRACTION, Lang.ZH_HANS), fontfamily=["DejaVu Sans"])
        figure.savefig(io.BytesIO(), format="png")
    assert complaints and all("DejaVu Sans" in complaint for complaint in complaints)


@pytest.mark.parametrize("lang", CJK_LANGS, ids=lambda lang: lang.value)
def test_each_language_has_its_own_face_of_the_font(lang):
    needs_a_font_for(lang)
    if not chart_families(lang)[0].startswith("Noto Sans CJK"):
        pytest.skip(f"{chart_families(lang)[0]} is installed, not Noto Sans CJK")
    assert chart_families(lang)[0] == {Lang.ZH_HANS: "Noto Sans CJK SC", Lang.ZH_HANT: "Noto Sans CJK TC",
                                       Lang.KO: "Noto Sans CJK KR"}[lang]


def test_the_weakest_step_is_red_and_in_its_place():
    measured = a_funnel()
    assert measured.weakest().name is StepName.CURIOSITY
    png = funnel_png(measured, Lang.EN)
    other_bars, weakest_bar = pixel_rows(colour_mask(png, STEP_FILL)), pixel_rows(colour_mask(png, WEAKEST_FILL))
    assert len(other_bars) > 40 and len(weakest_bar) > 20
    # Attraction above curiosity, commitment below it; affinity, unmeasured, has no bar.
    assert other_bars.min() < weakest_bar.min() and weakest_bar.max() < other_bars.max()
    assert not np.isin(other_bars, np.arange(weakest_bar.min(), weakest_bar.max() + 1)).any()


def test_a_funnel_without_results_draws_no_bars():
    png = funnel_png(funnel([]), Lang.EN)
    assert not colour_mask(png, STEP_FILL).any() and not colour_mask(png, WEAKEST_FILL).any()


@pytest.mark.parametrize("rates", [[(4000, 1000)], [(100, 30)] * 4], ids=["one step", "steps alike"])
def test_no_step_is_called_weakest_without_a_better_one(rates):
    plans = [MeasuredPlan(plan_id=i, stage=stage, reach=reach, moved=moved)
             for i, (stage, (reach, moved)) in enumerate(zip(AwarenessStage, rates, strict=False))]
    png = funnel_png(funnel(plans), Lang.EN)
    assert colour_mask(png, STEP_FILL).any() and not colour_mask(png, WEAKEST_FILL).any()


def test_a_long_segment_is_cut_short_and_leaves_the_bars_their_width(caplog):
    def bar_columns(segment: str) -> np.ndarray:
        measured = a_funnel().model_copy(update={"segment": segment, "channel": Channel.WECHAT_ARTICLE})
        return np.flatnonzero(colour_mask(funnel_png(measured, Lang.EN), STEP_FILL).any(axis=0))

    long = "$5k–$20k ARR B2B SaaS founders in DACH and the Nordics who sell to plant managers and CFOs " * 3
    with font_trouble(caplog) as complaints:
        squeezed, roomy = bar_columns(long), bar_columns("SaaS founders")
    assert complaints == []
    assert len(squeezed) == len(roomy) > 300


def test_traditional_chinese_words_are_in_traditional_characters():
    words = CHART_WORDS[Lang.ZH_HANT]
    written = [*(value for value in vars(words).values() if isinstance(value, str)),
               *(label(name, Lang.ZH_HANT) for name in StepName)]
    assert [text for text in written if to_traditional(text) != text] == []


def test_without_a_cjk_font_charts_are_english_and_say_what_to_install(monkeypatch, caplog):
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.setattr(charts, "CJK_FAMILIES", {lang: ("No Such CJK Font",) for lang in CJK_LANGS})
    monkeypatch.setattr(charts, "_add_unlisted_system_fonts", lambda: False)
    assert chart_families(Lang.KO) is None
    with font_trouble(caplog) as complaints, caplog.at_level(logging.WARNING, logger="bot.charts"):
        for lang in CJK_LANGS:
            assert funnel_png(a_funnel(), lang).startswith(b"\x89PNG")
            assert coverage_png(a_report(), lang).startswith(b"\x89PNG")
    assert complaints == []
    advice = [record for record in caplog.records if record.name == "bot.charts"]
    assert len(advice) == 1 and "fonts-noto-cjk" in advice[0].getMessage()


def installed_font(file_name: str) -> str:
    path = next((path for path in font_manager.findSystemFonts() if Path(path).name == file_name), None)
    if path is None:
        pytest.skip(f"{file_name} is not installed (fonts-noto-cjk)")
    return path


def test_the_font_named_in_the_environment_comes_first_in_each_language_s_face(monkeypatch):
    monkeypatch.setenv(FONT_ENV, installed_font("NotoSerifCJK-Regular.ttc"))
    assert {lang: chart_families(lang)[0] for lang in CJK_LANGS} == {
        Lang.ZH_HANS: "Noto Serif CJK SC", Lang.ZH_HANT: "Noto Serif CJK TC", Lang.KO: "Noto Serif CJK KR"}


def test_a_font_in_the_environment_that_cannot_write_the_language_is_passed_over(monkeypatch):
    needs_a_font_for(Lang.KO)
    installed = chart_families(Lang.KO)
    charts.chart_families.cache_clear()
    monkeypatch.setenv(FONT_ENV, str(Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")))
    assert chart_families(Lang.KO) == installed


def test_a_file_in_the_environment_that_is_no_font_is_reported_and_passed_over(monkeypatch, tmp_path, caplog):
    needs_a_font_for(Lang.ZH_HANS)
    installed = chart_families(Lang.ZH_HANS)
    charts.chart_families.cache_clear()
    not_a_font = tmp_path / "font.ttf"
    not_a_font.write_text("not a font")
    monkeypatch.setenv(FONT_ENV, str(not_a_font))
    with caplog.at_level(logging.WARNING, logger="bot.charts"):
        assert chart_families(Lang.ZH_HANS) == installed
    assert FONT_ENV in caplog.text


def test_an_english_chart_writes_a_chinese_or_korean_segment_too(caplog):
    needs_a_font_for(Lang.ZH_HANS)
    funnel = a_funnel().model_copy(update={"segment": "工厂厂长 / 공장장"})
    with font_trouble(caplog) as complaints:
        png = funnel_png(funnel, Lang.EN)
    assert png.startswith(b"\x89PNG") and complaints == []
