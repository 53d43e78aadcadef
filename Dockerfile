# wtcheck in a container: the static release binary alone, on a distroless base, run as a
# non-root user. See README ("Releases and installation") and docs/release.md.
#
#   docker build -t wtcheck .
#   docker run --rm -v "$PWD:/data" wtcheck check /data/extract.ndjson
#
# Stamp the version as `make image` does:
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) \
#     --build-arg COMMIT=$(git rev-parse HEAD) --build-arg DATE=$(git log -1 --format=%cI) -t wtcheck .

# The Go version go.mod names (a test keeps them equal): the same compiler and the same make
# target as `make release`, so the image's binary is built as the release's linux binary is.
ARG GO_VERSION=1.26.8

# The build runs on the builder's own platform and cross-compiles (no emulation for
# `docker buildx build --platform linux/amd64,linux/arm64`).
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-trixie AS build
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=1970-01-01T00:00:00Z
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN make release-binary TARGETOS="$TARGETOS" TARGETARCH="$TARGETARCH" OUT=/out/wtcheck \
      VERSION="$VERSION" COMMIT="$COMMIT" DATE="$DATE"

# distroless/static: no shell, no package manager; CA certificates, /etc/passwd with the
# "nonroot" user (65532) and the time-zone database (for TZ below) only. Pin it by digest
# for a reproducible image: docker buildx imagetools inspect gcr.io/distroless/static-debian12:nonroot
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wtcheck /wtcheck
# "Today" (the as-of date of a record without extract_date) is England's today.
ENV TZ=Europe/London
USER 65532:65532
WORKDIR /data
ENTRYPOINT ["/wtcheck"]
CMD ["--help"]
