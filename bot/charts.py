"""The coverage heatmap as a PNG (matplotlib, no display needed)."""

import io

from bot.i18n import label
from bot.models import AwarenessStage, CoverageReport, Lang

GAP_FILL = "#fbd5d0"
GAP_EDGE = "#c0392b"
GAP_INSET = 0.06


def coverage_png(report: CoverageReport) -> bytes:
    """A stage × channel heatmap of plan counts, gaps outlined.

    Labels are English: the machines this runs on have no CJK font, and a chart of empty
    boxes helps nobody.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    stages = list(AwarenessStage)
    channels = report.channels or []
    grid = [[report.count(stage, channel) for channel in channels] for stage in stages]
    gaps = {(gap.stage, gap.channel) for gap in report.gaps}

    figure, axes = plt.subplots(figsize=(max(6, 0.9 * len(channels) + 2.5), 5.2), dpi=110)
    image = axes.imshow(grid if channels else [[0]], cmap="Greens", aspect="auto", vmin=0)
    axes.set_xticks(range(len(channels)), [label(c, Lang.EN) for c in channels], rotation=35, ha="right")
    axes.set_yticks(range(len(stages)), [label(s, Lang.EN) for s in stages])
    peak = max((max(row) for row in grid if row), default=0)
    for row, stage in enumerate(stages):
        for column, channel in enumerate(channels):
            count = grid[row][column]
            if (stage, channel) in gaps:
                # A gap is filled, not just outlined, and inset so that neighbouring gaps stay
                # separate cells instead of merging into one red line.
                axes.add_patch(Rectangle((column - 0.5 + GAP_INSET, row - 0.5 + GAP_INSET), 1 - 2 * GAP_INSET,
                                         1 - 2 * GAP_INSET, facecolor=GAP_FILL, edgecolor=GAP_EDGE, linewidth=1.5))
                axes.text(column, row, "gap", ha="center", va="center", color=GAP_EDGE, fontsize=8,
                          fontweight="bold")
                continue
            color = "white" if peak and count > peak * 0.6 else "black"
            axes.text(column, row, str(count), ha="center", va="center", color=color, fontsize=9)
    axes.set_title("Active plans by 5A stage × channel\nred cells: gaps the knowledge base flags", fontsize=10)
    colorbar = figure.colorbar(image, ax=axes, shrink=0.8, label="plans")
    colorbar.locator = MaxNLocator(integer=True)  # counts of plans, not fractions
    colorbar.update_ticks()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
