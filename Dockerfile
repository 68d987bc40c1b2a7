# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies, run with production dependencies only.
# The runtime is the current Node LTS, the same version .ci/run installs and runs the whole suite on
# (tools/scripts/node-lts.sh reads NODE_VERSION from this line); the code also runs on Node 20.
ARG NODE_VERSION=26.12.1
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
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
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/static ./static
COPY views ./views
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/server.js"]
