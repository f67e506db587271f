FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY slack ./slack
# Editable, so the package finds knowledge/ and prompts/ beside it in /app.
RUN pip install --no-cache-dir -e ".[openai]"

ENV PLANBOT_DATA_DIR=/data
VOLUME /data
EXPOSE 3000
CMD ["planbot"]
