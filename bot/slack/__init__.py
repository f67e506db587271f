"""The Slack face of planbot, on Bolt for Python: listeners, Block Kit, transports."""
