"""The chat model named by PLANBOT_LLM ("openai:gpt-4o-mini", "anthropic:claude-…", "ollama:qwen2.5"),
and calls to it that always end: a deadline, provider errors caught, token use logged."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # langchain loads in ~0.5 s: only where a model is used
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

log = logging.getLogger(__name__)

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


class ModelCalls:
    """Model calls on a pool of their own, at most ``slots`` at once, each with a deadline.

    A call that finds every slot taken fails at once (the rule-based answer is ready), rather
    than queueing behind calls that may hang. A call past its deadline is given up and told so
    through its ``cancelled`` event; it keeps its slot until it really ends, so a provider that
    hangs can hold ``slots`` threads, never more.
    """

    def __init__(self, slots: int):
        self.slots = max(1, slots)
        self._free = threading.BoundedSemaphore(self.slots)
        self._pool = ThreadPoolExecutor(max_workers=self.slots, thread_name_prefix="planbot-llm")

    def call(self, name: str, seconds: float, work: Callable[[threading.Event], object]) -> object:
        """``work(cancelled)`` within ``seconds``; every failure becomes an LlmFailure."""
        if not self._free.acquire(blocking=False):
            raise LlmFailure(f"{name}: all {self.slots} model calls are busy")
        cancelled = threading.Event()

        def run() -> object:
            try:
                return work(cancelled)
            finally:
                self._free.release()

        future = self._pool.submit(run)
        try:
            return future.result(timeout=seconds)
        except FutureTimeout as error:
            cancelled.set()
            raise LlmFailure(f"{name}: no answer within {seconds:g} s") from error
        except LlmFailure:
            raise
        except Exception as error:  # provider errors come in many classes; all mean "no answer"
            raise LlmFailure(f"{name}: {type(error).__name__}: {error}") from error


def stream_text(model: BaseChatModel, messages: list[BaseMessage], on_text: Callable[[str], None],
                cancelled: threading.Event) -> str:
    """Stream a reply, calling ``on_text`` with the text so far; returns the whole text. Once
    ``cancelled`` is set the stream is closed and ``on_text`` is not called again."""
    text, last = "", None
    chunks: Iterator = model.stream(messages)
    try:
        for chunk in chunks:
            if cancelled.is_set():
                raise LlmFailure("answer: cancelled past its deadline")
            text += chunk.content if isinstance(chunk.content, str) else ""
            last = chunk if last is None else last + chunk
            on_text(text)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # ends the provider's HTTP stream now, not when the generator is collected
    log_usage("answer (streamed)", last)
    return text
