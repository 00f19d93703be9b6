#!/usr/bin/env bash
# Throwaway single-node Slurm cluster for tests.
#
#   tests/cluster/slurm_cluster.sh start DIR   # create DIR, start munged + slurmctld + slurmd
#   tests/cluster/slurm_cluster.sh stop  DIR   # stop the daemons recorded in DIR/run/*.pid
#   tests/cluster/slurm_cluster.sh env   DIR   # print `export SLURM_CONF=...` (eval it)
#
# Everything (config, munge key and socket, state, spool, logs, pid files)
# lives under DIR; no system service or file under /etc is used or changed.
# Daemons run as root (SlurmUser=root), so `start` needs root: when not
# root it prints one line and exits 77 (CTest's skip code).
#
# Layout of DIR:
#   etc/slurm.conf       generated config (SLURM_CONF points here)
#   munge/               munge.key (0400), munge.socket, seed file
#   state/               StateSaveLocation (slurmctld)
#   spool/               SlurmdSpoolDir (slurmd; job scripts, step sockets)
#   log/                 munged.log, slurmctld.log, slurmd.log, jobcomp.txt
#   run/                 munged.pid, slurmctld.pid, slurmd.pid
#
# Finished jobs: `scontrol show job ID` keeps them for MinJobAge=3600 s, and
# jobcomp/filetxt appends one line per finished job (JobState=, ExitCode=)
# to DIR/log/jobcomp.txt. There is no slurmdbd, so `sacct` does not work.

set -euo pipefail

PROG=$(basename "$0")
READY_TIMEOUT=60   # seconds to wait for the cluster to accept and run a job
STOP_TIMEOUT=10    # seconds to wait after SIGTERM before SIGKILL
PORT_MIN=17000     # SlurmctldPort / SlurmdPort are picked in this range
PORT_MAX=17999
DAEMONS=(munged slurmctld slurmd)   # start order; stop goes in reverse

die() { echo "$PROG: $*" >&2; exit 1; }
log() { echo "$PROG: $*" >&2; }

usage() {
    echo "usage: $PROG start|stop|env DIR" >&2
    exit 2
}

# Absolute path of DIR (created by `start`, must exist for the others).
abs_dir() {
    local d=$1
    [ -d "$d" ] || return 1
    (cd "$d" && pwd -P)
}

# ---------------------------------------------------------------- pids ----

# True if PID is alive, not a zombie, and really is program NAME: guards
# against a recycled pid, so that we never signal an unrelated process.
pid_is() {
    local pid=$1 name=$2 comm state
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [ "$comm" = "$name" ] || return 1
    # Field 3 of /proc/PID/stat is the state; a zombie has already exited
    # (it only waits for init to reap it).
    state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$state" ] && [ "$state" != Z ]
}

# Print the pid recorded in DIR/run/NAME.pid if that process is NAME and alive.
live_pid() {
    local name=$1 pid
    # The daemon deletes its pid file as it exits, so the file may vanish
    # between any two reads: read it once, quietly.
    pid=$({ tr -dc '0-9' < "$D/run/$name.pid"; } 2>/dev/null) || true
    [ -n "$pid" ] && pid_is "$pid" "$name" || return 1
    echo "$pid"
}

# Stop one daemon by its pid file: TERM, wait, then KILL. Quiet no-op when
# it is not running, so `stop` is safe twice or after a failed start.
stop_daemon() {
    local name=$1 pid i
    if pid=$(live_pid "$name"); then
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
            pid_is "$pid" "$name" || break
            sleep 0.1
        done
        if pid_is "$pid" "$name"; then
            log "$name (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
        fi
    fi
    rm -f "$D/run/$name.pid"
}

# Jobs still running when slurmd goes away keep running (slurmstepd is a
# process of its own), so while slurmctld and slurmd are up, cancel every job
# and give them a moment to end; after that only our daemons are signalled.
cancel_jobs() {
    local conf="$D/etc/slurm.conf" ids i
    [ -f "$conf" ] && live_pid slurmctld >/dev/null && live_pid slurmd >/dev/null || return 0
    ids=$(SLURM_CONF=$conf timeout 10 squeue -h -o %i 2>/dev/null) || return 0
    [ -n "$ids" ] || return 0
    log "cancelling jobs: ${ids//$'\n'/ }"
    # shellcheck disable=SC2086
    SLURM_CONF=$conf timeout 10 scancel $ids 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT * 2; i++)); do
        [ -z "$(SLURM_CONF=$conf timeout 5 squeue -h -o %i 2>/dev/null)" ] && return 0
        sleep 0.5
    done
    log "some jobs were still running when the daemons were stopped"
}

stop_all() {
    local i
    cancel_jobs
    for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
        stop_daemon "${DAEMONS[i]}"
    done
}

# Wait until NAME has written its pid file and is alive (daemons fork into
# the background, and write the file once they have detached).
wait_pid() {
    local name=$1 i
    for ((i = 0; i < 100; i++)); do
        live_pid "$name" >/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# --------------------------------------------------------------- ports ----

port_in_use() {
    # `ss -ltn` lists listening TCP sockets; match ":PORT" at the end of the
    # local address column (IPv4 and IPv6).
    ss -Hltn 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$1\$"
}

# Print two free ports from PORT_MIN..PORT_MAX, starting the probe at a
# random offset so that clusters started side by side rarely collide.
# (There is a small race between probing and the daemons binding.)
pick_ports() {
    local span=$((PORT_MAX - PORT_MIN + 1)) start i p found=()
    start=$((RANDOM % span))
    for ((i = 0; i < span && ${#found[@]} < 2; i++)); do
        p=$((PORT_MIN + (start + i) % span))
        port_in_use "$p" || found+=("$p")
    done
    [ ${#found[@]} -eq 2 ] || return 1
    echo "${found[@]}"
}

# --------------------------------------------------------------- start ----

write_slurm_conf() {
    local host=$1 ctld_port=$2 slurmd_port=$3 node
    # `slurmd -C` prints this machine's NodeName=... line (CPUs, Boards,
    # SocketsPerBoard, CoresPerSocket, ThreadsPerCore, RealMemory); drop its
    # NodeName (we set ours) and keep the hardware fields as they are, so the
    # node does not get drained for a config/hardware mismatch.
    node=$(slurmd -C | head -n1 | sed -E 's/^NodeName=[^ ]+ ?//')
    [ -n "$node" ] || die "slurmd -C gave no node description"

    cat > "$D/etc/slurm.conf" <<EOF
# Generated by $PROG for a throwaway test cluster; do not edit.
ClusterName=lxtest
# 127.0.0.1 so that nothing depends on how the hostname resolves.
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port

# Private munged: both the RPC auth and the job credentials use its socket.
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket
CredType=cred/munge

# No cgroups: plain /proc based process tracking, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
# cons_tres + CR_Core: each core is a separately allocatable resource, so
# one-core jobs run side by side (2 at once on a 2-core machine).
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# A node that was DOWN comes back to service as soon as it registers.
ReturnToService=2

StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool/slurmd
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

# No slurmdbd: no accounting (sacct does not work). Finished jobs stay in
# \`scontrol show job\` for MinJobAge seconds, and jobcomp/filetxt writes a
# line per finished job (JobState=, ExitCode=) to JobCompLoc.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
MinJobAge=3600
# Don't kill jobs whose submitting client went away.
InactiveLimit=0
KillWait=5
# A job whose dependency can never be met (e.g. afterok on a job that
# failed) is cancelled instead of pending forever, so a test waiting on it
# (sbatch --wait, polling scontrol) ends. Real clusters default to pending
# with Reason=DependencyNeverSatisfied.
DependencyParameters=kill_invalid_depend
# No mail in a test cluster (the default /bin/mail is usually missing).
MailProg=/bin/true

NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munged() {
    # Fresh random key for this cluster only; munged insists on a key file
    # that is not readable by others.
    dd if=/dev/urandom of="$D/munge/munge.key" bs=1 count=1024 status=none
    chown root:root "$D/munge/munge.key"
    chmod 0400 "$D/munge/munge.key"
    # munged checks the socket directory: it must be searchable by all
    # (0755), otherwise "Socket is inaccessible: execute permissions for all
    # required". --force turns its remaining permission checks (e.g. a
    # group-writable parent of DIR) into warnings; it does not override the
    # lock held by another munged on the same socket.
    chmod 0755 "$D/munge"
    munged --force \
        --key-file="$D/munge/munge.key" \
        --socket="$D/munge/munge.socket" \
        --pid-file="$D/run/munged.pid" \
        --log-file="$D/log/munged.log" \
        --seed-file="$D/munge/munged.seed" \
        </dev/null >>"$D/log/munged.out" 2>&1 || return 1
    wait_pid munged || return 1
    # Round trip a credential through the new socket.
    munge -n -S "$D/munge/munge.socket" | unmunge -S "$D/munge/munge.socket" >/dev/null
}

# Slurm daemons fork into the background by themselves and write their pid
# files (paths set in slurm.conf). stdio goes to DIR/log so that a caller
# reading our output (e.g. CTest) does not wait on the daemons' open pipes.
start_slurmctld() {
    slurmctld -f "$SLURM_CONF" </dev/null >>"$D/log/slurmctld.out" 2>&1 || return 1
    wait_pid slurmctld
}

start_slurmd() {
    slurmd -f "$SLURM_CONF" -N "$HOST" </dev/null >>"$D/log/slurmd.out" 2>&1 || return 1
    wait_pid slurmd
}

# Poll until slurmctld answers, the node is idle, and a job really runs.
wait_ready() {
    local deadline=$((SECONDS + READY_TIMEOUT)) state
    until scontrol ping 2>/dev/null | grep -q 'is UP'; do
        ((SECONDS < deadline)) || { log "slurmctld did not answer 'scontrol ping'"; return 1; }
        sleep 0.5
    done
    while :; do
        state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null | head -n1)
        [ "$state" = idle ] && break
        ((SECONDS < deadline)) || { log "node $HOST is '${state:-unknown}', not idle"; return 1; }
        sleep 0.5
    done
    # A trivial job end to end (slurmctld -> slurmd -> step -> srun).
    timeout $((deadline - SECONDS > 5 ? deadline - SECONDS : 5)) \
        srun -N1 -n1 -t 1 -J ready-probe --chdir="$D" true </dev/null >/dev/null 2>&1 \
        || { log "trivial 'srun -N1 true' failed"; return 1; }
}

show_logs() {
    local f
    for f in "$D"/log/munged.log "$D"/log/slurmctld.log "$D"/log/slurmd.log "$D"/log/*.out; do
        [ -s "$f" ] || continue
        echo "----- tail of $f -----" >&2
        tail -n 20 "$f" >&2
    done
}

cmd_start() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "$PROG: needs root (Slurm daemons run as root here); skipping" >&2
        exit 77
    fi
    local dir=$1
    mkdir -p "$dir"
    D=$(abs_dir "$dir")
    HOST=$(hostname -s)
    [ -n "$HOST" ] || die "hostname -s is empty"

    # A cluster left over in DIR (e.g. a test run that was killed before its
    # `stop`) is stopped first; only pids recorded in DIR/run are touched.
    mkdir -p "$D/run"
    stop_all

    # Fresh state every time: no jobs or node state carried over.
    rm -rf "${D:?}/etc" "$D/spool" "$D/state" "$D/log" "$D/run" "$D/munge"
    mkdir -p "$D/etc" "$D/spool/slurmd" "$D/state" "$D/log" "$D/run" "$D/munge"
    chmod 0755 "$D"

    local ports
    ports=$(pick_ports) || die "no two free TCP ports in $PORT_MIN-$PORT_MAX"
    # shellcheck disable=SC2086
    set -- $ports
    write_slurm_conf "$HOST" "$1" "$2"
    export SLURM_CONF="$D/etc/slurm.conf"
    # Don't let a caller's Slurm job environment leak into our client calls.
    unset SLURM_JOB_ID SLURM_JOBID

    local step
    for step in start_munged start_slurmctld start_slurmd wait_ready; do
        if ! "$step"; then
            log "start failed at $step"
            show_logs
            stop_all
            exit 1
        fi
    done
    log "cluster up in $D (host $HOST, slurmctld port $1, slurmd port $2)"
}

# ----------------------------------------------------------------- main ----

[ $# -eq 2 ] || usage
case $1 in
    start)
        cmd_start "$2"
        ;;
    stop)
        # Nothing to stop when DIR does not exist (never started).
        D=$(abs_dir "$2") || exit 0
        stop_all
        ;;
    env)
        D=$(abs_dir "$2") || die "$2: no such directory"
        [ -f "$D/etc/slurm.conf" ] || die "$D/etc/slurm.conf missing; run '$PROG start $2' first"
        # auth/munge and cred/munge take the munge socket from AuthInfo in
        # slurm.conf, so clients (sbatch, squeue, scontrol, srun) need only this.
        printf 'export SLURM_CONF=%q\n' "$D/etc/slurm.conf"
        ;;
    *)
        usage
        ;;
esac
