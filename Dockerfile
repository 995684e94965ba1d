# One image for the three Fledge server processes (api, worker, serving); docker-compose.yml
# picks the process by command. Build: docker build -t fledge . (also the SageMaker image: `serve`).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# onnxruntime-node's install script fetches GPU libraries; the CPU binary ships in the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip NX_NO_CLOUD=true NX_DAEMON=false
COPY . .
# Same fallback as scripts/env.sh: `npm ci` refuses a lockfile made where other platforms'
# optional packages were unavailable; `npm install --no-save` keeps the locked versions.
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund
# `prisma generate` never uses the schema engine but checks that one exists.
RUN PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" npx prisma generate --config prisma.config.ts \
  && npx nx run-many -t build

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production FLEDGE_MODE=distributed FLEDGE_DATA_DIR=/var/lib/fledge
# node_modules keeps its dev dependencies: the migration runner (scripts/run.mjs) compiles the
# TypeScript migrate CLI with swc at run time.
COPY --from=build /app /app
# Amazon SageMaker starts inference containers as `docker run <image> serve`: the same image is
# Fledge's default SageMaker image (the serving runtime on :8080 with /ping and /invocations,
# serving the model.tar.gz SageMaker extracts into /opt/ml/model).
RUN printf '#!/bin/sh\nexec node /app/apps/serving/dist/sagemaker-main.js "$@"\n' >/usr/local/bin/serve \
  && chmod 755 /usr/local/bin/serve
RUN mkdir -p /var/lib/fledge && chown node:node /var/lib/fledge
USER node
EXPOSE 4000 8080 8081
CMD ["node", "apps/api/dist/main.js"]
