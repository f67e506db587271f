"""The coverage heatmap as a reader sees it: gap cells stand out, each one on its own."""

import io

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.image import imread

from bot.charts import GAP_FILL, coverage_png
from bot.models import AwarenessStage, Channel, CoverageCell, CoverageReport


def _mask(png: bytes, colour: str) -> np.ndarray:
    pixels = imread(io.BytesIO(png))[:, :, :3]
    wanted = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.all(np.abs(pixels - wanted) < 0.02, axis=2)


def _gap_mask(png: bytes) -> np.ndarray:
    return _mask(png, GAP_FILL)


def _runs(row: np.ndarray) -> int:
    """How many separate stretches of True a row of pixels has."""
    return int(np.sum(row[1:] & ~row[:-1]) + row[0])


def test_neighbouring_gaps_are_filled_and_stay_separate_cells():
    # Neighbours in the vocabulary's order, so their cells touch in the chart.
    channels = [Channel.SHORT_VIDEO, Channel.WECHAT_ARTICLE, Channel.BLOG]
    cells = [CoverageCell(stage=stage, channel=channel, plans=2 if channel is Channel.BLOG else 0)
             for stage in AwarenessStage for channel in channels]
    gaps = [CoverageCell(stage=AwarenessStage.AWARE, channel=channel, plans=0)
            for channel in (Channel.SHORT_VIDEO, Channel.WECHAT_ARTICLE)]
    mask = _gap_mask(coverage_png(CoverageReport(cells=cells, gaps=gaps)))
    assert mask.sum() > 500  # the gap cells are filled, not only outlined
    rows = np.flatnonzero(mask.any(axis=1))
    near_the_top = mask[rows[0] + 3]  # above the "gap" label, which interrupts the fill
    assert _runs(near_the_top) == 2  # two gap cells side by side, with a border between them


def test_a_report_without_gaps_has_no_gap_colour():
    cells = [CoverageCell(stage=stage, channel=Channel.BLOG, plans=1) for stage in AwarenessStage]
    assert not _gap_mask(coverage_png(CoverageReport(cells=cells, gaps=[]))).any()


def test_a_report_without_plans_is_an_empty_grid_of_every_stage():
    png = coverage_png(CoverageReport(cells=[], gaps=[]))
    no_plans = _mask(png, to_hex(colormaps["Greens"](0.0)))
    assert no_plans.sum() > 50_000  # the whole grid in the colour of zero, not one green row
    assert np.ptp(np.flatnonzero(no_plans.any(axis=1))) > 300  # from the Aware row down to Advocate
