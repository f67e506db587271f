"""Prompt templates, one YAML file each in prompts/, loaded by name."""

from functools import cache
from pathlib import Path

import yaml
from langchain_core.prompts import ChatPromptTemplate

from bot.config import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"
_ROLES = ("system", "human", "ai")


@cache
def load_prompt(name: str, folder: Path = PROMPTS_DIR) -> ChatPromptTemplate:
    """prompts/<name>.yaml as a chat prompt: its system / human / ai keys, in that order."""
    data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    messages = [(role, data[role]) for role in _ROLES if data.get(role)]
    if not messages:
        raise ValueError(f"prompt {name!r} has no system, human or ai text")
    return ChatPromptTemplate.from_messages(messages)
