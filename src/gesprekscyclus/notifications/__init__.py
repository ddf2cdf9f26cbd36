"""Reminders: who must be reminded of what, once per reason and step, by e-mail and in-app."""
