"""The optional LLM: a langchain chat model from PLANBOT_LLM, prompts from prompts/, guarded calls."""
