"""The personnel file: append-only, hash-chained entries with sealed PDFs."""
