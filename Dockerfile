FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install --no-cache-dir .

ENV PLANBOT_DATA_DIR=/data \
    PLANBOT_KNOWLEDGE_DIR=/app/knowledge
VOLUME /data
CMD ["planbot"]
