"""Cycles: one employee's period under one regulation version, and what is due in it."""
