#!/usr/bin/env bash
# The device check kit (issue 19; docs/operations.md, "Checking a GPU machine").
#
#   run.sh --package DIR    on a machine with the repository, a JDK 17 and Maven's repositories: writes the kit's
#                           parts into DIR (run.sh, parts of at most 60 MB, MANIFEST.sha256)
#   run.sh [options]        on the GPU machine, in the directory holding the parts (or --kit DIR): checks the parts'
#                           SHA-256s, reassembles and unpacks them, runs the device check for the 1b shape in bf16,
#                           the 8b shape in bf16 and the 1b shape in fp16, each followed by deploy/gpu-check/compare.py
#                           against transformers, and writes the report
#   run.sh --cpu-dry-run    here: packages a kit with ONNX Runtime's CPU natives and runs the same flow on the CPU
#                           with the tiny shape (CI runs it)
#
# Options of the GPU run: --out DIR (default ./gpu-check-results), --work DIR (checkpoints and builds, default
# ./gpu-check-work), --runs SHAPE:DTYPE,... (default 1b:bf16,8b:bf16,1b:fp16), --batches 1,8,32,64, --budget-s N
# (default 600; a run is skipped when less is left than it needs: 300 s for 8b, 120 s for 1b), --bandwidth-gbs N
# (else the datasheet figure for the card nvidia-smi names).
set -euo pipefail

PART_BYTES=60000000  # 60 MB: every part travels alone
export PYTHONDONTWRITEBYTECODE=1  # nothing written beside compare.py, in the repository or the kit
KIT_TAR=assay-gpu-check.tar
MAIN_CLASS=ai.assay.worker.engine.devicecheck.DeviceCheck
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.7.0
HERE=$(cd "$(dirname "$0")" && pwd)

CLEANUP=()
trap 'rm -rf "${CLEANUP[@]}"' EXIT

say() { printf '[gpu-check] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------------
# Packaging (needs the repository)

# The engine's runtime jars, by their place in the local Maven repository: JavaCPP and ONNX Runtime with their natives
# (and the dnnl/OpenCL presets ONNX Runtime's preset loads), the ONNX protobuf classes, Jackson 3, SLF4J and Logback.
# Nothing of Spring: the check is a plain main class.
KIT_JARS='/org/bytedeco/(javacpp|onnxruntime|dnnl|opencl)/|/org/tribuo/tribuo-util-onnx/|/com/google/protobuf/protobuf-java/|/tools/jackson/core/jackson-(core|databind)/|/com/fasterxml/jackson/core/jackson-annotations/|/org/slf4j/slf4j-api/|/ch/qos/logback/logback-(classic|core)/'

maven() {
  local repo=$1; shift
  # Offline first (a filled local repository needs nothing more), then online for what is missing.
  (cd "$repo" && ./mvnw -B -q -o "$@") || (cd "$repo" && ./mvnw -B -q "$@")
}

# package_kit DIR NATIVES: NATIVES is gpu (ONNX Runtime's CUDA natives, the kit for the GPU machine) or cpu (its CPU
# natives: the dry run's kit, 120 MB smaller).
package_kit() {
  local out=$1 natives=$2
  local repo; repo=$(cd "$HERE/../.." && pwd)
  [ -f "$repo/eval-worker/pom.xml" ] || die "--package runs from the repository (no eval-worker/pom.xml above $HERE)"
  command -v jlink >/dev/null && command -v jdeps >/dev/null || die "--package needs a JDK 17 with jlink and jdeps"
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  local stage; stage=$(mktemp -d "${TMPDIR:-/tmp}/assay-kit.XXXXXX")
  CLEANUP+=("$stage")
  mkdir -p "$stage/kit/lib" "$stage/kit/conf"

  say "compiling eval-worker and resolving its runtime classpath"
  # test-compile rather than package: the reactor then resolves eval-core's test-jar dependencies to its classes, and
  # the check needs the worker's classes, not its Spring Boot jar.
  maven "$repo" -pl eval-worker -am test-compile -Dspotless.check.skip=true \
    "$DEPENDENCY_PLUGIN:build-classpath" -Dmdep.includeScope=runtime -Dmdep.outputFile="$stage/classpath.txt"
  local jars; jars=$(tr ':' '\n' < "$stage/classpath.txt" | grep -E "$KIT_JARS" | grep '\.jar$')
  if [ "$natives" = gpu ]; then
    local version; version=$(grep -oE 'onnxruntime-[^/]+-linux-x86_64\.jar$' <<< "$jars" | sed -E 's/^onnxruntime-(.*)-linux-x86_64\.jar$/\1/')
    [ -n "$version" ] || die "no ONNX Runtime natives on eval-worker's classpath"
    say "fetching org.bytedeco:onnxruntime:$version:linux-x86_64-gpu"
    maven "$repo" -pl eval-worker "$DEPENDENCY_PLUGIN:copy" \
      -Dartifact="org.bytedeco:onnxruntime:$version:jar:linux-x86_64-gpu" -DoutputDirectory="$stage/kit/lib"
    jars=$(grep -vE 'onnxruntime-[^/]+-linux-x86_64\.jar$' <<< "$jars")
  fi
  # shellcheck disable=SC2086
  cp $jars "$stage/kit/lib/"
  (cd "$repo/eval-worker/target/classes" && jar --create --file "$stage/kit/lib/assay-worker-classes.jar" .)

  say "linking a minimal JRE"
  local modules
  modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 \
    --class-path "$(ls "$stage"/kit/lib/*.jar | paste -sd:)" "$stage/kit/lib/assay-worker-classes.jar")
  # JavaCPP reaches sun.misc.Unsafe, which jdeps reports only where a class names it directly
  case ",$modules," in *,jdk.unsupported,*) ;; *) modules="$modules,jdk.unsupported" ;; esac
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$stage/kit/jre"

  cat > "$stage/kit/conf/logback.xml" <<'EOF'
<configuration>
  <appender name="err" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="err"/></root>
</configuration>
EOF
  cp "$HERE/run.sh" "$HERE/compare.py" "$stage/kit/"
  {
    echo "commit $(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "packaged $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "natives $natives"
    echo "modules $modules"
    (cd "$stage/kit/lib" && ls)
  } > "$stage/kit/KIT"

  say "writing the parts into $out"
  rm -f "$out/$KIT_TAR".part-* "$out/MANIFEST.sha256"
  tar -C "$stage" -cf "$stage/$KIT_TAR" kit
  (cd "$out" && split -b "$PART_BYTES" -d -a 3 "$stage/$KIT_TAR" "$KIT_TAR.part-")
  cp "$HERE/run.sh" "$out/run.sh"
  {
    (cd "$out" && sha256sum "$KIT_TAR".part-* run.sh)
    echo "# whole $(sha256sum "$stage/$KIT_TAR" | cut -d' ' -f1) $KIT_TAR"
  } > "$out/MANIFEST.sha256"
  local largest; largest=$(stat -c %s "$out/$KIT_TAR".part-* | sort -n | tail -1)
  [ "$largest" -le "$PART_BYTES" ] || die "a part is $largest bytes, over $PART_BYTES"
  say "kit: $(ls "$out/$KIT_TAR".part-* | wc -l) parts of at most $PART_BYTES bytes, $(du -sh "$stage/$KIT_TAR" | cut -f1) in all"
}

# ---------------------------------------------------------------------------------------------------------------------
# Running (needs only the parts, bash, coreutils, tar and python3)

# unpack_kit PARTS_DIR HOME: verifies every part and the reassembled whole, then unpacks into HOME/kit.
unpack_kit() {
  local parts=$1 home=$2
  [ -f "$parts/MANIFEST.sha256" ] || die "no MANIFEST.sha256 in $parts: pass the parts' directory with --kit DIR"
  say "checking the parts' SHA-256s"
  (cd "$parts" && grep -v '^#' MANIFEST.sha256 | sha256sum --check --strict --quiet) \
    || die "a part is missing or damaged: send it again"
  mkdir -p "$home"
  local whole; whole=$(awk '/^# whole /{print $3}' "$parts/MANIFEST.sha256")
  cat "$parts/$KIT_TAR".part-* > "$home/$KIT_TAR"
  [ "$(sha256sum "$home/$KIT_TAR" | cut -d' ' -f1)" = "$whole" ] || die "the reassembled kit's SHA-256 is wrong"
  rm -rf "$home/kit"
  tar -C "$home" -xf "$home/$KIT_TAR"
  rm -f "$home/$KIT_TAR"
  say "unpacked $(head -1 "$home/kit/KIT") into $home/kit"
}

# The lib directories of Python's nvidia-* wheels (nvidia/<package>/lib, and nvidia/cu13/lib as CUDA 13's wheels lay
# them out), for ONNX Runtime's CUDA provider to find libcudart, libcublas and libcudnn.
nvidia_lib_dirs() {
  python3 - <<'EOF'
import glob, os, site, sys
roots = list(site.getsitepackages()) + [site.getusersitepackages()] + [p for p in sys.path if p.endswith("-packages")]
seen = []
for root in roots:
    for d in sorted(glob.glob(os.path.join(root, "nvidia", "*", "lib")) + glob.glob(os.path.join(root, "nvidia", "*", "*", "lib"))):
        if os.path.isdir(d) and d not in seen:
            seen.append(d)
print(":".join(seen))
EOF
}

# check_run SHAPE DTYPE DEVICE SECONDS [DeviceCheck options]: runs DeviceCheck into $OUT/results-SHAPE-DTYPE.json,
# then compare.py; deletes the run's checkpoint and build afterwards.
check_run() {
  local shape=$1 dtype=$2 device=$3 seconds=$4; shift 4
  local name="$shape-$dtype"
  local work="$WORK/$name"
  mkdir -p "$work"
  say "device check: $shape with $dtype weights on $device (at most $seconds s)"
  local rc=0
  timeout --signal=TERM "$seconds" "$KIT/jre/bin/java" \
    -Dorg.bytedeco.javacpp.cachedir="$KIT_HOME/javacpp-cache" -Dlogback.configurationFile="$KIT/conf/logback.xml" \
    -cp "$KIT/lib/*" "$MAIN_CLASS" --device "$device" --shape "$shape" --dtype "$dtype" --batches "$BATCHES" \
    --work "$work" --out "$OUT/results-$name.json" "$@" 2>&1 | tee "$OUT/device-check-$name.log" >&2 || rc=$?
  if [ ! -f "$OUT/results-$name.json" ]; then
    say "the device check of $name wrote no results (status $rc): see $OUT/device-check-$name.log"
    FAILED=1
    return
  fi
  [ "$rc" -eq 0 ] || { say "the device check of $name ended with status $rc"; FAILED=1; }
  local dry=(); [ "$DRY_RUN" = 1 ] && dry=(--dry-run)
  python3 "$KIT/compare.py" "$OUT/results-$name.json" --report "$OUT/report-$name.md" --part \
    --reference-out "$OUT/transformers-$name.json" "${dry[@]}" > /dev/null || { say "compare.py: checks failed for $name"; FAILED=1; }
  rm -rf "$work"
}

run_check() {
  local started=$SECONDS
  KIT="$KIT_HOME/kit"
  mkdir -p "$OUT" "$WORK"
  OUT=$(cd "$OUT" && pwd); WORK=$(cd "$WORK" && pwd)
  FAILED=0
  local device=cuda gpu_name="" gpu_memory_mib=0 extra=()
  if [ "$DRY_RUN" = 1 ]; then
    device=cpu
    # The graph the GPU runs (fused GroupQueryAttention, genai layout), in float32 for the CPU.
    extra=(--variant fused-fp32 --threads "$(nproc)")
  else
    command -v nvidia-smi >/dev/null || die "no nvidia-smi: this is not a machine with an NVIDIA GPU (try --cpu-dry-run)"
    IFS=, read -r gpu_name gpu_memory_mib driver < <(nvidia-smi --query-gpu=name,memory.total,driver_version \
      --format=csv,noheader,nounits | head -1)
    gpu_name=$(echo "$gpu_name" | xargs); gpu_memory_mib=$(echo "$gpu_memory_mib" | xargs)
    say "GPU: $gpu_name, $gpu_memory_mib MiB, driver $(echo "$driver" | xargs)"
    local libs; libs=$(nvidia_lib_dirs)
    [ -n "$libs" ] || say "no nvidia/*/lib under Python's site-packages: ONNX Runtime must find CUDA and cuDNN elsewhere"
    export LD_LIBRARY_PATH="${libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    local lib dirs=(); IFS=: read -r -a dirs <<< "$libs"
    for lib in libcudart.so.13 libcublas.so.13 libcudnn.so.9; do
      [ ${#dirs[@]} -gt 0 ] && find "${dirs[@]}" -maxdepth 1 -name "$lib*" 2>/dev/null | grep -q . \
        || say "warning: no $lib in the nvidia wheels' lib directories"
    done
    extra=(--gpu-name "$gpu_name")
    [ -n "$BANDWIDTH" ] && extra+=(--bandwidth-gbs "$BANDWIDTH")
  fi
  python3 -c 'import torch, transformers' 2>/dev/null \
    && say "transformers: $(python3 -c 'import torch, transformers; print(transformers.__version__, "on torch", torch.__version__)')" \
    || say "transformers cannot be imported here: the report will have the engine's numbers only"

  local runs=() done_runs=() run shape dtype
  IFS=, read -r -a runs <<< "$RUNS"
  for run in "${runs[@]}"; do
    shape=${run%%:*} dtype=${run#*:}
    [ "$shape" != "$run" ] || die "--runs takes SHAPE:DTYPE pairs such as 1b:bf16, not '$run'"
    local left=$((BUDGET - (SECONDS - started)))
    if [ "$shape" = 8b ]; then
      local free_gb; free_gb=$(df -Pk "$WORK" | awk 'NR==2{print int($4/1000000)}')
      if [ "$left" -lt 300 ]; then
        say "skipping 8b: $left s of the $BUDGET s budget left, and 8b needs about 300"; continue
      elif [ "$gpu_memory_mib" -lt 40000 ]; then
        say "skipping 8b: the GPU has $gpu_memory_mib MiB, and 8b in half precision needs about 40000 with transformers' copy"; continue
      elif [ "$free_gb" -lt 40 ]; then
        say "skipping 8b: $free_gb GB free under $WORK, and its checkpoint and build take about 33"; continue
      fi
    fi
    # Rough needs of a run, unmeasured until a GPU run: 8b writes, builds and loads 16 GB twice over.
    local needs=30; [ "$shape" = 1b ] && needs=120
    if [ "$shape" != 8b ] && [ "$left" -lt "$needs" ]; then
      say "skipping $run: $left s of the $BUDGET s budget left, and it needs about $needs"; continue
    fi
    check_run "$shape" "$dtype" "$device" "$left" "${extra[@]}"
    [ -f "$OUT/report-$shape-$dtype.md" ] && done_runs+=("$shape-$dtype")
  done

  {
    if [ "$DRY_RUN" = 1 ]; then
      echo "# Device check report: CPU dry run (not GPU numbers)"
    else
      echo "# Device check report: $gpu_name"
    fi
    echo
    echo "$(date -u +%Y-%m-%d), kit $(head -1 "$KIT/KIT"), runs $RUNS, batches $BATCHES, $((SECONDS - started)) s in all."
    echo
    for run in "${done_runs[@]}"; do
      cat "$OUT/report-$run.md"
    done
  } > "$OUT/report.md"
  cat "$OUT/report.md"
  say "report: $OUT/report.md ($((SECONDS - started)) s)"
  [ "$FAILED" = 0 ] || { say "some checks failed"; exit 1; }
}

# ---------------------------------------------------------------------------------------------------------------------

MODE=run PACKAGE_DIR="" PARTS_DIR="$HERE" OUT=./gpu-check-results WORK=./gpu-check-work RUNS=1b:bf16,8b:bf16,1b:fp16
BATCHES=1,8,32,64 BUDGET=600 BANDWIDTH="" DRY_RUN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --package) MODE=package PACKAGE_DIR=${2:?--package needs a directory}; shift 2 ;;
    --cpu-dry-run) MODE=dry-run; shift ;;
    --kit) PARTS_DIR=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --work) WORK=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --batches) BATCHES=${2:?}; shift 2 ;;
    --budget-s) BUDGET=${2:?}; shift 2 ;;
    --bandwidth-gbs) BANDWIDTH=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

case "$MODE" in
  package)
    package_kit "$PACKAGE_DIR" gpu
    ;;
  run)
    KIT_HOME=$(pwd)/gpu-check-kit
    unpack_kit "$PARTS_DIR" "$KIT_HOME"
    run_check
    ;;
  dry-run)
    SECONDS=0
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/assay-gpu-check-dry-run.XXXXXX")
    CLEANUP+=("$scratch")
    [ "$OUT" = ./gpu-check-results ] && OUT="$scratch/results"
    WORK="$scratch/work" KIT_HOME="$scratch/home" DRY_RUN=1 RUNS=tiny:bf16 BATCHES=1,8
    package_kit "$scratch/parts" cpu
    unpack_kit "$scratch/parts" "$KIT_HOME"
    python3 -m unittest discover -s "$HERE" -p 'compare_tests.py' -q
    run_check
    say "dry run passed in $SECONDS s"
    ;;
esac
