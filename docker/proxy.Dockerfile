# syntax=docker/dockerfile:1
# The proxy (compose service "proxy"): Debian bookworm's caddy package, the same Caddy that
# `make prodcheck` runs this Caddyfile with, so what is tested is what is deployed.
# That package is Caddy 2.6.2 built with Go 1.19 and gets few updates: the Caddyfile serves
# HTTP/1.1 only, which keeps Go's known HTTP/2 flaws out of reach. Moving to a newer Caddy
# means changing `buffer_requests` to `request_buffers 120MB` and running make prodcheck
# with that Caddy (docs/deploy.md, "Checking the deployment").
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends caddy ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY docker/Caddyfile /etc/caddy/Caddyfile
COPY docker/proxy-errors /srv/proxy-errors
# Certificates and keys (Let's Encrypt account and issued certificates) live in /data.
ENV XDG_DATA_HOME=/data XDG_CONFIG_HOME=/config
VOLUME ["/data", "/config"]
EXPOSE 80 443
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
