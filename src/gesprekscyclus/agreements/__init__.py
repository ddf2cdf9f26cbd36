"""Agreements (afspraken) with their history, and the individual work plan."""
