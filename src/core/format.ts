import { DType, TypedArray } from "./dtype.js";
import { stridesOf } from "./shape.js";

/** Elements above which printing summarizes with "...", as numpy's threshold. */
const THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 75;

/** Shortest decimal that reads back to the same value in `dtype` (numpy's unique mode). */
function shortest(v: number, dtype: DType): string {
  if (dtype !== "float32") return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

function fracDigits(s: string): number {
  const m = /\.(\d+)/.exec(s);
  return m ? m[1].length : 0;
}

/** Builds the per-element formatter numpy would pick for these values. */
function elementFormatter(data: ArrayLike<number>, dtype: DType): (v: number) => string {
  if (dtype === "bool") return (v) => (v ? "True" : "False");
  if (dtype !== "float32" && dtype !== "float64") return (v) => String(v);
  const finite: number[] = [];
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) finite.push(Math.abs(data[i]));
  const nonzero = finite.filter((v) => v !== 0);
  const maxV = finite.length ? Math.max(...finite) : 0;
  const minV = nonzero.length ? Math.min(...nonzero) : 0;
  const sci = maxV >= 1e8 || (minV > 0 && minV < 1e-4) || (minV > 0 && maxV / minV > 1e3);
  const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  if (sci) {
    let digits = 0;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) continue;
      const m = shortest(data[i], dtype);
      const mant = Number(m).toExponential().split("e")[0];
      digits = Math.max(digits, Math.min(8, fracDigits(mant)));
    }
    return (v) => {
      if (!Number.isFinite(v)) return special(v);
      const [mant, exp] = v.toExponential(digits).split("e");
      const e = Number(exp);
      return `${digits === 0 ? mant + "." : mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
    };
  }
  return (v) => {
    if (!Number.isFinite(v)) return special(v);
    // numpy's maxprec mode: each element's shortest round-trip form, at most 8 fractional digits.
    let s = shortest(v, dtype);
    if (/e/.test(s) || fracDigits(s) > 8) s = v.toFixed(8).replace(/0+$/, "");
    if (Object.is(v, -0)) s = "-0";
    return s.includes(".") ? s : s + ".";
  };
}

/**
 * Formats an array like numpy: `str` style (`[1. 2.]`) or `repr` style
 * (`Array([1., 2.], dtype=float32)`).
 */
export function formatArray(data: TypedArray, shape: readonly number[], dtype: DType, repr: boolean): string {
  if (shape.length === 0) {
    const s = formatScalar(data[0], dtype);
    return repr ? `Array(${s}, dtype=${dtype})` : s;
  }
  if (data.length === 0) {
    // numpy prints any empty array as [] and names the shape in the repr where [] does not show it.
    const shp = shape.length > 1 ? `, shape=(${shape.join(", ")})` : "";
    return repr ? `Array([]${shp}, dtype=${dtype})` : "[]";
  }
  // The values printed, in order (the formatter depends only on which values are shown).
  const summarize = data.length > THRESHOLD;
  const vals: number[] = [];
  walk(data, shape, summarize, (v) => vals.push(v));
  const strs = vals.map(elementFormatter(vals, dtype));
  // Align: integer parts right, fractional parts left (numpy pads the fraction with spaces).
  const dotted = strs.filter((s) => s.includes("."));
  const pointAt = (s: string) => s.indexOf(".");
  const left = Math.max(0, ...dotted.map(pointAt));
  const right = Math.max(0, ...dotted.map((s) => s.length - pointAt(s)));
  const width = Math.max(left + right, ...strs.map((s) => s.length));
  const pad = (s: string) => (s.includes(".")
    ? (" ".repeat(left - pointAt(s)) + s + " ".repeat(right - (s.length - pointAt(s)))).padStart(width)
    : s.padStart(width));
  let k = 0;
  const sep = repr ? "," : "";
  const prefix = repr ? "Array(" : "";
  const indentBase = prefix.length;
  const render = (dim: number, offsetDepth: number): string => {
    const n = shape[dim];
    const parts: string[] = [];
    const idxs = summarize && n > 2 * EDGE ? [...range(EDGE), -1, ...range(EDGE).map((i) => n - EDGE + i)] : range(n);
    for (const i of idxs) {
      if (i === -1) { parts.push("..."); continue; }
      parts.push(dim === shape.length - 1 ? pad(strs[k++]) : render(dim + 1, offsetDepth + 1));
    }
    if (dim === shape.length - 1) return "[" + wrapRow(parts, sep, indentBase + offsetDepth + 1) + "]";
    const nl = "\n".repeat(Math.max(1, shape.length - dim - 1));
    return "[" + parts.join(sep + nl + " ".repeat(indentBase + offsetDepth + 1)) + "]";
  };
  const body = render(0, 0);
  if (!repr) return body;
  return `${prefix}${body}, dtype=${dtype})`;
}

function wrapRow(parts: string[], sep: string, indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (let i = 0; i < parts.length; i++) {
    const piece = parts[i] + (i < parts.length - 1 ? sep : "");
    if (line && indent + line.length + 1 + piece.length > LINE_WIDTH) {
      lines.push(line.trimEnd()); // numpy strips a wrapped line's padding
      line = piece;
    } else {
      line = line ? line + " " + piece : piece;
    }
  }
  lines.push(line);
  return lines.join("\n" + " ".repeat(indent));
}

function range(n: number): number[] { return [...Array(n).keys()]; }

/** Visits elements in print order, skipping the middle of long axes when summarizing. */
function walk(data: TypedArray, shape: readonly number[], summarize: boolean, f: (v: number) => void): void {
  const strides = stridesOf(shape);
  const go = (dim: number, off: number) => {
    if (dim === shape.length) { f(data[off]); return; }
    const n = shape[dim];
    const idxs = summarize && n > 2 * EDGE ? [...range(EDGE), ...range(EDGE).map((i) => n - EDGE + i)] : range(n);
    for (const i of idxs) go(dim + 1, off + i * strides[dim]);
  };
  go(0, 0);
}

/** A 0-d array prints as the Python scalar would: 1.0, 0.5, nan, True, 3. */
function formatScalar(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype !== "float32" && dtype !== "float64") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Object.is(v, -0)) return "-0.0";
  const s = shortest(v, dtype);
  return /[.e]/.test(s) ? s : s + ".0";
}
