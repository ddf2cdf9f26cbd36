"""Gesprekscyclus: the conversation cycle of Dutch public employers."""

__version__ = "0.1.0"
