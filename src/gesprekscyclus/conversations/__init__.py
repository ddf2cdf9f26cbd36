"""Conversations: planning one, preparing it, holding it, and its report and attachments."""
