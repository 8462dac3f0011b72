#!/usr/bin/env bash
# Make sure Debian's Chromium and the CJK fonts are there for tests/browser.
# Installs them with apt-get when run as root; otherwise says why the browser tests will skip.
# Never downloads a browser of Playwright's own (`playwright install`): these machines cannot.
set -uo pipefail

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed" || missing+=(fonts-noto-cjk)
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} for the browser tests (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; then
        exit 0
    fi
    echo "WARNING: apt-get could not install ${missing[*]}." >&2
else
    echo "NOTE: ${missing[*]} missing and not root with apt-get: install them" \
        "(sudo apt-get install chromium fonts-noto-cjk) to run the browser tests." >&2
fi
if [[ ! -x /usr/bin/chromium ]]; then
    echo "NOTE: the browser tests (tests/browser) will be skipped: /usr/bin/chromium is missing." >&2
fi
exit 0
