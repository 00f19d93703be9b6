"""Export a PyTorch model for Latent Explorer (model contract v1, see models/CONTRACT.md).

A Latent Explorer model is a TorchScript file plus a JSON *card* that says what the model is
(``kind``), what its latent looks like (``latent_shape``) and how to display its pixels
(``output_range``). :func:`export` scripts the model, embeds the card as the extra file
``latent_explorer.json`` (or writes a sidecar ``<file>.json``), checks that the saved file
reproduces the eager model, and only then moves it into place.

Generator (DCGAN tutorial style, ``forward(z)`` gives images; ``self.main`` is an
``nn.Sequential`` so Latent Explorer finds its layers by itself)::

    import sys; sys.path.insert(0, "models")
    from lx_export import export

    netG = Generator()                      # forward(z), z: [N, 100, 1, 1] -> [N, 3, 64, 64]
    netG.load_state_dict(torch.load("netG.pth"))
    export(netG, "dcgan.pt", kind="generator", latent_shape=[100, 1, 1],
           output_range=[-1, 1], name="My DCGAN", description="CelebA, 5 epochs")

Autoencoder (``encode(x)`` -> mu or (mu, logvar), ``decode(z)`` -> images; flat 784-pixel
outputs are reshaped with ``output_shape``)::

    vae = VAE()                             # the PyTorch examples VAE
    export(vae, "vae.pt", kind="autoencoder", latent_shape=[20],
           output_range=[0, 1], output_shape=[1, 28, 28], name="MNIST VAE")

The tool finds the layers in the model's own TorchScript graph (every submodule call of forward /
decode), so nothing about layers is declared here.

Counterfactual Generative Network (kind "cgn", see the CGN section of models/CONTRACT.md): a
module with the three mechanisms ``premask(u, y)``, ``foreground(u, y)`` and ``background(u, y)``
(u: noise [N, L], y: class weights [N, C]); :func:`export_cgn` checks their shapes, scripts them
and embeds the card::

    export_cgn(cgn, "cgn.pt", latent_shape=[32], output_range=[-1, 1], classes=["0", ..., "9"],
               shuffle="tile2x2", mask_clamp=[1e-4, 0.9999], name="My CGN")

VQ-VAE (kind "vqvae", see the vqvae section of models/CONTRACT.md): ``encode(x)`` gives int64 code
indices [N, B, h, w], ``decode(idx)`` images; a CT-VAE adds the causal transition
``transition_logits(idx, action)`` -> [N, B, h, w, K] and ``adjacency(action)`` -> [N, M, M], declared
by the card's ``actions`` (for F factors: "<f>+" then "<f>-", see :func:`vqvae_actions`).
:func:`export_vqvae` checks shapes, dtypes, ranges, the identity of an all-zero action row and code
stability, scripts the model and embeds the card::

    export_vqvae(ctvae, "ctvae.pt", input_shape=[1, 64, 64], output_range=[0, 1], grid_shape=[1, 8, 8],
                 codebook_size=32, actions=vqvae_actions(factors), factors=factors,
                 dataset="lx-shapes", examples=some_images)

Any further keyword argument is stored in the card as is (it must be JSON-serialisable), e.g.
``dataset="Fashion-MNIST"``. Pass ``sidecar=True`` to write the card to ``<path>.json`` instead of
embedding it.

Command line (inspect an exported file)::

    python3 models/lx_export.py show MODEL.pt     # prints the card, where it came from, layers
"""

import json
import math
import numbers
import os
import sys

import torch
import torch.nn as nn
from torch import Tensor

CARD_FILE = "latent_explorer.json"
KINDS = ("generator", "autoencoder", "cgn", "vqvae")

# Kind "cgn": the mechanisms a module must export, and the card's choices and defaults.
CGN_METHODS = ("premask", "foreground", "background")
CGN_SHUFFLES = ("tile2x2", "none")
CGN_NOISE = ("per_mechanism", "shared")
CGN_DEFAULT_MASK_CLAMP = [1e-4, 0.9999]

# Kind "vqvae": the methods a VQ-VAE exports, and those its causal transition adds (with `actions`).
VQVAE_METHODS = ("encode", "decode")
VQVAE_TRANSITION_METHODS = ("transition_logits", "adjacency")

# Verification: how many random latent batches, and how close the saved module must be.
_VERIFY_BATCHES = 3
_VERIFY_BATCH_SIZE = 4
_RTOL = 1e-4
_ATOL = 1e-5


# --------------------------------------------------------------------------------------------
# Card
# --------------------------------------------------------------------------------------------

def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_number(v):
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)


def _positive_ints(key, value, length=None):
    if not isinstance(value, (list, tuple)) or len(value) == 0:
        raise ValueError(f"card key '{key}': expected a non-empty list of positive integers, "
                         f"got {value!r}")
    if length is not None and len(value) != length:
        raise ValueError(f"card key '{key}': expected {length} entries, got {list(value)!r}")
    if not all(_is_int(v) and v > 0 for v in value):
        raise ValueError(f"card key '{key}': entries must be positive integers, got {list(value)!r}")
    return [int(v) for v in value]


def _strings(key, value):
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"card key '{key}': expected a list of strings, got {value!r}")
    return list(value)


def _output_range(output_range):
    if (not isinstance(output_range, (list, tuple)) or len(output_range) != 2
            or not all(_is_number(v) for v in output_range)):
        raise ValueError(f"card key 'output_range': expected [lo, hi] (two finite numbers), "
                         f"got {output_range!r}")
    lo, hi = output_range
    if not lo < hi:
        raise ValueError(f"card key 'output_range': lo must be < hi, got [{lo}, {hi}]")
    # Keep integers as integers so the JSON reads [-1, 1] rather than [-1.0, 1.0].
    return [int(v) if _is_int(v) else float(v) for v in (lo, hi)]


def make_card(kind, latent_shape, output_range, output_shape=None, name=None, description=None,
              classes=None, factors=None, **extra):
    """Build and validate a card dict; keys whose value is None are left out.

    Raises ValueError naming the offending key.
    """
    if kind == "vqvae":
        raise ValueError("card key 'kind': kind vqvae has no latent_shape; build its card with "
                         "make_vqvae_card(...) (export_vqvae does)")
    if kind not in KINDS:
        raise ValueError(f"card key 'kind': must be one of {', '.join(KINDS)}, got {kind!r}")
    card = {"kind": kind, "latent_shape": _positive_ints("latent_shape", latent_shape)}

    card["output_range"] = _output_range(output_range)

    if output_shape is not None:
        card["output_shape"] = _positive_ints("output_shape", output_shape, length=3)
    for key, value in (("name", name), ("description", description)):
        if value is not None:
            if not isinstance(value, str):
                raise ValueError(f"card key '{key}': expected a string, got {value!r}")
            card[key] = value
    for key, value in (("classes", classes), ("factors", factors)):
        if value is not None:
            card[key] = _strings(key, value)

    if kind == "cgn":
        _check_cgn_card(card, extra)

    for key, value in extra.items():
        if value is None:
            continue
        try:
            json.dumps(value)
        except (TypeError, ValueError) as e:
            raise ValueError(f"card key '{key}': value is not JSON-serialisable ({e})") from None
        card[key] = value
    return card


def _check_cgn_card(card, extra):
    """The keys kind "cgn" adds or requires (models/CONTRACT.md); normalises them in `extra`."""
    if len(card["latent_shape"]) != 1:
        raise ValueError(f"card key 'latent_shape': kind cgn takes flat noise [L], got "
                         f"{card['latent_shape']!r}")
    shape = card.get("output_shape")
    if shape is None:
        raise ValueError("card key 'output_shape': required for kind cgn ([3, H, W])")
    if shape[0] != 3:
        raise ValueError(f"card key 'output_shape': kind cgn makes RGB images [3, H, W], got {shape!r}")
    if not card.get("classes"):
        raise ValueError("card key 'classes': required for kind cgn, a non-empty list of class names")
    clamp = extra.get("mask_clamp")
    if clamp is not None:
        if (not isinstance(clamp, (list, tuple)) or len(clamp) != 2
                or not all(_is_number(v) for v in clamp)
                or not 0 <= clamp[0] < clamp[1] <= 1):
            raise ValueError(f"card key 'mask_clamp': expected [lo, hi] with 0 <= lo < hi <= 1, "
                             f"got {clamp!r}")
        extra["mask_clamp"] = [float(v) for v in clamp]
    for key, choices in (("shuffle", CGN_SHUFFLES), ("noise", CGN_NOISE)):
        value = extra.get(key)
        if value is not None and value not in choices:
            raise ValueError(f"card key '{key}': must be one of {', '.join(choices)}, got {value!r}")


def _mark_exported(model, names):
    """Make torch.jit.script compile methods `names` even if forward does not call them.

    This is exactly what the @torch.jit.export decorator does to a function; it is applied to the
    class's function only when it carries no TorchScript modifier yet (e.g. @torch.jit.ignore).
    """
    from torch._jit_internal import FunctionModifiers
    for n in names:
        fn = getattr(type(model), n, None)
        if fn is not None and not hasattr(fn, "_torchscript_modifier"):
            fn._torchscript_modifier = FunctionModifiers.EXPORT


def _warn(msg):
    print(f"lx_export: {msg}", file=sys.stderr)


def _first_line(e):
    s = str(e).strip().splitlines()
    return f"{type(e).__name__}: {s[0] if s else ''}"


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------

def _eager_output(model, kind, z, y=()):
    return model(z, *y) if kind == "generator" else model.decode(z, *y)


def _class_input(class_input):
    """Validate a card's class_input {"encoding": "index" | "onehot", "classes": [names]}."""
    if class_input is None:
        return None
    if (not isinstance(class_input, dict) or class_input.get("encoding") not in ("index", "onehot")
            or not isinstance(class_input.get("classes"), (list, tuple)) or not class_input["classes"]
            or not all(isinstance(c, str) for c in class_input["classes"])):
        raise ValueError('card key \'class_input\': must be {"encoding": "index" or "onehot", '
                         '"classes": [non-empty list of names]}, got ' + repr(class_input))
    return {"encoding": class_input["encoding"], "classes": list(class_input["classes"])}


def _class_args(class_input, seed):
    """() for an unconditional model, else (y,) for the verification batch: classes seed, seed+1, ...
    mod K, as int64 indices or float one-hot rows (the tool builds y the same way)."""
    if class_input is None:
        return ()
    k = len(class_input["classes"])
    idx = torch.tensor([(seed + i) % k for i in range(_VERIFY_BATCH_SIZE)], dtype=torch.int64)
    return (idx,) if class_input["encoding"] == "index" else (torch.nn.functional.one_hot(idx, k).float(),)


def _check_close(what, got, want):
    if not isinstance(got, Tensor):
        raise RuntimeError(f"{what}: expected a Tensor, got {type(got).__name__}")
    if got.shape != want.shape:
        raise RuntimeError(f"{what}: shape {list(got.shape)} != expected {list(want.shape)}")
    if not torch.allclose(got, want, rtol=_RTOL, atol=_ATOL):
        diff = (got - want).abs().max().item()
        raise RuntimeError(f"{what}: differs from the eager model (max abs diff {diff:.3g})")


def _check_output_shape(out, output_shape):
    if output_shape is not None:
        n = math.prod(output_shape)
        if math.prod(out.shape[1:]) != n:
            raise ValueError(f"card key 'output_shape': {output_shape} has {n} elements but the "
                             f"model's per-sample output is {list(out.shape[1:])}")
    elif out.dim() != 4:
        raise ValueError(f"the model's output is {list(out.shape)}, not [N, C, H, W]: pass "
                         f"output_shape=[C, H, W] so it can be shown as an image")


def _latents(latent_shape, seed):
    g = torch.Generator().manual_seed(seed)  # private generator: leaves the global RNG alone
    return torch.randn(_VERIFY_BATCH_SIZE, *latent_shape, generator=g)


def _script(model, kind, latent_shape, class_input=None):
    """TorchScript the model; generators fall back to tracing."""
    if kind == "autoencoder":
        _mark_exported(model, ("encode", "decode"))
    try:
        return torch.jit.script(model)
    except Exception as e:  # noqa: BLE001 - TorchScript raises many exception types
        if kind != "generator":
            raise ValueError(f"torch.jit.script failed on the autoencoder ({_first_line(e)}); "
                             f"autoencoders must be scriptable (encode and decode are both needed, "
                             f"tracing keeps only one method)") from e
        _warn(f"torch.jit.script failed ({_first_line(e)}); falling back to torch.jit.trace with "
              f"an example latent. The traced model is fixed to the code path that latent took.")

    example = _latents(latent_shape, seed=1)
    with torch.no_grad():
        return torch.jit.trace(model, (example,) + _class_args(class_input, 1), check_trace=False)


def _as_text(data):
    """torch.jit.load returns extra files as bytes (str in some versions)."""
    return data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data


def _save_verified(scripted, path, card, sidecar, check):
    """Save `scripted` with its card (embedded, or a sidecar PATH.json) through a temporary file that is
    reloaded, has its card compared and is passed to `check(loaded)` (which raises on a mismatch) before
    it replaces `path`: a failed export leaves nothing behind."""
    card_json = json.dumps(card, indent=2)
    tmp = path + ".tmp"
    try:
        if sidecar:
            torch.jit.save(scripted, tmp)
        else:
            torch.jit.save(scripted, tmp, _extra_files={CARD_FILE: card_json})
        extra = {CARD_FILE: ""}
        loaded = torch.jit.load(tmp, _extra_files=extra)
        if not sidecar and _as_text(extra[CARD_FILE]) != card_json:
            raise RuntimeError("the embedded card did not survive the round trip")
        check(loaded)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    if sidecar:
        _atomic_write_text(path + ".json", card_json + "\n")


def _verify(loaded, model, kind, latent_shape, class_input=None):
    """Run the reloaded module against the eager model; raise RuntimeError on a mismatch."""
    with torch.no_grad():
        for b in range(_VERIFY_BATCHES):
            z = _latents(latent_shape, seed=1000 + b)
            y = _class_args(class_input, 1000 + b)
            want = _eager_output(model, kind, z, y)
            got = _eager_output(loaded, kind, z, y)
            _check_close(f"saved {'forward' if kind == 'generator' else 'decode'}(z)", got, want)
            if kind == "autoencoder":
                # encode takes what decode returns; its (first) result is the posterior mean.
                enc = loaded.encode(got)
                mu = enc[0] if isinstance(enc, (tuple, list)) else enc
                if not isinstance(mu, Tensor) or mu.numel() != z.numel():
                    raise RuntimeError(f"saved encode(decode(z)): expected the posterior mean "
                                       f"with {z.numel()} elements, got "
                                       f"{list(mu.shape) if isinstance(mu, Tensor) else mu!r}")
                want_enc = model.encode(want)
                want_mu = want_enc[0] if isinstance(want_enc, (tuple, list)) else want_enc
                _check_close("saved encode(x)", mu, want_mu)


def _atomic_write_text(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def export(model, path, kind, latent_shape, output_range, output_shape=None, name=None,
           description=None, classes=None, factors=None, sidecar=False, class_input=None,
           **extra):
    """Script `model`, check it, and save it with its card to `path`. Returns the card dict.

    model        an nn.Module; put in eval mode (and moved to the CPU) in place.
    kind         "generator" (forward(z) gives images) or "autoencoder" (encode / decode).
    latent_shape per-sample latent shape, e.g. [100, 1, 1] or [20].
    output_range [lo, hi] of the model's pixels, e.g. [-1, 1] (tanh) or [0, 1] (sigmoid).
    output_shape [C, H, W] to reshape flat outputs (required when the output is not [N, C, H, W]).
    name, description, classes, factors, **extra: further card keys (None values are skipped).
    sidecar      write the card to `path + ".json"` instead of embedding it.
    class_input  for a class-conditional model, forward(z, y) (decode(z, y)):
                 {"encoding": "index" | "onehot", "classes": [names]}; y is int64 indices [N] or
                 float one-hot rows [N, K]. Checked on classes 0, 1, ... like the latents.

    Raises ValueError for a bad card or model, RuntimeError when the saved file does not
    reproduce the eager model. Nothing is written at `path` unless all checks pass.
    """
    if kind == "cgn":
        raise ValueError("kind 'cgn' is exported with export_cgn(model, path, ...), not export()")
    if kind == "vqvae":
        raise ValueError("kind 'vqvae' is exported with export_vqvae(model, path, ...), not export()")
    if "stages" in extra:
        raise ValueError("stages= is gone: the tool finds the layers in the model's own graph (every submodule "
                         "call of forward / decode), so export the model without it")
    card = make_card(kind, latent_shape, output_range, output_shape, name, description,
                     classes, factors, **extra)
    class_input = _class_input(class_input)
    if class_input is not None:
        card["class_input"] = class_input
    latent_shape = card["latent_shape"]
    output_shape = card.get("output_shape")
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be an nn.Module, got {type(model).__name__}")
    if kind == "autoencoder":
        for m in ("encode", "decode"):
            if not callable(getattr(model, m, None)):
                raise ValueError(f"kind 'autoencoder' needs a method {m}(...) on the model")
    # Exported files should load anywhere: export from the CPU, in inference mode.
    if any(t.device.type != "cpu" for t in list(model.parameters()) + list(model.buffers())):
        _warn("moving the model to the CPU for export")
        model.cpu()
    model.eval()

    # Eager sanity checks first: they give clearer errors than a failed comparison later.
    with torch.no_grad():
        z = _latents(latent_shape, seed=0)
        try:
            out = _eager_output(model, kind, z, _class_args(class_input, 0))
        except Exception as e:
            raise ValueError(f"the model fails on a latent of shape {[z.shape[0]] + latent_shape}"
                             f" ({_first_line(e)}); check latent_shape") from e
        if not isinstance(out, Tensor):
            raise ValueError(f"{'forward' if kind == 'generator' else 'decode'}(z) must return a "
                             f"Tensor, got {type(out).__name__}")
        _check_output_shape(out, output_shape)
        lo, hi = card["output_range"]
        if out.min().item() < lo - 1e-3 or out.max().item() > hi + 1e-3:
            _warn(f"sample outputs span [{out.min().item():.3g}, {out.max().item():.3g}], outside "
                  f"output_range [{lo}, {hi}]; they will be clipped for display")

    scripted = _script(model, kind, latent_shape, class_input)

    _save_verified(scripted, path, card, sidecar,
                   lambda loaded: _verify(loaded, model, kind, latent_shape, class_input))
    return card


# --------------------------------------------------------------------------------------------
# Kind "cgn"
# --------------------------------------------------------------------------------------------

def _cgn_inputs(latent_size, n_classes, seed, mix=False):
    """Noise [4, L] and one-hot class rows (classes seed, seed+1, ... mod C); with `mix`, the last
    row is 0.3 * onehot(a) + 0.7 * onehot(b), as the tool sends for class interpolation."""
    g = torch.Generator().manual_seed(seed)
    u = torch.randn(_VERIFY_BATCH_SIZE, latent_size, generator=g)
    y = torch.zeros(_VERIFY_BATCH_SIZE, n_classes)
    for i in range(_VERIFY_BATCH_SIZE):
        y[i, (seed + i) % n_classes] = 1.0
    if mix and n_classes > 1:
        y[-1] = 0.0
        y[-1, seed % n_classes] = 0.3
        y[-1, (seed + 1) % n_classes] = 0.7
    return u, y


def _cgn_outputs(module, u, y):
    return [getattr(module, m)(u, y) for m in CGN_METHODS]


def _check_cgn_outputs(outs, batch, output_shape, output_range):
    """Shapes [N, 1, H, W] / [N, 3, H, W] agreeing with output_shape; finite values."""
    for method, out, channels in zip(CGN_METHODS, outs, (1, 3, 3)):
        if not isinstance(out, Tensor):
            raise ValueError(f"{method}(u, y) must return a Tensor, got {type(out).__name__}")
        want = [batch, channels] + list(output_shape[1:])
        if list(out.shape) != want:
            raise ValueError(f"{method}(u, y) returned {list(out.shape)}, expected {want} "
                             f"(output_shape {list(output_shape)})")
        if not torch.isfinite(out).all():
            raise ValueError(f"{method}(u, y) returned non-finite values")
    lo, hi = output_range
    for method, out in zip(CGN_METHODS[1:], outs[1:]):
        if out.min().item() < lo - 1e-3 or out.max().item() > hi + 1e-3:
            _warn(f"{method} outputs span [{out.min().item():.3g}, {out.max().item():.3g}], "
                  f"outside output_range [{lo}, {hi}]; they will be clipped for display")


def export_cgn(model, path, latent_shape, output_range, classes, output_shape=None, mask_clamp=None,
               shuffle=None, noise=None, name=None, description=None, sidecar=False, **extra):
    """Check, script and save a Counterfactual Generative Network (card kind "cgn"). Returns the card.

    model        an nn.Module with the mechanisms premask(u, y) -> [N, 1, H, W] (f_shape's output
                 before clamping), foreground(u, y) and background(u, y) -> [N, 3, H, W] (before the
                 shuffler); u: noise [N, L], y: class weights [N, C] (one-hot rows, or mixes of two).
                 Put in eval mode (and moved to the CPU) in place; it must be scriptable.
    latent_shape [L], the noise size of each mechanism.
    output_range [lo, hi] of foreground / background pixels, e.g. [-1, 1] (tanh).
    classes      the C class names (y's width).
    output_shape [3, H, W]; taken from foreground's output when None.
    mask_clamp, shuffle, noise, name, description, **extra: further card keys (None values are
                 left out; the tool's defaults are [1e-4, 0.9999], "none", "per_mechanism").
    sidecar      write the card to `path + ".json"` instead of embedding it.

    Raises ValueError for a bad card or model (missing method, wrong shapes, outputs that depend on
    other samples of the batch), RuntimeError when the saved file does not reproduce the eager
    model. Nothing is written at `path` unless all checks pass.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be an nn.Module, got {type(model).__name__}")
    for m in CGN_METHODS:
        if not callable(getattr(model, m, None)):
            raise ValueError(f"kind 'cgn' needs a method {m}(u, y) on the model")
    latent_size = _positive_ints("latent_shape", latent_shape, length=1)[0]
    n_classes = len(_strings("classes", classes))
    if n_classes == 0:
        raise ValueError("card key 'classes': required for kind cgn, a non-empty list of class names")

    if any(t.device.type != "cpu" for t in list(model.parameters()) + list(model.buffers())):
        _warn("moving the model to the CPU for export")
        model.cpu()
    model.eval()

    with torch.no_grad():
        u, y = _cgn_inputs(latent_size, n_classes, seed=0)
        try:
            outs = _cgn_outputs(model, u, y)
        except Exception as e:
            raise ValueError(f"the model fails on u {list(u.shape)}, y {list(y.shape)} "
                             f"({_first_line(e)}); check latent_shape and classes") from e
        if output_shape is None and isinstance(outs[1], Tensor) and outs[1].dim() == 4:
            output_shape = list(outs[1].shape[1:])
        card = make_card("cgn", [latent_size], output_range, output_shape, name, description,
                         classes, None, mask_clamp=mask_clamp, shuffle=shuffle, noise=noise, **extra)
        _check_cgn_outputs(outs, u.shape[0], card["output_shape"], card["output_range"])
        # Each image must depend on its own inputs only (BatchNorm in training mode would not).
        for method, out in zip(CGN_METHODS, outs):
            alone = getattr(model, method)(u[1:2], y[1:2])
            if not torch.allclose(alone, out[1:2], rtol=_RTOL, atol=_ATOL):
                raise ValueError(f"{method}(u, y): a sample's output depends on the other samples "
                                 f"in the batch (BatchNorm in training mode?)")

    _mark_exported(model, CGN_METHODS)
    try:
        scripted = torch.jit.script(model)
    except Exception as e:  # noqa: BLE001 - TorchScript raises many exception types
        raise ValueError(f"torch.jit.script failed on the CGN ({_first_line(e)}); it must be "
                         f"scriptable (tracing keeps only one method)") from e

    def check(loaded):
        with torch.no_grad():
            for b in range(_VERIFY_BATCHES):
                u, y = _cgn_inputs(latent_size, n_classes, seed=1000 + b, mix=True)
                for method, got, want in zip(CGN_METHODS, _cgn_outputs(loaded, u, y),
                                             _cgn_outputs(model, u, y)):
                    _check_close(f"saved {method}(u, y)", got, want)

    _save_verified(scripted, path, card, sidecar, check)
    return card


# --------------------------------------------------------------------------------------------
# Kind "vqvae"
# --------------------------------------------------------------------------------------------

def make_vqvae_card(input_shape, output_range, grid_shape, codebook_size, actions=None, factors=None,
                    dataset=None, name=None, description=None, **extra):
    """Build and validate a card of kind "vqvae" (models/CONTRACT.md); None values are left out.

    Raises ValueError naming the offending key.
    """
    card = {"kind": "vqvae",
            "input_shape": _positive_ints("input_shape", input_shape, length=3),
            "output_range": _output_range(output_range),
            "grid_shape": _positive_ints("grid_shape", grid_shape, length=3)}
    if not _is_int(codebook_size) or codebook_size < 1:
        raise ValueError(f"card key 'codebook_size': expected a positive integer K, got {codebook_size!r}")
    card["codebook_size"] = int(codebook_size)
    if actions is not None:
        actions = _strings("actions", actions)
        if not actions:
            raise ValueError("card key 'actions': a non-empty list of action names (leave it out for a "
                             "model without a transition)")
        if len(set(actions)) != len(actions):
            raise ValueError(f"card key 'actions': names must be unique, got {actions!r}")
        card["actions"] = actions
    if factors is not None:
        card["factors"] = _strings("factors", factors)
        if actions is not None and len(actions) != 2 * len(factors):
            raise ValueError(f"card key 'actions': with {len(factors)} factors there must be "
                             f"2F = {2 * len(factors)} actions (action f = factor f +1, action F+f = "
                             f"factor f -1), got {len(actions)}")
    for key, value in (("dataset", dataset), ("name", name), ("description", description)):
        if value is not None:
            if not isinstance(value, str):
                raise ValueError(f"card key '{key}': expected a string, got {value!r}")
            card[key] = value
    for key, value in extra.items():
        if value is None:
            continue
        try:
            json.dumps(value)
        except (TypeError, ValueError) as e:
            raise ValueError(f"card key '{key}': value is not JSON-serialisable ({e})") from None
        card[key] = value
    return card


def vqvae_actions(factors):
    """The contract's action names for F factors: "<f>+" for f in factors, then "<f>-"."""
    return [f + "+" for f in factors] + [f + "-" for f in factors]


def _vq_random_indices(grid_shape, k, seed, n=_VERIFY_BATCH_SIZE):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, k, [n] + list(grid_shape), generator=g, dtype=torch.int64)


def _vq_actions_batch(n_actions, n):
    """Rows: every one-hot action in turn (cycling), the last row all zero (the identity)."""
    a = torch.zeros(n, n_actions)
    for i in range(n - 1):
        a[i, i % n_actions] = 1.0
    return a


def _check_indices(what, idx, n, grid_shape, k):
    if not isinstance(idx, Tensor):
        raise ValueError(f"{what} must return a Tensor, got {type(idx).__name__}")
    if idx.dtype != torch.int64:
        raise ValueError(f"{what} must return int64 code indices, got {idx.dtype}")
    want = [n] + list(grid_shape)
    if list(idx.shape) != want:
        raise ValueError(f"{what} returned {list(idx.shape)}, expected {want} (grid_shape {list(grid_shape)})")
    if idx.numel() and (idx.min().item() < 0 or idx.max().item() >= k):
        raise ValueError(f"{what} returned indices in [{idx.min().item()}, {idx.max().item()}], "
                         f"outside [0, codebook_size = {k})")


def _check_images(what, x, n, input_shape, output_range):
    if not isinstance(x, Tensor):
        raise ValueError(f"{what} must return a Tensor, got {type(x).__name__}")
    if x.dtype != torch.float32:
        raise ValueError(f"{what} must return float32 images, got {x.dtype}")
    want = [n] + list(input_shape)
    if list(x.shape) != want:
        raise ValueError(f"{what} returned {list(x.shape)}, expected {want} (input_shape {list(input_shape)})")
    if not torch.isfinite(x).all():
        raise ValueError(f"{what} returned non-finite values")
    lo, hi = output_range
    if x.min().item() < lo - 1e-4 or x.max().item() > hi + 1e-4:
        raise ValueError(f"{what} spans [{x.min().item():.4g}, {x.max().item():.4g}], outside "
                         f"output_range [{lo}, {hi}]")


def _check_transition(module, idx, grid_shape, k, n_actions):
    """transition_logits / adjacency shapes and ranges; the all-zero action row is the identity."""
    n = idx.shape[0]
    a = _vq_actions_batch(n_actions, n)
    logits = module.transition_logits(idx, a)
    want = [n] + list(grid_shape) + [k]
    if not isinstance(logits, Tensor) or list(logits.shape) != want or logits.dtype != torch.float32:
        raise ValueError(f"transition_logits(idx, action) returned "
                         f"{list(logits.shape) if isinstance(logits, Tensor) else type(logits).__name__}"
                         f"{'' if not isinstance(logits, Tensor) else ' ' + str(logits.dtype)}, "
                         f"expected float32 {want}")
    if not torch.isfinite(logits).all():
        raise ValueError("transition_logits returned non-finite values")
    if not torch.equal(logits[-1].argmax(-1), idx[-1]):
        changed = int((logits[-1].argmax(-1) != idx[-1]).sum().item())
        raise ValueError(f"transition_logits with an all-zero action row must give idx back exactly "
                         f"(argmax over K); {changed} of {idx[-1].numel()} codes changed")
    m = math.prod(grid_shape)
    adj = module.adjacency(a)
    if not isinstance(adj, Tensor) or list(adj.shape) != [n, m, m] or adj.dtype != torch.float32:
        raise ValueError(f"adjacency(action) returned "
                         f"{list(adj.shape) if isinstance(adj, Tensor) else type(adj).__name__}, "
                         f"expected float32 [{n}, {m}, {m}] (M = B*h*w)")
    if not torch.isfinite(adj).all() or adj.min().item() < 0 or adj.max().item() > 1:
        raise ValueError("adjacency(action) entries must lie in [0, 1]")
    return logits, adj


def export_vqvae(model, path, input_shape, output_range, grid_shape, codebook_size, actions=None,
                 factors=None, dataset=None, name=None, description=None, examples=None,
                 min_code_agreement=0.75, sidecar=False, **extra):
    """Check, script and save a VQ-VAE (card kind "vqvae"), optionally with a causal transition
    (the CT-VAE of Gendron et al.). Returns the card.

    model          an nn.Module with encode(x) -> int64 [N, B, h, w] code indices and decode(idx) ->
                   float32 [N, C, H, W] images in output_range; with `actions` also
                   transition_logits(idx, action) -> [N, B, h, w, K] and adjacency(action) -> [N, M, M]
                   (action: float32 [N, A] one-hot rows; an all-zero row is the identity). Put in eval
                   mode (and moved to the CPU) in place; it must be scriptable.
    input_shape    [C, H, W]; output_range [lo, hi]; grid_shape [B, h, w]; codebook_size K.
    actions        A action names (the transition's); with `factors` (F names) A must be 2F, action f
                   being factor f +1 and action F+f factor f -1 (see vqvae_actions()).
    examples       optional float32 images [N, C, H, W] from the data; the code-stability check
                   (encode(decode(idx)) == idx) runs on their codes, else on encode(decode(random codes)).
    min_code_agreement  the fraction of codes that check must keep (ValueError below it).
    dataset, name, description, **extra: further card keys (None values are left out).
    sidecar        write the card to `path + ".json"` instead of embedding it.

    Raises ValueError for a bad card or model (missing method, wrong shapes, dtypes or ranges, an
    identity row that changes codes, outputs that depend on other samples of the batch), RuntimeError
    when the saved file does not reproduce the eager model. Nothing is written at `path` unless all
    checks pass.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be an nn.Module, got {type(model).__name__}")
    card = make_vqvae_card(input_shape, output_range, grid_shape, codebook_size, actions, factors,
                           dataset, name, description, **extra)
    input_shape, grid_shape = card["input_shape"], card["grid_shape"]
    k, rng = card["codebook_size"], card["output_range"]
    methods = list(VQVAE_METHODS) + (list(VQVAE_TRANSITION_METHODS) if actions is not None else [])
    for m in methods:
        if not callable(getattr(model, m, None)):
            raise ValueError(f"kind 'vqvae' needs a method {m}(...) on the model"
                             + (" (a transition is declared by `actions`)" if m in VQVAE_TRANSITION_METHODS
                                else ""))
    if actions is None and any(callable(getattr(model, m, None)) for m in VQVAE_TRANSITION_METHODS):
        _warn("the model has transition methods but no `actions` were given; the tool will treat it "
              "as a plain VQ-VAE")
    n_actions = len(card.get("actions", []))

    if any(t.device.type != "cpu" for t in list(model.parameters()) + list(model.buffers())):
        _warn("moving the model to the CPU for export")
        model.cpu()
    model.eval()

    with torch.no_grad():
        r = _vq_random_indices(grid_shape, k, seed=0)
        try:
            x0 = model.decode(r)
        except Exception as e:
            raise ValueError(f"the model fails on decode(idx) with idx int64 {list(r.shape)} "
                             f"({_first_line(e)}); check grid_shape and codebook_size") from e
        _check_images("decode(idx)", x0, r.shape[0], input_shape, rng)
        if examples is not None:
            examples = examples.detach().to(torch.float32).cpu()
            _check_images("examples", examples, examples.shape[0], input_shape, rng)
            x_in = examples
        else:
            x_in = x0
        try:
            idx = model.encode(x_in)
        except Exception as e:
            raise ValueError(f"the model fails on encode(x) with x {list(x_in.shape)} "
                             f"({_first_line(e)}); check input_shape") from e
        _check_indices("encode(x)", idx, x_in.shape[0], grid_shape, k)
        again = model.encode(model.decode(idx))
        agreement = (again == idx).double().mean().item()
        if agreement < min_code_agreement:
            raise ValueError(f"codes are not stable: encode(decode(idx)) keeps only {agreement:.1%} of "
                             f"the codes of {'the examples' if examples is not None else 'a sample'} "
                             f"(need {min_code_agreement:.0%})")
        if agreement < 0.95:
            _warn(f"encode(decode(idx)) keeps {agreement:.1%} of the codes")
        # Each sample must depend on its own inputs only (BatchNorm in training mode would not).
        if not torch.equal(model.encode(x_in[1:2]), idx[1:2]):
            raise ValueError("encode(x): a sample's codes depend on the other samples in the batch")
        if not torch.allclose(model.decode(r[1:2]), x0[1:2], rtol=_RTOL, atol=_ATOL):
            raise ValueError("decode(idx): a sample's image depends on the other samples in the batch")
        if n_actions:
            for src in (idx, r):
                logits, _ = _check_transition(model, src, grid_shape, k, n_actions)
                a = _vq_actions_batch(n_actions, src.shape[0])
                alone = model.transition_logits(src[1:2], a[1:2])
                if not torch.allclose(alone, logits[1:2], rtol=_RTOL, atol=_ATOL):
                    raise ValueError("transition_logits: a sample's logits depend on the other samples "
                                     "in the batch")

    _mark_exported(model, methods)
    try:
        scripted = torch.jit.script(model)
    except Exception as e:  # noqa: BLE001 - TorchScript raises many exception types
        raise ValueError(f"torch.jit.script failed on the VQ-VAE ({_first_line(e)}); it must be "
                         f"scriptable (tracing keeps only one method)") from e

    def check(loaded):
        with torch.no_grad():
            for b in range(_VERIFY_BATCHES):
                r = _vq_random_indices(grid_shape, k, seed=1000 + b)
                want = model.decode(r)
                got = loaded.decode(r)
                _check_close("saved decode(idx)", got, want)
                for x in ((want, x_in) if b == 0 else (want,)):
                    got_idx, want_idx = loaded.encode(x), model.encode(x)
                    if not isinstance(got_idx, Tensor) or not torch.equal(got_idx, want_idx):
                        raise RuntimeError("saved encode(x): code indices differ from the eager model")
                if n_actions:
                    for src in ((r, idx) if b == 0 else (r,)):
                        logits, adj = _check_transition(loaded, src, grid_shape, k, n_actions)
                        a = _vq_actions_batch(n_actions, src.shape[0])
                        _check_close("saved transition_logits(idx, action)", logits,
                                     model.transition_logits(src, a))
                        _check_close("saved adjacency(action)", adj, model.adjacency(a))
                    eye = torch.eye(n_actions)
                    _check_close("saved adjacency(every action)", loaded.adjacency(eye), model.adjacency(eye))

    _save_verified(scripted, path, card, sidecar, check)
    return card


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------

def read_card(path):
    """Return (card dict, source) for an exported file: the embedded card wins over a sidecar."""
    extra = {CARD_FILE: ""}
    module = torch.jit.load(path, _extra_files=extra)
    if extra[CARD_FILE]:
        return json.loads(_as_text(extra[CARD_FILE])), "embedded", module
    if os.path.exists(path + ".json"):
        with open(path + ".json", encoding="utf-8") as f:
            return json.load(f), "sidecar " + path + ".json", module
    return None, "none", module


def _main(argv):
    if len(argv) != 2 or argv[0] != "show":
        print("usage: python3 lx_export.py show MODEL.pt", file=sys.stderr)
        return 2
    card, source, module = read_card(argv[1])
    print(f"card ({source}):")
    print(json.dumps(card, indent=2))
    cgn = [m for m in CGN_METHODS if module._c._has_method(m)]
    if cgn:
        print("cgn methods:", ", ".join(cgn))
    if card is not None and card.get("kind") == "vqvae":
        vq = [m for m in VQVAE_METHODS + VQVAE_TRANSITION_METHODS if module._c._has_method(m)]
        print("vqvae methods:", ", ".join(vq))
        print(f"grid {card.get('grid_shape')} of codebook_size {card.get('codebook_size')}; "
              f"{len(card.get('actions', []))} actions")
    return 0 if card is not None else 1


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
