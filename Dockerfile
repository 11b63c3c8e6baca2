# Two stages: build the wheel and its dependencies, then copy only the virtualenv.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /venv
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
RUN /venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
# DejaVu Sans draws the funnel chart's Norwegian letters (Pillow's own font has no æ, ø, å).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 prospekt && mkdir /data && chown prospekt /data
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/prospekt.sqlite3
USER prospekt
WORKDIR /home/prospekt
VOLUME ["/data"]
# Migrations run at start; SIGTERM (docker stop) shuts down cleanly.
CMD ["python", "-m", "bot"]
