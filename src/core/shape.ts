import { ShapeError } from "./errors.js";

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

export function fmtShape(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(",")})`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** numpy broadcasting of several shapes; `op` names the caller in the error. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) { out[j] = d; continue; }
      throw new ShapeError(
        `${op}: incompatible shapes for broadcasting: ${shapes.map(fmtShape).join(" and ")}. ` +
          `Dimensions must be equal or 1, aligned from the right; reshape or expandDims an operand.`,
      );
    }
  }
  return out;
}

/**
 * Normalizes a possibly negative axis for an array of rank `ndim`; primitives, whose axes are
 * never negative, check theirs with min = 0.
 */
export function normAxis(op: string, axis: number, ndim: number, min = -ndim): number {
  if (!Number.isInteger(axis) || axis < min || axis >= ndim) {
    throw new ShapeError(
      `${op}: axis ${axis} is out of bounds for an array of rank ${ndim}. Use an axis in [${min}, ${ndim - 1}].`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes `axis` options: null/undefined means all axes. Sorted and checked for duplicates. */
export function normAxes(op: string, axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === null || axis === undefined) return [...Array(ndim).keys()];
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normAxis(op, a, ndim)).sort((a, b) => a - b);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) throw new ShapeError(`${op}: repeated axis ${out[i]} in ${JSON.stringify(list)}.`);
  }
  return out;
}

export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${op}: invalid shape ${JSON.stringify(shape)}; a shape is a list of non-negative integers.`);
  }
  return shape as number[];
}
