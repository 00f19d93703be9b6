#!/usr/bin/env bash
# Cluster jobs against a real Slurm: starts a single-node cluster from Debian's packages
# (tests/cluster/slurm_cluster.sh, everything under WORK), submits through `latent-explorer-cli slurm`
# and checks every merged result against the unsharded command run here, with one LibTorch thread as
# each task has (the tasks get one CPU each; other thread counts round differently):
#   1. a 4-shard influence job (--wait): equal to `influence` bit for bit;
#   2. a 3-model response sweep (--models): each model's matrix equal to `responses`, the table's
#      scores those of the unsharded matrices (numpy); the same models as a conditioned sweep (CDS);
#   3. a 3-shard conditioned job: C.npy equal to `conditioned --out`;
#   4. a failing job: --wait exits 1 naming the failed tasks; a lost part resubmitted alone (--only)
#      merges to the whole result again.
# The daemons it started are stopped by pid whatever happens (trap; every --wait is bounded by
# timeout 300). Exit 77 (skip) when not root.
#
#   tests/cluster/test_slurm.sh CLI FIXTURES WORK
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 CLI FIXTURES WORK" >&2; exit 2; }
cli=$1 fixtures=$2 work=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
    echo "test_slurm: SKIPPED: the Slurm daemons of the test cluster need root" >&2
    exit 77
fi
for p in slurmctld slurmd sbatch scontrol munged /usr/bin/python3; do
    command -v "$p" >/dev/null || { echo "test_slurm: $p is missing (packaging/dev.sh installs slurmctld slurmd slurm-client munge)" >&2; exit 1; }
done

# The cluster's files (munge and slurmd sockets among them) live in a short folder under /tmp: a UNIX
# socket path must stay under 108 bytes, and a build folder can be deep. WORK/cluster links to it, and
# WORK/cluster.path names it, so that a run killed before its trap (a CTest timeout) is stopped by the next.
if [ -f "$work/cluster.path" ]; then
    bash "$here/slurm_cluster.sh" stop "$(cat "$work/cluster.path")" || true
    rm -rf "$(cat "$work/cluster.path")"
fi
rm -rf "$work"
mkdir -p "$work/out"
cluster=$(mktemp -d /tmp/lxslurm.XXXXXX)
echo "$cluster" > "$work/cluster.path"
ln -s "$cluster" "$work/cluster"
finish() {
    local code=$?
    bash "$here/slurm_cluster.sh" stop "$cluster" || true
    # Kept for a look when something failed (logs under $cluster/log).
    [ "$code" -eq 0 ] && rm -rf "$cluster" "$work/cluster.path" "$work/cluster"
    exit "$code"
}
trap finish EXIT
start=$SECONDS
bash "$here/slurm_cluster.sh" start "$cluster"
eval "$(bash "$here/slurm_cluster.sh" env "$cluster")"
echo "test_slurm: cluster up in $((SECONDS - start)) s"
cd "$work/out"

# Exact equality of two .npy files (and the largest difference, printed).
same() {
    /usr/bin/python3 - "$1" "$2" "$3" <<'EOF'
import sys, numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
assert a.shape == b.shape, f"{sys.argv[3]}: shapes {a.shape} vs {b.shape}"
d = float(np.max(np.abs(a.astype(np.float64) - b))) if a.size else 0.0
print(f"test_slurm: {sys.argv[3]}: shape {a.shape}, max |sharded - unsharded| = {d:.3g}, bit-identical: {np.array_equal(a, b)}")
assert np.array_equal(a, b), f"{sys.argv[3]}: the merged result differs from the unsharded one"
EOF
}

# Prints the shard times the merge job logged.
shard_times() { grep -h "merge: shard" "$1"/logs/merge-*.out | sed 's/^/test_slurm:   /' || true; }

# ---- 1. influence, 4 shards ---------------------------------------------------------------------
dcgan="$fixtures/dcgan_tutorial.pt"
"$cli" sample "$dcgan" --seeds 0-127 --out z.npy
t=$SECONDS
timeout 300 "$cli" slurm influence "$dcgan" --layer main.8 --latents z.npy --shards 4 --wait --poll 0.5 --out eim_sharded.npy | tee influence.json
echo "test_slurm: influence, 4 shards of 64 pairs, submitted and merged in $((SECONDS - t)) s"
shard_times eim_sharded.npy.slurm
t=$SECONDS
"$cli" influence "$dcgan" --layer main.8 --latents z.npy --threads 1 --out eim_whole.npy
echo "test_slurm: influence unsharded here in $((SECONDS - t)) s"
same eim_sharded.npy eim_whole.npy "influence main.8"
grep -q '"shards": 4' eim_sharded.npy.provenance.json

# ---- 2. response sweep over 3 models ------------------------------------------------------------
printf '%s\n' "$fixtures/shapes_ae.pt" "$fixtures/shapes_ae_seed1.pt" "$fixtures/shapes_ae_seed2.pt" > models.txt
/usr/bin/python3 - <<'EOF'
import numpy as np
rng = np.random.default_rng(0)
np.save("rz.npy", rng.standard_normal((40, 3)).astype(np.float32))
np.save("rv.npy", rng.standard_normal((40, 3)).astype(np.float32))
EOF
t=$SECONDS
timeout 300 "$cli" slurm responses --models models.txt --latents rz.npy --values rv.npy --wait --poll 0.5 --out sweep.csv | tee sweep.json.log
echo "test_slurm: response sweep over 3 models in $((SECONDS - t)) s"
cat sweep.csv
for k in 0 1 2; do
    model=$(sed -n "$((k + 1))p" models.txt)
    "$cli" responses "$model" --latents rz.npy --values rv.npy --threads 1 --out "m$k.npy"
    same "sweep.csv.slurm/results/model-$k.npy" "m$k.npy" "responses of model $k"
done
/usr/bin/python3 - <<'EOF'
import csv, json, numpy as np
rows = list(csv.DictReader(open("sweep.csv")))
table = json.load(open("sweep.json"))["models"]
assert len(rows) == 3 and len(table) == 3, (len(rows), len(table))
for k, (row, entry) in enumerate(zip(rows, table)):
    m = np.load(f"m{k}.npy").astype(np.float64)
    d = m.shape[0]
    diag, off = np.trace(m) / d, (m.sum() - np.trace(m)) / (d * (d - 1))
    assert int(row["index"]) == k and row["model"] == open("models.txt").read().split("\n")[k]
    assert abs(float(row["diagonal_mean"]) - diag) <= 1e-6 * max(1.0, abs(diag)), (row["diagonal_mean"], diag)
    assert abs(float(row["off_diagonal_mean"]) - off) <= 1e-6 * max(1.0, abs(off)), (row["off_diagonal_mean"], off)
    assert np.allclose(entry["diagonal"], np.diag(m), rtol=0, atol=0), entry["diagonal"]
print("test_slurm: sweep table rows equal the scores of the unsharded matrices")
EOF

# The same models as a conditioned sweep: each row's CDS is the unsharded command's.
timeout 300 "$cli" slurm conditioned --models models.txt --traversals 2 --batch 8 --wait --poll 0.5 --out csweep.csv >/dev/null
for k in 0 1 2; do
    "$cli" conditioned "$(sed -n "$((k + 1))p" models.txt)" --traversals 2 --batch 8 --threads 1 > "cs$k.json"
done
/usr/bin/python3 - <<'EOF'
import csv, json
rows = list(csv.DictReader(open("csweep.csv")))
assert len(rows) == 3, rows
for k, row in enumerate(rows):
    want = json.load(open(f"cs{k}.json"))["cds"]
    assert float(row["cds"]) == want, (k, row["cds"], want)
print("test_slurm: conditioned sweep CDS per model = unsharded:", ", ".join(r["cds"] for r in rows))
EOF

# ---- 3. conditioned, 3 shards -------------------------------------------------------------------
t=$SECONDS
timeout 300 "$cli" slurm conditioned "$fixtures/shapes_ae.pt" --traversals 2 --batch 8 --seed 3 --shards 3 --wait --poll 0.5 \
    --out c_sharded.npy >/dev/null
echo "test_slurm: conditioned, 3 shards of 10 traversals, in $((SECONDS - t)) s"
"$cli" conditioned "$fixtures/shapes_ae.pt" --traversals 2 --batch 8 --seed 3 --threads 1 --out c_whole.npy > c_whole.json
same c_sharded.npy c_whole.npy "conditioned"
# The merge job printed the same report (CDS) as the unsharded command.
/usr/bin/python3 - <<'EOF'
import glob, json
whole = json.load(open("c_whole.json"))
log = open(glob.glob("c_sharded.npy.slurm/logs/merge-*.out")[0]).read()
merged = json.loads(log[log.index("{"):log.rindex("}") + 1])
assert merged["cds"] == whole["cds"] and merged["matrix"] == whole["matrix"], (merged["cds"], whole["cds"])
print(f"test_slurm: conditioned CDS {merged['cds']:.6f} merged = unsharded")
EOF

# ---- 4. failures --------------------------------------------------------------------------------
set +e
timeout 300 "$cli" slurm influence "$dcgan" --layer no.such.layer --latents z.npy --shards 2 --wait --poll 0.5 --out bad.npy > bad.json 2> bad.err
code=$?
set -e
cat bad.err
[ "$code" -eq 1 ] || { echo "test_slurm: a job whose tasks fail exited $code, not 1" >&2; exit 1; }
grep -q "tasks 0,1 of job .* failed, so merge job .* did not run" bad.err
[ ! -e bad.npy ] || { echo "test_slurm: a failed job wrote its result" >&2; exit 1; }
# A part lost after the job: merge names it; resubmitting that shard alone completes the job.
rm eim_sharded.npy.slurm/parts/part-2.lxpart
if "$cli" merge eim_sharded.npy.slurm/parts/part-{0,1,3}.lxpart --out lost.npy 2> lost.err; then
    echo "test_slurm: merge with a shard missing succeeded" >&2; exit 1
fi
cat lost.err
grep -q "shard 2 of 4 missing" lost.err
timeout 300 "$cli" slurm influence "$dcgan" --layer main.8 --latents z.npy --shards 4 --only 2 --wait --poll 0.5 --out eim_sharded.npy
same eim_sharded.npy eim_whole.npy "influence after resubmitting shard 2 alone"
echo "test_slurm: all checks passed in $((SECONDS - start)) s"
