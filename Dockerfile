# Riskflow worker and gateway (docker-compose.yml picks the command).
# The TypeScript sources run through tsx, which is a runtime dependency, so there is no build
# step; dev dependencies (jest, eslint, typescript) are left out.
FROM node:20-bookworm-slim

WORKDIR /app

# `npm install`, not `npm ci`: the lockfile is written by npm 11, which leaves out other
# platforms' optional binaries that `npm ci` would then insist on.
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# The data folder (the development command signing key): a named volume mounted here starts with
# this directory's owner, so the node user can write it.
RUN mkdir -p /var/lib/riskflow && chown node:node /var/lib/riskflow

USER node

# `node --import tsx` runs in one process, so SIGTERM from `docker stop` reaches Riskflow's own
# shutdown handler (an `npx tsx` wrapper would sit in between).
CMD ["node", "--import", "tsx", "src/system/gateway.main.ts"]
