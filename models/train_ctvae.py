"""Train the bundled CT-VAE (a VQ-VAE with a causal transition) on lx-shapes.

    /usr/bin/python3 models/train_ctvae.py --cli BUILD/app/cli/latent-explorer-cli
        # writes models/ctvae_shapes.pt, models/ctvae_shapes.json (metrics), models/ctvae_shapes_samples.png

After Gendron, Witbrock & Dobbie, *Disentanglement of Latent Representations via Sparse Causal
Interventions* (IJCAI 2023), section 3 of papers/METHODS.md; exported as card kind "vqvae" with a
transition (models/CONTRACT.md, vqvae section).

Options: --max-minutes M (hard wall-clock budget for the whole script, default 40), --vq-fraction F (share of
the training time given to the VQ-VAE, default 0.4), --codebook K (32), --dim D (32), --seed S (0),
--threads T (2), --vq-batch, --ct-batch (pairs per step), --lr-vq, --lr-ct, --causal-weight,
--eval-pairs (3000), --min-code-agreement (0.5), --save-vq PATH / --load-vq PATH (keep or reuse the stage-1 weights, e.g. to retrain only
the transition), --out, --metrics, --samples.

Data. The images come from the C++ dataset through the CLI (`latent-explorer-cli shapes --indices all`, via
train_shapes_vae.load_dataset), so there is one implementation of lx-shapes: 73,728 64x64 images in [0, 1],
factors shape 3, scale 6, orientation 16, pos_x 16, pos_y 16 (flat index mixed radix, last factor fastest).
15 % of the images (seed 42) are held out: the VQ-VAE never sees them, and a pair (x, y) is a training pair
when both images are training images, a held-out pair when both are held out (pairs that straddle the split
are not used), so both images of a pair are always in the same split. A pair is an image x and the image y
whose factor f is one step higher (action f, "<f>+") or lower (action 5+f, "<f>-"), the paper's
convention (index F*dir + factor, dir = 1 when the target value is lower); no wrap-around (also not for
orientation). Actions are drawn uniformly, then a base image for which the step stays in range.

Stage 1, VQ-VAE (encoder 64x64x1 -> 8x8 grid of one codebook of K codes of dimension D):
  encoder  conv 4x4/2 1->32, ReLU, conv 4x4/2 32->64, ReLU, conv 4x4/2 64->64, ReLU, residual block
           (ReLU, conv 3x3, ReLU, conv 1x1), conv 1x1 64->D
  quantiser nearest code (L2), straight-through gradients, commitment beta 0.25, codebook learned by EMA
           (decay 0.99, Laplace smoothing) with dead-code restarts (a code whose EMA count falls below 1 is
           moved onto a random encoder output of the current batch)
  decoder  conv 3x3 D->64, residual block, ReLU, transposed conv 4x4/2 64->64, ReLU, 64->32, ReLU, 32->1,
           Sigmoid; images in [0, 1]
  loss     BCE (mean over pixels; the images are near-binary) + 0.25 * commitment; Adam.

Stage 2, causal transition (the VQ-VAE frozen; codes of all images computed once). Nodes: the M = 64 grid
positions; node features = one-hot code (K) ++ a fixed 2-D sinusoidal positional encoding pe_i (16 dims).
  intervention mask  gate_i = sigmoid(Linear([a, pe_i]))[code_i] (the paper's m_i, read at the node's code);
           training: hard Gumbel-softmax (tau 1) over log[1 - gate, gate] (straight-through);
           inference: gate_i > 0.5.
  causal graph  per action a a "discoverer" MLP on [pe_i, pe_j] (32 -> 64, LeakyReLU, -> 1, Sigmoid) gives
           P_a[i, j], the probability of the edge j -> i; training: a straight-through Bernoulli sample S
           (edge weight P*S), inference: the expected graph (weights P). Self-loops are always present
           (weight 1). adjacency(action) returns sum_a action[a] * P_a (P_a for a one-hot row).
  transition  two dense GATv2 layers written out in PyTorch (no torch_geometric): score
           e_ij = att . LeakyReLU_0.2(W_l h_j + W_r h_i + w_e * weight_ij), attention
           alpha_ij = S_ij exp(e_ij) / sum_j' S_ij' exp(e_ij') (a softmax over the edges present; with expected
           weights at inference), message W_l h_j, plus a residual (root) term W_root h_i;
           48 -> 32 (LeakyReLU) -> K logits. One head per action:
           the action selects the layer weights (the paper's A+1 heads, of which a node uses one).
  identity   nodes the mask does not intervene on keep their code: their logits are 10 * onehot(code).
           An all-zero action row intervenes nowhere, so it returns idx exactly.
  losses   (per step, a batch of pairs (x, y, a); the transition is run for every action a' on x)
           CE_a' = mean over nodes of CE(logits(x, a'), codes(y));
           action loss CE_a (the paper's code CE), causal/action-retrieval loss CE(softmax_a'(-CE_a'), a)
           (softmin over per-action CE against the true action; weight --causal-weight, 1),
           0.01 * mean gate of the true action (mask sparsity), 0.01 * mean P (the paper's delta ||G||),
           0.1 * mean_i prod_{j != i} (1 - P_ij) (the paper's "positive trial": no empty rows); Adam.

Simplifications against the paper (also in models/README.md):
  - a small VQ-VAE (3 stride-2 convs of 32/64/64, one residual block, D 32, one codebook of K 32), not the
    MCQ-VAE (3 convs of 64/128/256, 6 residual layers, D 128, several codebooks); BCE instead of MSE;
    EMA codebook and restarts instead of the codebook loss;
  - the discoverers see positions only, not the nodes' codes, so the graph of an action does not depend on
    the image (the contract's adjacency(action) takes no codes); there is no discoverer 0 / head 0 for
    non-intervened nodes: those keep their code by construction instead of being predicted by head 0, and the
    action node (padding of the adjacency) is left out, since the action already selects the head and enters
    the mask;
  - one attention head per action and GATv2 layer, hidden 32 instead of 100, attention scores in an
    8-dim projection (CPU budget); a residual (root) term in each GATv2 layer (the first run without it
    reached 0.69 held-out action accuracy in 20 minutes, with it 0.81 in 25);
  - no "base" mode batches (the identity is architectural), no KL(softmax(adjacency) || random target) term,
    no reconstruction of y through the frozen decoder (the code CE only);
  - training for a wall-clock budget (default 40 minutes on 2 shared CPU cores) instead of 100 epochs.
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time

# OpenMP threads that spin while they wait are ruinous on a shared, loaded CPU. Must precede torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import Tensor  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lx_export  # noqa: E402
from train_fashion_dcgan import write_png_gray  # noqa: E402  (pure-python PNG writer)
from train_shapes_vae import cli_json, load_dataset, tile, to_float  # noqa: E402

DEFAULT_CLI = os.path.join(os.path.dirname(HERE), "build", "app", "cli", "latent-explorer-cli")
KEEP_LOGIT = 10.0       # logit of the kept code at nodes the action does not intervene on
PE_DIM = 16
GNN_HIDDEN = 32
DISC_HIDDEN = 64
ATT_DIM = 8             # GATv2 score projection


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------

class ResBlock(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, 1, 1)
        self.conv2 = nn.Conv2d(c, c, 1)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv2(F.relu(self.conv1(F.relu(x))))


def sinusoidal_pe(h: int, w: int, dim: int) -> Tensor:
    """[h*w, dim]: sin/cos of row and column at dim/4 frequencies each (periods 4, 8, 16, ...)."""
    nf = dim // 4
    freqs = math.pi / (2.0 ** (torch.arange(nf, dtype=torch.float32) + 1))
    rows = torch.arange(h, dtype=torch.float32).repeat_interleave(w)
    cols = torch.arange(w, dtype=torch.float32).repeat(h)
    parts = []
    for v in (rows, cols):
        a = v[:, None] * freqs[None]
        parts += [torch.sin(a), torch.cos(a)]
    return torch.cat(parts, 1)


class DenseGATv2(nn.Module):
    """GATv2 on a dense graph with a scalar edge attribute, one weight set ("head") per action, chosen per
    graph. x [G, M, Fin], head [G] (int64), s [G, M, M] edge presence (0/1, or expected), w [G, M, M] edge
    attribute; row i of s / w holds the edges into node i. Returns [G, M, Fout].

    Score e_ij = att . LeakyReLU(A_l h_j + A_r h_i + a_e w_ij) as in GATv2 (the nonlinearity before the
    attention vector), computed in a small `att_dim` projection; the message is W h_j. A residual (root)
    term W_root h_i is added to the aggregate (as PyG's GATv2Conv(residual=True)), so a node's own code is
    not averaged away by its neighbours."""

    def __init__(self, fin: int, fout: int, heads: int, att_dim: int):
        super().__init__()
        std = math.sqrt(2.0 / (fin + fout))
        self.w = nn.Parameter(torch.randn(heads, fin, fout) * std)
        self.a_lr = nn.Parameter(torch.randn(heads, fin, 2 * att_dim) * math.sqrt(2.0 / (fin + att_dim)))
        self.a_e = nn.Parameter(torch.randn(heads, att_dim) * 0.1)
        self.att = nn.Parameter(torch.randn(heads, att_dim) * math.sqrt(1.0 / att_dim))
        self.w_root = nn.Parameter(torch.randn(heads, fin, fout) * std)
        self.bias = nn.Parameter(torch.zeros(heads, fout))

    def forward(self, x: Tensor, head: Tensor, s: Tensor, w: Tensor) -> Tensor:
        g = x.shape[0]
        msg = torch.bmm(x, self.w[head])                        # [G, M, Fout]
        lr = torch.bmm(x, self.a_lr[head])                      # [G, M, 2 * att_dim]
        d = lr.shape[2] // 2
        z = lr[:, :, d:].unsqueeze(2) + lr[:, :, :d].unsqueeze(1) + w.unsqueeze(3) * self.a_e[head].view(g, 1, 1, d)
        e = (F.leaky_relu(z, 0.2) * self.att[head].view(g, 1, 1, d)).sum(3)
        e = e - e.max(dim=2, keepdim=True)[0].detach()
        a = s * torch.exp(e)
        a = a / a.sum(dim=2, keepdim=True)
        return torch.bmm(a, msg) + torch.bmm(x, self.w_root[head]) + self.bias[head].unsqueeze(1)


class CausalTransition(nn.Module):
    def __init__(self, k: int, n_actions: int, grid_h: int, grid_w: int):
        super().__init__()
        self.k = k
        self.n_actions = n_actions
        self.m = grid_h * grid_w
        self.pe_dim = PE_DIM
        self.keep_logit = KEEP_LOGIT
        self.register_buffer("pe", sinusoidal_pe(grid_h, grid_w, PE_DIM))
        self.register_buffer("eye", torch.eye(self.m))
        self.mask = nn.Linear(n_actions + PE_DIM, k)
        a, p, hd = n_actions, PE_DIM, DISC_HIDDEN
        self.d_w1 = nn.Parameter(torch.randn(a, 2 * p, hd) * math.sqrt(2.0 / (2 * p)))
        self.d_b1 = nn.Parameter(torch.zeros(a, hd))
        self.d_w2 = nn.Parameter(torch.randn(a, hd) * math.sqrt(1.0 / hd))
        self.d_b2 = nn.Parameter(torch.zeros(a))
        self.gat1 = DenseGATv2(k + p, GNN_HIDDEN, n_actions, ATT_DIM)
        self.gat2 = DenseGATv2(GNN_HIDDEN, k, n_actions, ATT_DIM)

    def gates(self, idx: Tensor, action: Tensor) -> Tensor:
        """idx [N, M] int64, action [N, A] -> intervention probability per node [N, M]."""
        n = idx.shape[0]
        inp = torch.cat([action.unsqueeze(1).expand(n, self.m, self.n_actions),
                         self.pe.unsqueeze(0).expand(n, self.m, self.pe_dim)], 2)
        m = torch.sigmoid(self.mask(inp))                       # [N, M, K]
        return m.gather(2, idx.unsqueeze(2)).squeeze(2)

    def edge_probs(self) -> Tensor:
        """[A, M, M]: P_a[i, j] = probability of the edge j -> i under action a (positions only)."""
        p = self.pe_dim
        u = torch.einsum("mp,aph->amh", self.pe, self.d_w1[:, :p])    # target i
        v = torch.einsum("mp,aph->amh", self.pe, self.d_w1[:, p:])    # source j
        h = F.leaky_relu(u.unsqueeze(2) + v.unsqueeze(1) + self.d_b1.unsqueeze(1).unsqueeze(1), 0.2)
        logit = (h * self.d_w2.unsqueeze(1).unsqueeze(1)).sum(3) + self.d_b2.view(-1, 1, 1)
        return torch.sigmoid(logit)

    def gnn_logits(self, idx: Tensor, head: Tensor, s: Tensor, w: Tensor) -> Tensor:
        n = idx.shape[0]
        x = torch.cat([F.one_hot(idx, self.k).to(torch.float32),
                       self.pe.unsqueeze(0).expand(n, self.m, self.pe_dim)], 2)
        h = F.leaky_relu(self.gat1(x, head, s, w), 0.2)
        return self.gat2(h, head, s, w)

    def combine(self, idx: Tensor, gnn: Tensor, g: Tensor) -> Tensor:
        """Intervened nodes (g = 1) take the GNN's logits, the others KEEP_LOGIT * onehot(code)."""
        keep = F.one_hot(idx, self.k).to(torch.float32) * self.keep_logit
        gg = g.unsqueeze(2)
        return gg * gnn + (1.0 - gg) * keep

    def logits_eval(self, idx: Tensor, action: Tensor) -> Tensor:
        """Deterministic transition: mask gate > 0.5, expected graph. idx [N, M], action [N, A] -> [N, M, K]."""
        active = action.sum(1) > 0
        head = action.argmax(1)
        g = (self.gates(idx, action) > 0.5).to(torch.float32) * active.to(torch.float32).unsqueeze(1)
        p = self.edge_probs()[head]
        sw = p * (1.0 - self.eye) + self.eye
        out = self.combine(idx, self.gnn_logits(idx, head, sw, sw), g)
        keep = F.one_hot(idx, self.k).to(torch.float32) * self.keep_logit
        # Rows without an action are the identity exactly, whatever the GNN computed.
        return torch.where(active.view(-1, 1, 1), out, keep)

    def logits_train(self, idx: Tensor, head: Tensor):
        """Stochastic transition for training (one-hot actions `head` [G]): hard Gumbel mask and a
        straight-through Bernoulli graph. Returns (logits [G, M, K], gate probabilities [G, M])."""
        action = F.one_hot(head, self.n_actions).to(torch.float32)
        gate = self.gates(idx, action)
        two = torch.stack([torch.log1p(-gate.clamp(max=1 - 1e-6)), torch.log(gate.clamp(min=1e-6))], 2)
        g = F.gumbel_softmax(two, tau=1.0, hard=True)[:, :, 1]
        p = self.edge_probs()[head]
        sample = torch.bernoulli(p.detach())
        s = sample + p - p.detach()
        s = s * (1.0 - self.eye) + self.eye
        w = p * s * (1.0 - self.eye) + self.eye
        return self.combine(idx, self.gnn_logits(idx, head, s, w), g), gate


class CTVAE(nn.Module):
    def __init__(self, k: int = 32, dim: int = 32, n_actions: int = 10):
        super().__init__()
        self.k, self.dim = k, dim
        self.grid_h, self.grid_w = 8, 8
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(),        # 32x32
            nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),       # 16x16
            nn.Conv2d(64, 64, 4, 2, 1), nn.ReLU(),       # 8x8
            ResBlock(64),
            nn.Conv2d(64, dim, 1),
        )
        self.decoder = nn.Sequential(
            nn.Conv2d(dim, 64, 3, 1, 1),
            ResBlock(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 64, 4, 2, 1), nn.ReLU(),   # 16x16
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),   # 32x32
            nn.ConvTranspose2d(32, 1, 4, 2, 1),               # 64x64 logits
        )
        self.register_buffer("codebook", torch.randn(k, dim))
        self.register_buffer("ema_count", torch.ones(k))
        self.register_buffer("ema_sum", self.codebook.clone())
        self.transition = CausalTransition(k, n_actions, self.grid_h, self.grid_w)

    # --- contract methods -------------------------------------------------------------------
    def quantise(self, z: Tensor) -> Tensor:
        """z [N, D, h, w] -> nearest code index [N, h*w]."""
        n = z.shape[0]
        zf = z.permute(0, 2, 3, 1).reshape(-1, self.dim)
        d = (zf * zf).sum(1, keepdim=True) - 2.0 * zf @ self.codebook.t() + (self.codebook ** 2).sum(1).unsqueeze(0)
        return d.argmin(1).view(n, -1)

    @torch.jit.export
    def encode(self, x: Tensor) -> Tensor:
        idx = self.quantise(self.encoder(x))
        return idx.view(x.shape[0], 1, self.grid_h, self.grid_w)

    def decode_logits_from_vectors(self, q: Tensor) -> Tensor:
        return self.decoder(q)

    @torch.jit.export
    def decode(self, idx: Tensor) -> Tensor:
        n = idx.shape[0]
        q = self.codebook[idx.reshape(n, -1)]                      # [N, M, D]
        q = q.view(n, self.grid_h, self.grid_w, self.dim).permute(0, 3, 1, 2)
        return torch.sigmoid(self.decoder(q))

    @torch.jit.export
    def transition_logits(self, idx: Tensor, action: Tensor) -> Tensor:
        n = idx.shape[0]
        out = self.transition.logits_eval(idx.reshape(n, -1), action)
        return out.view(n, 1, self.grid_h, self.grid_w, self.k)

    @torch.jit.export
    def adjacency(self, action: Tensor) -> Tensor:
        p = self.transition.edge_probs()
        return torch.einsum("na,aij->nij", action, p).clamp(0.0, 1.0)

    def forward(self, x: Tensor) -> Tensor:
        return self.decode(self.encode(x))


# --------------------------------------------------------------------------------------------
# Stage 1: VQ-VAE
# --------------------------------------------------------------------------------------------

def vq_step(model, x, opt, beta, decay=0.99, eps=1e-5):
    z = model.encoder(x)
    n = z.shape[0]
    zf = z.permute(0, 2, 3, 1).reshape(-1, model.dim)
    with torch.no_grad():
        d = (zf * zf).sum(1, keepdim=True) - 2.0 * zf @ model.codebook.t() + (model.codebook ** 2).sum(1)[None]
        idx = d.argmin(1)
    q = model.codebook[idx]
    commit = F.mse_loss(zf, q)
    q_st = zf + (q - zf).detach()
    q_st = q_st.view(n, model.grid_h, model.grid_w, model.dim).permute(0, 3, 1, 2)
    logits = model.decoder(q_st)
    rec = F.binary_cross_entropy_with_logits(logits, x)
    loss = rec + beta * commit
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    with torch.no_grad():                                   # EMA codebook (van den Oord et al. appendix)
        onehot = F.one_hot(idx, model.k).to(zf.dtype)
        model.ema_count.mul_(decay).add_(onehot.sum(0), alpha=1 - decay)
        model.ema_sum.mul_(decay).add_(onehot.t() @ zf.detach(), alpha=1 - decay)
        total = model.ema_count.sum()
        count = (model.ema_count + eps) / (total + model.k * eps) * total
        model.codebook.copy_(model.ema_sum / count.unsqueeze(1))
    return rec.item(), commit.item(), idx, zf.detach()


def restart_dead_codes(model, zf, threshold=1.0):
    dead = (model.ema_count < threshold).nonzero().flatten()
    if dead.numel():
        pick = zf[torch.randint(zf.shape[0], (dead.numel(),))]
        pick = pick + 0.01 * pick.std() * torch.randn_like(pick)
        model.codebook[dead] = pick
        model.ema_sum[dead] = pick
        model.ema_count[dead] = 1.0
    return int(dead.numel())


# --------------------------------------------------------------------------------------------
# Stage 2: transition
# --------------------------------------------------------------------------------------------

def ce_per_action(tr, ix, iy, train):
    """CE_a = mean over nodes of CE(logits(ix, a), iy) for every action a. ix, iy [N, M] -> [N, A]
    (and the gate probabilities [N, A, M] when training)."""
    n, m = ix.shape
    a = tr.n_actions
    rep = ix.unsqueeze(1).expand(n, a, m).reshape(n * a, m)
    heads = torch.arange(a).repeat(n)
    if train:
        logits, gate = tr.logits_train(rep, heads)
    else:
        logits = tr.logits_eval(rep, F.one_hot(heads, a).to(torch.float32))
        gate = None
    tgt = iy.unsqueeze(1).expand(n, a, m).reshape(-1)
    ce = F.cross_entropy(logits.reshape(-1, tr.k), tgt, reduction="none").view(n, a, m).mean(2)
    return ce, (gate.view(n, a, m) if gate is not None else None)


def pair_tables(factors, sizes, held):
    """Per action: (base, target) flat-index arrays for the training and the held-out split."""
    f_count = len(sizes)
    strides = [int(np.prod(sizes[i + 1:])) for i in range(f_count)]
    n = factors.shape[0]
    assert np.array_equal(factors @ np.array(strides), np.arange(n)), "flat index is not mixed radix"
    tables = {"train": [], "held": []}
    for a in range(2 * f_count):
        f, step = a % f_count, (1 if a < f_count else -1)
        ok = (factors[:, f] + step >= 0) & (factors[:, f] + step < sizes[f])
        base = np.nonzero(ok)[0]
        tgt = base + step * strides[f]
        for split, keep in (("train", ~held[base] & ~held[tgt]), ("held", held[base] & held[tgt])):
            tables[split].append((base[keep], tgt[keep]))
    return tables, strides


def sample_pairs(tables, n, rng):
    a = rng.integers(0, len(tables), n)
    bases, tgts = np.empty(n, np.int64), np.empty(n, np.int64)
    for i, ai in enumerate(a):
        b, t = tables[ai]
        j = rng.integers(0, len(b))
        bases[i], tgts[i] = b[j], t[j]
    return bases, tgts, a


def retrieval_accuracy(tr, codes, tables, n_pairs, seed, batch=32):
    rng = np.random.default_rng(seed)
    bases, tgts, acts = sample_pairs(tables, n_pairs, rng)
    f_count = tr.n_actions // 2
    pred = []
    with torch.no_grad():
        for b in range(0, n_pairs, batch):
            ce, _ = ce_per_action(tr, codes[bases[b:b + batch]], codes[tgts[b:b + batch]], train=False)
            pred.append(ce.argmin(1))
    pred = torch.cat(pred).numpy()
    same = float((codes[bases] == codes[tgts]).all(1).float().mean())
    return (float((pred == acts).mean()), float((pred % f_count == acts % f_count).mean()), same,
            [float((pred[acts == a] == a).mean()) for a in range(tr.n_actions)])


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def encode_all(model, images, batch=1024):
    out = []
    with torch.no_grad():
        for b in range(0, images.shape[0], batch):
            out.append(model.encode(to_float(images[b:b + batch])).view(-1, model.grid_h * model.grid_w))
    return torch.cat(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cli", default=DEFAULT_CLI, help="path of latent-explorer-cli (it renders the dataset)")
    p.add_argument("--max-minutes", type=float, default=40.0)
    p.add_argument("--vq-fraction", type=float, default=0.4)
    p.add_argument("--codebook", type=int, default=32)
    p.add_argument("--dim", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--vq-batch", type=int, default=64)
    p.add_argument("--ct-batch", type=int, default=16)
    p.add_argument("--lr-vq", type=float, default=1e-3)
    p.add_argument("--lr-ct", type=float, default=2e-3)
    p.add_argument("--beta", type=float, default=0.25)
    p.add_argument("--causal-weight", type=float, default=1.0)
    p.add_argument("--eval-pairs", type=int, default=3000)
    p.add_argument("--min-code-agreement", type=float, default=0.5,
                   help="export refuses a VQ-VAE whose encode(decode(codes)) keeps fewer codes than this")
    p.add_argument("--save-vq", default=None)
    p.add_argument("--load-vq", default=None)
    p.add_argument("--out", default=os.path.join(HERE, "ctvae_shapes.pt"))
    p.add_argument("--metrics", default=os.path.join(HERE, "ctvae_shapes.json"))
    p.add_argument("--samples", default=os.path.join(HERE, "ctvae_shapes_samples.png"))
    args = p.parse_args()

    t0 = time.time()
    budget_s = args.max_minutes * 60.0
    reserve_s = min(240.0, 0.3 * budget_s)          # evaluation, samples, export and its checks
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    info = cli_json(args.cli, ["shapes", "--info"])
    factor_names = [f["name"] for f in info["factors"]]
    sizes = [int(f["size"]) for f in info["factors"]] if "size" in info["factors"][0] else [3, 6, 16, 16, 16]
    with tempfile.TemporaryDirectory() as tmpdir:
        images, factors = load_dataset(args.cli, tmpdir)
    n = images.shape[0]
    assert n == info["size"] == int(np.prod(sizes)) and factors.shape == (n, len(factor_names))
    held = np.random.default_rng(42).random(n) < 0.15
    train_idx = torch.from_numpy(np.nonzero(~held)[0])
    held_idx = torch.from_numpy(np.nonzero(held)[0])
    tables, _ = pair_tables(factors, sizes, held)
    actions = lx_export.vqvae_actions(factor_names)
    print(f"data: {n} images, factors {dict(zip(factor_names, sizes))}, {held.sum()} held out; "
          f"pairs per action train {[len(t[0]) for t in tables['train']]}, "
          f"held {[len(t[0]) for t in tables['held']]}; {time.time() - t0:.0f} s", flush=True)

    model = CTVAE(args.codebook, args.dim, len(actions))
    train_end = t0 + budget_s - reserve_s
    vq_end = time.time() + args.vq_fraction * (train_end - time.time())

    # ---- stage 1 ----
    vq_steps, rec, commit = 0, float("nan"), float("nan")
    if args.load_vq:
        state = torch.load(args.load_vq)
        model.load_state_dict({k: v for k, v in state["model"].items() if not k.startswith("transition.")},
                              strict=False)
        vq_steps, rec, commit = state["steps"], state["rec"], state["commit"]
        vq_minutes = state["minutes"]
        print(f"loaded the VQ-VAE from {args.load_vq} ({vq_steps} steps)", flush=True)
    else:
        vq_params = list(model.encoder.parameters()) + list(model.decoder.parameters())
        opt = torch.optim.Adam(vq_params, lr=args.lr_vq)
        with torch.no_grad():                                   # codebook from encoder outputs
            x = to_float(images[train_idx[torch.randperm(len(train_idx))[:256]]])
            zf = model.encoder(x).permute(0, 2, 3, 1).reshape(-1, args.dim)
            model.codebook.copy_(zf[torch.randperm(zf.shape[0])[:args.codebook]])
            model.ema_sum.copy_(model.codebook)
        ts, restarts = time.time(), 0
        while time.time() < vq_end:
            perm = train_idx[torch.randperm(len(train_idx))]
            for b in range(0, len(perm) - args.vq_batch + 1, args.vq_batch):
                x = to_float(images[perm[b:b + args.vq_batch]])
                rec, commit, idx, zf = vq_step(model, x, opt, args.beta)
                vq_steps += 1
                if vq_steps % 25 == 0:
                    restarts += restart_dead_codes(model, zf)
                if vq_steps % 200 == 0:
                    used = int((model.ema_count > 1.0).sum())
                    print(f"vq step {vq_steps} bce {rec:.4f} commit {commit:.4f} codes in use {used} restarts "
                          f"{restarts} {(time.time() - ts) / vq_steps:.2f} s/step elapsed "
                          f"{(time.time() - t0) / 60:.1f} min", flush=True)
                if time.time() >= vq_end:
                    break
        vq_minutes = (time.time() - ts) / 60
        if args.save_vq:
            torch.save({"model": model.state_dict(), "steps": vq_steps, "rec": rec, "commit": commit,
                        "minutes": vq_minutes}, args.save_vq)
    model.eval()
    for q in model.parameters():
        q.requires_grad_(False)
    te = time.time()
    codes = encode_all(model, images)
    print(f"stage 1: {vq_steps} VQ steps ({vq_steps * args.vq_batch / len(train_idx):.2f} epochs) in "
          f"{vq_minutes:.1f} min; all images encoded in {time.time() - te:.0f} s", flush=True)

    # ---- stage 2 ----
    tr = model.transition
    tr.train()
    ct_params = list(tr.parameters())
    for q in ct_params:
        q.requires_grad_(True)
    opt = torch.optim.Adam(ct_params, lr=args.lr_ct)
    ct_steps, ts = 0, time.time()
    hist = []
    while time.time() < train_end:
        bases, tgts, acts = sample_pairs(tables["train"], args.ct_batch, rng)
        ix, iy, at = codes[bases], codes[tgts], torch.from_numpy(acts)
        ce, gate = ce_per_action(tr, ix, iy, train=True)
        l_action = ce.gather(1, at.unsqueeze(1)).mean()
        l_causal = F.cross_entropy(-ce, at)
        l_mask = gate[torch.arange(len(at)), at].mean()
        pr = tr.edge_probs() * (1.0 - tr.eye)
        l_adj = pr.mean()
        l_empty = torch.exp(torch.log1p(-pr.clamp(max=1 - 1e-6)).sum(2)).mean()
        loss = l_action + args.causal_weight * l_causal + 0.01 * l_mask + 0.01 * l_adj + 0.1 * l_empty
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        ct_steps += 1
        hist.append([l_action.item(), l_causal.item(), float((ce.argmin(1) == at).float().mean()),
                     l_mask.item(), l_adj.item()])
        if ct_steps % 100 == 0:
            hm = np.mean(hist[-100:], 0)
            print(f"ct step {ct_steps} code CE {hm[0]:.3f} causal CE {hm[1]:.3f} train-batch action acc "
                  f"{hm[2]:.3f} mask {hm[3]:.3f} adj {hm[4]:.3f} {(time.time() - ts) / ct_steps:.2f} s/step "
                  f"elapsed {(time.time() - t0) / 60:.1f} min", flush=True)
    ct_minutes = (time.time() - ts) / 60
    tr.eval()
    for q in ct_params:
        q.requires_grad_(False)

    # ---- evaluation ----
    te = time.time()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        sub = held_idx[torch.randperm(len(held_idx), generator=g)[:4096]]
        mse_sum = 0.0
        for b in range(0, len(sub), 512):
            x = to_float(images[sub[b:b + 512]])
            mse_sum += float(((model.decode(codes[sub[b:b + 512]].view(-1, 1, 8, 8)) - x) ** 2).sum())
        mse = mse_sum / (len(sub) * 64 * 64)
        counts = torch.bincount(codes.flatten(), minlength=args.codebook).double()
        used = int((counts > 0).sum())
        pk = counts / counts.sum()
        perplexity = float(torch.exp(-(pk[pk > 0] * pk[pk > 0].log()).sum()))
        held_codes = codes[held_idx]
        stable = float((model.encode(model.decode(held_codes[:2048].view(-1, 1, 8, 8))).view(-1, 64)
                        == held_codes[:2048]).double().mean())
    acc, facc, same, per_action = retrieval_accuracy(tr, codes, tables["held"], args.eval_pairs, seed=7)
    tacc, tfacc, _, _ = retrieval_accuracy(tr, codes, tables["train"], 500, seed=8)
    n_actions = len(actions)
    print(f"held-out reconstruction MSE {mse:.5f} ({len(sub)} images); codes used {used}/{args.codebook} "
          f"(perplexity {perplexity:.1f}); encode(decode(codes)) keeps {stable:.3f}", flush=True)
    print(f"held-out pairs {args.eval_pairs}: action accuracy {acc:.3f} (chance {1 / n_actions:.3f}), factor "
          f"accuracy {facc:.3f} (chance {2 / n_actions:.3f}); pairs with identical codes {same:.3f}; "
          f"per action {dict(zip(actions, [round(v, 2) for v in per_action]))}; train pairs (500): action "
          f"{tacc:.3f} factor {tfacc:.3f}; eval {time.time() - te:.0f} s", flush=True)

    # ---- samples: originals, reconstructions, one trajectory per action (predicted | true) ----
    with torch.no_grad():
        pick = held_idx[torch.randperm(len(held_idx), generator=g)[:16]]
        x = to_float(images[pick])
        recon = model.decode(codes[pick].view(-1, 1, 8, 8))
        start_f = np.array([1, 2, 5, 7, 7])
        strides = np.array([int(np.prod(sizes[i + 1:])) for i in range(len(sizes))])
        start = int(start_f @ strides)
        rows = []
        for a in range(n_actions):
            f, step = a % len(sizes), (1 if a < len(sizes) else -1)
            idx = codes[start].view(1, 1, 8, 8)
            onehot = F.one_hot(torch.tensor([a]), n_actions).to(torch.float32)
            pred, true = [], []
            for t in range(8):
                pred.append(model.decode(idx))
                idx = model.transition_logits(idx, onehot).argmax(-1)
                ft = start_f.copy()
                ft[f] = min(max(ft[f] + step * t, 0), sizes[f] - 1)
                true.append(to_float(images[int(ft @ strides)].unsqueeze(0)))
            rows.append(torch.cat(pred + true))
    write_png_gray(args.samples, tile(torch.cat([x, recon] + rows), 2 + n_actions, 16))
    print(f"wrote {args.samples} (row 1: held-out images, row 2: reconstructions, rows 3-{2 + n_actions}: "
          f"actions {', '.join(actions)}: 8 predicted steps | 8 true steps)", flush=True)

    metrics = {
        "heldout_reconstruction_mse": round(mse, 6), "heldout_images_for_mse": len(sub),
        "codes_used": used, "codebook_size": args.codebook, "code_perplexity": round(perplexity, 2),
        "code_stability": round(stable, 4),
        "heldout_pairs": args.eval_pairs, "action_accuracy": round(acc, 4), "factor_accuracy": round(facc, 4),
        "action_chance": round(1 / n_actions, 4), "factor_chance": round(2 / n_actions, 4),
        "heldout_pairs_with_identical_codes": round(same, 4),
        "per_action_accuracy": dict(zip(actions, [round(v, 4) for v in per_action])),
        "train_pairs_action_accuracy": round(tacc, 4), "train_pairs_factor_accuracy": round(tfacc, 4),
        "vq_steps": vq_steps, "vq_batch": args.vq_batch, "vq_minutes": round(vq_minutes, 1),
        "ct_steps": ct_steps, "ct_batch": args.ct_batch, "ct_minutes": round(ct_minutes, 1),
        "seed": args.seed, "heldout_fraction": 0.15, "split_seed": 42,
    }
    desc = (f"CT-VAE (Gendron et al. 2023, simplified): VQ-VAE 1x64x64 -> 8x8 codes of one codebook of "
            f"{args.codebook} (dim {args.dim}), causal transition: per-action intervention mask, learned "
            f"dense graph and a 2-layer dense GATv2 with one head per action. Trained on lx-shapes by "
            f"models/train_ctvae.py; held-out action accuracy {acc:.3f}, factor accuracy {facc:.3f}.")
    sample_x = to_float(images[held_idx[:64]])
    card = lx_export.export_vqvae(
        model, args.out, input_shape=[1, 64, 64], output_range=[0, 1], grid_shape=[1, 8, 8],
        codebook_size=args.codebook, actions=actions, factors=factor_names, dataset=info["dataset"],
        name="lx-shapes CT-VAE", description=desc, examples=sample_x, min_code_agreement=args.min_code_agreement,
        training={k: metrics[k] for k in ("vq_steps", "vq_minutes", "ct_steps", "ct_minutes",
                                          "heldout_reconstruction_mse", "codes_used", "heldout_pairs",
                                          "action_accuracy", "factor_accuracy")})
    metrics["total_minutes"] = round((time.time() - t0) / 60, 1)
    metrics["card"] = card
    with open(args.metrics + ".tmp", "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    os.replace(args.metrics + ".tmp", args.metrics)
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.2f} MB) and {args.metrics}; total "
          f"{(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
