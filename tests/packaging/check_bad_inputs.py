#!/usr/bin/env python3
"""Every kind of bad input through the real CLI: broken model files, wrong cards, bad .npy
files, bad session files, unwritable outputs, bad usage.

Each case must end with exit code 1 (bad input) or 2 (bad usage) within 60 s, no signal, exactly one
line on stderr that contains the expected words, and no output file left behind. Prints the table of
inputs and messages as Markdown (also to OUT.md when given), and exits 1 when any case fails.

Usage: check_bad_inputs.py CLI FIXTURE_DIR [OUT.md]
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
import torch


ASAN_FAILED_ALLOCATION = re.compile(r"==\d+==WARNING: AddressSanitizer failed to allocate 0x[0-9a-f]+ bytes$")


def npy(header, payload, version=1):
    head = header.encode("latin1")
    size = struct.pack("<H", len(head)) if version == 1 else struct.pack("<I", len(head))
    return b"\x93NUMPY" + bytes([version, 0]) + size + head + payload


def f4_header(shape, descr="<f4", fortran=False):
    return "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }\n" % (descr, fortran, shape)


class NoCardGenerator(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.main = torch.nn.Sequential(torch.nn.Linear(4, 12), torch.nn.Tanh())

    def forward(self, z):
        return self.main(z)


class NanGenerator(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.main = torch.nn.Sequential(torch.nn.Linear(4, 12))

    def forward(self, z):
        return self.main(z) * float("nan")


def make_inputs(d, fixtures):
    """Writes the bad inputs into d; returns the cases (group, input, argv, expected, out path)."""
    tiny = os.path.join(fixtures, "tiny_gen.pt")
    p = lambda name: os.path.join(d, name)
    out = p("out.npy")

    def write(name, data):
        with open(p(name), "wb") as f:
            f.write(data)
        return p(name)

    cases = []
    add = lambda group, what, argv, expected, out_path=None: cases.append((group, what, argv, expected, out_path))

    # Model files (`info MODEL`).
    tiny_bytes = open(tiny, "rb").read()
    add("model", "missing file", ["info", p("none.pt")], "no such file")
    add("model", "empty file", ["info", write("empty.pt", b"")], "the file is empty")
    add("model", "4 KiB of random bytes", ["info", write("random.pt", os.urandom(4096))],
        "not a readable TorchScript model (not a zip archive")
    add("model", "a 5-byte text file", ["info", write("hello.pt", b"hello")], "not a readable TorchScript model (not a zip archive)")
    add("model", "truncated TorchScript (first half)", ["info", write("half.pt", tiny_bytes[: len(tiny_bytes) // 2])],
        "not a readable TorchScript model (not a zip archive, or a truncated one)")
    with zipfile.ZipFile(p("plain.zip.pt"), "w") as z:
        z.writestr("notes/readme.txt", "a zip archive, not a TorchScript model")
    add("model", "zip archive that is not TorchScript", ["info", p("plain.zip.pt")],
        "not a readable TorchScript model (a zip archive without TorchScript's records)")
    os.mkdir(p("folder.pt"))
    add("model", "directory named like a model", ["info", p("folder.pt")], "it is a directory")
    torch.jit.script(NoCardGenerator()).save(p("nocard.pt"))
    add("model", "TorchScript without a card", ["info", p("nocard.pt")], "no model card")
    add("model", "a model too large for the machine (asks for 8 PiB at load)", ["info", os.path.join(fixtures, "oom_gen.pt")],
        "oom_gen.pt: out of memory (the computation asked for 8.0 PiB, more than is free")

    # Cards: a sidecar <model>.json beside a card-less TorchScript file (a 4 -> 12 generator).
    def carded(name, card_text):
        path = p(name + ".pt")
        shutil.copy(p("nocard.pt"), path)
        with open(path + ".json", "w") as f:
            f.write(card_text if isinstance(card_text, str) else json.dumps(card_text))
        return path

    good = {"kind": "generator", "latent_shape": [4], "output_range": [-1, 1]}
    add("card", "card that is not JSON", ["info", carded("c_json", '{"kind": "generator", latent_shape')], "not valid JSON")
    add("card", "card that is a JSON list", ["info", carded("c_list", "[1, 2]")], "must be a JSON object")
    add("card", "kind missing", ["info", carded("c_nokind", {k: v for k, v in good.items() if k != "kind"})], "kind")
    add("card", "unknown kind \"banana\"", ["info", carded("c_kind", dict(good, kind="banana"))], "banana")
    add("card", "negative latent size [-4]", ["info", carded("c_neg", dict(good, latent_shape=[-4]))], "latent_shape")
    add("card", "latent shape the model does not take [5]", ["info", carded("c_fit", dict(good, latent_shape=[5]))],
        "latent_shape")
    add("card", "output_range with one number", ["info", carded("c_range", dict(good, output_range=[1]))], "output_range")
    add("card", "output_range low > high", ["info", carded("c_order", dict(good, output_range=[1, -1]))], "output_range")
    add("card", "output_shape that does not hold the output", ["info", carded("c_oshape", dict(good, output_shape=[5, 5]))],
        "output_shape")
    add("card", "autoencoder card on a model without encode", ["info", carded("c_ae", dict(good, kind="autoencoder"))],
        "encode")
    add("card", "latent size 10^12", ["info", carded("c_huge", dict(good, latent_shape=[10**12]))],
        "'latent_shape' [1000000000000] is too large")

    # Models that load but compute garbage (`generate`).
    torch.jit.script(NanGenerator()).save(p("nan_gen.pt"))
    with open(p("nan_gen.pt.json"), "w") as f:
        json.dump(good, f)
    z4 = p("z4.npy")
    np.save(z4, np.zeros((2, 4), np.float32))
    add("model", "generator whose output is NaN", ["generate", p("nan_gen.pt"), "--latents", z4, "--out", out], "NaN", out)

    # Latent files (`generate tiny_gen.pt --latents Z --out X`).
    def gen(name, data):
        return ["generate", tiny, "--latents", write(name, data) if data is not None else p(name), "--out", out]

    f4 = f4_header("(2, 4)")
    add("npy", "missing file", gen("none.npy", None), "none.npy", out)
    add("npy", "empty file", gen("empty.npy", b""), "not a .npy file", out)
    add("npy", "random bytes", gen("random.npy", os.urandom(256)), "not a .npy file", out)
    add("npy", "truncated data (2x4 header, 12 bytes)", gen("trunc.npy", npy(f4, b"\0" * 12)), "truncated .npy data", out)
    add("npy", "truncated header", gen("trunch.npy", npy(f4, b"")[:20]), "truncated .npy header", out)
    add("npy", "int32 dtype", gen("i4.npy", npy(f4_header("(2, 4)", "<i4"), b"\0" * 32)), "dtype '<i4' not supported", out)
    add("npy", "big-endian float32", gen("be.npy", npy(f4_header("(2, 4)", ">f4"), b"\0" * 32)), "dtype '>f4' not supported", out)
    add("npy", "Fortran order", gen("fo.npy", npy(f4_header("(2, 4)", fortran=True), b"\0" * 32)), "Fortran-ordered", out)
    add("npy", "control bytes in the dtype", gen("nul.npy", npy(f4_header("(2, 4)", "<\0\nRuntimeError: \0f4"), b"\0" * 32)),
        "dtype '<\\x00\\x0aRuntimeError: \\x00f4' not supported", out)
    add("npy", "shape (10^8, 10^8)", gen("huge.npy", npy(f4_header("(100000000, 100000000)"), b"")), "too large", out)
    add("npy", "latents of the wrong size (2, 5)", gen("wide.npy", npy(f4_header("(2, 5)"), b"\0" * 40)), "latent", out)
    add("npy", "a NaN latent", gen("nan.npy", npy(f4, np.array([0, 0, 0, np.nan, 0, 0, 0, 0], "<f4").tobytes())),
        "nan.npy: contains NaN or Inf (at flat index 3)", out)
    add("npy", "an infinite latent", gen("inf.npy", npy(f4, np.array([0, 0, 0, 0, 0, 0, np.inf, 0], "<f4").tobytes())),
        "inf.npy: contains NaN or Inf (at flat index 6)", out)

    # Classes (card class_input): graph_cond_dcgan.pt takes forward(z, y) with 4 classes, latents [16].
    cond = os.path.join(fixtures, "graph_cond_dcgan.pt")
    np.save(p("z16.npy"), np.zeros((2, 16), np.float32))
    np.save(p("z4.npy"), np.zeros((2, 4), np.float32))

    def classes(name, values):
        np.save(p(name), np.array(values))
        return p(name)

    add("classes", "a class-conditional model without --classes",
        ["generate", cond, "--latents", p("z16.npy"), "--out", out], "class-conditional (card class_input, 4 classes)", out)
    add("classes", "class 9 of 4", ["generate", cond, "--latents", p("z16.npy"), "--classes", classes("c9.npy", [0, 9]),
                                    "--out", out], "class 9 (at 1) is out of range [0, 4)", out)
    add("classes", "class -1", ["generate", cond, "--latents", p("z16.npy"), "--classes", classes("cm.npy", [-1, 0]),
                                "--out", out], "class -1 (at 0) is out of range [0, 4)", out)
    add("classes", "class 1.5 (not a whole number)", ["generate", cond, "--latents", p("z16.npy"), "--classes",
                                                      classes("cf.npy", np.array([1.5, 0], np.float32)), "--out", out],
        "is not a whole number", out)
    add("classes", "3 classes for 2 latents", ["hybrid", cond, "--layer", "main.0", "--channels", "0", "--latents", p("z16.npy"),
                                               "--classes", classes("c3.npy", [0, 1, 2]), "--out", out],
        "c3.npy: 3 class indices for 2 latents", out)
    add("classes", "int64 class beyond 2^24", ["generate", cond, "--latents", p("z16.npy"), "--classes",
                                               classes("cbig.npy", [0, 1 << 40]), "--out", out], "too large to hold exactly", out)
    add("classes", "--classes for a model without classes", ["generate", tiny, "--latents", p("z4.npy"), "--classes",
                                                              classes("c2.npy", [0, 1]), "--out", out], "not class-conditional", out)

    class TwoInputs(torch.nn.Module):
        def forward(self, z, y):
            return torch.tanh(z + y.float().unsqueeze(1)).view(-1, 1, 2, 2)

    torch.jit.script(TwoInputs()).save(p("two_inputs.pt"))
    with open(p("two_inputs.pt") + ".json", "w") as f:
        json.dump(good, f)
    add("classes", "forward(z, y) with a card that has no class_input", ["info", p("two_inputs.pt")],
        "forward() takes 2 inputs but the card describes one (z); a class-conditional model needs class_input")
    add("classes", "class_input with encoding \"words\"",
        ["info", carded("c_enc", dict(good, class_input={"encoding": "words", "classes": ["a"]}))], "class_input.encoding")

    grid_out = p("grid.png")
    add("classes", "module-grid of a conditional model without classes",
        ["module-grid", cond, "--layer", "main.0", "--channels", "1", "--rows", "0-1", "--cols", "2", "--out", grid_out],
        "give one class per row (2) and per column (1)", grid_out)
    add("classes", "module-grid with a class out of range",
        ["module-grid", cond, "--layer", "main.0", "--channels", "1", "--rows", "0-1", "--cols", "2", "--row-classes", "4",
         "--col-classes", "0", "--out", grid_out], "class 4 (at 0) is out of range [0, 4)", grid_out)
    add("classes", "module-grid with a class beyond int",
        ["module-grid", cond, "--layer", "main.0", "--channels", "1", "--rows", "0-1", "--cols", "2", "--row-classes",
         "4294967298", "--col-classes", "0", "--out", grid_out], "--row-classes: '4294967298' is out of range", grid_out)
    add("classes", "interpolate the class of an index-encoded model",
        ["interpolate", cond, "--seeds", "0,1", "--classes", "0,1", "--class-path", "class", "--out", out],
        "so its class cannot be interpolated", out)
    add("classes", "interpolate with an unknown class path",
        ["interpolate", cond, "--seeds", "0,1", "--classes", "0", "--class-path", "sideways", "--out", out],
        "--class-path must be latent, class or both", out)

    # Integers beyond their option's range are refused by name, never wrapped (4294967299 was channel 3).
    add("integers", "--channels 4294967299", ["hybrid", tiny, "--layer", "main.2", "--channels", "4294967299", "--latents",
                                               p("z4.npy"), "--out", out], "--channels: '4294967299' is out of range", out)
    add("integers", "--channels range beyond int", ["hybrid", tiny, "--layer", "main.2", "--channels", "0-2147483648",
                                                    "--latents", p("z4.npy"), "--out", out], "'0-2147483648' is out of range", out)
    add("integers", "--seeds beyond 64 bits", ["sample", tiny, "--seeds", "18446744073709551616", "--out", out],
        "--seeds: '18446744073709551616' is out of range [0, 9007199254740992]", out)
    add("integers", "--seeds negative", ["sample", tiny, "--seeds", "3,-4", "--out", out], "'-4' is out of range", out)
    add("integers", "--k 4294967297", ["robustness", tiny, "--classifier", tiny, "--layer", "main.2", "--k", "4294967297"],
        "--k must be an integer in [1, 100000], got '4294967297'")
    add("integers", "--first-seed -1", ["directions", tiny, "--layer", "main.2", "--first-seed", "-1", "--out", out],
        "--first-seed must be an integer in [0, 9007199254740992]", out)
    add("integers", "--pairs 2.5", ["consistency", tiny, "--layer", "main.2", "--pairs", "2.5", "--out", out],
        "--pairs must be an integer, got '2.5'", out)
    add("integers", "--module 4294967296", ["module-grid", tiny, "--layer", "main.2", "--modules", p("."), "--module",
                                            "4294967296", "--rows", "0", "--cols", "1", "--out", grid_out],
        "--module must be an integer in [0, 1000000]", grid_out)

    # Outputs that cannot be written.
    np.save(p("z_ok.npy"), np.zeros((2, 4), np.float32))
    write("a_file", b"x")
    add("output", "--out in a missing folder", ["generate", tiny, "--latents", p("z_ok.npy"), "--out", p("no/dir/x.npy")],
        "cannot write", p("no/dir/x.npy"))
    add("output", "--out below a file", ["generate", tiny, "--latents", p("z_ok.npy"), "--out", p("a_file/x.npy")],
        "cannot write", p("a_file/x.npy"))
    add("output", "--out is a folder", ["generate", tiny, "--latents", p("z_ok.npy"), "--out", p("folder.pt")], "cannot write")

    # Session files (`render SESSION --out FIG.png`).
    fig = p("fig.png")
    session = {
        "format": "latent-explorer-session", "version": 1,
        "model": {"path": tiny, "absolute_path": tiny, "sha256": ""},
        "device": "cpu", "layer": "main.2", "seed1": 1, "seed2": 2, "channels": [0, 1],
        "figures": [{"kind": "hybrid-grid", "name": "grid", "layer": "main.2", "channels": [0, 1], "label": "m",
                     "row_seeds": [1, 2], "col_seeds": [3, 4], "style": {"dpi": 100}}],
    }

    def sess(name, doc, extra=()):
        data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        return ["render", write(name, data), "--out", fig, *extra]

    text = json.dumps(session).encode()
    add("session", "missing file", ["render", p("none.lxsession"), "--out", fig], "none.lxsession", fig)
    add("session", "empty file", sess("s_empty.lxsession", b""), "s_empty.lxsession", fig)
    add("session", "not JSON", sess("s_text.lxsession", b"hello, session"), "not valid JSON", fig)
    add("session", "truncated JSON", sess("s_trunc.lxsession", text[: len(text) // 2]), "not valid JSON", fig)
    add("session", "another program's JSON", sess("s_other.lxsession", {"format": "something-else", "version": 1}),
        "not a Latent Explorer session", fig)
    add("session", "from a newer version (99)", sess("s_newer.lxsession", dict(session, version=99)), "newer", fig)
    missing_model = dict(session, model={"path": p("gone.pt"), "absolute_path": p("gone.pt"), "sha256": ""})
    add("session", "pointing at a missing model", sess("s_gone.lxsession", missing_model), "gone.pt", fig)
    add("session", "seed that is not an integer", sess("s_seed.lxsession", dict(session, seed1="one")), "seed1", fig)
    add("session", "seed 10e154", sess("s_big.lxsession", dict(session, seed1=10e154)), "seed1", fig)
    add("session", "no figures", sess("s_nofig.lxsession", dict(session, figures=[])), "no figure", fig)
    add("session", "--figure that is not there", sess("s_pick.lxsession", session, ["--figure", "nope"]), "nope", fig)
    bad_layer = dict(session, figures=[dict(session["figures"][0], layer="main.99")])
    add("session", "figure at a layer the model lacks", sess("s_layer.lxsession", bad_layer), "main.99", fig)
    bad_channel = dict(session, figures=[dict(session["figures"][0], channels=[0, 600])])
    add("session", "figure channel out of range", sess("s_chan.lxsession", bad_channel), "600", fig)

    # Partial results of sharded jobs (`merge PARTS --out R`): "LXPART 1", a JSON header line, float64 sums.
    def part(name, command="influence", shard=(0, 2), sl=(0, 1), values=(1.0, 2.0), cut=0, header=None):
        head = header if header is not None else json.dumps({
            "job": [["command", command], ["model_sha256", "ab"]], "finish": "mean", "shard": list(shard), "total": 2,
            "slice": list(sl), "shape": [len(values)], "count": sl[1] - sl[0], "values": len(values), "meta": {},
            "compute_ms": 1.0})
        data = b"LXPART 1\n" + head.encode() + b"\n" + np.asarray(values, "<f8").tobytes()
        return write(name, data[: len(data) - cut])

    merged = p("merged.npy")
    second = part("part1.lxpart", shard=(1, 2), sl=(1, 2))
    add("parts", "missing part file", ["merge", p("none.lxpart"), second, "--out", merged], "cannot read", merged)
    add("parts", "random bytes", ["merge", write("rand.lxpart", os.urandom(512)), second, "--out", merged],
        "not a shard's partial result (no LXPART header", merged)
    add("parts", "truncated part", ["merge", part("cut.lxpart", cut=5), second, "--out", merged], "truncated?", merged)
    add("parts", "NaN in a sum", ["merge", part("nan.lxpart", values=(1.0, float("nan"))), second, "--out", merged],
        "a sum is NaN or Inf", merged)
    add("parts", "broken header", ["merge", part("hdr.lxpart", header='{"job": [["command"'), second, "--out", merged],
        "not a shard's partial result", merged)
    add("parts", "slice beyond the job", ["merge", part("beyond.lxpart", sl=(0, 5)), second, "--out", merged],
        "inconsistent header", merged)
    add("parts", "a command this version cannot merge",
        ["merge", part("cmd0.lxpart", command="frobnicate"), part("cmd1.lxpart", command="frobnicate", shard=(1, 2), sl=(1, 2)),
         "--out", merged], "which this version cannot merge", merged)
    add("parts", "the same shard twice", ["merge", second, second, "--out", merged], "shard 1/2 given twice", merged)
    add("parts", "--shard 3/2", ["influence", tiny, "--layer", "main.2", "--latents", p("z4.npy"), "--shard", "3/2", "--out", out],
        "--shard '3/2' must be K/N with 0 <= K < N", out)
    add("parts", "slurm --shards 0", ["slurm", "influence", tiny, "--layer", "main.2", "--latents", p("z4.npy"), "--shards", "0",
                                      "--out", out], "--shards must be an integer in [1, 100000]", out)
    add("parts", "slurm --time 1h", ["slurm", "influence", tiny, "--layer", "main.2", "--latents", p("z4.npy"), "--shards", "2",
                                     "--time", "1h", "--out", out], "--time '1h' is not a Slurm time", out)

    # Usage.
    add("usage", "unknown command", ["frobnicate"], "unknown command 'frobnicate'")
    add("usage", "unknown option", ["info", tiny, "--colour", "red"], "unknown option --colour")
    add("usage", "bad --device", ["info", tiny, "--device", "tpu"], "--device must be auto, cpu or cuda")
    add("usage", "bad --threads", ["info", tiny, "--threads", "many"], "--threads must be an integer")
    add("usage", "missing --out", ["generate", tiny, "--latents", p("z_ok.npy")], "missing required option --out")
    return cases


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cli, fixtures = sys.argv[1], sys.argv[2]
    report = sys.argv[3] if len(sys.argv) > 3 else None
    torch.manual_seed(0)
    rows, failures = [], 0
    # `render` draws with the GUI's code: a CLI built with LX_BUILD_GUI=OFF (the sanitizer build) has
    # none, and the session cases are then reported as skipped (the session reader itself is covered by
    # test_Session and fuzz_session).
    probe = subprocess.run([cli, "render", "/nonexistent.lxsession", "--out", "/nonexistent.png"],
                           capture_output=True, text=True, timeout=60)
    render = "LX_BUILD_GUI=OFF" not in probe.stderr
    with tempfile.TemporaryDirectory(prefix="lx-bad-") as d:
        for group, what, argv, expected, out_path in make_inputs(d, fixtures):
            if argv[0] == "render" and not render:
                rows.append("| %s | %s | | | skipped: this CLI was built without render (LX_BUILD_GUI=OFF) |" % (group, what))
                continue
            problems = []
            try:
                threads = [] if "--threads" in argv else ["--threads", "1"]
                run = subprocess.run([cli, *argv, *threads], capture_output=True, text=True,
                                     errors="backslashreplace", timeout=60)
                rc, err = run.returncode, run.stderr
            except subprocess.TimeoutExpired:
                rc, err = None, ""
                problems.append("hung (> 60 s)")
            # Under AddressSanitizer (sanitize_core: allocator_may_return_null=1) a request too large to serve
            # also prints ASan's own "==PID==WARNING: AddressSanitizer failed to allocate 0x... bytes": the
            # sanitizer's line, not the program's, so it is not counted; the program's must still be one.
            lines = [line for line in err.splitlines() if not ASAN_FAILED_ALLOCATION.match(line)]
            message = lines[0] if lines else ""
            if rc is not None and rc not in (1, 2):
                problems.append("exit code %s" % rc)
            if len(lines) != 1:
                problems.append("%d stderr lines" % len(lines))
            if expected not in err:
                problems.append("message lacks %r" % expected)
            if out_path and os.path.exists(out_path):
                problems.append("left %s behind" % os.path.basename(out_path))
            failures += bool(problems)
            shown = message.replace(d + "/", "").replace(fixtures + "/", "").replace("|", "\\|")
            rows.append("| %s | %s | %s | %s | %s |" % (group, what, rc, "`%s`" % shown if shown else "",
                                                     "; ".join(problems) or "ok"))
    table = ["| input | case | exit | message (paths shortened) | check |", "|---|---|---|---|---|", *rows]
    skipped = sum("| skipped:" in r for r in rows)
    text = "\n".join(table) + "\n\n%d cases, %d failed, %d skipped\n" % (len(rows), failures, skipped)
    print(text)
    if report:
        with open(report + ".tmp", "w") as f:
            f.write(text)
        os.replace(report + ".tmp", report)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
