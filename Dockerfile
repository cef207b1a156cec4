# photoferry's image: Debian bookworm + Node 24, run as a non-root user under tini.
#
#   docker build -t photoferry .
#
# Build arguments:
#   BASE_IMAGE       the Node image both stages start from (Debian-based: the build stage
#                    uses apt-get). Default: node:24-bookworm-slim.
#   CA_CERTIFICATES  PEM text of extra certificate authorities to trust, for networks whose
#                    TLS goes through an intercepting proxy. Used by npm during the build and
#                    by photoferry at run time (ntfy, webhooks, PhotoPrism over https):
#                      docker build --build-arg CA_CERTIFICATES="$(cat corp-ca.crt)" .
#                    Certificates are public, but they do show in `docker history`.
ARG BASE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS build

# better-sqlite3 is a native addon. When no prebuilt binary can be downloaded (offline,
# proxies), it is compiled: node-gyp needs python3, make and g++, and takes the Node
# headers from the image itself instead of downloading them.
ARG CA_CERTIFICATES=""
# The CA file is always written (maybe empty), so NODE_EXTRA_CA_CERTS never names a missing file.
RUN printf '%s\n' "$CA_CERTIFICATES" > /usr/local/share/photoferry-extra-ca.pem \
 && apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/photoferry-extra-ca.pem \
    npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

WORKDIR /app
COPY . .
# One step, so the build adds one layer (every layer is a full copy on some storage drivers).
# --ignore-scripts: `prepare` would build twice; the one install script photoferry needs
# (better-sqlite3's) runs on its own. Then production dependencies only, of better-sqlite3
# only the compiled addon, and nothing of the sources but dist/ and package.json.
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3 \
 && npm run build \
 && chmod 755 dist/cli/bin.js \
 && npm prune --omit=dev --ignore-scripts \
 && cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/ \
 && cd /app \
 && find . -mindepth 1 -maxdepth 1 ! -name dist ! -name node_modules ! -name package.json \
      -exec rm -rf {} + \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

# ---------------------------------------------------------------------------------------
FROM ${BASE_IMAGE}

# tini as PID 1: forwards SIGTERM to photoferry (which then stops within 25 s) and reaps
# the zombies that child processes can leave. npm, yarn and the headers are not needed to
# run and only widen what an attacker could use. /config belongs to uid 33 (www-data, the
# web server user of the official Nextcloud image, which owns the photos photoferry moves):
# a named volume mounted there starts with this owner. With another --user (e.g.
# linuxserver's 911), chown the volume to match.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx \
           /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
           /usr/local/include/node \
 && ln -s /app/dist/cli/bin.js /usr/local/bin/photoferry \
 && mkdir -p /config \
 && chown 33:33 /config

COPY --from=build /usr/local/share/photoferry-extra-ca.pem /usr/local/share/photoferry-extra-ca.pem
COPY --from=build /app /app
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/photoferry-extra-ca.pem \
    NODE_ENV=production \
    PHOTOFERRY_CONFIG=/config/photoferry.yaml
WORKDIR /app

USER 33:33
VOLUME /config
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["photoferry", "healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "photoferry"]
CMD ["serve"]
