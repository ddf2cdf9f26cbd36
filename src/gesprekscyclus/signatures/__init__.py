"""Signing a report version: what was shown is hashed, each required party signs it."""
