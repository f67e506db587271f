"""Text from people and models, fuzzed: once escaped it mentions nobody and links nowhere, and
a spreadsheet never runs an exported cell."""

import csv
import io

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.planning.llm import drop_foreign_links
from bot.slack.safe import WORD_JOINER, escape, person
from bot.storage.csv_codec import record_to_plan, write_rows

# Text that leans towards what an attacker would type into a title or a prompt.
HOSTILE_PIECES = st.sampled_from(["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<#C1>", "<!subteam^S1>",
                                  "<https://x.example|y>", "@channel", "@Here", "@everyone", "&lt;", "<", ">",
                                  "&", "=HYPERLINK(\"x\")", "+1", "-2", "@SUM(1)", "\t", "\r", "https://x.example"])
HOSTILE_TEXT = st.lists(st.one_of(HOSTILE_PIECES, st.text(max_size=8)), max_size=12).map("".join)


@given(HOSTILE_TEXT)
@settings(max_examples=400, deadline=None)
def test_escaped_text_has_no_mention_or_link_slack_would_act_on(text):
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    for broadcast in ("@channel", "@here", "@everyone"):
        assert broadcast not in escaped.lower()
    # Nothing is lost: unescaping gives the text back.
    unescaped = escaped.replace(WORD_JOINER, "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == text


def test_only_slack_user_ids_become_mentions():
    assert person("U123ABC") == "<@U123ABC>" and person("W9XYZ") == "<@W9XYZ>"
    assert person("ann") == "ann" and person("!channel") == "!channel" and person("U1>|x") == "U1&gt;|x"


@given(HOSTILE_TEXT)
@settings(max_examples=200, deadline=None)
def test_model_text_keeps_no_link_outside_the_knowledge_base(text):
    kept, _ = drop_foreign_links(text + " see [this](https://evil.example/a) https://evil.example/b", set())
    assert "evil.example" not in kept and "https://x.example" not in kept


@given(HOSTILE_TEXT.filter(lambda text: text.strip() == text and "\x00" not in text))
@example("'@channel")  # an apostrophe a person typed before a formula start (found by this test)
@settings(max_examples=200, deadline=None)
def test_an_exported_title_never_starts_a_formula_and_imports_back_unchanged(title):
    title = title[:150]
    buffer = io.StringIO()
    row = {column: None for column in ("id", "content_title")} | {"content_title": title}
    from bot.storage.csv_codec import CSV_COLUMNS

    write_rows([{column: row.get(column) for column in CSV_COLUMNS}], buffer)
    [header, cells] = list(csv.reader(io.StringIO(buffer.getvalue())))
    cell = cells[header.index("content_title")]
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert record_to_plan(dict(zip(header, cells, strict=True))).content.title == title
