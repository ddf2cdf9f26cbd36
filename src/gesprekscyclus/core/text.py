"""Text as people type it, made safe to store: no NUL characters (PostgreSQL cannot store
them in text or JSON) and no surrounding whitespace. Forms already refuse NUL; services
clean what reaches them by other routes (API, commands, tests)."""


def plain_text(value) -> str:
    return str(value).replace("\x00", "").strip()


def without_nul(value) -> str:
    """Only the NUL characters removed; the text keeps its own spacing (report text)."""
    return str(value).replace("\x00", "")
