# Gesprekscyclus: one image for the application servers, the worker, the daily jobs and
# migrations (docs/operations.md). Settings come from the environment (docs/configuration.md).
#
#   docker build -t gesprekscyclus .
#   docker run --env-file prod.env -p 8000:8000 gesprekscyclus                # application server
#   docker run --env-file prod.env gesprekscyclus python manage.py run_worker  # worker
#   docker run --env-file prod.env gesprekscyclus python manage.py migrate     # once per upgrade
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders the personnel file's PDFs with Pango; DejaVu gives it fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The processes run as this user; a fixed uid makes volume permissions predictable.
RUN useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin gesprekscyclus

WORKDIR /app

# Dependencies first (a separate layer, rebuilt only when they change), pinned by the lock.
COPY requirements/base.txt requirements/base.txt
COPY constraints.txt constraints.txt
RUN pip install -r requirements/base.txt -c constraints.txt

COPY manage.py ./
COPY src/ src/

# src/ on the path for gunicorn (the commands get it from manage.py). Static files live in
# the image, outside VAR_DIR, so a volume mounted on VAR_DIR does not hide them.
ENV PYTHONPATH=/app/src \
    DJANGO_SETTINGS_MODULE=gesprekscyclus.conf.settings \
    VAR_DIR=/var/lib/gesprekscyclus \
    STATIC_ROOT=/app/static \
    BIND=0.0.0.0:8000

# Collect the static files for WhiteNoise at build time. The key exists for this step only:
# the settings refuse to load without one, and collectstatic signs nothing.
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/gesprekscyclus/media \
    && chown -R gesprekscyclus:gesprekscyclus /var/lib/gesprekscyclus

USER gesprekscyclus
EXPOSE 8000

# GET /health/ runs SELECT 1. Django answers 400 to a host not in ALLOWED_HOSTS, so the
# check sends the first one. (The worker's container has no web server: turn it off there.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.*') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/health/', headers={'Host': h}), timeout=4)"]

CMD ["gunicorn", "-c", "python:gesprekscyclus.conf.gunicorn", "gesprekscyclus.conf.wsgi"]
