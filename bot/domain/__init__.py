"""The journey domain: pure models and rules, no I/O."""
