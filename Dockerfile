# The portal's image: web (gunicorn), worker and beat all run it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Static files are collected into the image and served by whitenoise. The key and host given
# here exist only for this command: production settings insist on them, the image keeps neither.
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal \
 && mkdir -p /app/var/media \
 && chown -R portal:portal /app/var

USER portal

ENV DJANGO_ENV=production \
    MEDIA_ROOT=/app/var/media

EXPOSE 8000

# Gunicorn takes its number of workers from WEB_CONCURRENCY. Healthchecks are in
# docker-compose.yml: the worker and beat run this image too, without a web server.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
