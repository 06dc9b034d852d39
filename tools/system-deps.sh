#!/usr/bin/env bash
# Debian packages that some tests talk to for real: Tesseract (OCR), PostgreSQL (the
# production Dagster instance) and Chromium (the web UI in a browser). Idempotent: installs
# only what is missing. Without root or apt the tests that need these skip and say why.
set -uo pipefail
want=()
command -v tesseract >/dev/null 2>&1 || want+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-ara)
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || want+=(postgresql)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
if [ ${#want[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: cannot install ${want[*]} (needs root and apt-get); tests that need them will skip" >&2
  exit 0
fi
echo "system-deps: installing ${want[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1 \
  || echo "system-deps: apt-get install ${want[*]} failed; tests that need them will skip" >&2
exit 0
