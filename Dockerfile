# syntax=docker/dockerfile:1
#
# One image for every role of the one binary: serve, router,
# subgraph <catalog|video|chat|insights>, migrate, seed, reindex, config,
# probe. No role needs anything beyond the statically linked Go binary and
# the built web app: there is no ffmpeg (transcoding) or ONNX (model
# inference) role yet, so a distroless static image with no shell, libc or
# package manager suffices. A role that needs native libraries will get
# its own final stage then.
#
#   docker build -t cinegraph --build-arg VERSION=$(git describe --always) \
#     --build-arg COMMIT=$(git rev-parse HEAD) .
#   docker run --read-only --tmpfs /tmp -v cinegraph-data:/data -p 127.0.0.1:4000:4000 cinegraph
#
# The root filesystem may be read-only: everything the binary writes goes
# to the data directory /data (embedded SQLite databases and event log,
# search index, demo token keys, data_dir/router-token in the demo profile)
# or to /tmp (SQLite's temporary files). Mount a volume at /data and a
# tmpfs at /tmp.

ARG GO_VERSION=1.26.8
ARG NODE_VERSION=20

# The web app: platform-independent output, built once on the build host.
FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# The binary: cross-compiled on the build host for the target platform, no
# cgo (the SQLite driver is pure Go), reproducible paths.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS TARGETARCH
# Empty: `cinegraph version` falls back to what the toolchain recorded.
ARG VERSION=""
ARG COMMIT=""
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/cinegraph ./cmd/cinegraph \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=""
ARG COMMIT=""
LABEL org.opencontainers.image.title="cinegraph" \
      org.opencontainers.image.source="https://github.com/cinegraph/cinegraph" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}"
COPY --from=build /out/cinegraph /cinegraph
COPY --from=web /src/frontend/dist /srv/frontend
# The data directory, owned by nonroot (65532) so that a fresh named volume
# mounted there inherits that owner.
COPY --from=build --chown=65532:65532 /out/data /data
ENV CINEGRAPH_DATA_DIR=/data \
    CINEGRAPH_FRONTEND_DIR=/srv/frontend
WORKDIR /data
USER 65532:65532
EXPOSE 4000
# `serve` and `router` on their default port; other roles (subgraphs on
# 4001-4004) set their own health check where they run (compose, Helm).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/cinegraph", "probe", "http://127.0.0.1:4000/health/live"]
ENTRYPOINT ["/cinegraph"]
CMD ["serve", "--listen", "0.0.0.0:4000"]
