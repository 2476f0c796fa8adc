// Golden-value suite: every case in test/goldens/*.json (written by test/goldens/make_goldens.py
// from numpy, with JAX's dtype rules) is run through tinyjax's `jnp` and compared on dtype, shape
// and values. One uvu test per golden file; all failures of a file are collected and reported
// together, so one broken op doesn't hide the others.
//
//   GOLDEN_FILTER=sin         only cases whose name contains "sin" (or GOLDEN_FILTER=/regex/)
//   GOLDEN_VERBOSE=1          print every failure, not just the first 20 per file
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jnp } from "../src/index.js";
import {
  decodeData, describe, EncodedArray, FILES, FILTER, fmt, GoldenCase, isEncoded, loadCases, MAX_LISTED_FAILURES,
  MAX_MISMATCHES_SHOWN, resolveFn, Tol, unravel, valuesMatch, VERBOSE,
} from "./goldens-io.js";

/** Compares one result array against its golden; returns a description of the problem or null. */
function compareArray(got: unknown, want: EncodedArray, tol: Tol, label: string): string | null {
  const g = got as { dtype?: unknown; shape?: unknown; dataSync?: () => ArrayLike<number> } | null;
  if (!g || typeof g.dataSync !== "function") {
    return `${label}expected an Array, got ${describe(got)}`;
  }
  if (g.dtype !== want.dtype) {
    return `${label}dtype ${String(g.dtype)}, want ${want.dtype}`;
  }
  const gotShape = Array.from((g.shape ?? []) as ArrayLike<number>);
  if (gotShape.length !== want.shape.length || gotShape.some((d, i) => d !== want.shape[i])) {
    return `${label}shape [${gotShape.join(",")}], want [${want.shape.join(",")}]`;
  }
  const gd = g.dataSync();
  const wd = decodeData(want);
  if (gd.length !== wd.length) {
    return `${label}dataSync() has ${gd.length} elements, want ${wd.length}`;
  }
  let bad = 0;
  const shown: string[] = [];
  for (let i = 0; i < wd.length; i++) {
    const gv = Number(gd[i]);
    const wv = wd[i];
    if (!valuesMatch(gv, wv, want.dtype, tol)) {
      bad++;
      if (shown.length < MAX_MISMATCHES_SHOWN) {
        shown.push(`${unravel(i, want.shape)} got ${fmt(gv)} want ${fmt(wv)}`);
      }
    }
  }
  if (bad === 0) return null;
  return `${label}${bad} of ${wd.length} values differ (tol ${tol}): ${shown.join("; ")}${bad > shown.length ? "; ..." : ""}`;
}

function dispose(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) dispose(x);
    return;
  }
  const d = (v as { dispose?: unknown } | null)?.dispose;
  if (typeof d === "function") {
    try {
      d.call(v);
    } catch {
      // already freed or not disposable: not what this suite tests
    }
  }
}

/** Runs one case; returns a failure description, or null when it passes. */
function runCase(c: GoldenCase): string | null {
  const target = resolveFn(c.fn);
  if (!target) return `jnp.${c.fn} is not a function (nor nn.${c.fn}, lax.${c.fn}, scipy.special.${c.fn})`;
  const made: unknown[] = [];
  const toArray = (e: EncodedArray): unknown => {
    const a = jnp.array(decodeData(e) as any, { dtype: e.dtype, shape: e.shape } as any);
    made.push(a);
    return a;
  };
  let result: unknown;
  try {
    const args = c.args.map((v) => {
      if (isEncoded(v)) return toArray(v);
      if (Array.isArray(v) && v.length > 0 && v.every(isEncoded)) return v.map(toArray);
      return v;
    });
    if (c.opts !== undefined) args.push(c.opts);
    result = target.f.apply(target.self, args);
  } catch (err) {
    dispose(made);
    const e = err as { name?: string; message?: string };
    const msg = String(e?.message ?? err).split("\n")[0];
    return `threw ${e?.name ?? "error"}: ${msg}`;
  }
  try {
    if (Array.isArray(c.out)) {
      if (!Array.isArray(result)) return `expected a list of ${c.out.length} arrays, got ${describe(result)}`;
      if (result.length !== c.out.length) return `expected ${c.out.length} arrays, got ${result.length}`;
      const problems: string[] = [];
      c.out.forEach((w, k) => {
        const p = compareArray(result[k], w, c.tol, `output ${k}: `);
        if (p) problems.push(p);
      });
      return problems.length ? problems.join(" | ") : null;
    }
    return compareArray(result, c.out, c.tol, "");
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return `reading the result threw ${e?.name ?? "error"}: ${String(e?.message ?? err).split("\n")[0]}`;
  } finally {
    dispose(made);
    dispose(result);
  }
}

for (const file of FILES) {
  test(`goldens: ${file}.json`, () => {
    const cases = loadCases(file).filter((c) => FILTER(c.name));
    const failures: { name: string; fn: string; detail: string }[] = [];
    for (const c of cases) {
      const detail = runCase(c);
      if (detail !== null) failures.push({ name: c.name, fn: c.fn, detail });
    }
    if (failures.length === 0) return;

    const byFn = new Map<string, number>();
    for (const f of failures) byFn.set(f.fn, (byFn.get(f.fn) ?? 0) + 1);
    const fnSummary = [...byFn.entries()].sort((a, b) => b[1] - a[1]).map(([fn, n]) => `${fn} (${n})`).join(", ");
    const listed = VERBOSE ? failures : failures.slice(0, MAX_LISTED_FAILURES);
    const lines = [
      `${failures.length} of ${cases.length} golden cases failed in ${file}.json`,
      `failing functions: ${fnSummary}`,
      ...listed.map((f) => `  - ${f.name}: ${f.detail}`),
    ];
    if (listed.length < failures.length) {
      lines.push(`  ... and ${failures.length - listed.length} more (GOLDEN_VERBOSE=1 lists all, GOLDEN_FILTER=name narrows)`);
    }
    assert.ok(false, lines.join("\n"));
  });
}

test.run();
