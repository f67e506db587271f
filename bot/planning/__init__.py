"""Answers and drafts: rule-based from the knowledge base, an LLM when one is configured."""
