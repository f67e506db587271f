"""Where a question places the prospect: the 5A stage, how sure that is, and the runner-up.

A stage the question names ("Ask stage", "SQL", "问询"), or one that follows from the BANT
criteria it describes, is taken as said. Otherwise the signal router decides: each stage takes
the score of its best-matching entry (funnel entries count for the stage they pair with), and
the confidence is the top stage's share of a softmax over the stages' scores. When the
runner-up is close, it is kept with its own signal so that the answer can offer both.
"""

import math
from dataclasses import dataclass

from bot.domain.bant import read_bant
from bot.domain.stages import AwarenessStage, FunnelStage, StageMapping, qualify
from bot.knowledge.entries import EntryKind, KnowledgeEntry
from bot.knowledge.router import SignalMatch
from bot.models import StageAlternative
from bot.planning.intent import QuestionIntent

# Softmax temperature over stage scores: at 0.07 a lead of 0.06 over a single close runner-up
# gives 70% confidence. On the tuning sets in eval/ (1,030 answers that name a stage), 17
# wrong stages were given with 70% or more and 25 with less, while 118 right ones were offered
# with their runner-up (at 0.05: 23 sure and wrong, 19 unsure and wrong, 66 right with a
# runner-up); a confident wrong answer is the one that misleads.
TEMPERATURE = 0.07
# Below this confidence the answer names the runner-up too.
UNSURE_BELOW = 0.7
# A stage whose best signal is this similar to the question may answer it on its own.
ROUTE_MIN = 0.3


@dataclass(frozen=True)
class StageReading:
    stage: AwarenessStage | None = None
    funnel: FunnelStage | None = None
    confidence: float | None = None
    # The signal that decided it; empty when the question named the stage or its BANT.
    reason: str = ""
    score: float = 0.0
    # The router's match that decided it (its entry, cue and score of the signals alone), and
    # the asker's words that echo that entry's signals most.
    match: SignalMatch | None = None
    said: str = ""
    alternatives: tuple[StageAlternative, ...] = ()
    # How many BANT criteria the question says are met, and which (when it names them).
    bant_met: int | None = None
    criteria_met: frozenset[str] = frozenset()

    @property
    def named(self) -> bool:
        return self.stage is not None and not self.reason

    @property
    def sure(self) -> bool:
        return self.confidence is not None and self.confidence >= UNSURE_BELOW


RAW_LEAD_MENTIONS = 3


def named_stage(intent: QuestionIntent, question: str, mapping: StageMapping,
                read_criteria: bool = True) -> StageReading | None:
    """The stage a question states: a BANT count or description (``read_criteria``), a funnel
    stage, a 5A stage."""
    met, criteria = intent.bant_count, frozenset()
    if met is None and read_criteria and not intent.stage:
        reading = read_bant(question)
        # Two criteria named, both missing ("no budget or timeline yet"): that says the lead is not
        # sales-ready, not where it is; what else the question says decides. Three or four named
        # and missing describe a raw lead.
        if reading and (reading.met or len(reading.mentioned) >= RAW_LEAD_MENTIONS):
            met, criteria = len(reading.met), reading.met
    if met is not None:
        funnel = qualify(met)
        return StageReading(mapping.awareness_for(funnel), funnel, 1.0, bant_met=met, criteria_met=criteria)
    if intent.funnel and not intent.stage:
        return StageReading(mapping.awareness_for(intent.funnel), intent.funnel, 1.0)
    if intent.stage:
        return StageReading(intent.stage, intent.funnel, 1.0)
    return None


def stage_of(entry: KnowledgeEntry, mapping: StageMapping) -> AwarenessStage | None:
    """The stage an entry's signals speak for: a stage entry's own, a funnel entry's partner."""
    if entry.kind is EntryKind.STAGE:
        return entry.stage
    if entry.kind is EntryKind.FUNNEL and entry.funnel:
        return mapping.awareness_for(entry.funnel)
    return None


def routed_stage(routes: list[SignalMatch], entries: dict[str, KnowledgeEntry], mapping: StageMapping) -> StageReading:
    """The stage the router's matches point to, with its confidence and a close runner-up."""
    best: dict[AwarenessStage, SignalMatch] = {}
    for match in routes:
        stage = stage_of(entries[match.entry_doc_id], mapping)
        if stage and stage not in best:
            best[stage] = match
    if not best:
        return StageReading()
    ranked = sorted(best.items(), key=lambda pair: -pair[1].score)
    top = ranked[0][1].score
    weights = [math.exp((match.score - top) / TEMPERATURE) for _, match in ranked]
    confidence = weights[0] / sum(weights)
    (stage, match), rest = ranked[0], ranked[1:]
    alternatives = ()
    if confidence < UNSURE_BELOW and rest:
        runner_stage, runner = rest[0]
        alternatives = (StageAlternative(stage=runner_stage, reason=runner.signal,
                                         score=round(weights[1] / sum(weights), 3)),)
    # A lead described in sales terms ("only a name and an email") also says its funnel stage.
    entry = entries[match.entry_doc_id]
    funnel = entry.funnel if entry.kind is EntryKind.FUNNEL else None
    return StageReading(stage, funnel, round(confidence, 3), match.signal, match.score, match,
                        alternatives=alternatives)
