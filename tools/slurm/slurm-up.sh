#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (munged, slurmctld, slurmd), as in
# shared/spec/slurm-single-node.md, for the `mnemo sweep --slurm` tests and for trying sweeps by hand.
# Installs Debian's slurm-wlm and munge first when they are missing (root; --no-install forbids that).
# Slurm's configuration, state, spool and logs live in $MNEMO_SLURM_DIR (default /tmp/mnemo-slurm); the host's
# /etc/slurm is not touched, so Slurm's commands need SLURM_CONF=$MNEMO_SLURM_DIR/slurm.conf (printed at the end).
# Idempotent: daemons already running from that folder are kept. tools/slurm/slurm-down.sh stops what this started.
# Exit status: 0 when `sinfo` shows the node idle; 2 when Slurm cannot be installed or started (the reason on stderr).
set -euo pipefail
dir="${MNEMO_SLURM_DIR:-/tmp/mnemo-slurm}"
install=1
[ "${1:-}" = "--no-install" ] && install=0
fail() { echo "slurm-up: $*" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  [ "$install" = 1 ] || fail "slurm-wlm and munge are not installed (run tools/slurm/slurm-up.sh as root without --no-install)"
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || fail "slurm-wlm and munge are missing and cannot be installed here (needs root and apt-get)"
  echo "slurm-up: installing slurm-wlm and munge (Debian packages)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq slurm-wlm munge; } >"${TMPDIR:-/tmp}/mnemo-slurm-apt.log" 2>&1 \
    || fail "apt-get install slurm-wlm munge failed (log: ${TMPDIR:-/tmp}/mnemo-slurm-apt.log)"
fi

mkdir -p "$dir/state" "$dir/spool" "$dir/log"
conf="$dir/slurm.conf"
host="$(hostname)"
cpus="$(nproc)"
memory_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))  # 80 %: what jobs may ask for
cat >"$conf" <<CONF
# Written by tools/slurm/slurm-up.sh: one machine as controller and only node.
ClusterName=mnemo-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_for() { # wait_for SECONDS COMMAND...: polls every 0.5 s
  local tries=$(( $1 * 2 )); shift
  until "$@" >/dev/null 2>&1; do tries=$((tries - 1)); [ "$tries" -gt 0 ] || return 1; sleep 0.5; done
}

# munge: the package's key and socket folder (Slurm's munge plugin talks to the default socket).
munge_pid=/run/munge/munged.pid
munge_ok() { munge -n | unmunge; }
if ! munge_ok >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || mungekey --create >/dev/null 2>&1 || fail "no munge key and mungekey --create failed"
  mkdir -p /run/munge && chown munge:munge /run/munge
  munged --force 2>"$dir/log/munged.err" || fail "munged did not start: $(cat "$dir/log/munged.err")"
  cp "$munge_pid" "$dir/munged.pid"   # ours to stop
  wait_for 10 munge_ok || fail "munged started but does not answer"
fi

restarted_ctld=0
if ! alive "$dir/slurmctld.pid"; then
  slurmctld -f "$conf" || fail "slurmctld did not start (log: $dir/log/slurmctld.log)"
  restarted_ctld=1
fi
wait_for 20 scontrol ping || fail "slurmctld does not answer (log: $dir/log/slurmctld.log)"
# A slurmd started before munge was up, or before this controller, stays 'unk*': start it afresh then.
if alive "$dir/slurmd.pid" && [ "$restarted_ctld" = 1 ]; then
  kill "$(cat "$dir/slurmd.pid")"; wait_for 10 bash -c "! kill -0 $(cat "$dir/slurmd.pid")" || true
fi
if ! alive "$dir/slurmd.pid"; then
  slurmd -f "$conf" || fail "slurmd did not start (log: $dir/log/slurmd.log)"
fi
idle() { sinfo -h -N -o %T | grep -qx idle; }
wait_for 30 idle || fail "the node is not idle: $(sinfo -h -N -o '%N %T' 2>&1) (logs: $dir/log)"
echo "slurm-up: node $host idle ($cpus CPUs, ${memory_mb} MB); use: export SLURM_CONF=$conf" >&2
echo "export SLURM_CONF=$conf"
