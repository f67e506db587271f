"""The stage × channel coverage of a team's plans, and the gaps worth filling."""

from bot.domain.channels import Channel
from bot.domain.rules import Rulebook
from bot.domain.stages import AwarenessStage
from bot.models import CoverageCell, CoverageReport


def coverage_report(counts: dict[tuple[AwarenessStage, Channel], int], rulebook: Rulebook) -> CoverageReport:
    """Every cell with its count; the gaps are the empty cells the knowledge base says fit.

    Gaps come stage by stage along the journey, each stage's channels in the order the
    knowledge base lists them (its strongest first).
    """
    cells = [
        CoverageCell(stage=stage, channel=channel, plans=counts.get((stage, channel), 0))
        for stage in AwarenessStage
        for channel in Channel
    ]
    gaps = [
        CoverageCell(stage=stage, channel=channel, plans=0)
        for stage in AwarenessStage
        for channel in rulebook.stage_channels.get(stage, [])
        if counts.get((stage, channel), 0) == 0
    ]
    return CoverageReport(cells=cells, gaps=gaps)
