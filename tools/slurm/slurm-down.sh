#!/usr/bin/env bash
# Stops the daemons tools/slurm/slurm-up.sh started, by the process ids in their pid files (never by name):
# slurmd, slurmctld, and munged when slurm-up.sh started it. Waits up to 10 s each, then SIGKILL.
set -uo pipefail
dir="${MNEMO_SLURM_DIR:-/tmp/mnemo-slurm}"
for name in slurmd slurmctld munged; do
  file="$dir/$name.pid"
  [ -f "$file" ] || continue
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "slurm-down: stopped $name ($pid)" >&2
  fi
  rm -f "$file"
done
