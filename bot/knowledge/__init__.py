"""The knowledge base: entries loaded from knowledge/, synced into Chroma, searched."""
