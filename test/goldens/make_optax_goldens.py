"""Re-implements optax's update formulas in numpy (float32, following optax's source) and writes
the parameters after each of a few steps for each optimizer to optax.json."""
import json
import numpy as np

rng = np.random.default_rng(7)
f32 = np.float32
shapes = {"w": (3, 2), "b": (2,)}
params0 = {k: rng.normal(size=s).astype(f32) for k, s in shapes.items()}
grads = [{k: rng.normal(size=s).astype(f32) for k, s in shapes.items()} for _ in range(6)]


def run(init, update):
    p = {k: v.copy() for k, v in params0.items()}
    st = init(p)
    out = []
    for t, g in enumerate(grads):
        u, st = update(g, st, p, t)
        p = {k: (p[k] + u[k]).astype(f32) for k in p}
        out.append({k: p[k].tolist() for k in p})
    return out


def sgd(lr, momentum=None, nesterov=False):
    def init(p):
        return {k: np.zeros_like(v) for k, v in p.items()}

    def update(g, tr, p, t):
        if momentum is None:
            return {k: f32(-lr) * g[k] for k in g}, tr
        new = {k: g[k] + f32(momentum) * tr[k] for k in g}
        u = {k: g[k] + f32(momentum) * new[k] for k in g} if nesterov else new
        return {k: f32(-lr) * u[k] for k in g}, new
    return init, update


def adam(lr, b1=0.9, b2=0.999, eps=1e-8, wd=None):
    def init(p):
        return {"mu": {k: np.zeros_like(v) for k, v in p.items()}, "nu": {k: np.zeros_like(v) for k, v in p.items()}, "count": 0}

    def update(g, s, p, t):
        mu = {k: f32(1 - b1) * g[k] + f32(b1) * s["mu"][k] for k in g}
        nu = {k: f32(1 - b2) * g[k] ** 2 + f32(b2) * s["nu"][k] for k in g}
        c = s["count"] + 1
        mh = {k: mu[k] / f32(1 - f32(b1) ** f32(c)) for k in g}
        nh = {k: nu[k] / f32(1 - f32(b2) ** f32(c)) for k in g}
        u = {k: mh[k] / (np.sqrt(nh[k] + f32(0)) + f32(eps)) for k in g}
        if wd is not None:
            u = {k: u[k] + f32(wd) * p[k] for k in g}
        return {k: f32(-lr) * u[k] for k in g}, {"mu": mu, "nu": nu, "count": c}
    return init, update


def rmsprop(lr, decay=0.9, eps=1e-8):
    def init(p):
        return {k: np.zeros_like(v) for k, v in p.items()}

    def update(g, nu, p, t):
        nu = {k: f32(1 - decay) * g[k] ** 2 + f32(decay) * nu[k] for k in g}
        return {k: f32(-lr) * (g[k] / np.sqrt(nu[k] + f32(eps))) for k in g}, nu
    return init, update


def adagrad(lr, init_acc=0.1, eps=1e-7):
    def init(p):
        return {k: np.full_like(v, f32(init_acc)) for k, v in p.items()}

    def update(g, ss, p, t):
        ss = {k: g[k] ** 2 + ss[k] for k in g}
        return {k: f32(-lr) * (np.where(ss[k] > 0, 1 / np.sqrt(ss[k] + f32(eps)), 0).astype(f32) * g[k]) for k in g}, ss
    return init, update


def clipped_sgd(lr, max_norm):
    def init(p):
        return None

    def update(g, s, p, t):
        norm = np.sqrt(sum(np.sum(v.astype(f32) ** 2) for v in g.values())).astype(f32)
        g = g if norm < max_norm else {k: (v / norm) * f32(max_norm) for k, v in g.items()}
        return {k: f32(-lr) * g[k] for k in g}, s
    return init, update


def scheduled_sgd(kind):
    def lr_at(c):
        if kind == "exp":
            return 0.1 * 0.5 ** (c / 2)
        if kind == "cos":
            c = min(c, 4)
            return 0.1 * (0.5 * (1 + np.cos(np.pi * c / 4)))
        # warmup cosine: init 0, peak 0.1, warmup 2, decay 5, end 0.01
        if c < 2:
            return 0.0 + (0.1 - 0.0) * (c / 2)
        c2 = min(c - 2, 3)
        alpha = 0.01 / 0.1
        return 0.1 * ((1 - alpha) * 0.5 * (1 + np.cos(np.pi * c2 / 3)) + alpha)

    def init(p):
        return None

    def update(g, s, p, t):
        return {k: f32(-lr_at(t)) * g[k] for k in g}, s
    return init, update


cases = {
    "sgd": run(*sgd(0.1)),
    "sgd momentum": run(*sgd(0.1, 0.9)),
    "sgd nesterov": run(*sgd(0.1, 0.9, True)),
    "adam": run(*adam(0.01)),
    "adamw": run(*adam(0.01, wd=0.1)),
    "rmsprop": run(*rmsprop(0.01)),
    "adagrad": run(*adagrad(0.1)),
    "clip sgd": run(*clipped_sgd(0.1, 1.0)),
    "exp decay sgd": run(*scheduled_sgd("exp")),
    "cosine sgd": run(*scheduled_sgd("cos")),
    "warmup cosine sgd": run(*scheduled_sgd("warm")),
}
out = {
    "params0": {k: v.tolist() for k, v in params0.items()},
    "grads": [{k: v.tolist() for k, v in g.items()} for g in grads],
    "cases": cases,
}
with open(__file__.replace("make_optax_goldens.py", "optax.json"), "w") as f:
    json.dump(out, f)
print("wrote", len(cases), "optimizer cases")
