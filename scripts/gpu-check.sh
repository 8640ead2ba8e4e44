#!/usr/bin/env bash
# Mnemo's GPU check (README, "Running on an NVIDIA GPU"). Two steps, on two machines:
#
#   scripts/gpu-check.sh prepare              on a machine with the .NET SDK (CPU only is fine): publishes a
#                                             self-contained Mnemo CLI and bench WITHOUT libtorch (-p:TorchBackend=none),
#                                             adds MNIST and the cached evaluation classifier, and packs them into
#                                             .gpu-check/mnemo-gpu.tar.xz (checked to stay under 60 MiB, so that it
#                                             travels with the repository to a lent GPU machine: 64 MiB in all).
#   scripts/gpu-check.sh run [--out DIR]      on a machine with a PyTorch CUDA install and no .NET (run from the
#                                             repository root, .gpu-check/ beside it): loads libtorch from PyTorch's
#                                             torch/lib through LD_LIBRARY_PATH and runs, logging to DIR (default
#                                             $OUT, else .gpu-check/out):
#       1. mnemo device info and mnemo device check --device cuda (the device-sensitive checks against the CPU);
#       2. a short MeRGAN-RA run (tasks 0-2, quick profile: 500 iterations per task) on cuda and the same command and
#          seed on the CPU, with the average accuracy after each task compared within --tolerance percentage points
#          (runs on two devices draw different random numbers; docs/mergan.md, "Across devices", derives the 8);
#       3. mnemo sample and mnemo eval fid on cuda from the cuda run;
#       4. the cuda run resumed on the CPU from its checkpoint before the last task (device-independent checkpoints);
#       5. the bench's MeRGAN iteration on cuda beside bench/pytorch/mergan_iteration.py on the same GPU.
#     Exit status 0 when every step passed; summary.json and gpu-check.log in DIR either way.
#
# Options of run: --device D (default cuda; cpu runs the same steps on the CPU, e.g. to check this script),
#   --torch-lib DIR (libtorch's folder; default: python3's torch/lib), --python PY (default python3),
#   --iterations N (per task, default the quick profile's 500), --eval-samples N (default 500), --tolerance PT (default 8),
#   --threads N (CPU threads, default: all cores), --skip-bench, --bundle DIR (default .gpu-check).
# The bundle is unpacked into .gpu-check-work/ (runs and, without --out or $OUT, the output go there too).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage=""
bundle="$repo/.gpu-check"
limit_mib=60

die() { echo "gpu-check: error: $*" >&2; exit 1; }

prepare() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --bundle) bundle="$(realpath -m "$2")"; shift 2 ;;
      *) die "unknown option $1 for prepare (options: --bundle DIR)" ;;
    esac
  done
  command -v dotnet >/dev/null || die "prepare needs the .NET 10 SDK (dotnet on PATH)"
  local data_root="${MNEMO_DATA:-$HOME/.mnemo/data}"
  [ -f "$data_root/mnist/.complete" ] || die "MNIST is not in $data_root/mnist: run ./mnemo data fetch mnist first (or set MNEMO_DATA)"
  stage="$(mktemp -d "${TMPDIR:-/tmp}/mnemo-gpu-prepare.XXXXXX")"
  trap 'rm -rf "$stage"' EXIT
  echo "copying the working tree (tracked and untracked files, not ignored ones) to $stage/tree"
  mkdir -p "$stage/tree"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) \
    | tar -C "$stage/tree" -xf -
  # A separate copy keeps this publish's restore (TorchBackend=none) out of the clone's own obj/ folders.
  for project in src/Mnemo.Cli/Mnemo.Cli.csproj bench/Mnemo.Bench/Mnemo.Bench.csproj; do
    echo "publishing $project (self-contained linux-x64, TorchSharp without libtorch)"
    dotnet publish "$stage/tree/$project" -c Release -r linux-x64 --self-contained -p:TorchBackend=none \
      -p:InvariantGlobalization=true -p:GenerateDocumentationFile=false -o "$stage/app" -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
  done
  local torch_libs; torch_libs="$(find "$stage/app" -name 'libtorch*.so*' -o -name 'libc10*.so*' | head -5)"
  [ -z "$torch_libs" ] || die "the publish contains libtorch libraries, which would be loaded before PyTorch's: $torch_libs"
  [ -f "$stage/app/libLibTorchSharp.so" ] || die "libLibTorchSharp.so (TorchSharp's native shim) is missing from the publish"
  mkdir -p "$stage/data/mnist" "$stage/data/classifiers"
  cp "$data_root"/mnist/* "$data_root/mnist/.complete" "$stage/data/mnist/"
  if [ -f "$data_root/classifiers/mnist-32.ckpt" ]; then cp "$data_root/classifiers/mnist-32.ckpt" "$stage/data/classifiers/"; fi
  git -C "$repo" rev-parse HEAD > "$stage/app/mnemo-commit.txt" 2>/dev/null || true
  mkdir -p "$bundle"
  echo "packing $bundle/mnemo-gpu.tar.xz"
  tar -C "$stage" -cf - app data | xz -T0 -6 > "$bundle/mnemo-gpu.tar.xz.tmp"
  mv "$bundle/mnemo-gpu.tar.xz.tmp" "$bundle/mnemo-gpu.tar.xz"
  local bytes; bytes=$(stat -c %s "$bundle/mnemo-gpu.tar.xz")
  local app_mib; app_mib=$(du -sm "$stage/app" | cut -f1)
  {
    echo "commit $(cat "$stage/app/mnemo-commit.txt" 2>/dev/null || echo unknown)"
    echo "created $(date -u +%FT%TZ)"
    echo "app ${app_mib} MiB unpacked; bundle $((bytes / 1048576)) MiB ($bytes bytes)"
  } > "$bundle/MANIFEST"
  cat "$bundle/MANIFEST"
  [ "$bytes" -lt $((limit_mib * 1048576)) ] || die "the bundle is $((bytes / 1048576)) MiB, over the ${limit_mib} MiB that travel with the repository"
  echo "ready: on a GPU machine, from the repository root with .gpu-check/ beside it: scripts/gpu-check.sh run"
  echo "(with the device tool: run(command=\"scripts/gpu-check.sh run --out \$OUT\", carry=[\".gpu-check\"], timeout_s=540))"
}

run() {
  local device=cuda torch_lib="" python=python3 iterations="" eval_samples=500 tolerance=8 bench=1 threads
  threads=$(nproc)
  local out="${OUT:-$repo/.gpu-check-work/out}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --device) device="$2"; shift 2 ;;
      --torch-lib) torch_lib="$2"; shift 2 ;;
      --python) python="$2"; shift 2 ;;
      --iterations) iterations="$2"; shift 2 ;;
      --eval-samples) eval_samples="$2"; shift 2 ;;
      --tolerance) tolerance="$2"; shift 2 ;;
      --skip-bench) bench=0; shift ;;
      --threads) threads="$2"; shift 2 ;;
      --out) out="$2"; shift 2 ;;
      --bundle) bundle="$(realpath -m "$2")"; shift 2 ;;
      *) die "unknown option $1 for run (see the header of $0)" ;;
    esac
  done
  [ -f "$bundle/mnemo-gpu.tar.xz" ] || die "no bundle at $bundle/mnemo-gpu.tar.xz: run scripts/gpu-check.sh prepare on a machine with .NET first"
  if [ -z "$torch_lib" ]; then
    command -v "$python" >/dev/null || die "no $python: give --torch-lib DIR (the folder of libtorch_cpu.so) or --python PY"
    torch_lib="$("$python" -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)" \
      || die "$python cannot import torch: install PyTorch with CUDA (pip install torch) or give --torch-lib DIR"
  fi
  [ -f "$torch_lib/libtorch_cpu.so" ] || die "$torch_lib has no libtorch_cpu.so"
  mkdir -p "$out"
  out="$(realpath "$out")"
  [ -d "$out" ] || die "cannot create the output folder $out"
  local log="$out/gpu-check.log"
  : > "$log"
  say() { echo "$*" | tee -a "$log"; }
  # Unpacked inside the repository (beside .gpu-check, which stays small enough to carry), so that the bench finds
  # bench/pytorch/mergan_iteration.py above its folder.
  local work="$repo/.gpu-check-work"
  rm -rf "$work/app" "$work/data" "$work/runs"; mkdir -p "$work"
  tar -C "$work" -xJf "$bundle/mnemo-gpu.tar.xz"
  local app="$work/app"
  export LD_LIBRARY_PATH="$app:$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export MNEMO_DATA="$work/data" CI=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
  local mnemo="$app/Mnemo.Cli"
  local runs="$work/runs" failed=0
  declare -A status seconds
  mkdir -p "$runs"
  say "gpu-check: commit $(cat "$app/mnemo-commit.txt" 2>/dev/null || echo unknown), device $device, torch lib $torch_lib, $threads cores"
  step() {  # step NAME COMMAND…: runs it, logs its output, records status and time
    local name="$1"; shift
    say "== $name: $*"
    local t0; t0=$(date +%s%N)
    if "$@" >> "$log" 2>&1; then status[$name]=ok; else status[$name]=FAILED; failed=$((failed + 1)); fi
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    seconds[$name]="$((ms / 1000)).$(( (ms % 1000) / 100 ))"
    say "-- $name: ${status[$name]} (${seconds[$name]} s)"
  }
  local common=(continual --dataset mnist --method ra --tasks 0-2 --profile quick ${iterations:+--iterations-per-task "$iterations"}
                --eval-samples "$eval_samples" --seed 0 --threads "$threads" --no-tensorboard)
  step device-info "$mnemo" device info
  step device-check "$mnemo" device check --device "$device"
  step train-device "$mnemo" "${common[@]}" --device "$device" --out "$runs/ra-device"
  step train-cpu "$mnemo" "${common[@]}" --device cpu --out "$runs/ra-cpu"
  step compare-accuracy compare_accuracy "$runs/ra-device" "$runs/ra-cpu" "$tolerance"
  step sample-device "$mnemo" sample --run "$runs/ra-device" --classes 0-2 --n 1000 --out "$runs/samples.npz" --device "$device"
  step fid-device "$mnemo" eval fid --real mnist --fake "$runs/samples.npz" --features classifier:mnist --device "$device" --out "$out/fid.json"
  step resume-on-cpu resume_on_cpu "$mnemo" "$runs/ra-device" "$runs/ra-device-resumed-on-cpu" "$tolerance"
  if [ "$bench" = 1 ]; then
    step bench env MNEMO_BENCH_PYTHON="$python" "$app/Mnemo.Bench" --only mergan --device "$device" --threads "$threads" --warmup 3 --repeats 10
  fi
  for f in ra-device ra-cpu ra-device-resumed-on-cpu; do
    [ -f "$runs/$f/evaluation.json" ] && cp "$runs/$f/evaluation.json" "$out/$f.evaluation.json"
  done
  {
    echo "{"
    echo "  \"device\": \"$device\", \"iterations_per_task\": \"${iterations:-quick profile (500)}\", \"eval_samples\": $eval_samples, \"tolerance_points\": $tolerance,"
    echo "  \"steps\": {"
    local first=1
    for name in device-info device-check train-device train-cpu compare-accuracy sample-device fid-device resume-on-cpu bench; do
      [ -n "${status[$name]:-}" ] || continue
      [ $first = 1 ] || echo ","
      printf '    "%s": {"status": "%s", "seconds": %s}' "$name" "${status[$name]}" "${seconds[$name]}"
      first=0
    done
    echo ""
    echo "  },"
    echo "  \"failed\": $failed"
    echo "}"
  } > "$out/summary.json"
  say "summary: $out/summary.json ($failed failed)"
  [ "$failed" = 0 ]
}

# The average accuracy on generated images after each task of two runs, compared: |a − b| ≤ tolerance points.
compare_accuracy() {
  python3 - "$1/evaluation.json" "$2/evaluation.json" "$3" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
tol = float(sys.argv[3])
acc_a, acc_b = a["AverageAccuracy"], b["AverageAccuracy"]
if len(acc_a) != len(acc_b) or not acc_a:
    sys.exit(f"different numbers of evaluated tasks: {len(acc_a)} and {len(acc_b)}")
worst = 0.0
for t, (x, y) in enumerate(zip(acc_a, acc_b), 1):
    d = abs(x - y) * 100
    worst = max(worst, d)
    print(f"after task {t}: {x * 100:.1f} % and {y * 100:.1f} % (difference {d:.1f} points)")
print(f"FID after the last task: {a['Fid'][-1]:.1f} and {b['Fid'][-1]:.1f}; reverse accuracy {a.get('ReverseAccuracy')} and {b.get('ReverseAccuracy')}")
if worst > tol:
    sys.exit(f"largest difference {worst:.1f} points, over the tolerance of {tol} points")
print(f"largest difference {worst:.1f} points, within {tol}")
EOF
}

# The device run's folder copied, its newest checkpoint (the last task's end) removed, and resumed on the CPU: the last
# task is trained again on the CPU from the checkpoint the device wrote before it.
resume_on_cpu() {
  local mnemo="$1" from="$2" to="$3" tolerance="$4"
  rm -rf "$to"; cp -r "$from" "$to"
  local newest; newest="$(ls "$to"/checkpoints/step-*.ckpt | sort | tail -1)"
  rm "$newest"
  "$mnemo" continual --resume "$to" --device cpu
  python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print("config.json device:", c["device"], "earlier:", c.get("earlier_devices")); sys.exit(0 if c["device"]["used"]=="cpu" else 1)' "$to/config.json"
  compare_accuracy "$from" "$to" "$tolerance"
}

case "${1:-}" in
  prepare) shift; prepare "$@" ;;
  run) shift; run "$@" ;;
  *) die "usage: scripts/gpu-check.sh prepare [--bundle DIR] | run [--out DIR] [--device cuda] [--torch-lib DIR] [--skip-bench] …" ;;
esac
