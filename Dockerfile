# syntax=docker/dockerfile:1
#
# One image for all three apps (gateway, inventory, zone); the command picks the app:
#   docker build -t hot-state-backend .
#   docker run hot-state-backend node dist/apps/inventory/apps/inventory/src/main.js
#
# Targets:
#   build    - full dependencies and sources, compiles every app into dist/.
#   tools    - the build stage plus scripts/, running as `node`: runs the one-shot
#              TypeScript jobs (`npm run db:migrate`, `npm run topics:provision`).
#              These run through tsx, a devDependency, so they need the full
#              node_modules; reusing the build stage costs no extra install and keeps
#              the runtime image free of dev dependencies and TypeScript sources.
#   runtime  - (default, last stage) production dependencies and the compiled dist/
#              only, NODE_ENV=production, non-root `node` user.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first so the layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build

FROM build AS tools
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
# tsx resolves the @app/* path aliases through tsconfig.json (already in /app).
COPY scripts ./scripts
USER node
CMD ["npm", "run", "db:migrate"]

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
# Gateway (HTTP + Socket.IO), inventory and zone (health endpoints) default ports.
EXPOSE 3000 3001 3002
CMD ["node", "dist/apps/gateway/apps/gateway/src/main.js"]
