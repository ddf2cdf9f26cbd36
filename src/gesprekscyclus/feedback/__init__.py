"""Feedback asked and given at any time, and the development scan; both belong to the employee."""
