"""The audit log also goes to stdout, one JSON object per line, for a log system."""

import json
import logging


class JsonFormatter(logging.Formatter):
    """Formats a record whose ``audit`` attribute holds the event's fields as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {"logger": record.name, "level": record.levelname}
        payload.update(getattr(record, "audit", None) or {"message": record.getMessage()})
        return json.dumps(payload, ensure_ascii=False, default=str, sort_keys=True)
