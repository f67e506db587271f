"""Markdown to Slack mrkdwn, and splitting long text at Slack's limits."""

from markdown_to_mrkdwn import SlackMarkdownConverter

# Slack's limits: a section's text, and blocks in one message.
SECTION_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50

_converter = SlackMarkdownConverter()


def to_mrkdwn(markdown: str) -> str:
    return _converter.convert(markdown)


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
