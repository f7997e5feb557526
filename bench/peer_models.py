"""The networks of VQLab written the way a PyTorch user writes them, layer for layer the same
architecture (and so the same parameter count) as vq-models VqVae / nn.ConvStacks and vq-priors
GatedPixelCnn / UpperConditioning, with the quantizers of vq-core. Used only by bench/peer-pytorch.

Differences that are implementation, not architecture: PyTorch's ConvTranspose2d stands where VQLab
computes the same 4 x 4 stride-2 transposed convolution in polyphase form (same function class and
parameter count), and the EMA statistics use a one-hot product as in Sonnet's reference code.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResidualBlock(nn.Module):
    """x + conv1x1(relu(conv3x3(relu(x)))), no biases (nn.ResidualBlock)."""

    def __init__(self, channels, residual_channels):
        super().__init__()
        self.conv3x3 = nn.Conv2d(channels, residual_channels, 3, padding=1, bias=False)
        self.conv1x1 = nn.Conv2d(residual_channels, channels, 1, bias=False)

    def forward(self, x):
        return x + self.conv1x1(F.relu(self.conv3x3(F.relu(x))))


def residual_stack(channels, residual_channels, blocks):
    return [ResidualBlock(channels, residual_channels) for _ in range(blocks)] + [nn.ReLU()]


def encoder(in_ch, channels, rc, rb, downsample):
    n = int(math.log2(downsample))
    layers, c = [], in_ch
    for i in range(n):
        out = channels // 2 if i == 0 and n > 1 else channels
        layers += [nn.Conv2d(c, out, 4, 2, 1), nn.ReLU()]
        c = out
    layers.append(nn.Conv2d(c, channels, 3, 1, 1))
    return nn.Sequential(*layers, *residual_stack(channels, rc, rb))


def halving_encoder(channels, rc, rb):
    return nn.Sequential(nn.Conv2d(channels, channels, 4, 2, 1), nn.ReLU(),
                         nn.Conv2d(channels, channels, 3, 1, 1), *residual_stack(channels, rc, rb))


def decoder(in_ch, channels, rc, rb, upsample, out_ch):
    layers = [nn.Conv2d(in_ch, channels, 3, 1, 1), *residual_stack(channels, rc, rb)]
    n = int(math.log2(upsample))
    c = channels
    for i in range(n):
        last = i == n - 1
        f = out_ch if last else (channels // 2 if i == n - 2 else channels)
        layers.append(nn.ConvTranspose2d(c, f, 4, 2, 1))
        if not last:
            layers.append(nn.ReLU())
        c = f
    return nn.Sequential(*layers)


def upsampler(channels, times):
    layers = []
    for i in range(times):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.ConvTranspose2d(channels, channels, 4, 2, 1))
    return nn.Sequential(*layers)


def perplexity(counts):
    p = counts / counts.sum()
    return torch.exp(-(p * torch.log(p + 1e-10)).sum())


class EmaQuantizer(nn.Module):
    """Sonnet's VectorQuantizerEMA (zero-debiased moving averages, Laplace smoothing)."""

    def __init__(self, num_codes, dim, beta=0.25, decay=0.99, eps=1e-5):
        super().__init__()
        self.k, self.d, self.beta, self.decay, self.eps = num_codes, dim, beta, decay, eps
        self.register_buffer("codebook", torch.randn(num_codes, dim))
        self.register_buffer("cluster_size", torch.zeros(num_codes))
        self.register_buffer("embed_sum", torch.zeros(num_codes, dim))
        self.steps = 0

    def forward(self, z):
        b, d, h, w = z.shape
        flat = z.permute(0, 2, 3, 1).reshape(-1, d)
        e = self.codebook
        dist = (flat.detach() ** 2).sum(1, keepdim=True) - 2 * flat.detach() @ e.t() + (e ** 2).sum(1)
        idx = dist.argmin(1)
        onehot = F.one_hot(idx, self.k).type(flat.dtype)
        counts = onehot.sum(0)
        q = e[idx]
        if self.training:
            with torch.no_grad():
                self.steps += 1
                g = self.decay
                self.cluster_size.mul_(g).add_(counts, alpha=1 - g)
                self.embed_sum.mul_(g).add_(onehot.t() @ flat.detach(), alpha=1 - g)
                bias = 1 - g ** self.steps
                n = self.cluster_size / bias
                total = n.sum()
                smoothed = (n + self.eps) / (total + self.k * self.eps) * total
                self.codebook.copy_(self.embed_sum / bias / smoothed.unsqueeze(1))
        commitment = self.beta * F.mse_loss(flat, q.detach())
        st = flat + (q - flat).detach()
        out = st.reshape(b, h, w, d).permute(0, 3, 1, 2)
        return out, commitment, perplexity(counts), (counts > 0).sum()


class StandardQuantizer(nn.Module):
    """The VQ-VAE paper's quantizer: codebook and commitment losses, straight-through gradient."""

    def __init__(self, num_codes, dim, beta=0.25):
        super().__init__()
        self.k, self.beta = num_codes, beta
        self.codebook = nn.Parameter(torch.empty(num_codes, dim).uniform_(-1 / num_codes, 1 / num_codes))

    def forward(self, z):
        b, d, h, w = z.shape
        flat = z.permute(0, 2, 3, 1).reshape(-1, d)
        e = self.codebook
        with torch.no_grad():
            dist = (flat ** 2).sum(1, keepdim=True) - 2 * flat @ e.t() + (e ** 2).sum(1)
            idx = dist.argmin(1)
            counts = torch.bincount(idx, minlength=self.k).float()
        q = e[idx]
        loss = F.mse_loss(q, flat.detach()) + self.beta * F.mse_loss(flat, q.detach())
        st = flat + (q - flat).detach()
        return st.reshape(b, h, w, d).permute(0, 3, 1, 2), loss, perplexity(counts), (counts > 0).sum()


def quantizer(kind, k, d):
    return EmaQuantizer(k, d) if kind == "ema" else StandardQuantizer(k, d)


class VqVae(nn.Module):
    """VQLab's VqVae with 1 (VQ-VAE) or 2 (VQ-VAE-2) levels and the mse decoder likelihood."""

    def __init__(self, levels, kind, channels=128, rc=32, rb=2, downsample=4, k=512, d=64, in_ch=1):
        super().__init__()
        self.levels = levels
        self.encoders = nn.ModuleList([encoder(in_ch, channels, rc, rb, downsample)]
                                      + [halving_encoder(channels, rc, rb) for _ in range(levels - 1)])
        self.condition_decoders = nn.ModuleList(
            [nn.Identity()] + [decoder(d, channels, rc, rb, 2, d) for _ in range(levels - 1)])
        self.projections = nn.ModuleList(
            [nn.Conv2d(channels + (d if i < levels - 1 else 0), d, 1) for i in range(levels)])
        self.quantizers = nn.ModuleList([quantizer(kind, k, d) for _ in range(levels)])
        self.upsamplers = nn.ModuleList([nn.Identity()] + [upsampler(d, i) for i in range(1, levels)])
        self.decoder = decoder(d * levels, channels, rc, rb, downsample, in_ch)

    def forward(self, x):
        features, h = [], x
        for enc in self.encoders:
            h = enc(h)
            features.append(h)
        qs, qloss, terms = [None] * self.levels, 0, []
        for i in reversed(range(self.levels)):
            inp = features[i]
            if i < self.levels - 1:
                inp = torch.cat([inp, self.condition_decoders[i + 1](qs[i + 1])], 1)
            q, loss, ppl, used = self.quantizers[i](self.projections[i](inp))
            qs[i] = q
            qloss = qloss + loss
            terms += [ppl, used]
        parts = [qs[0]] + [self.upsamplers[i](qs[i]) for i in range(1, self.levels)]
        decoded = self.decoder(torch.cat(parts, 1) if self.levels > 1 else parts[0])
        recon = F.mse_loss(decoded, x)
        mse = recon.detach()  # PixelMse over a [-0.5, 0.5] range: the same value
        return recon + qloss, [mse] + terms


def gate(x):
    a, b = x.chunk(2, 1)
    return torch.tanh(a) * torch.sigmoid(b)


class UpperConditioning(nn.Module):
    def __init__(self, upper_k, channels, convolutions, ratio, out_ch):
        super().__init__()
        self.embedding = nn.Embedding(upper_k, channels)
        self.low = nn.ModuleList([nn.Conv2d(channels, channels, 3, padding=1) for _ in range(convolutions)])
        self.high = nn.Conv2d(channels, channels, 3, padding=1)
        self.projection = nn.Conv2d(channels, out_ch, 1)
        self.ratio = ratio

    def forward(self, codes):
        e = self.embedding(codes).permute(0, 3, 1, 2)
        for c in self.low:
            e = F.relu(c(e))
        e = e.repeat_interleave(self.ratio, 2).repeat_interleave(self.ratio, 3)
        return self.projection(F.relu(self.high(e)))


class GatedPixelCnn(nn.Module):
    """vq-priors GatedPixelCnn: vertical / horizontal stacks by padding and cropping, no masks."""

    def __init__(self, k=512, channels=64, layers=10, kernel=3, classes=10, upper_k=0, ratio=1,
                 cond_channels=64, cond_layers=2, split_conditioning=False):
        super().__init__()
        # False: each layer slices its bias out of the conditioning, as PyTorch code commonly does.
        # True: one chunk per stack, as VQLab does (the same values; a cheaper backward).
        self.split_conditioning = split_conditioning
        c, pad, n = channels, kernel // 2, layers + 1
        self.c, self.n = c, n
        self.embedding = nn.Embedding(k, c)
        self.vertical = nn.ModuleList([nn.Conv2d(c, 2 * c, (pad + 1, kernel), padding=(pad + 1, pad)) for _ in range(n)])
        self.horizontal = nn.ModuleList([nn.Conv2d(c, 2 * c, (1, pad if l == 0 else pad + 1), padding=(0, pad)) for l in range(n)])
        self.link = nn.ModuleList([nn.Conv2d(2 * c, 2 * c, 1) for _ in range(n)])
        self.skip = nn.ModuleList([nn.Conv2d(c, c, 1) for _ in range(n)])
        self.residual = nn.ModuleList([nn.Conv2d(c, c, 1) for _ in range(n - 1)])
        self.head = nn.Conv2d(c, c, 1)
        self.output = nn.Conv2d(c, k, 1)
        self.class_bias = nn.Embedding(classes, n * 2 * c)
        self.upper = UpperConditioning(upper_k, cond_channels, cond_layers, ratio, n * 2 * c) if upper_k else None

    def forward(self, codes, labels, upper=None):
        rows, cols = codes.shape[1], codes.shape[2]
        x = self.embedding(codes).permute(0, 3, 1, 2)
        cond = self.class_bias(labels)[:, :, None, None]
        if self.upper is not None:
            cond = self.upper(upper) + cond
        w2 = 2 * self.c
        if self.split_conditioning:
            vbias, hbias = cond.chunk(self.n, 1), cond.chunk(self.n, 1)
        else:
            # A slice per use, as the code read before the option: 2 per layer.
            vbias = [cond[:, l * w2:(l + 1) * w2] for l in range(self.n)]
            hbias = [cond[:, l * w2:(l + 1) * w2] for l in range(self.n)]
        links, v = [], x
        for l in range(self.n):
            out = self.vertical[l](v)
            links.append(self.link[l](out[:, :, :rows]))
            if l < self.n - 1:
                v = gate(out[:, :, 1:rows + 1] + vbias[l])
        h, skip = x, 0
        for l in range(self.n):
            pre = self.horizontal[l](h)[:, :, :, :cols] + links[l] + hbias[l]
            g = gate(pre)
            skip = skip + self.skip[l](g)
            if l < self.n - 1:
                r = self.residual[l](g)
                h = r if l == 0 else h + r
        return self.output(F.relu(self.head(F.relu(skip))))
