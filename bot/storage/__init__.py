"""Durable storage: the plan log (content plan cards, their history and search) in SQLite."""
