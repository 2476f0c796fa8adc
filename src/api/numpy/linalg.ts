// matmul, dot, tensordot, einsum and friends: each reduces to one or a few dot_general calls.
import { ShapeError, ValueError } from "../../core/errors.js";
import { fmtShape } from "../../core/shape.js";
import { ArrayLike, JaxArray } from "../../core/value.js";
import * as A from "../../primitives/arith.js";
import { dotGeneral } from "../../primitives/linalg.js";
import * as S from "../../primitives/structural.js";
import { asArray, eye } from "./creation.js";
import { broadcastTo_, promote } from "./ufuncs.js";
import { broadcastShapes } from "../../core/shape.js";

export function matmul(x: ArrayLike, y: ArrayLike): JaxArray {
  let [a, b] = promote("matmul", [x, y]);
  if (a.ndim === 2 && b.ndim === 2 && a.shape[1] === b.shape[0]) return dotGeneral(a, b, { contracting: [[1], [0]], batch: [[], []] });
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: operands must have at least one dimension, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}. Use multiply for scalars.`);
  }
  const va = a.ndim === 1, vb = b.ndim === 1;
  if (va) a = S.reshape(a, [1, a.shape[0]]);
  if (vb) b = S.reshape(b, [b.shape[0], 1]);
  const k1 = a.shape[a.ndim - 1], k2 = b.shape[b.ndim - 2];
  if (k1 !== k2) {
    throw new ShapeError(`matmul: contraction dimension mismatch: ${fmtShape(va ? [k1] : a.shape)} @ ${fmtShape(vb ? [k2] : b.shape)} ` +
      `(${k1} != ${k2}). The last axis of the first operand must equal the second-to-last axis of the second; transpose one (x.T) or fix the shapes.`);
  }
  if (b.shape.slice(0, -2).every((d) => d === 1)) {
    // A stack of matrices (or one) times one matrix: A's leading axes are free axes of dot_general,
    // so B is neither broadcast nor copied per batch (and stays one buffer the packed-B cache knows).
    const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (b.ndim > 2) b = S.reshape(b, b.shape.slice(-2));
    let out = dotGeneral(a, b, { contracting: [[a.ndim - 1], [0]], batch: [[], []] });
    const shape = [...batch, ...(va ? [] : [a.shape[a.ndim - 2]]), ...(vb ? [] : [b.shape[1]])];
    if (shape.length !== out.ndim || shape.some((d, i) => d !== out.shape[i])) out = S.reshape(out, shape);
    return out;
  }
  const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const nb = batch.length;
  a = broadcastTo_(a, [...batch, ...a.shape.slice(-2)]);
  b = broadcastTo_(b, [...batch, ...b.shape.slice(-2)]);
  const bd = [...Array(nb).keys()];
  let out = dotGeneral(a, b, { contracting: [[nb + 1], [nb]], batch: [bd, bd] });
  if (va || vb) out = S.reshape(out, [...batch, ...(va ? [] : [out.shape[nb]]), ...(vb ? [] : [out.shape[out.ndim - 1]])]);
  return out;
}

export function dot(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = promote("dot", [x, y]);
  if (a.ndim === 0 || b.ndim === 0) return A.mul(...(broadcastPair(a, b)));
  if (a.ndim <= 2 && b.ndim <= 2) return matmul(a, b);
  const cb = b.ndim === 1 ? 0 : b.ndim - 2;
  if (a.shape[a.ndim - 1] !== b.shape[cb]) {
    throw new ShapeError(`dot: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} not aligned: ${a.shape[a.ndim - 1]} (dim ${a.ndim - 1}) != ${b.shape[cb]} (dim ${cb}).`);
  }
  return dotGeneral(a, b, { contracting: [[a.ndim - 1], [cb]], batch: [[], []] });
}

function broadcastPair(a: JaxArray, b: JaxArray): [JaxArray, JaxArray] {
  const s = broadcastShapes("dot", a.shape, b.shape);
  return [broadcastTo_(a, s), broadcastTo_(b, s)];
}

export function vdot(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = promote("vdot", [x, y]);
  return dot(S.reshape(a, [a.size]), S.reshape(b, [b.size]));
}

export function inner(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = promote("inner", [x, y]);
  if (a.ndim === 0 || b.ndim === 0) return A.mul(...broadcastPair(a, b));
  return dotGeneral(a, b, { contracting: [[a.ndim - 1], [b.ndim - 1]], batch: [[], []] });
}

export function outer(x: ArrayLike, y: ArrayLike): JaxArray {
  const [a, b] = promote("outer", [x, y]);
  return dotGeneral(S.reshape(a, [a.size, 1]), S.reshape(b, [1, b.size]), { contracting: [[1], [0]], batch: [[], []] });
}

export function tensordot(x: ArrayLike, y: ArrayLike, axes: number | readonly [readonly number[] | number, readonly number[] | number] = 2): JaxArray {
  const [a, b] = promote("tensordot", [x, y]);
  let ca: number[], cb: number[];
  if (Array.isArray(axes) && axes.length === 2) {
    // JAX also takes (int, int) and ([..], [..]); one axis on each side may be a bare number.
    const [p, q] = (axes as readonly (readonly number[] | number)[]).map((v) => (typeof v === "number" ? [v] : v));
    axes = [p, q] as const;
  }
  if (typeof axes !== "number" && (!Array.isArray(axes) || axes.length !== 2 || (axes[0] as number[]).length !== (axes[1] as number[]).length)) {
    throw new ValueError(`tensordot: axes must be an integer or a pair of axis lists of equal length, got ${JSON.stringify(axes)}.`);
  }
  if (typeof axes === "number") {
    ca = [...Array(axes).keys()].map((i) => a.ndim - axes + i);
    cb = [...Array(axes).keys()];
  } else {
    ca = (axes[0] as readonly number[]).map((i) => (i < 0 ? i + a.ndim : i));
    cb = (axes[1] as readonly number[]).map((i) => (i < 0 ? i + b.ndim : i));
  }
  return dotGeneral(a, b, { contracting: [ca, cb], batch: [[], []] });
}

/** einsum over explicit ("ij,jk->ik") or implicit ("ij,jk") subscripts, contracting left to right. */
export function einsum(subscripts: string, ...operandsAndOptions: (ArrayLike | { optimize?: unknown; precision?: unknown })[]): JaxArray {
  // JAX's keyword options (optimize, precision, ...) may come last as a plain object; they only
  // steer how the contraction is computed, never its value.
  const last = operandsAndOptions[operandsAndOptions.length - 1];
  const isOpts = typeof last === "object" && last !== null && !Array.isArray(last) && Object.getPrototypeOf(last) === Object.prototype;
  const operands = (isOpts ? operandsAndOptions.slice(0, -1) : operandsAndOptions) as ArrayLike[];
  const spec = subscripts.replace(/\s+/g, "");
  const [lhs, rhsRaw] = spec.split("->");
  const raw = lhs.split(",");
  if (raw.length !== operands.length) {
    throw new ValueError(`einsum: ${raw.length} operand subscripts in "${subscripts}" but ${operands.length} operands.`);
  }
  // "..." stands for the leading axes each operand has beyond its named ones (broadcast together).
  const ellLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const extra = raw.map((s, i) => (s.includes("...") ? asArray(operands[i]).ndim - (s.length - 3) : 0));
  const nEll = Math.max(0, ...extra);
  const inputs = raw.map((s, i) => s.replace("...", ellLetters.slice(nEll - extra[i], nEll)));
  const rhsGiven = rhsRaw?.replace("...", ellLetters.slice(0, nEll));
  const counts = new Map<string, number>();
  for (const s of inputs) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const out = rhsGiven ?? ellLetters.slice(0, nEll) + [...counts.keys()].filter((c) => counts.get(c) === 1 && !ellLetters.includes(c)).sort().join("");
  const xs = promote("einsum", operands).map((x, i) => takeDiagonals(x, inputs, i));
  const sizes = new Map<string, number>();
  const terms = xs.map((x, i) => {
    const labels = inputs[i];
    if (labels.length !== x.ndim) throw new ShapeError(`einsum: subscript "${labels}" has ${labels.length} axes but operand ${i} has shape ${fmtShape(x.shape)}.`);
    [...labels].forEach((c, j) => {
      const n = sizes.get(c);
      if (n !== undefined && n !== x.shape[j] && n !== 1 && x.shape[j] !== 1) {
        throw new ShapeError(`einsum: size mismatch for subscript "${c}": ${n} vs ${x.shape[j]}.`);
      }
      sizes.set(c, Math.max(n ?? 1, x.shape[j]));
    });
    return { x, labels: [...labels] };
  });
  // Sums out labels used by only one operand and not in the output, then contracts pairwise.
  const needed = (k: number) => new Set([...out, ...terms.slice(k).flatMap((t) => t.labels)]);
  const sumOut = (t: { x: JaxArray; labels: string[] }, keep: Set<string>) => {
    const axes = t.labels.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
    if (!axes.length) return t;
    return { x: S.reduceSum(t.x, axes), labels: t.labels.filter((c) => keep.has(c)) };
  };
  let acc = sumOut(terms[0], needed(1));
  for (let k = 1; k < terms.length; k++) {
    const keep = needed(k + 1);
    const other = terms[k];
    const both = new Set([...acc.labels, ...other.labels]);
    let t = sumOut(other, new Set([...keep, ...acc.labels]));
    acc = sumOut(acc, new Set([...keep, ...t.labels]));
    void both;
    const shared = acc.labels.filter((c) => t.labels.includes(c));
    const batch = shared.filter((c) => keep.has(c));
    const contract = shared.filter((c) => !keep.has(c));
    // Broadcast size-1 axes of shared labels so dot_general sees equal sizes.
    const grow = (u: { x: JaxArray; labels: string[] }) => {
      const target = u.labels.map((c, i) => (shared.includes(c) ? sizes.get(c)! : u.x.shape[i]));
      return { x: broadcastTo_(u.x, target), labels: u.labels };
    };
    acc = grow(acc);
    t = grow(t);
    const x = dotGeneral(acc.x, t.x, {
      contracting: [contract.map((c) => acc.labels.indexOf(c)), contract.map((c) => t.labels.indexOf(c))],
      batch: [batch.map((c) => acc.labels.indexOf(c)), batch.map((c) => t.labels.indexOf(c))],
    });
    const freeA = acc.labels.filter((c) => !shared.includes(c));
    const freeB = t.labels.filter((c) => !shared.includes(c));
    acc = { x, labels: [...batch, ...freeA, ...freeB] };
  }
  acc = sumOut(acc, new Set(out));
  for (const c of out) if (!acc.labels.includes(c)) throw new ValueError(`einsum: output subscript "${c}" does not appear in the inputs.`);
  return S.transpose(acc.x, [...out].map((c) => acc.labels.indexOf(c)));
}

export const asArrayAll = (xs: ArrayLike[]) => xs.map(asArray);

/** Reduces repeated labels within one operand ("ii" -> "i") to the diagonal: sum(x * eye) over the repeat. */
function takeDiagonals(x: JaxArray, inputs: string[], i: number): JaxArray {
  let labels = inputs[i];
  for (;;) {
    const c = [...labels].find((ch, j) => labels.indexOf(ch) !== j);
    if (c === undefined) break;
    const a = labels.indexOf(c), b = labels.indexOf(c, a + 1);
    const n = x.shape[a];
    if (x.shape[b] !== n) throw new ShapeError(`einsum: repeated subscript "${c}" spans axes of sizes ${n} and ${x.shape[b]}.`);
    const mask = S.broadcastInDim(eye(n, n, { dtype: x.dtype }), x.shape, [a, b]);
    x = S.reduceSum(A.mul(x, mask), [b]);
    labels = labels.slice(0, b) + labels.slice(b + 1);
  }
  inputs[i] = labels;
  return x;
}
