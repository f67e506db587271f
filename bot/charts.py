"""Charts as PNGs in the reader's language (matplotlib, no display needed): the coverage heatmap
and the 5A funnel.

Chinese and Korean need a CJK font. The system's Noto Sans CJK (Debian's fonts-noto-cjk) is
found through matplotlib's font manager, in the face made for the language (SC, TC, KR), or any
font named by ``PLANBOT_CHART_FONT``; a font is only used if it has a glyph for every word the
chart prints. Without one, charts are drawn in English: a chart of empty boxes helps nobody.
"""

import io
import logging
import os
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from bot.domain.results import Funnel, FunnelStep, StepName
from bot.i18n import field_label, label, t
from bot.i18n.loop import percent, period_text
from bot.models import AwarenessStage, Channel, CoverageReport, Lang

log = logging.getLogger(__name__)

GAP_FILL = "#fbd5d0"
GAP_EDGE = "#c0392b"
GAP_INSET = 0.06
STEP_FILL = "#4a7fb5"
WEAKEST_FILL = "#d9534f"
QUIET_TEXT = "#6b6b6b"

OWN_MARKS = "→–—…"  # a step's path, a period, a rate not measured, a segment cut short
FONT_ENV = "PLANBOT_CHART_FONT"
LATIN_FAMILY = "DejaVu Sans"  # shipped with matplotlib, so always there
# Each language's face of Noto Sans CJK first (its regional glyph shapes), then its other names.
CJK_FAMILIES: dict[Lang, tuple[str, ...]] = {
    Lang.ZH_HANS: ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Noto Sans CJK JP"),
    Lang.ZH_HANT: ("Noto Sans CJK TC", "Noto Sans CJK HK", "Source Han Sans TC", "Noto Sans TC",
                   "Noto Sans CJK JP"),
    Lang.KO: ("Noto Sans CJK KR", "Source Han Sans KR", "Noto Sans KR", "Noto Sans CJK JP"),
}
# How a pan-CJK collection names the face made for each language: "Noto Serif CJK KR".
FACE_SUFFIXES: dict[Lang, tuple[str, ...]] = {Lang.ZH_HANS: ("SC",), Lang.ZH_HANT: ("TC", "HK"), Lang.KO: ("KR",)}


@dataclass(frozen=True)
class ChartWords:
    """The few words of the charts themselves; stages and channels come from the catalogue."""

    coverage_title: str
    coverage_note: str
    gap: str
    plans: str
    funnel_title: str
    counts: str  # {moved} and {reached}
    no_results: str
    weakest: str
    ratios: str  # {par} and {bar}
    labelled: str  # {name} and {value}


CHART_WORDS: dict[Lang, ChartWords] = {
    Lang.EN: ChartWords(
        coverage_title="Active plans by 5A stage × channel",
        coverage_note="red cells: gaps the knowledge base flags",
        gap="gap",
        plans="plans",
        funnel_title="5A funnel: the share who move on at each step",
        counts="{moved} of {reached} moved on",
        no_results="no results yet",
        weakest="weakest step",
        ratios="PAR (buyers ÷ aware) {par}   ·   BAR (advocates ÷ aware) {bar}",
        labelled="{name}: {value}",
    ),
    Lang.ZH_HANS: ChartWords(
        coverage_title="按5A阶段 × 渠道统计的有效计划",
        coverage_note="红色格子：知识库提示的空白",
        gap="空白",
        plans="计划数",
        funnel_title="5A漏斗：每一步进入下一阶段的比例",
        counts="触达 {reached} 人 · 转化 {moved} 人",
        no_results="暂无成效数据",
        weakest="最薄弱环节",
        ratios="购买行动比率（PAR）{par}   ·   品牌拥护比率（BAR）{bar}",
        labelled="{name}：{value}",
    ),
    Lang.ZH_HANT: ChartWords(
        coverage_title="按5A階段 × 渠道統計的有效計劃",
        coverage_note="紅色格子：知識庫提示的空白",
        gap="空白",
        plans="計劃數",
        funnel_title="5A漏斗：每一步進入下一階段的比例",
        counts="觸及 {reached} 人 · 轉換 {moved} 人",
        no_results="尚無成效資料",
        weakest="最薄弱環節",
        ratios="購買行動比率（PAR）{par}   ·   品牌擁護比率（BAR）{bar}",
        labelled="{name}：{value}",
    ),
    Lang.KO: ChartWords(
        coverage_title="5A 단계 × 채널별 활성 계획",
        coverage_note="빨간 칸: 지식 베이스가 짚은 빈틈",
        gap="빈틈",
        plans="계획 수",
        funnel_title="5A 퍼널: 단계마다 다음 단계로 넘어간 비율",
        counts="도달 {reached}명 중 {moved}명 전환",
        no_results="아직 성과 데이터 없음",
        weakest="가장 약한 단계",
        ratios="구매 행동 비율(PAR) {par}   ·   브랜드 옹호 비율(BAR) {bar}",
        labelled="{name}: {value}",
    ),
}


# Fonts ----------------------------------------------------------------------------------------

@cache
def chart_families(lang: Lang) -> tuple[str, ...] | None:
    """The font families, in fallback order, that write every word of a chart in ``lang``;
    None when no installed font can."""
    if lang is Lang.EN:
        # What people typed (a segment, a channel of their own) may still be Chinese or Korean.
        cjk = chart_families(Lang.ZH_HANS)
        return (LATIN_FAMILY, cjk[0]) if cjk else (LATIN_FAMILY,)
    family = _covering_family(lang) or (_add_unlisted_system_fonts() and _covering_family(lang))
    return (family, LATIN_FAMILY) if family else None


def _covering_family(lang: Lang) -> str | None:
    text = _printed_text(lang)
    return next((family for family in _candidate_families(lang) if _writes(family, text)), None)


def _candidate_families(lang: Lang) -> list[str]:
    override = sorted(_override_families(), key=lambda family: _misfit(family, lang))
    return [*override, *CJK_FAMILIES[lang]]


def _misfit(family: str, lang: Lang) -> int:
    """0 for the face of a collection (a .ttc) made for ``lang``, more for the others."""
    suffixes = FACE_SUFFIXES[lang]
    suffix = family.rsplit(" ", 1)[-1]
    return suffixes.index(suffix) if suffix in suffixes else len(suffixes)


def _override_families() -> list[str]:
    """The families of the font ``PLANBOT_CHART_FONT`` names (every face of a .ttc)."""
    path = os.environ.get(FONT_ENV)
    if not path:
        return []
    if not _add_font(path):
        log.warning("%s=%s is not a font file matplotlib can read; using the installed fonts", FONT_ENV, path)
        return []
    real = os.path.realpath(path)
    return list(dict.fromkeys(entry.name for entry in font_manager.fontManager.ttflist
                              if os.path.realpath(entry.fname) == real))


def _add_unlisted_system_fonts() -> bool:
    """Adds the system fonts matplotlib's font cache lacks (installed after it was built); whether
    there were any."""
    listed = {os.path.realpath(entry.fname) for entry in font_manager.fontManager.ttflist}
    unlisted = [path for path in font_manager.findSystemFonts() if os.path.realpath(path) not in listed]
    added = [path for path in unlisted if _add_font(path)]
    return bool(added)


def _add_font(path: str) -> bool:
    """Makes the font at ``path`` known to matplotlib, once; whether it can be used."""
    real = os.path.realpath(path)
    if any(os.path.realpath(entry.fname) == real for entry in font_manager.fontManager.ttflist):
        return True
    try:
        font_manager.fontManager.addfont(path)
    except (OSError, RuntimeError) as error:
        log.debug("cannot read the font %s: %s", path, error)
        return False
    return True


def _writes(family: str, text: str) -> bool:
    """Whether a face of ``family`` has a glyph for every character of ``text`` beyond ASCII (which
    the Latin fallback writes)."""
    entry = next((entry for entry in font_manager.fontManager.ttflist if entry.name == family), None)
    if entry is None:
        return False
    font = FT2Font(entry.fname, face_index=entry.index)
    return all(font.get_char_index(ord(character)) for character in set(text) if not character.isascii())


def _printed_text(lang: Lang) -> str:
    """Every fixed word a chart in ``lang`` may print."""
    words = CHART_WORDS[lang]
    vocabulary = [label(value, lang) for value in [*AwarenessStage, *Channel]]
    vocabulary += [t(f"stage_short.{stage.value}", lang) for stage in AwarenessStage]
    vocabulary += [field_label("segment", lang), field_label("channel", lang), OWN_MARKS]
    fixed = [value for value in vars(words).values() if isinstance(value, str)]
    rate_names = [label(name, lang) for name in StepName]  # the catalogue's, as in the text replies
    return "".join([*fixed, *rate_names, *vocabulary])


@cache
def _warn_no_cjk_font() -> None:
    # Cached: one warning per process, however many charts fall back.
    log.warning("no installed font has the Chinese or Korean glyphs the charts need, so they are drawn in "
                "English. Install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set %s to a .ttf/.otf/.ttc "
                "file", FONT_ENV)


def _drawable(lang: Lang) -> tuple[Lang, tuple[str, ...]]:
    """The language a chart is drawn in, and its fonts: English when no font writes ``lang``."""
    families = chart_families(lang)
    if families is None:
        _warn_no_cjk_font()
        return Lang.EN, (LATIN_FAMILY,)
    return lang, families


# rcParams belong to the whole process and Slack's handlers run in several threads: one chart is
# drawn at a time, so that none picks up another's fonts.
_drawing = threading.Lock()


@contextmanager
def _drawing_in(lang: Lang) -> Iterator[Lang]:
    """Sets the fonts of a chart in ``lang`` for the block; yields the language to draw it in."""
    with _drawing:
        lang, families = _drawable(lang)
        with matplotlib.rc_context({"font.family": list(families)}):
            yield lang


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


# The coverage heatmap ---------------------------------------------------------------------------

def coverage_png(report: CoverageReport, lang: Lang = Lang.EN) -> bytes:
    """A stage × channel heatmap of plan counts, gaps filled and outlined, in ``lang``."""
    stages = list(AwarenessStage)
    channels = report.channels or []
    grid = [[report.count(stage, channel) for channel in channels] or [0] for stage in stages]
    peak = max(max(row) for row in grid)
    with _drawing_in(lang) as lang:
        words = CHART_WORDS[lang]
        figure = Figure(figsize=(max(6, 0.9 * len(channels) + 2.5), 5.2), dpi=110)
        axes = figure.subplots()
        # At least 1 at the top of the scale, so that a report without plans is white, not mid-green.
        image = axes.imshow(grid, cmap="Greens", aspect="auto", vmin=0, vmax=max(peak, 1))
        axes.set_xticks(range(len(channels)), [label(c, lang) for c in channels], rotation=35, ha="right")
        axes.set_yticks(range(len(stages)), [label(s, lang) for s in stages])
        _draw_cells(axes, grid, channels, {(gap.stage, gap.channel) for gap in report.gaps}, peak, words)
        axes.set_title(f"{words.coverage_title}\n{words.coverage_note}", fontsize=10)
        colorbar = figure.colorbar(image, ax=axes, shrink=0.8)
        colorbar.ax.set_title(words.plans, fontsize=9)  # on top, level: CJK turned sideways is hard to read
        colorbar.locator = MaxNLocator(integer=True)  # counts of plans, not fractions
        colorbar.update_ticks()
        figure.tight_layout()
        return _png(figure)


def _draw_cells(axes: Axes, grid: list[list[int]], channels: list[Channel], gaps: set[tuple[AwarenessStage, Channel]],
                peak: int, words: ChartWords) -> None:
    for row, stage in enumerate(AwarenessStage):
        for column, channel in enumerate(channels):
            if (stage, channel) in gaps:
                _draw_gap(axes, row, column, words)
                continue
            count = grid[row][column]
            color = "white" if peak and count > peak * 0.6 else "black"
            axes.text(column, row, str(count), ha="center", va="center", color=color, fontsize=9)


def _draw_gap(axes: Axes, row: int, column: int, words: ChartWords) -> None:
    # A gap is filled, not just outlined, and inset so that neighbouring gaps stay separate cells
    # instead of merging into one red line.
    axes.add_patch(Rectangle((column - 0.5 + GAP_INSET, row - 0.5 + GAP_INSET), 1 - 2 * GAP_INSET,
                             1 - 2 * GAP_INSET, facecolor=GAP_FILL, edgecolor=GAP_EDGE, linewidth=1.5))
    axes.text(column, row, words.gap, ha="center", va="center", color=GAP_EDGE, fontsize=8, fontweight="bold")


# The 5A funnel ----------------------------------------------------------------------------------

BAR_HEIGHT = 0.56
ROOM_FOR_LABELS = 1.45  # the width is this many times the longest bar, its rate written after it
SCOPE_COLUMNS = 100  # Latin letters that fit on the line under the title
SCOPE_SEPARATOR = "   ·   "


def funnel_png(funnel: Funnel, lang: Lang = Lang.EN) -> bytes:
    """The four steps of the 5A path as bars of their rates, the weakest in red, with PAR and BAR."""
    weakest = _weakest_worth_naming(funnel)
    rates = [step.rate for step in funnel.steps if step.rate is not None]
    width = max(rates, default=0) * ROOM_FOR_LABELS or 1
    with _drawing_in(lang) as lang:
        words = CHART_WORDS[lang]
        figure = Figure(figsize=(9, 4.8), dpi=110, layout="constrained")
        axes = figure.subplots()
        for row, step in enumerate(funnel.steps):
            _draw_step_name(axes, row, label(step.name, lang), _path(step, lang))
            _draw_step(axes, row, step, step.name is weakest, width, words)
        axes.set_xlim(0, width)
        axes.set_ylim(len(funnel.steps) - 0.5, -0.5)  # the first step on top
        _strip_frame(axes)
        _draw_titles(axes, words.funnel_title, _scope(funnel, words, lang))
        figure.supxlabel(words.ratios.format(par=percent(funnel.par), bar=percent(funnel.bar)),
                         fontsize=10, fontweight="bold")
        return _png(figure)


def _weakest_worth_naming(funnel: Funnel) -> StepName | None:
    """The weakest step, when another measured step does better: of one step, or of steps all
    alike, none is weakest."""
    weakest = funnel.weakest()
    best = max((step.rate for step in funnel.steps if step.rate is not None), default=None)
    return weakest.name if weakest and weakest.rate < best else None


def _draw_step(axes: Axes, row: int, step: FunnelStep, weakest: bool, width: float, words: ChartWords) -> None:
    if step.rate is None:
        axes.text(width * 0.01, row, words.no_results, va="center", color=QUIET_TEXT, fontsize=10)
        return
    color = WEAKEST_FILL if weakest else STEP_FILL
    axes.barh(row, step.rate, height=BAR_HEIGHT, color=color)
    rate = f"{percent(step.rate)}   {words.weakest}" if weakest else percent(step.rate)
    after_bar = step.rate + width * 0.012
    axes.text(after_bar, row - 0.08, rate, va="center", fontsize=12, fontweight="bold",
              color=WEAKEST_FILL if weakest else "#222222")
    counts = words.counts.format(moved=f"{step.moved:,}", reached=f"{step.reached:,}")
    axes.text(after_bar, row + 0.22, counts, va="center", fontsize=8.5, color=QUIET_TEXT)


def _path(step: FunnelStep, lang: Lang) -> str:
    return f"{t(f'stage_short.{step.from_stage.value}', lang)} → {t(f'stage_short.{step.to_stage.value}', lang)}"


def _draw_step_name(axes: Axes, row: int, name: str, path: str) -> None:
    """The rate's name over the move it measures ("curiosity rate", "Appeal → Ask"), left of the bar."""
    beside_axis = axes.get_yaxis_transform()  # x in axes fractions, y in rows
    axes.text(-0.02, row - 0.1, name, transform=beside_axis, ha="right", va="center",
              fontsize=10.5, fontweight="bold")
    axes.text(-0.02, row + 0.2, path, transform=beside_axis, ha="right", va="center", fontsize=9,
              color=QUIET_TEXT)


def _strip_frame(axes: Axes) -> None:
    """Bars labelled with their values need no axes, nor a box around them."""
    axes.xaxis.set_visible(False)
    axes.yaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)


def _draw_titles(axes: Axes, title: str, scope: str) -> None:
    # The scope is a quieter line of its own between the title and the bars; the title's pad, in
    # points like the font sizes, leaves it room whatever the script.
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=24 if scope else 8)
    if scope:
        # parse_math off: a segment is the team's text, and "$5k–$20k" is money, not TeX.
        scope_line = axes.annotate(scope, xy=(0, 1), xycoords="axes fraction", xytext=(0, 7),
                                   textcoords="offset points", va="bottom", fontsize=9.5, color=QUIET_TEXT,
                                   parse_math=False)
        scope_line.set_in_layout(False)  # a line too long is cut at the edge, not let squeeze the bars


def _scope(funnel: Funnel, words: ChartWords, lang: Lang) -> str:
    """Which results the funnel counts: segment, channel, period; empty for all of them. The
    segment, the team's own words, is cut short to keep the line within the chart."""
    fixed = []
    if funnel.channel:
        fixed.append(words.labelled.format(name=field_label("channel", lang), value=label(funnel.channel, lang)))
    if funnel.period_start or funnel.period_end:
        fixed.append(period_text(funnel.period_start, funnel.period_end))
    if not funnel.segment:
        return SCOPE_SEPARATOR.join(fixed)
    named = words.labelled.format(name=field_label("segment", lang), value="")
    room = SCOPE_COLUMNS - _columns(SCOPE_SEPARATOR.join([named, *fixed]))
    return SCOPE_SEPARATOR.join([named + _clipped(funnel.segment, max(room, 12)), *fixed])


def _columns(text: str) -> float:
    """About how wide ``text`` is, in Latin letters: a CJK character is as wide as 1.7 of them."""
    return sum(1.7 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _clipped(text: str, columns: float) -> str:
    """``text`` cut to ``columns`` wide, with "…"."""
    if _columns(text) <= columns:
        return text
    while _columns(text) > columns - 1:
        text = text[:-1]
    return text.rstrip() + "…"
