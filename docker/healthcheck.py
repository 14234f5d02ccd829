#!/usr/bin/env python3
"""The container's health check: GET http://127.0.0.1:8000/healthz and expect a 2xx.

/healthz answers 503 when the database, Redis or the worker's heartbeat is not well, so
the web container shows "unhealthy" then too. Django answers 400 to a Host it does not
know, so the request names the first host in ALLOWED_HOSTS. Redirects are not followed:
a redirect is reported as unhealthy, with its status, so a misconfiguration shows up in
`docker inspect` rather than being hidden.
Standard library only; exit code 0 healthy, 1 not.
"""

import http.client
import os
import sys

PORT = int(os.environ.get("PORTAL_HEALTHCHECK_PORT", "8000"))
PATH = os.environ.get("PORTAL_HEALTHCHECK_PATH", "/healthz")


def host_header() -> str:
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=4)
    try:
        # Plain HTTP: settings exempt /healthz from the redirect to HTTPS.
        conn.request("GET", PATH, headers={"Host": host_header()})
        status = conn.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}")
        return 1
    finally:
        conn.close()
    if 200 <= status < 300:
        return 0
    print(f"unhealthy: {PATH} answered {status}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
