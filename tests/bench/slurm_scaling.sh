#!/usr/bin/env bash
# Scaling of a cluster job: the same influence job as 1, 2 and 4 shards through `latent-explorer-cli
# slurm --wait` on a throwaway single-node Slurm (tests/cluster/slurm_cluster.sh; needs root), next to
# the unsharded command run directly. Prints one JSON line per run: shards, wall milliseconds from submit to
# merged result, the shards' own compute seconds (from the merge log), and the largest difference
# from the unsharded maps.
#
#   tests/bench/slurm_scaling.sh CLI MODEL LAYER PAIRS WORK
#   e.g. tests/bench/slurm_scaling.sh build/app/cli/latent-explorer-cli build/fixtures/dcgan_tutorial.pt main.5 64 /tmp/scaling
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 CLI MODEL LAYER PAIRS WORK" >&2; exit 2; }
cli=$(readlink -f "$1") model=$(readlink -f "$2") layer=$3 pairs=$4 work=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cluster_sh="$here/../cluster/slurm_cluster.sh"
rm -rf "$work"
mkdir -p "$work"
trap 'bash "$cluster_sh" stop "$work/cluster" || true' EXIT
bash "$cluster_sh" start "$work/cluster" 2>/dev/null
eval "$(bash "$cluster_sh" env "$work/cluster")"
cd "$work"
"$cli" sample "$model" --seeds "0-$((2 * pairs - 1))" --out z.npy
t0=$(date +%s%N)
"$cli" influence "$model" --layer "$layer" --latents z.npy --out whole.npy
t1=$(date +%s%N)
echo "{\"run\": \"unsharded, here\", \"threads\": $(nproc), \"wall_ms\": $(((t1 - t0) / 1000000))}"
for n in 1 2 4; do
    t0=$(date +%s%N)
    "$cli" slurm influence "$model" --layer "$layer" --latents z.npy --shards "$n" --wait --poll 0.2 --out "s$n.npy" >/dev/null
    t1=$(date +%s%N)
    shard_s=$(grep -ho "in [0-9.]* ms" "s$n.npy.slurm"/logs/merge-*.out | awk '{s = s (s ? ", " : "") $2 / 1000} END {print s}')
    diff=$(/usr/bin/python3 -c "import numpy as np; print(float(np.abs(np.load('s$n.npy').astype(np.float64) - np.load('whole.npy')).max()))")
    echo "{\"run\": \"slurm\", \"shards\": $n, \"threads_per_task\": 1, \"wall_ms\": $(((t1 - t0) / 1000000)), \"shard_compute_s\": [$shard_s], \"max_abs_diff\": $diff}"
done
