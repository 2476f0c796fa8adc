"""optax update formulas (from optax's transform.py / alias.py / schedules) in float32 numpy, for the
variants optax.json leaves out: adam's nesterov and eps_root, centered/bias-corrected rmsprop with
Nesterov momentum, eps outside the root, masked adamw, and a staircase exponential decay with
transition_begin and end_value. Writes training.json: the params after each step."""
import json
import math
import numpy as np

rng = np.random.default_rng(11)
f32 = np.float32
shapes = {"w": (3, 2), "b": (2,)}
params0 = {k: rng.normal(size=s).astype(f32) for k, s in shapes.items()}
grads = [{k: rng.normal(size=s).astype(f32) for k, s in shapes.items()} for _ in range(6)]
zeros = lambda: {k: np.zeros(s, f32) for k, s in shapes.items()}


def run(update):
    p = {k: v.copy() for k, v in params0.items()}
    st, out = None, []
    for t, g in enumerate(grads):
        u, st = update(g, st, p, t)
        p = {k: (p[k] + u[k]).astype(f32) for k in p}
        out.append({k: p[k].tolist() for k in p})
    return out


def bc(x, decay, count):
    return x / f32(1 - f32(decay) ** f32(count))


def adam(lr, b1=0.9, b2=0.999, eps=1e-8, eps_root=0.0, nesterov=False, wd=None, mask=None):
    def update(g, s, p, t):
        s = s or {"mu": zeros(), "nu": zeros(), "count": 0}
        mu = {k: f32(1 - b1) * g[k] + f32(b1) * s["mu"][k] for k in g}
        nu = {k: f32(1 - b2) * g[k] ** 2 + f32(b2) * s["nu"][k] for k in g}
        c = s["count"] + 1
        if nesterov:
            mh = {k: f32(b1) * bc(mu[k], b1, c + 1) + f32(1 - b1) * bc(g[k], b1, c) for k in g}
        else:
            mh = {k: bc(mu[k], b1, c) for k in g}
        nh = {k: bc(nu[k], b2, c) for k in g}
        u = {k: mh[k] / (np.sqrt(nh[k] + f32(eps_root)) + f32(eps)) for k in g}
        if wd is not None:
            u = {k: u[k] + f32(wd) * p[k] if (mask is None or mask[k]) else u[k] for k in g}
        return {k: f32(-lr) * u[k] for k in g}, {"mu": mu, "nu": nu, "count": c}
    return update


def rmsprop(lr, decay=0.9, eps=1e-8, eps_in_sqrt=True, centered=False, momentum=None, nesterov=False, bias_correction=False):
    def update(g, s, p, t):
        s = s or {"mu": zeros(), "nu": zeros(), "count": 0, "trace": zeros()}
        mu = {k: f32(1 - decay) * g[k] + f32(decay) * s["mu"][k] for k in g}
        nu = {k: f32(1 - decay) * g[k] ** 2 + f32(decay) * s["nu"][k] for k in g}
        c = s["count"] + 1
        mh = {k: bc(mu[k], decay, c) if bias_correction else mu[k] for k in g}
        nh = {k: bc(nu[k], decay, c) if bias_correction else nu[k] for k in g}
        var = {k: nh[k] - (mh[k] ** 2 if centered else 0) for k in g}
        scale = {k: (1 / np.sqrt(var[k] + f32(eps))) if eps_in_sqrt else 1 / (np.sqrt(var[k]) + f32(eps)) for k in g}
        u = {k: f32(-lr) * (scale[k] * g[k]).astype(f32) for k in g}
        tr = s["trace"]
        if momentum is not None:
            tr = {k: u[k] + f32(momentum) * s["trace"][k] for k in g}
            u = {k: u[k] + f32(momentum) * tr[k] for k in g} if nesterov else tr
        return u, {"mu": mu, "nu": nu, "count": c, "trace": tr}
    return update


def exp_decay(init, steps, rate, begin=0, staircase=False, end=None):
    def f(count):
        d = count - begin
        pw = d / steps
        if staircase:
            pw = math.floor(pw)
        v = init if d <= 0 else init * rate ** pw
        if end is not None:
            v = max(v, end) if rate < 1 else min(v, end)
        return f32(v)
    return f


def sgd_sched(sched):
    def update(g, s, p, t):
        return {k: f32(-sched(t)) * g[k] for k in g}, None
    return update


cases = {
    "adam nesterov": run(adam(0.01, nesterov=True)),
    "adam epsRoot": run(adam(0.01, eps_root=1e-3)),
    "rmsprop centered biasCorrection nesterov": run(rmsprop(0.01, centered=True, bias_correction=True, momentum=0.9, nesterov=True)),
    "rmsprop eps outside sqrt": run(rmsprop(0.01, eps=1e-2, eps_in_sqrt=False)),
    "adamw masked": run(adam(0.01, wd=0.3, mask={"w": True, "b": False})),
    "sgd staircase exponentialDecay": run(sgd_sched(exp_decay(0.1, 2, 0.5, begin=1, staircase=True, end=0.02))),
}
out = {"params0": {k: v.tolist() for k, v in params0.items()}, "grads": [{k: v.tolist() for k, v in g.items()} for g in grads], "cases": cases}
with open(__file__.replace("make_training_goldens.py", "training.json"), "w") as fh:
    json.dump(out, fh)
