"""VQLab against PyTorch eager on the same libtorch (2.7.1), side by side: see bench/peer-pytorch.

  python bench/peer_pytorch.py [--reps 3] [--steps 10] [--warmup 20] [--cases a,b] [--threads 2]
                               [--pytorch-like-vq]
  python bench/peer_pytorch.py --torch CASE --steps N     (one PyTorch run; what the runner calls)
  python bench/peer_pytorch.py --profile CASE [--native-ops 3]
      where the time goes: both sides' libtorch profiler traces of the same steps, operator by
      operator (self time per step, calls per step), VQLab beside PyTorch

Each repetition runs VQLab (a `vq bench` JVM) and PyTorch (a Python process) one after the other,
alternating which goes first, so that load from other processes falls on both alike. Every run
warms up `warmup` steps (both sides alike; 20 by default, because the JVM compiles VQLab's step over
its first 15-20 steps, and a training run of thousands of steps spends them at that steady state)
and times `steps` more; each repetition's line also gives both sides' mean ms per warm-up step 2..warmup
(step 1 builds state), so the one-off cost stays visible. The table gives the median ms/step of each side, the
ratio VQLab / PyTorch of the medians and its spread (min..max of the per-repetition ratios), and
the peak resident memory of each process (getrusage of the child). Parameter counts must match.
"""
import argparse
import os
import re
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WARMUP = 20
# --pytorch-like-vq: what VQLab does that is not the framework, given to PyTorch too: the glibc
# malloc settings the vq launcher sets (see ../vq), and the prior's conditioning split once per stack
# instead of sliced per layer (peer_models.GatedPixelCnn split_conditioning).
VQ_LIKE = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "17179869184",
           "MALLOC_TOP_PAD_": "536870912", "MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_MAX_": "0",
           "VQLAB_PEER_SPLIT_CONDITIONING": "1"}

# name: (label, vq bench command and case, PyTorch construction)
CASES = {
    "vqvae_ema": ("VQ-VAE 128 ch, EMA K=512, D=64, batch 128, mse",
                  ["train", "--cases", "vqvae"], dict(kind="ae", levels=1, q="ema", batch=128, down=4)),
    "vqvae_standard": ("VQ-VAE 128 ch, standard K=512, D=64, batch 128, mse",
                       ["train", "--cases", "vqvae", "quantizer=standard"],
                       dict(kind="ae", levels=1, q="standard", batch=128, down=4)),
    "vqvae2_ema": ("VQ-VAE-2 128 ch, 2 levels (14x14, 7x7), EMA, batch 128, mse",
                   ["train", "--cases", "vqvae2"], dict(kind="ae", levels=2, q="ema", batch=128, down=2)),
    "prior_7x7": ("gated PixelCNN 64 ch, 1+10 layers, 7x7, batch 64, K=512, classes",
                  ["prior", "--cases", "7x7"], dict(kind="prior", h=7, uh=0, batch=64)),
    "prior_16x16": ("the same prior at 16x16",
                    ["prior", "--cases", "16x16"], dict(kind="prior", h=16, uh=0, batch=64)),
    "prior_14x14_given_7x7": ("the same prior at 14x14 given a 7x7 upper level",
                              ["prior", "--cases", "14x14"], dict(kind="prior", h=14, uh=7, batch=64)),
}
# The bench's fixed settings: no codebook health (random codebook, no restarts), mse decoder, CPU.
VQ_OVERRIDES = ["model.likelihood=mse", "quantizer.init=normal", "quantizer.dead_code_threshold=0",
                "trainer.device=cpu"]


def fashion_mnist(n):
    import gzip
    import numpy as np
    with gzip.open("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") as f:
        data = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[:n]
    return data.astype(np.float32) / 255.0 - 0.5


def run_torch(name, steps, threads, native_ops=0):
    import math
    import torch
    import torch.nn.functional as F
    import peer_models as pm
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    spec = CASES[name][2]
    if spec["kind"] == "ae":
        model = pm.VqVae(spec["levels"], spec["q"], downsample=spec["down"])
        opt = torch.optim.Adam(model.parameters(), lr=2e-4)
        images = torch.from_numpy(fashion_mnist(60000))
        gen = torch.Generator().manual_seed(0)

        def step():
            x = images[torch.randint(0, images.shape[0], (spec["batch"],), generator=gen)]
            loss, _terms = model(x)
            opt.zero_grad(set_to_none=False)
            loss.backward()
            opt.step()
    else:
        h, uh, b = spec["h"], spec["uh"], spec["batch"]
        model = pm.GatedPixelCnn(upper_k=512 if uh else 0, ratio=h // uh if uh else 1,
                                 split_conditioning=bool(os.environ.get("VQLAB_PEER_SPLIT_CONDITIONING")))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def step():
            codes = torch.randint(0, 512, (b, h, h))
            labels = torch.randint(0, 10, (b,))
            upper = torch.randint(0, 512, (b, uh, uh)) if uh else None
            nats = F.cross_entropy(model(codes, labels, upper), codes)
            _bits = nats.detach() / math.log(2)
            opt.zero_grad(set_to_none=False)
            nats.backward()
            opt.step()
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    model.train()
    step()
    w = time.perf_counter()
    for _ in range(WARMUP - 1):
        step()
    warm = (time.perf_counter() - w) * 1000 / max(1, WARMUP - 1)
    if native_ops:
        from torch.profiler import profile, ProfilerActivity
        trace = os.environ.get("VQLAB_PEER_TRACE") or OUT_FILE + ".trace.json"
        with profile(activities=[ProfilerActivity.CPU], record_shapes=bool(os.environ.get("VQLAB_PEER_TRACE"))) as prof:
            for _ in range(native_ops):
                step()
        prof.export_chrome_trace(trace)
        top, total = count_ops(trace)
        if not os.environ.get("VQLAB_PEER_TRACE"):
            os.remove(trace)
        print(f"OPS top={sum(top.values()) / native_ops:.1f} total={total / native_ops:.1f} "
              f"most={sorted(top.items(), key=lambda kv: -kv[1])[:12]}")
        return
    t, c = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    ms, cpu = (time.perf_counter() - t) * 1000 / steps, (time.process_time() - c) * 1000 / steps
    print(f"RESULT ms={ms:.2f} cpu={cpu:.2f} params={params} warmup={warm:.2f}")


def count_ops(path):
    """Top-level operators per thread and all operators, as vq-core NativeOps counts a trace."""
    import json
    with open(path) as f:
        events = json.load(f)
    events = events["traceEvents"] if isinstance(events, dict) else events
    ops = [e for e in events if e.get("ph") == "X" and e.get("cat") == "cpu_op"]
    ops.sort(key=lambda e: (str(e["tid"]), e["ts"], -e["dur"]))
    top, tid, open_until = {}, None, float("-inf")
    for e in ops:
        if e["tid"] != tid:
            tid, open_until = e["tid"], float("-inf")
        if e["ts"] >= open_until:
            top[e["name"]] = top.get(e["name"], 0) + 1
            open_until = e["ts"] + e["dur"]
    return top, len(ops)


def self_times(path, steps):
    """Per operator name: (self ms per step, calls per step), from a chrome trace's cpu ops."""
    import json
    with open(path) as f:
        events = json.load(f)
    events = events["traceEvents"] if isinstance(events, dict) else events
    # Operator events as vq-core NativeOps takes them (its trace and PyTorch's differ in categories).
    ops = [e for e in events if e.get("ph") == "X" and "kernel" not in e.get("cat", "")
           and e.get("cat") not in ("python_function", "user_annotation")]
    ops.sort(key=lambda e: (str(e["tid"]), e["ts"], -e["dur"]))
    out, stack, tid = {}, [], None
    for e in ops:
        if e["tid"] != tid:
            tid, stack = e["tid"], []
        while stack and e["ts"] >= stack[-1][1]:
            stack.pop()
        if stack:
            stack[-1][2][0] -= e["dur"]
        me = [e["dur"]]
        stack.append((e, e["ts"] + e["dur"], me))
        acc = out.setdefault(e["name"], [[], 0])
        acc[0].append(me)
        acc[1] += 1
    return {n: (sum(m[0] for m in ms) / 1000.0 / steps, c / steps) for n, (ms, c) in out.items()
            if not n.startswith(("PyTorch Profiler", "ProfilerStep"))}


def profile(name, steps, threads, env):
    """Both sides' traces of `steps` steps; a table of self time per operator, largest first."""
    vq_trace, pt_trace = f"/tmp/peer-profile-vq-{os.getpid()}.json", f"/tmp/peer-profile-pt-{os.getpid()}.json"
    cmd = [os.path.join(ROOT, "vq"), "bench", *CASES[name][1], "--repeats", "1", "--soak-steps", "0",
           "--native-ops", str(steps), *VQ_OVERRIDES, f"engine.num_threads={threads}"]
    vq_env = dict(env, VQ_JAVA_OPTS=(env.get("VQ_JAVA_OPTS", "-Xmx8g") + f" -Dvqlab.native_ops.trace={vq_trace}"))
    measure(cmd, vq_env)
    measure([sys.executable, os.path.abspath(__file__), "--torch", name, "--steps", "1", "--threads",
             str(threads), "--native-ops", str(steps)], dict(env, VQLAB_PEER_TRACE=pt_trace))
    vq, pt = self_times(vq_trace, steps), self_times(pt_trace, steps)
    print(f"{name}: libtorch profiler, {steps} steps each, self time per step (ms) and calls per step")
    print(f"{'operator':44s} {'VQLab ms':>9s} {'calls':>7s} {'PyTorch ms':>10s} {'calls':>7s}")
    names = sorted(set(vq) | set(pt), key=lambda n: -max(vq.get(n, (0, 0))[0], pt.get(n, (0, 0))[0]))
    for n in names[:40]:
        if n.startswith("PyTorch Profiler") or n.startswith("ProfilerStep"):
            continue
        v, p = vq.get(n, (0, 0)), pt.get(n, (0, 0))
        print(f"{n[:44]:44s} {v[0]:9.2f} {v[1]:7.1f} {p[0]:10.2f} {p[1]:7.1f}")
    tv, tp = sum(v[0] for v in vq.values()), sum(p[0] for p in pt.values())
    print(f"{'all operators':44s} {tv:9.2f} {sum(v[1] for v in vq.values()):7.1f} {tp:10.2f} "
          f"{sum(p[1] for p in pt.values()):7.1f}")
    print(f"traces kept: {vq_trace} {pt_trace}")


def cpu_ticks():
    """(steal, all) clock ticks of the machine so far, from /proc/stat."""
    with open("/proc/stat") as f:
        t = [int(v) for v in f.readline().split()[1:]]
    return t[7], sum(t[:8])


def measure(cmd, env):
    """Runs cmd with stdout to a file; (stdout, the child's own peak RSS in MiB from wait4, the share
    of the machine's time the hypervisor stole while it ran)."""
    steal0, all0 = cpu_ticks()
    pid = os.fork()
    if pid == 0:
        os.chdir(ROOT)
        fd = os.open(OUT_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1)
        err = os.open(OUT_FILE + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(err, 2)
        os.execvpe(cmd[0], cmd, env)
    _, status, usage = os.wait4(pid, 0)
    steal1, all1 = cpu_ticks()
    with open(OUT_FILE) as f:
        out = f.read()
    if status != 0:
        with open(OUT_FILE + ".err") as f:
            sys.exit(f"failed ({status}): {' '.join(cmd)}\n{out}\n{f.read()}")
    return out, usage.ru_maxrss / 1024.0, (steal1 - steal0) / max(1, all1 - all0)


OUT_FILE = f"/tmp/peer-pytorch-{os.getpid()}.out"


def vqlab(name, steps, threads, env):
    cmd = [os.path.join(ROOT, "vq"), "bench", *CASES[name][1], "--repeats", str(steps), "--soak-steps", "0",
           "--warmup", str(WARMUP), *VQ_OVERRIDES, f"engine.num_threads={threads}"]
    out, rss, steal = measure(cmd, env)
    warm = re.search(r"warm-up steps 2-[0-9]+: ([0-9.]+) ms/step", out)
    m = re.search(r"([0-9.]+) ms(?:/step| wall),? +([0-9.]+) ms cpu", out.split("\n", 1)[1])
    p = re.search(r"([0-9,]+) (?:trainable )?parameters", out)
    if not m or not p:
        sys.exit(f"cannot read vq bench output:\n{out}")
    return (float(m.group(1)), float(m.group(2)), int(p.group(1).replace(",", "")), rss, steal,
            float(warm.group(1)) if warm else float("nan"))


def pytorch(name, steps, threads, env):
    cmd = [sys.executable, os.path.abspath(__file__), "--torch", name, "--steps", str(steps),
           "--threads", str(threads), "--warmup", str(WARMUP)]
    if PYTORCH_ENV:
        env = dict(env, **PYTORCH_ENV)
    out, rss, steal = measure(cmd, env)
    m = re.search(r"RESULT ms=([0-9.]+) cpu=([0-9.]+) params=([0-9]+) warmup=([0-9.]+)", out)
    return float(m.group(1)), float(m.group(2)), int(m.group(3)), rss, steal, float(m.group(4))


PYTORCH_ENV = {}


def main():
    global WARMUP
    ap = argparse.ArgumentParser()
    ap.add_argument("--torch")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=WARMUP,
                    help="untimed steps before the timed ones, both sides (default %(default)s)")
    ap.add_argument("--pytorch-like-vq", action="store_true",
                    help="give PyTorch the vq launcher's glibc malloc settings and the prior's split conditioning")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--profile", help="CASE: where the time goes, operator by operator, both sides")
    ap.add_argument("--native-ops", type=int, default=0,
                    help="with --torch: count PyTorch's operators per step over this many steps instead")
    a = ap.parse_args()
    if a.warmup < 1:
        sys.exit("--warmup must be at least 1")
    WARMUP = a.warmup
    if a.pytorch_like_vq:
        PYTORCH_ENV.update(VQ_LIKE)
    if a.torch:
        sys.path.insert(0, HERE)
        run_torch(a.torch, a.steps, a.threads, a.native_ops)
        return
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", OMP_NUM_THREADS=str(a.threads))
    if a.profile:
        profile(a.profile, a.native_ops or 3, a.threads, env)
        return
    import torch
    print(f"VQLab vs PyTorch {torch.__version__} eager, CPU, {a.threads} intra-op threads, "
          f"OMP_WAIT_POLICY=PASSIVE; {a.reps} alternating repetitions of {WARMUP} warm-up + {a.steps} "
          f"timed steps; PyTorch {'given VQLab`s malloc settings and split conditioning' if PYTORCH_ENV else 'as written, glibc defaults'}; "
          f"load average at start {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    for name in a.cases.split(","):
        runs = {"vq": [], "pt": []}
        for r in range(a.reps):
            order = [("vq", vqlab), ("pt", pytorch)] if r % 2 == 0 else [("pt", pytorch), ("vq", vqlab)]
            got = {side: fn(name, a.steps, a.threads, env) for side, fn in order}
            if got["vq"][2] != got["pt"][2]:
                sys.exit(f"{name}: parameter counts differ: VQLab {got['vq'][2]:,}, PyTorch {got['pt'][2]:,}")
            for side in runs:
                runs[side].append(got[side])
            (vw, vc, params, vr, vs, vwu), (pw, pc, _, pr, ps, pwu) = got["vq"], got["pt"]
            print(f"  {name} rep {r + 1}: VQLab {vw:.1f} ms ({vc:.0f} cpu, {vs:.0%} stolen), PyTorch {pw:.1f} ms "
                  f"({pc:.0f} cpu, {ps:.0%} stolen), ratio {vw / pw:.2f} wall, {vc / pc:.2f} cpu; {params:,} "
                  f"parameters each, peak RSS {vr:.0f} / {pr:.0f} MiB; warm-up {vwu:.0f} / {pwu:.0f} ms/step",
                  flush=True)
        col = {side: list(zip(*rs)) for side, rs in runs.items()}
        wall = [v / p for v, p in zip(col["vq"][0], col["pt"][0])]
        cpu = [v / p for v, p in zip(col["vq"][1], col["pt"][1])]
        med = {side: (statistics.median(c[0]), statistics.median(c[1])) for side, c in col.items()}
        rows.append((CASES[name][0], med["vq"], med["pt"], (min(wall), max(wall)), (min(cpu), max(cpu)),
                     max(col["vq"][3]), max(col["pt"][3]), statistics.median(col["vq"][4] + col["pt"][4])))
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    print("| step (CPU, 2 threads) | VQLab ms | PyTorch 2.7.1 ms | wall ratio (spread) | "
          "cpu ms VQLab / PyTorch | cpu ratio (spread) | peak RSS VQLab / PyTorch | stolen |")
    print("|---|---|---|---|---|---|---|---|")
    for label, (vw, vc), (pw, pc), (wlo, whi), (clo, chi), vr, pr, steal in rows:
        print(f"| {label} | {vw:.1f} | {pw:.1f} | {vw / pw:.2f} ({wlo:.2f}-{whi:.2f}) | {vc:.0f} / {pc:.0f} | "
              f"{vc / pc:.2f} ({clo:.2f}-{chi:.2f}) | {vr:.0f} / {pr:.0f} MiB | {steal:.0%} |")


if __name__ == "__main__":
    main()
