# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies, run with production dependencies only.
# The runtime is the current Node LTS, the same version .ci/run installs and runs the whole suite on
# (tools/scripts/node-lts.sh reads NODE_VERSION from this line); the code also runs on Node 20.
# test/integration/container-commands.test.ts reads this file: the build stage's npm commands must be
# .ci/run's, and it starts the server with CMD and ENV below, on a read-only tree, and runs HEALTHCHECK.
ARG NODE_VERSION=26.12.1

FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source where no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY tools/scripts/prepare.mjs ./tools/scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY tools/scripts ./tools/scripts
COPY src ./src
COPY crypto ./crypto
COPY views ./views
COPY static ./static
RUN npm run build

FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY tools/scripts/prepare.mjs ./tools/scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-slim AS runtime
# Everything the process writes goes to DATA_DIR (the SQLite file, first-run files); the rest of the
# filesystem may be mounted read-only (compose.yaml: read_only, tmpfs /tmp, a volume on /data).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/static ./static
COPY --chown=root:root views ./views
COPY --chown=root:root package.json ./
# The code belongs to root and is read-only for the app's user; only /data is its own. Numeric ids
# (the image's `node` user) so that orchestrators can check runAsNonRoot.
RUN mkdir -p /data && chown 1000:1000 /data && chmod 0700 /data
USER 1000:1000
VOLUME ["/data"]
EXPOSE 3000
STOPSIGNAL SIGTERM
# The slim image has no curl: Node's own fetch asks /healthz (200 when the store answers, else 503).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/server.js"]
