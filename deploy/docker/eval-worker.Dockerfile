# syntax=docker/dockerfile:1.7
#
# The eval-worker images, two targets of one file (docs/operations.md, "Container images"), built from the repository root:
#
#   cpu:  ONNX Runtime's CPU natives on a Temurin 17 JRE
#     docker build -f deploy/docker/eval-worker.Dockerfile --target cpu  -t registry.example.com/assay/eval-worker:0.1.0 .
#   cuda: ONNX Runtime's GPU natives (Maven profile -Pcuda) on an NVIDIA CUDA 13 + cuDNN 9 runtime, with the same JRE
#     docker build -f deploy/docker/eval-worker.Dockerfile --target cuda -t registry.example.com/assay/eval-worker:0.1.0-cuda .
#
# The CUDA image needs an NVIDIA driver of the R580 series or newer on the node (CUDA 13).
ARG JDK_IMAGE=eclipse-temurin:17.0.19_10-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17.0.19_10-jre-noble
ARG CUDA_IMAGE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04

FROM ${JDK_IMAGE} AS source
WORKDIR /src
COPY . .

FROM source AS build-cpu
RUN --mount=type=cache,target=/cache/maven \
    ./mvnw -B -ntp -Dmaven.repo.local=/cache/maven -DskipTests -pl eval-worker -am package
RUN java -Djarmode=tools -jar "$(ls eval-worker/target/eval-worker-*.jar)" extract --layers --launcher --destination /layers

FROM source AS build-cuda
RUN --mount=type=cache,target=/cache/maven \
    ./mvnw -B -ntp -Dmaven.repo.local=/cache/maven -DskipTests -Pcuda -pl eval-worker -am package
# Maven only warns about an unknown profile; make sure the jar really carries the GPU natives.
RUN jar tf "$(ls eval-worker/target/eval-worker-*.jar)" | grep -q 'BOOT-INF/lib/onnxruntime-.*-linux-x86_64-gpu\.jar' \
 || { echo "eval-worker jar has no linux-x86_64-gpu ONNX Runtime natives: is the cuda profile in eval-worker/pom.xml?" >&2; exit 1; }
RUN java -Djarmode=tools -jar "$(ls eval-worker/target/eval-worker-*.jar)" extract --layers --launcher --destination /layers

FROM ${JRE_IMAGE} AS jre

# Both variants add the same user, cache directory and application layers to their base.
FROM ${CUDA_IMAGE} AS cuda
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="assay eval-worker (CUDA)" \
      org.opencontainers.image.description="Assay's worker with ONNX Runtime on CUDA 13 and cuDNN 9" \
      org.opencontainers.image.version="${VERSION}-cuda"
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# The code tasks run model-written Python in bubblewrap's sandbox (docs/operations.md, "Running model-written code");
# prlimit and setpriv come with util-linux, which the base image has.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 bubblewrap \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 assay \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin assay \
 && mkdir -p /var/cache/assay /models \
 && chown 10001:10001 /var/cache/assay
# The worker unpacks its native libraries under java.io.tmpdir (its user has no home), so the root filesystem can be
# read-only; DJL must not probe the cloud metadata address.
ENV ASSAY_CACHE_DIR=/var/cache/assay \
    OPT_OUT_TRACKING=true
WORKDIR /app
COPY --from=build-cuda /layers/dependencies/ ./
COPY --from=build-cuda /layers/spring-boot-loader/ ./
COPY --from=build-cuda /layers/snapshot-dependencies/ ./
COPY --from=build-cuda /layers/application/ ./
USER 10001:10001
EXPOSE 8081
ENTRYPOINT ["java", "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]

FROM ${JRE_IMAGE} AS cpu
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="assay eval-worker" \
      org.opencontainers.image.description="Assay's worker with ONNX Runtime on CPU" \
      org.opencontainers.image.version="${VERSION}"
# The code tasks run model-written Python in bubblewrap's sandbox (docs/operations.md, "Running model-written code");
# prlimit and setpriv come with util-linux, which the base image has.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 bubblewrap \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 assay \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin assay \
 && mkdir -p /var/cache/assay /models \
 && chown 10001:10001 /var/cache/assay
ENV ASSAY_CACHE_DIR=/var/cache/assay \
    OPT_OUT_TRACKING=true
WORKDIR /app
COPY --from=build-cpu /layers/dependencies/ ./
COPY --from=build-cpu /layers/spring-boot-loader/ ./
COPY --from=build-cpu /layers/snapshot-dependencies/ ./
COPY --from=build-cpu /layers/application/ ./
USER 10001:10001
EXPOSE 8081
ENTRYPOINT ["java", "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
