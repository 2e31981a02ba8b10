# deploy-checker container image: docs/deploy.md explains how to run it.
#
#   docker build -t deploy-checker .
#   docker run --env-file .env -p 3000:3000 -v deploy-checker-data:/app/data deploy-checker
#
# test/e2e/production-tree.test.ts repeats these steps without Docker (build, prune, copy what the runtime stage
# copies, run CMD, run HEALTHCHECK), reading this file for the COPY sources, ENV, VOLUME, CMD and HEALTHCHECK.

# ---- build: compile TypeScript, then drop the dev dependencies ----
FROM node:24-bookworm-slim AS build
# better-sqlite3 downloads a prebuilt binary; when none fits (or the download fails) node-gyp compiles it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so this layer is reused until the lock file changes. Scripts wait for the sources:
# `prepare` builds dist/, which needs src/.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Install scripts of the dependencies (better-sqlite3's native binding), then the build, then the prune.
RUN npm rebuild \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled JavaScript and production dependencies only ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root app.yml ./app.yml
# The code is owned by root and read-only for the app; only the SQLite directory (the default
# DATABASE_URL, sqlite:./data/deploy-checker.sqlite) is writable by the unprivileged `node` user.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# /healthz: the process is alive (Kubernetes uses /readyz for readiness). No curl in the slim image: node's fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM starts the graceful drain (SHUTDOWN_TIMEOUT_MS, default 25 s); node runs as PID 1 without a shell.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
