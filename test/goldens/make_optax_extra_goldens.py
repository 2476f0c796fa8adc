"""Re-implements, in float32 numpy, the update formulas of optax's further optimizers, schedules
and losses (following optax/_src/{alias,transform,factorized}.py, optax/schedules, optax/losses),
and writes the parameters after each step, schedule values and losses to optax_extra.json."""
import json
import math
import numpy as np

rng = np.random.default_rng(11)
F = np.float32
shapes = {"w": (3, 2), "b": (2,)}
params0 = {k: rng.normal(size=s).astype(F) for k, s in shapes.items()}
grads = [{k: rng.normal(size=s).astype(F) for k, s in shapes.items()} for _ in range(8)]
STEPS = len(grads)


def run(make):
    """Runs a leafwise optimizer (init(p) -> state, update(g, state, p, count) -> (u, state))."""
    init, update = make()
    p = {k: v.copy() for k, v in params0.items()}
    st = {k: init(v) for k, v in p.items()}
    out = []
    for t, g in enumerate(grads):
        new = {}
        for k in p:
            u, st[k] = update(g[k], st[k], p[k], t)
            new[k] = (p[k] + u.astype(F)).astype(F)
        p = new
        out.append({k: p[k].tolist() for k in p})
    return out


def mom(g, t, d, order):
    return F(1 - d) * g ** order + F(d) * t


def bc(t, d, c):
    return t / (F(1) - F(d) ** F(c))


def norm(x):
    return np.sqrt(np.sum(x * x, dtype=F)).astype(F)


def safe_norm(x, m):
    n = norm(x)
    return F(m) if n <= m else n


def trust(u, p, min_norm=0.0, coef=1.0, eps=0.0):
    pn, un = safe_norm(p, min_norm), safe_norm(u, min_norm)
    r = F(coef) * pn / (un + F(eps))
    return u * (F(1) if pn == 0 or un == 0 else r)


def lr_scale(lr):
    return lambda u, p: F(-lr) * u


def adam_core(b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0, nesterov=False, kind="adam"):
    def init(p):
        return [0, np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)]

    def update(g, s, p, t):
        c, mu, nu, nmax = s
        c += 1
        mu = mom(g, mu, b1, 1)
        nu = mom(g, nu, b2, 2)
        if nesterov:
            mh = F(b1) * bc(mu, b1, c + 1) + F(1 - b1) * bc(g, b1, c)
        else:
            mh = bc(mu, b1, c)
        nh = bc(nu, b2, c)
        if kind == "amsgrad":
            nmax = np.maximum(nmax, nh)
            nh = nmax
        return mh / (np.sqrt(nh + F(eps_root)) + F(eps)), [c, mu, nu, nmax]
    return init, update


def chain(*parts):
    """parts: (init, update) pairs or plain functions of (u, p)."""
    def init(p):
        return [pt[0](p) if isinstance(pt, tuple) else None for pt in parts]

    def update(g, s, p, t):
        u, ns = g, []
        for pt, st in zip(parts, s):
            if isinstance(pt, tuple):
                u, st = pt[1](u, st, p, t)
            else:
                u = pt(u, p)
            ns.append(st)
        return u, ns
    return init, update


def wd(w):
    return lambda u, p: u + F(w) * p


def adamax_core(b1=0.9, b2=0.999, eps=1e-8):
    def init(p):
        return [0, np.zeros_like(p), np.zeros_like(p)]

    def update(g, s, p, t):
        c, mu, nu = s
        c += 1
        mu = mom(g, mu, b1, 1)
        nu = np.maximum(np.abs(g) + F(eps), F(b2) * nu)
        return bc(mu, b1, c) / nu, [c, mu, nu]
    return init, update


def radam_core(b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0, threshold=5.0):
    ro_inf = 2.0 / (1.0 - b2) - 1.0

    def init(p):
        return [0, np.zeros_like(p), np.zeros_like(p)]

    def update(g, s, p, t):
        c, mu, nu = s
        c += 1
        mu = mom(g, mu, b1, 1)
        nu = mom(g, nu, b2, 2)
        b2t = F(b2) ** F(c)
        ro = F(ro_inf) - F(2 * c) * b2t / (F(1) - b2t)
        mh, nh = bc(mu, b1, c), bc(nu, b2, c)
        if ro >= threshold:
            r = np.sqrt((ro - F(4)) * (ro - F(2)) * F(ro_inf) / (F((ro_inf - 4.0) * (ro_inf - 2.0)) * ro)).astype(F)
            u = r * mh / (np.sqrt(nh + F(eps_root)) + F(eps))
        else:
            u = mh
        return u, [c, mu, nu]
    return init, update


def lion_core(b1=0.9, b2=0.99):
    def init(p):
        return np.zeros_like(p)

    def update(g, mu, p, t):
        return np.sign(mom(g, mu, b1, 1)), mom(g, mu, b2, 1)
    return init, update


def belief_core(b1=0.9, b2=0.999, eps=1e-16, eps_root=1e-16):
    def init(p):
        return [0, np.zeros_like(p), np.zeros_like(p)]

    def update(g, s, p, t):
        c, mu, nu = s
        c += 1
        mu = mom(g, mu, b1, 1)
        nu = mom(g - mu, nu, b2, 2) + F(eps_root)
        return bc(mu, b1, c) / (np.sqrt(bc(nu, b2, c)) + F(eps)), [c, mu, nu]
    return init, update


def yogi_core(b1=0.9, b2=0.999, eps=1e-3, init_acc=1e-6):
    def init(p):
        return [0, np.full_like(p, F(init_acc)), np.full_like(p, F(init_acc))]

    def update(g, s, p, t):
        c, mu, nu = s
        c += 1
        mu = mom(g, mu, b1, 1)
        g2 = g * g
        nu = nu - F(1 - b2) * np.sign(nu - g2) * g2
        return bc(mu, b1, c) / (np.sqrt(bc(nu, b2, c)) + F(eps)), [c, mu, nu]
    return init, update


def novograd_core(b1=0.9, b2=0.25, eps=1e-6, eps_root=0.0, weight_decay=0.0):
    def init(p):
        return [0, np.zeros_like(p), F(0)]

    def update(g, s, p, t):
        c, mu, nu = s
        c += 1
        sq = np.sum(g * g, dtype=F)
        nu = sq if c == 1 else mom(sq, nu, b2, 1)
        add = g / (np.sqrt(nu + F(eps_root)) + F(eps)) + F(weight_decay) * p
        mu = add if c == 1 else F(b1) * mu + add
        return mu, [c, mu, nu]
    return init, update


def adadelta_core(rho=0.9, eps=1e-6):
    def init(p):
        return [np.zeros_like(p), np.zeros_like(p)]

    def update(g, s, p, t):
        eg, ex = s
        eg = mom(g, eg, rho, 2)
        u = np.sqrt(ex + F(eps)) / np.sqrt(eg + F(eps)) * g
        return u, [eg, mom(u, ex, rho, 2)]
    return init, update


def trace_core(decay, nesterov=False):
    def init(p):
        return np.zeros_like(p)

    def update(g, tr, p, t):
        new = g + F(decay) * tr
        return (g + F(decay) * new if nesterov else new), new
    return init, update


def ema_core(decay, debias):
    def init(p):
        return [0, np.zeros_like(p)]

    def update(g, s, p, t):
        c, e = s
        c += 1
        e = mom(g, e, decay, 1)
        return (bc(e, decay, c) if debias else e), [c, e]
    return init, update


def factored_core(factored=True, decay_rate=0.8, min_dim=128, eps=1e-30):
    def dims(shape):
        if not factored or len(shape) < 2:
            return None
        order = sorted(range(len(shape)), key=lambda i: (shape[i], i))
        d1, d0 = order[-2], order[-1]
        return None if shape[d1] < min_dim else (d1, d0)

    def init(p):
        fd = dims(p.shape)
        if fd:
            d1, d0 = fd
            return [0, np.zeros(np.delete(p.shape, d0), F), np.zeros(np.delete(p.shape, d1), F), None]
        return [0, None, None, np.zeros_like(p)]

    def update(g, s, p, t):
        c, vr, vc, v = s
        d = F(1) - F(c + 1) ** F(-decay_rate)
        g2 = g * g + F(eps)
        fd = dims(g.shape)
        if fd:
            d1, d0 = fd
            vr = d * vr + (F(1) - d) * np.mean(g2, axis=d0, dtype=F)
            vc = d * vc + (F(1) - d) * np.mean(g2, axis=d1, dtype=F)
            rowf = (vr / np.mean(vr, axis=d1 - 1 if d1 > d0 else d1, keepdims=True)) ** F(-0.5)
            u = g * np.expand_dims(rowf, d0) * np.expand_dims(vc ** F(-0.5), d1)
        else:
            v = d * v + (F(1) - d) * g2
            u = g * v ** F(-0.5)
        return u, [c + 1, vr, vc, v]
    return init, update


def block_rms_clip(th):
    return lambda u, p: u / np.maximum(F(1), np.sqrt(np.mean(u * u, dtype=F)) / F(th))


def param_block_rms(min_scale=1e-3):
    def f(u, p):
        rms = np.sqrt(np.mean(p * p, dtype=F))
        return u * (F(min_scale) if rms <= min_scale else rms)
    return f


def adafactor(lr=None, min_dim=128, momentum=None, wdr=None):
    parts = [factored_core(min_dim=min_dim), block_rms_clip(1.0)]
    if lr is not None:
        parts.append(lambda u, p: F(lr) * u)
    parts.append(param_block_rms())
    if momentum is not None:
        parts.append(ema_core(momentum, False))
    if wdr is not None:
        parts.append(wd(wdr))
    parts.append(lambda u, p: F(-1) * u)
    return chain(*parts)


def fromage(lr, min_norm=1e-6):
    mult = 1 / (1 + lr ** 2) ** 0.5
    return chain(lambda u, p: trust(u, p, min_norm), lr_scale(-(-lr * mult)), wd(mult - 1))


cases = {
    "adamax": lambda: chain(adamax_core(), lr_scale(0.01)),
    "adamaxw": lambda: chain(adamax_core(), wd(0.1), lr_scale(0.01)),
    "nadam": lambda: chain(adam_core(nesterov=True), lr_scale(0.01)),
    "nadamw": lambda: chain(adam_core(nesterov=True), wd(0.1), lr_scale(0.01)),
    "radam": lambda: chain(radam_core(), lr_scale(0.01)),
    "radam b2=0.9": lambda: chain(radam_core(b2=0.9), lr_scale(0.01)),
    "amsgrad": lambda: chain(adam_core(kind="amsgrad"), lr_scale(0.01)),
    "lamb": lambda: chain(adam_core(eps=1e-6), wd(0.01), lambda u, p: trust(u, p), lr_scale(0.01)),
    "lars": lambda: chain(wd(0.01), lambda u, p: trust(u, p, 0.0, 1e-3), lr_scale(0.1), trace_core(0.9)),
    "lion": lambda: chain(lion_core(), wd(1e-3), lr_scale(0.01)),
    "adabelief": lambda: chain(belief_core(), lr_scale(0.01)),
    "yogi": lambda: chain(yogi_core(), lr_scale(0.01)),
    "novograd": lambda: chain(novograd_core(), lr_scale(0.01)),
    "novograd wd": lambda: chain(novograd_core(weight_decay=0.1), lr_scale(0.01)),
    "adadelta": lambda: chain(adadelta_core(), lr_scale(0.5)),
    "adafactor": lambda: adafactor(),
    "adafactor factored": lambda: adafactor(0.01, min_dim=2, momentum=0.9, wdr=0.01),
    "fromage": lambda: fromage(0.01),
    "sign sgd": lambda: chain(lambda u, p: np.sign(u), lr_scale(0.01)),
    "signum": lambda: chain(ema_core(0.9, False), lambda u, p: np.sign(u), lr_scale(0.01)),
}
opt_out = {k: run(v) for k, v in cases.items()}

# Schedules, at these steps.
steps = list(range(0, 31))


def piecewise_constant(init, bs):
    out = []
    for c in steps:
        v = F(init)
        for b, s in sorted(bs.items()):
            ind = F(max(0.0, np.sign(b - c)))
            v = v * ind + (F(1) - ind) * F(s) * v
        out.append(float(v))
    return out


def piecewise_interp(kind, init, bs):
    items = sorted(bs.items())
    bounds = np.array([0] + [b for b, _ in items], np.int32)
    values = np.cumprod(np.array([init] + [s for _, s in items], F)).astype(F)
    out = []
    for c in steps:
        sizes = np.maximum(bounds[1:] - bounds[:-1], 1)
        ind = ((bounds[:-1] <= c) & (c < bounds[1:])).astype(F)
        pct = ((c - bounds[:-1]) / sizes).astype(F)
        s, e = values[:-1], values[1:]
        if kind == "linear":
            iv = (e - s) * pct + s
        else:
            iv = e + (s - e) / F(2) * (np.cos(F(np.pi) * pct) + F(1))
        out.append(float(np.sum(ind * iv, dtype=F) + F(bounds[-1] <= c) * values[-1]))
    return out


def linear(init, end, n, c):
    c = min(max(c, 0), n)
    return F(init - end) * F(1 - c / n) + F(end) if n > 0 else F(init)


def exp_decay(init, n, rate, begin=0, staircase=False, end=None):
    def f(c):
        cnt = F(c - begin)
        p = cnt / F(n)
        if staircase:
            p = np.floor(p)
        v = F(init) * F(rate) ** p if cnt > 0 else F(init)
        if end is not None:
            v = max(v, F(end)) if rate < 1 else min(v, F(end))
        return F(v)
    return f


def cosine(init, n, alpha=0.0):
    def f(c):
        c = min(c, n)
        cs = F(0.5) * (F(1) + np.cos(F(np.pi / n) * F(c)))
        return F(init) * (F(1 - alpha) * cs + F(alpha))
    return f


def warmup_cos(init, peak, w, d, end=0.0):
    alpha = 0 if peak == 0 else end / peak
    cos = cosine(peak, d - w, alpha)
    return lambda c: linear(init, peak, w, c) if c < w else cos(c - w)


def sgdr(kw):
    fs, bounds, st = [], [], 0
    for k in kw:
        fs.append(warmup_cos(*k))
        st += k[3]
        bounds.append(st)
    bounds = bounds[:-1]

    def f(c):
        i = sum(1 for b in bounds if c >= b)
        return fs[i](c - (bounds[i - 1] if i else 0))
    return f


sched_out = {
    "piecewiseConstant": piecewise_constant(0.5, {5: 0.5, 12: 0.1, 20: 2.0}),
    "piecewiseLinear": piecewise_interp("linear", 0.5, {4: 2.0, 10: 0.25, 25: 0.1}),
    "piecewiseCosine": piecewise_interp("cosine", 0.5, {4: 2.0, 10: 0.25, 25: 0.1}),
    "linearOnecycle": piecewise_interp("linear", 0.2 / 25, {int(0.3 * 20): 25, int(0.85 * 20): 1 / 25, 20: 1e-4}),
    "cosineOnecycle": piecewise_interp("cosine", 0.2 / 25, {int(0.3 * 20): 25, 20: 1 / (25 * 1e4)}),
    "warmupExponential": [float(linear(0.0, 1.0, 4, c) if c < 4 else exp_decay(1.0, 3, 0.5, 2, True, 0.1)(c - 4)) for c in steps],
    "warmupConstant": [float(linear(0.1, 1.0, 5, c)) for c in steps],
    "sgdr": [float(sgdr([(0.0, 1.0, 2, 10, 0.1), (0.0, 0.5, 3, 12, 0.05)])(c)) for c in steps],
}

# Losses.
x = rng.normal(size=(3, 4)).astype(F)
y = rng.normal(size=(3, 4)).astype(F)
probs = np.exp(y) / np.exp(y).sum(-1, keepdims=True)
probs[0, 1] = 0
probs[0] /= probs[0].sum()
logp = (x - np.log(np.exp(x).sum(-1, keepdims=True))).astype(F)
logq = (y - np.log(np.exp(y).sum(-1, keepdims=True))).astype(F)
labels01 = (rng.random(size=(3, 4)) > 0.5).astype(F)
mask = np.array([[1, 1, 0, 1], [1, 1, 1, 1], [0, 1, 1, 1]], bool)


def sig_bce(lg, lb):
    return -lb * np.log(1 / (1 + np.exp(-lg))) - (1 - lb) * np.log(1 / (1 + np.exp(lg)))


def focal(lg, lb, alpha=None, gamma=2.0):
    p = 1 / (1 + np.exp(-lg))
    pt = p * lb + (1 - p) * (1 - lb)
    loss = sig_bce(lg, lb) * (1 - pt) ** gamma
    return loss if alpha is None else (alpha * lb + (1 - alpha) * (1 - lb)) * loss


def cos_sim(a, b, eps=0.0, axis=-1):
    an = np.sqrt(np.maximum((a * a).sum(axis, keepdims=True), eps))
    bn = np.sqrt(np.maximum((b * b).sum(axis, keepdims=True), eps))
    return ((a / an) * (b / bn)).sum(axis)


def masked_ce(lg, lb, m):
    xm = np.where(m, lg, -np.inf)
    ls = xm - np.log(np.exp(xm - xm.max(-1, keepdims=True)).sum(-1, keepdims=True)) - xm.max(-1, keepdims=True)
    return -np.where(m, lb * np.where(m, ls, 0), 0).sum(-1)


d = x.astype(np.float64) - y
loss_out = {
    "x": x.tolist(), "y": y.tolist(), "probs": probs.tolist(), "logp": logp.tolist(), "logq": logq.tolist(), "labels01": labels01.tolist(), "mask": mask.tolist(),
    "logCosh": np.log(np.cosh(d)).tolist(),
    "cosineSimilarity": cos_sim(x.astype(np.float64), y).tolist(),
    "cosineSimilarityAxis0": cos_sim(x.astype(np.float64), y, 0.1, 0).tolist(),
    "cosineDistance": (1 - cos_sim(x.astype(np.float64), y)).tolist(),
    "hingeLoss": np.maximum(0, 1 - x * np.sign(y)).tolist(),
    "klDivergence": np.sum(np.where(probs == 0, 0, probs * (np.log(np.where(probs == 0, 1, probs)) - logp)), -1).tolist(),
    "klDivergenceWithLogTargets": np.sum(np.exp(logq) * (logq - logp), -1).tolist(),
    "convexKlDivergence": (np.sum(np.where(probs == 0, 0, probs * (np.log(np.where(probs == 0, 1, probs)) - logp)), -1)
                           + np.sum(np.exp(logp) - probs, -1)).tolist(),
    "sigmoidFocalLoss": focal(x.astype(np.float64), labels01).tolist(),
    "sigmoidFocalLossAlpha": focal(x.astype(np.float64), labels01, 0.25, 1.5).tolist(),
    "smoothLabels": ((1 - 0.1) * probs + 0.1 / 4).tolist(),
    "smoothLabelsWhere": ((1 - 0.1) * probs + 0.1 / mask.sum(-1, keepdims=True)).tolist(),
    "softmaxCrossEntropyWhere": masked_ce(x.astype(np.float64), probs, mask).tolist(),
}

json.dump({"params0": {k: v.tolist() for k, v in params0.items()}, "grads": [{k: v.tolist() for k, v in g.items()} for g in grads],
           "optimizers": opt_out, "steps": steps, "schedules": sched_out, "losses": loss_out},
          open(__file__.replace("make_optax_extra_goldens.py", "optax_extra.json"), "w"))
