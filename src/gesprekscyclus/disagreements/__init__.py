"""Disagreement about a conversation, and delegation of conversations to another person."""
