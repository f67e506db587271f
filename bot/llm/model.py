"""The chat model named by PLANBOT_LLM ("openai:gpt-4o-mini", "anthropic:claude-…", "ollama:qwen2.5"),
and calls to it that always end: a deadline, provider errors caught, token use logged."""

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

_DEADLINES = ThreadPoolExecutor(max_workers=4, thread_name_prefix="planbot-llm")


class LlmFailure(RuntimeError):
    """The model gave no usable result; the reason says why (timeout, provider error, …)."""


def chat_model(spec: str, timeout: float) -> BaseChatModel:
    """langchain's init_chat_model; provider settings (API key, base URL) come from their usual
    environment variables, e.g. OPENAI_API_KEY and OPENAI_BASE_URL."""
    from langchain.chat_models import init_chat_model

    return init_chat_model(spec, timeout=timeout, max_retries=0)


def log_usage(call: str, message: BaseMessage | None) -> None:
    usage = getattr(message, "usage_metadata", None) or {}
    log.info("llm %s: %s input tokens, %s output tokens", call, usage.get("input_tokens", "?"),
             usage.get("output_tokens", "?"))


def within_deadline(call: str, seconds: float, work: Callable[[], object]) -> object:
    """Run ``work`` and give up after ``seconds``; every failure becomes an LlmFailure."""
    future = _DEADLINES.submit(work)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout as error:
        raise LlmFailure(f"{call}: no answer within {seconds:g} s") from error
    except LlmFailure:
        raise
    except Exception as error:  # provider errors come in many classes; all mean "no answer"
        raise LlmFailure(f"{call}: {type(error).__name__}: {error}") from error


def stream_text(model: BaseChatModel, messages: list[BaseMessage], on_text: Callable[[str], None]) -> str:
    """Stream a reply, calling ``on_text`` with the text so far; returns the whole text."""
    text, last = "", None
    chunks: Iterator = model.stream(messages)
    for chunk in chunks:
        text += chunk.content if isinstance(chunk.content, str) else ""
        last = chunk if last is None else last + chunk
        on_text(text)
    log_usage("answer (streamed)", last)
    return text
