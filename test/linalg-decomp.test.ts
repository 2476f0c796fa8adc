// qr, eigh, svd and the jnp.linalg functions on them, against numpy goldens
// (test/goldens/make_linalg_decomp_goldens.py). Factors are compared after fixing each vector's sign
// (eigenvectors / singular vectors are unique only up to sign), and through reconstructions.
import * as fs from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { grad, jit, jnp, makeJaxpr, nn, random, vmap, Array as JArray } from "../src/index.js";
import { NotImplementedError, ShapeError, ValueError } from "../src/core/errors.js";
import { randArray, toNumbers } from "./helpers.js";

const G = JSON.parse(fs.readFileSync(new URL("../../test/goldens/linalg_decomp.json", import.meta.url), "utf8"));
type DT = "float32" | "float64";
const arr = (v: unknown, dtype: DT = "float64") => jnp.array(v as number[], { dtype });
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
const TOL: Record<DT, number> = { float64: 1e-10, float32: 2e-5 };

function close(got: JArray | number, want: unknown, tol: number, what: string): void {
  const g = typeof got === "number" ? [got] : toNumbers(got), w = flat(want);
  assert.is(g.length, w.length, `${what}: ${g.length} values, want ${w.length}`);
  g.forEach((v, i) => {
    const ok = v === w[i] || Math.abs(v - w[i]) <= tol * Math.max(1, Math.abs(w[i]));
    if (!ok) assert.unreachable(`${what}[${i}]: got ${v}, want ${w[i]} (tol ${tol})`);
  });
}

/** Columns of x (..., m, k) times the sign of their largest-magnitude entry; the same signs applied to rows of `rows`. */
function fixSigns(x: JArray, rows?: JArray): [JArray, JArray | undefined] {
  const idx = jnp.argmax(jnp.abs(x), { axis: -2, keepdims: true });
  const sg = jnp.sign(jnp.takeAlongAxis(x, idx, -2));
  return [jnp.multiply(x, sg), rows && jnp.multiply(rows, jnp.swapaxes(sg, -1, -2))];
}
const mT = (x: JArray) => jnp.swapaxes(x, -1, -2);
const eyeLike = (n: number, dt: DT) => jnp.eye(n, n, { dtype: dt });
function orthonormalCols(q: JArray, tol: number, what: string): void {
  const k = q.shape[q.ndim - 1];
  close(jnp.matmul(mT(q), q), toNumbers(jnp.broadcastTo(eyeLike(k, "float64"), [...q.shape.slice(0, -2), k, k])), tol, `${what} orthonormal`);
}

for (const dt of ["float64", "float32"] as DT[]) {
  const tol = TOL[dt];
  test(`qr (${dt}): reduced and complete match numpy up to signs; mode "r"`, () => {
    for (const [name, e] of Object.entries<any>(G.mats)) {
      const a = arr(e.a, dt);
      const res = jnp.linalg.qr(a);
      const [q, r] = res;
      assert.ok(res.Q === q && res.R === r, "named fields");
      // R's diagonal positive in both: Q's columns and R's rows flip together.
      const fix = (qq: JArray, rr: JArray) => {
        const k = Math.min(rr.shape[rr.ndim - 2], rr.shape[rr.ndim - 1]);
        const d = jnp.sign(jnp.diagonal(rr, 0, -2, -1));
        const s = jnp.where(jnp.equal(d, 0), 1, d);
        const pad = qq.shape[qq.ndim - 1] - k;
        const sq = pad ? jnp.concatenate([s, jnp.ones([...s.shape.slice(0, -1), pad], { dtype: dt })], -1) : s;
        return [jnp.multiply(qq, jnp.expandDims(sq, -2)), jnp.multiply(rr, jnp.expandDims(sq, -1))];
      };
      const [q1, r1] = fix(q, r), [q2, r2] = fix(arr(e.q, dt), arr(e.r, dt));
      if (name !== "rankdef4x3") { // past the rank, Q's columns are rounding noise
        close(q1, toNumbers(q2), tol * 10, `${name} Q`);
        close(r1, toNumbers(r2), tol * 10, `${name} R`);
      }
      orthonormalCols(q, tol * 10, `${name} Q`);
      close(jnp.matmul(q, r), e.a, tol * 10, `${name} QR`);
      const [qc, rc] = jnp.linalg.qr(a, "complete");
      assert.equal(qc.shape, jnp.array(e.qc).shape);
      assert.equal(rc.shape, jnp.array(e.rc).shape);
      orthonormalCols(qc, tol * 10, `${name} complete Q`);
      close(jnp.matmul(qc, rc), e.a, tol * 10, `${name} complete QR`);
      close(jnp.tril(rc, -1), toNumbers(jnp.zeros(rc.shape)), 0, `${name} R upper`);
      close(jnp.linalg.qr(a, { mode: "r" }), toNumbers(r), 0, `${name} mode r`);
    }
  });

  test(`svd (${dt}): singular values, sign-fixed vectors, full bases`, () => {
    for (const [name, e] of Object.entries<any>(G.mats)) {
      const a = arr(e.a, dt);
      const res = jnp.linalg.svd(a, false);
      const [u, s, vh] = res;
      assert.ok(res.U === u && res.S === s && res.Vh === vh, "named fields");
      close(s, e.s, tol * 10, `${name} S`);
      close(jnp.linalg.svdvals(a), e.s, tol * 10, `${name} svdvals`);
      close(jnp.linalg.svd(a, { computeUv: false }), e.s, tol * 10, `${name} computeUv false`);
      if (name !== "rankdef4x3") { // a zero singular value leaves its vectors free
        const [uf, vf] = fixSigns(u, vh), [uw, vw] = fixSigns(arr(e.ur, dt), arr(e.vhr, dt));
        close(uf, toNumbers(uw), tol * 100, `${name} U`);
        close(vf!, toNumbers(vw!), tol * 100, `${name} Vh`);
      }
      const [U, S, Vh] = jnp.linalg.svd(a);
      assert.equal([U.shape, Vh.shape], [jnp.array(e.u).shape, jnp.array(e.vh).shape]);
      orthonormalCols(U, tol * 10, `${name} full U`);
      orthonormalCols(mT(Vh), tol * 10, `${name} full Vh`);
      const k = S.shape[S.ndim - 1];
      const us = jnp.multiply(jnp.take(U, jnp.arange(k), -1), jnp.expandDims(S, -2));
      close(jnp.matmul(us, jnp.take(Vh, jnp.arange(k), -2)), e.a, tol * 10, `${name} U S Vh`);
    }
  });

  test(`pinv, matrixRank, norm 2/-2/nuc, cond, lstsq (${dt}) match numpy`, () => {
    for (const [name, e] of Object.entries<any>(G.mats)) {
      const a = arr(e.a, dt), t = name === "rankdef4x3" ? tol * 1e3 : tol * 100;
      close(jnp.linalg.pinv(a), e.pinv, t, `${name} pinv`);
      close(jnp.linalg.matrixRank(a), e.rank, 0, `${name} rank`);
      close(jnp.linalg.norm(a, 2, [-2, -1]), e.norm2, tol * 10, `${name} norm 2`);
      close(jnp.linalg.norm(a, -2, [-2, -1]), e.normm2, t, `${name} norm -2`);
      close(jnp.linalg.matrixNorm(a, { ord: "nuc" }), e.nuc, tol * 10, `${name} nuc`);
      if (name !== "rankdef4x3") close(jnp.linalg.cond(a), e.cond, tol * 100, `${name} cond`);
      if (e.cond1) {
        close(jnp.linalg.cond(a, 1), e.cond1, tol * 100, `${name} cond 1`);
        close(jnp.linalg.cond(a, Infinity), e.condinf, tol * 100, `${name} cond inf`);
        close(jnp.linalg.cond(a, "fro"), e.condfro, tol * 100, `${name} cond fro`);
      }
      if (e.b) {
        const [x, resid, rank, s] = jnp.linalg.lstsq(a, arr(e.b, dt));
        close(x, e.lstsq_x, t, `${name} lstsq x`);
        assert.is(rank.dtype, "int32");
        close(rank, e.lstsq_rank, 0, `${name} lstsq rank`);
        close(s, e.s, tol * 10, `${name} lstsq s`);
        if (e.lstsq_resid.length) close(resid, e.lstsq_resid, t * 10, `${name} lstsq resid`);
        const [x2, r2] = jnp.linalg.lstsq(a, arr(e.b2, dt), { numpyResid: true });
        close(x2, e.lstsq_x2, t, `${name} lstsq 2-D x`);
        close(r2, e.lstsq_resid2, t * 10, `${name} lstsq 2-D resid (numpy's, empty unless full-rank tall)`);
      }
    }
  });

  test(`eigh (${dt}): ascending eigenvalues, sign-fixed eigenvectors, UPLO, symmetrizeInput`, () => {
    for (const [name, e] of Object.entries<any>(G.sym)) {
      const a = arr(e.a, dt);
      const res = jnp.linalg.eigh(a);
      assert.ok(res.eigenvalues === res[0] && res.eigenvectors === res[1], "named fields");
      close(res[0], e.ws, tol * 10, `${name} w (symmetrized)`);
      close(fixSigns(res[1])[0], toNumbers(fixSigns(arr(e.vs, dt))[0]), tol * 100, `${name} v (symmetrized)`);
      const [wl, vl] = jnp.linalg.eigh(a, "L", false), [wu, vu] = jnp.linalg.eigh(a, { UPLO: "U", symmetrizeInput: false });
      close(wl, e.w, tol * 10, `${name} w lower`);
      close(wu, e.wu, tol * 10, `${name} w upper`);
      close(fixSigns(vl)[0], toNumbers(fixSigns(arr(e.v, dt))[0]), tol * 100, `${name} v lower`);
      close(fixSigns(vu)[0], toNumbers(fixSigns(arr(e.vu, dt))[0]), tol * 100, `${name} v upper`);
      close(jnp.linalg.eigvalsh(a, { UPLO: "U", symmetrizeInput: false }), e.wu, tol * 10, `${name} eigvalsh`);
      // hermitian SVD: singular values are |eigenvalues|, descending
      const sym = jnp.divide(jnp.add(a, mT(a)), 2);
      const [hu, hs, hvh] = jnp.linalg.svd(sym, true, true, true);
      close(hs, toNumbers(jnp.linalg.svdvals(sym)), tol * 10, `${name} hermitian S`);
      close(jnp.matmul(jnp.multiply(hu, jnp.expandDims(hs, -2)), hvh), toNumbers(sym), tol * 10, `${name} hermitian U S Vh`);
      close(jnp.linalg.svd(sym, { hermitian: true, computeUv: false }), toNumbers(hs), tol * 10, `${name} hermitian S only`);
    }
  });
}

test("repeated eigenvalues and rank deficiency still give orthonormal factors", () => {
  const d = jnp.array([[2, 0, 0], [0, 2, 0], [0, 0, 5]], { dtype: "float64" });
  const rot = jnp.linalg.qr(randArray([3, 3], -1, 1, "float64", 5))[0];
  const a = jnp.matmul(jnp.matmul(rot, d), mT(rot));
  const [w, v] = jnp.linalg.eigh(a);
  close(w, [2, 2, 5], 1e-12, "w");
  orthonormalCols(v, 1e-12, "v");
  close(jnp.matmul(jnp.multiply(v, jnp.expandDims(w, 0)), mT(v)), toNumbers(a), 1e-12, "V W Vt");
  const z = jnp.zeros([3, 2], { dtype: "float64" });
  const [u, s, vh] = jnp.linalg.svd(z);
  close(s, [0, 0], 0, "zero S");
  orthonormalCols(u, 1e-12, "zero U");
  orthonormalCols(mT(vh), 1e-12, "zero Vh");
  assert.equal(jnp.linalg.svd(jnp.zeros([2, 0, 3])).map((x: JArray) => x.shape), [[2, 0, 0], [2, 0], [2, 3, 3]]);
});

test("polyfit, multiDot, tensorinv, tensorsolve, cross, vecdot, outer, trace, diagonal, vectorNorm match numpy", () => {
  const m = G.misc, x = arr(m.x), y = arr(m.y);
  close(jnp.polyfit(x, y, 2) as JArray, m.poly, 1e-10, "polyfit");
  const [c, resid, rank, sv, rc] = jnp.polyfit(x, y, 2, { full: true }) as JArray[];
  close(c, m.poly, 1e-10, "polyfit full c");
  close(resid, m.poly_resid, 1e-8, "polyfit resid");
  close(rank, m.poly_rank, 0, "polyfit rank");
  close(sv, m.poly_sv, 1e-10, "polyfit s");
  close(rc, m.poly_rcond, 1e-12, "polyfit rcond");
  close((jnp.polyfit(x, y, 2, null, false, null, true) as JArray[])[1], m.poly_cov, 1e-8, "polyfit cov");
  const [c2, cov2] = jnp.polyfit(x, arr(m.y2), 3, { cov: true }) as JArray[];
  close(c2, m.poly2, 1e-10, "polyfit 2-D y");
  close(cov2, m.poly2_cov, 1e-8, "polyfit 2-D cov");
  close(jnp.polyfit(x, y, 2, { w: arr(m.w) }) as JArray, m.poly_w, 1e-10, "polyfit w");
  close(jnp.polyfit(jnp.astype(x, "float32"), jnp.astype(y, "float32"), 2) as JArray, m.poly, 1e-4, "polyfit f32");
  close(jnp.linalg.multiDot(m.arrs.map((a: unknown) => arr(a))), m.multi_dot, 1e-12, "multiDot");
  close(jnp.linalg.tensorinv(arr(m.t4), 1), m.tensorinv, 1e-10, "tensorinv");
  close(jnp.linalg.tensorsolve(arr(m.ts_a), arr(m.ts_b)), m.tensorsolve, 1e-10, "tensorsolve");
  close(jnp.linalg.cross(arr(m.c1), arr(m.c2)), m.cross, 1e-12, "cross");
  close(jnp.linalg.cross(mT(arr(m.c1)), jnp.expandDims(arr(m.c2), 1), { axis: 0 }), toNumbers(mT(arr(m.cross))), 1e-12, "cross axis 0");
  close(jnp.linalg.vecdot(arr(m.c1), arr(m.c2)), m.vecdot, 1e-12, "vecdot");
  close(jnp.linalg.outer(jnp.array([1, 2]), jnp.array([3, 4, 5])), [3, 4, 5, 6, 8, 10], 0, "outer");
  const b = jnp.arange(18).reshape([2, 3, 3]);
  close(jnp.linalg.trace(b), [12, 39], 0, "trace");
  close(jnp.linalg.trace(b, { offset: 1 }), [6, 24], 0, "trace offset");
  close(jnp.linalg.diagonal(b, { offset: -1 }), [3, 7, 12, 16], 0, "diagonal");
  close(jnp.linalg.vectorNorm(jnp.array([[3, -4], [0, 0]])), 5, 1e-6, "vectorNorm all");
  close(jnp.linalg.vectorNorm(jnp.array([[3, -4], [1, 0]]), { axis: 1, ord: Infinity }), [4, 1], 0, "vectorNorm inf");
  close(jnp.linalg.vectorNorm(jnp.array([[3, -4], [1, 0]]), 0, false, 1), [4, 4], 0, "vectorNorm positional");
  close(jnp.linalg.matmul(jnp.eye(2), jnp.array([1, 2])), [1, 2], 0, "matmul");
});

/** Central-difference gradient of f at a (f64) vs grad. */
function gradCheck(f: (a: JArray) => JArray, a: JArray, what: string, tol = 1e-6): void {
  const g = toNumbers(grad(f)(a)), base = toNumbers(a), h = 1e-6;
  base.forEach((_, i) => {
    const at = (d: number) => { const v = base.slice(); v[i] += d; return f(jnp.array(v, { shape: a.shape, dtype: "float64" })).item() as number; };
    const fd = (at(h) - at(-h)) / (2 * h);
    if (!(Math.abs(fd - g[i]) <= tol * Math.max(1, Math.abs(fd)))) assert.unreachable(`${what} d/da[${i}]: grad ${g[i]}, central difference ${fd}`);
  });
}

test("gradients of qr, eigh, svd, pinv, lstsq, norm 2 match central differences", () => {
  const W = (shape: number[], seed: number) => randArray(shape, -1, 1, "float64", seed);
  const dot = (x: JArray, w: JArray) => jnp.sum(jnp.multiply(x, w));
  for (const [name, e] of Object.entries<any>(G.mats)) {
    if (name === "rankdef4x3" || name === "one1x1") continue;
    const a = arr(e.a), [m, n] = a.shape.slice(-2), k = Math.min(m, n), b = a.shape.slice(0, -2);
    // Sign-invariant functionals: S, and U diag(c) Vh (a pair's signs flip together).
    const cS = W([...b, k], 3), cM = W(a.shape, 4), cW = W([k], 6);
    gradCheck((x) => dot(jnp.linalg.svdvals(x), cS), a, `${name} svdvals`);
    gradCheck((x) => { const [u, , vh] = jnp.linalg.svd(x, false); return dot(jnp.matmul(jnp.multiply(u, cW), vh), cM); }, a, `${name} svd vectors`);
    if (m >= n) {
      const cQ = W([...b, m, n], 7), cR = W([...b, n, n], 8);
      gradCheck((x) => { const [q, r] = jnp.linalg.qr(x); return jnp.add(dot(q, cQ), dot(r, cR)); }, a, `${name} qr`);
    }
    gradCheck((x) => dot(jnp.linalg.pinv(x), W([...b, n, m], 9)), a, `${name} pinv`);
    gradCheck((x) => jnp.sum(jnp.linalg.norm(x, 2, [-2, -1])), a, `${name} norm 2`);
  }
  gradCheck((x) => dot(jnp.linalg.lstsq(x, arr(G.mats.tall5x3.b))[0], W([3], 10)), arr(G.mats.tall5x3.a), "lstsq");
  for (const [name, e] of Object.entries<any>(G.sym)) {
    const a = arr(e.a), n = a.shape[a.ndim - 1];
    const cw = W(a.shape.slice(0, -1), 11), cv = W(a.shape, 12);
    gradCheck((x) => { const [w, v] = jnp.linalg.eigh(x); return jnp.add(dot(w, cw), dot(jnp.multiply(v, v), cv)); }, a, `${name} eigh`);
    gradCheck((x) => { const [w, v] = jnp.linalg.eigh(x); return dot(jnp.matmul(jnp.multiply(v, jnp.arange(n)), mT(v)), cv); }, a, `${name} eigh V D Vt`);
  }
  // pinv's rule (not the SVD's) handles repeated singular values: the identity.
  gradCheck((x) => dot(jnp.linalg.pinv(x), W([3, 3], 13)), jnp.eye(3, 3, { dtype: "float64" }), "pinv at I");
});

test("vmap matches a loop, jit matches eager, and the decompositions are jaxpr primitives", () => {
  const a = arr(G.mats.batch2x3x3.a), s = arr(G.sym.sym3b.a);
  const loop = (f: (x: JArray) => JArray, x: JArray) => jnp.stack([0, 1].map((i) => f(x.get(i))));
  const fs: [string, (x: JArray) => JArray, JArray][] = [
    ["svd U S", (x) => { const [u, sv, vh] = jnp.linalg.svd(x); return jnp.matmul(jnp.multiply(u, jnp.expandDims(sv, -2)), vh); }, a],
    ["qr", (x) => jnp.linalg.qr(x)[0], a],
    ["eigh", (x) => jnp.linalg.eigh(x)[1], s],
    ["pinv", (x) => jnp.linalg.pinv(x), a],
    ["svdvals", (x) => jnp.linalg.svdvals(x), a],
  ];
  for (const [name, f, x] of fs) {
    const want = toNumbers(loop(f, x));
    close(vmap(f)(x), want, 1e-12, `vmap ${name}`);
    close(vmap(f, 1)(jnp.moveaxis(x, 0, 1)), want, 1e-12, `vmap axis 1 ${name}`);
    close(jit(f)(x), toNumbers(f(x)), 1e-12, `jit ${name}`);
  }
  const text = makeJaxpr((x: JArray) => [jnp.linalg.qr(x)[1], jnp.linalg.eigh(x)[0], jnp.linalg.svd(x, false)[1]])(s.get(0)).toString();
  for (const p of ["qr[", "eigh[", "svd["]) assert.ok(text.includes(p), `${p} in\n${text}`);
});

test("random.orthogonal and initializers.orthogonal give orthonormal matrices, as JAX builds them", () => {
  const q = random.orthogonal(random.key(0), 4, [2]);
  assert.equal([q.shape, q.dtype], [[2, 4, 4], "float32"]);
  orthonormalCols(q, 1e-5, "orthogonal");
  const wide = random.orthogonal(random.key(1), 2, [], "float64", 5);
  assert.equal(wide.shape, [2, 5]);
  orthonormalCols(mT(wide), 1e-12, "orthogonal rows");
  // Q of the normal sample's QR, columns signed by diag(R)
  const z = random.normal(random.key(1), [5, 2], "float64"), [qz, rz] = jnp.linalg.qr(z);
  close(wide, toNumbers(mT(jnp.multiply(qz, jnp.sign(jnp.diagonal(rz))))), 1e-12, "orthogonal construction");
  const w = nn.initializers.orthogonal(2)(random.key(2), [3, 2, 4]);
  assert.equal(w.shape, [3, 2, 4]);
  close(jnp.matmul(mT(w.reshape([6, 4])), w.reshape([6, 4])), toNumbers(jnp.multiply(jnp.eye(4), 4)), 1e-5, "initializer scale^2 I");
  const c0 = nn.initializers.orthogonal({ columnAxis: 0 })(random.key(3), [3, 5]);
  close(jnp.matmul(c0, mT(c0)), toNumbers(jnp.eye(3)), 1e-5, "initializer column axis 0");
});

test("bad input raises typed errors naming the op", () => {
  assert.throws(() => jnp.linalg.eig(jnp.eye(2)), (e: Error) => e instanceof NotImplementedError && /eigh/.test(e.message));
  assert.throws(() => jnp.linalg.eigvals(jnp.eye(2)), (e: Error) => e instanceof NotImplementedError);
  assert.throws(() => jnp.linalg.qr(jnp.ones([3])), (e: Error) => e instanceof ShapeError && /qr/.test(e.message));
  assert.throws(() => jnp.linalg.eigh(jnp.ones([2, 3])), (e: Error) => e instanceof ShapeError && /eigh/.test(e.message));
  assert.throws(() => jnp.linalg.qr(jnp.eye(2), "bogus" as never), (e: Error) => e instanceof ValueError);
  assert.throws(() => jnp.linalg.eigh(jnp.eye(2), "X" as never), (e: Error) => e instanceof ValueError);
  assert.throws(() => grad((x: JArray) => jnp.sum(jnp.linalg.qr(x)[1]))(jnp.ones([2, 3])), (e: Error) => e instanceof NotImplementedError && /qr/.test(e.message));
  assert.throws(() => jnp.linalg.lstsq(jnp.ones([3, 2]), jnp.ones([4])), (e: Error) => e instanceof ShapeError && /lstsq/.test(e.message));
  assert.throws(() => jnp.linalg.cross(jnp.ones([2]), jnp.ones([2])), (e: Error) => e instanceof ShapeError);
  assert.throws(() => jnp.linalg.norm(jnp.eye(2), 3), (e: Error) => e instanceof ValueError && /norm/.test(e.message));
  const sl = jnp.linalg.slogdet(jnp.multiply(jnp.eye(2), -2));
  assert.equal([sl.sign.item(), sl.logabsdet === sl[1]], [1, true]);
  // integer input is promoted to float, as JAX
  assert.is(jnp.linalg.svdvals(jnp.eye(2, 2, { dtype: "int32" })).dtype, "float32");
});

test.run();
