"""Container healthcheck: GET /healthz as the reverse proxy would send it; exit 0 when healthy.

The request names an allowed host and says it came over HTTPS, as the TLS-terminating proxy
does; otherwise production settings would refuse the host or redirect to HTTPS.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(  # noqa: S310 — a fixed http URL on the loopback
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
