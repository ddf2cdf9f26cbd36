"""Gunicorn settings for production (and the load benchmark, which starts the application
the same way): ``gunicorn -c python:gesprekscyclus.conf.gunicorn gesprekscyclus.conf.wsgi``.

Every value can be changed from the environment, so a container needs no other file.
Application servers keep no state of their own (sessions, tasks and files live in the
database and MEDIA_ROOT), so several of them can run behind one load balancer.
"""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
# Synchronous workers: a request is a handful of indexed queries and a template, so one
# process per core keeps the latency flat; WEB_CONCURRENCY is gunicorn's own convention.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), which bounds slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Access log lines on stdout for the platform's log collector; "" switches them off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
