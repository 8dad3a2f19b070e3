# syntax=docker/dockerfile:1.7
#
# The eval-api image: builds the Spring Boot jar from this repository, then runs it on a Temurin 17 JRE as uid 10001.
# Build from the repository root (docs/operations.md, "Container images"):
#
#   docker build -f deploy/docker/eval-api.Dockerfile -t registry.example.com/assay/eval-api:0.1.0 .
#
# Base images are pinned; bump them deliberately (and pin digests in your own registry if you mirror them).
ARG JDK_IMAGE=eclipse-temurin:17.0.19_10-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17.0.19_10-jre-noble

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/cache/maven \
    ./mvnw -B -ntp -Dmaven.repo.local=/cache/maven -DskipTests -pl eval-api -am package
# Spring Boot's layered extraction: dependencies change less often than the application, so pushes stay small.
RUN java -Djarmode=tools -jar "$(ls eval-api/target/eval-api-*.jar)" extract --layers --launcher --destination /layers

FROM ${JRE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="assay eval-api" \
      org.opencontainers.image.description="Assay's HTTP API; applies the database migrations at start-up" \
      org.opencontainers.image.version="${VERSION}"
RUN groupadd --system --gid 10001 assay \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin assay
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
