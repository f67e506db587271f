"""Markdown to Slack mrkdwn, and splitting long text at Slack's limits."""

from markdown_to_mrkdwn import SlackMarkdownConverter

from bot.slack.safe import escape

# Slack's limits: a section's text, and blocks in one message.
SECTION_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50

_converter = SlackMarkdownConverter()


def to_mrkdwn(markdown: str) -> str:
    """Markdown (an answer, a model's text) as mrkdwn that can mention nobody and link nowhere."""
    # Escaped first: Slack syntax anyone typed (<!channel>, <https://…|…>) becomes text, while
    # Markdown links, which planbot lets through only from its knowledge base, still convert.
    return _converter.convert(escape(markdown))


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at paragraph, then line, then word breaks."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or max(window.rfind(" "), 0)
        if cut < limit // 3:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
