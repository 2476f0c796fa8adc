// pmap: maps f over the leading axis across CPU devices, with collectives over axisName. Where the
// Wasm backend has worker threads, each device runs its shard as its own recorded program on its
// own thread (pmap-program.ts; device d on thread d mod threads), collectives synchronizing them.
// Elsewhere, and for what cannot be recorded, under an outer transformation (grad or vmap of pmap,
// pmap inside jit) or with one device, pmap is jit(vmap) with a named axis in this thread: the same
// results, JAX's device-count rules either way. A recorded program keeps every value of every
// device preallocated (no reuse between values) until the pmap'd function is garbage-collected.
import { positionalOptions } from "../core/transform-args.js";
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { evalTrace } from "../core/eval.js";
import { itemSize } from "../core/dtype.js";
import { DeviceError, ValueError } from "../core/errors.js";
import { flatten, TreeDef, treeDefString, unflatten } from "../core/pytree.js";
import { currentTrace, withTrace } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { asArray } from "../api/numpy/creation.js";
import { wasm } from "../backend/registry.js";
import { ProgramError, runProgram, WorkerStartError } from "../backend/wasm/threads.js";
import { StagingTrace } from "../jaxpr/staging.js";
import { cse, dce } from "../jit/passes.js";
import { jit } from "../jit/jit.js";
import { moveAxis } from "../primitives/layout.js";
import { withBoundAxis } from "./axis-env.js";
import { foldShardConstants, NotRecordable, PmapProgram, recordProgram } from "./pmap-program.js";
import { axesForLeaves, vmap, VmapOptions } from "./vmap.js";

let cpuDevices = 1;

/** Number of CPU devices pmap may use (JAX's --xla_force_host_platform_device_count). */
export function setCpuDeviceCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`cpu device count must be a positive integer, got ${n}.`);
  cpuDevices = n;
}
export function cpuDeviceCount(): number { return cpuDevices; }

export interface PmapOptions extends Pick<VmapOptions, "inAxes" | "outAxes"> {
  axisName?: string;
  /** Restrict to the first n devices. */
  devices?: number | unknown[];
}

/** Introspection and fault injection for tests and benchmarks. */
export const pmapDebug = {
  /** How the last pmap call ran: "threads" (per-device programs) or "batched", and per device the thread it ran on. */
  lastRun: { mode: "batched" as "threads" | "batched", threads: [] as number[], reason: "" },
  /** Set false to force the batched path (benchmarks compare the two). */
  useThreads: true,
  /** A device whose program fails (tests of the error path); part of the program cache key. */
  faultDevice: null as number | null,
  /** A collective or the final wait gives up when no thread made progress for this long. */
  stallMs: 60_000,
};

/**
 * Starts the worker threads pmap's devices run on and resolves, with the thread count, once they
 * are up. Optional in Node, Deno and Bun; in a browser's worker call it before the first pmap
 * (nested workers start only when that worker yields, and pmap blocks). 1: no threads here.
 */
export async function startDeviceThreads(): Promise<number> {
  try {
    const pool = wasm.workerPool();
    if (!pool) return 1;
    await pool.whenReady();
    return pool.workerCount + 1;
  } catch (e) {
    if (!(e instanceof WorkerStartError)) throw e;
    wasm.disableThreads();
    return 1;
  }
}

interface Recorded {
  prog: PmapProgram;
  outDef: TreeDef;
  outAxes: (number | null)[];
}

// Programs hold preallocated Wasm memory; it goes when the pmap'd function is collected.
const programs = new FinalizationRegistry<Map<string, Recorded | null>>((cache) => {
  for (const r of cache.values()) r?.prog.dispose();
});

export function pmap<F extends (...args: any[]) => any>(f: F, ...options: [PmapOptions?] | [axisName?: string]): (...args: Parameters<F>) => ReturnType<F> {
  const opts = positionalOptions<PmapOptions>("pmap", options, ["axisName"]);
  const axisName = opts.axisName ?? "__pmap";
  const name = f.name || "<anonymous>";
  const mapped = jit(vmap(f, { inAxes: opts.inAxes, outAxes: opts.outAxes, axisName }));
  // Per input signature: the recorded program, or null where the shard cannot be recorded.
  const cache = new Map<string, Recorded | null>();
  let fallbackReason = "";
  const reasons = new Map<string, string>();

  const onThreads = (args: unknown[], n: number): unknown => {
    const pool = wasm.workerPool();
    if (!pool) return undefined;
    // Workers start in well under a second in Node, Deno and Bun. Nested workers in a browser
    // worker start only once it yields, so waiting longer would only freeze it: run batched.
    if (!pool.startedWithin(1000)) {
      fallbackReason = "worker threads are still starting (in a browser worker, await startDeviceThreads() before pmap)";
      return undefined;
    }
    const [leaves, def] = flatten(args);
    const arrays = leaves.map((l) => asArray(l as any));
    if (!arrays.every((a) => a instanceof ConcreteArray && a.backend === wasm)) return undefined;
    const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
    const spec = typeof inAxes === "number" || inAxes === null ? args.map(() => inAxes) : inAxes;
    let axes: (number | null)[];
    try {
      if (Array.isArray(spec) && spec.length !== args.length) return undefined;
      axes = axesForLeaves(spec, args, "in_axes").map((ax, i) => (ax === null ? null : ax < 0 ? ax + arrays[i].ndim : ax));
    } catch {
      return undefined; // the batched path reports the malformed spec as vmap does
    }
    if (axes.some((ax, i) => ax !== null && (ax < 0 || ax >= arrays[i].ndim || arrays[i].shape[ax] !== n))) return undefined;
    const threads = pool.workerCount + 1;
    let key = `${n};${threads};${pmapDebug.faultDevice};${treeDefString(def)};`;
    arrays.forEach((a, i) => { key += `${a.aval.str()}${a.aval.weakType ? "w" : ""}@${axes[i]};`; });
    let rec = cache.get(key);
    if (rec === undefined) {
      fallbackReason = "";
      rec = record(arrays, axes, def, n, threads, (s) => pool.fnIndex(s));
      cache.set(key, rec);
      if (rec === null) reasons.set(key, fallbackReason);
    }
    if (rec === null) { fallbackReason = reasons.get(key) ?? ""; return undefined; }
    return run(rec, arrays, axes, pool);
  };

  const record = (arrays: JaxArray[], axes: (number | null)[], def: TreeDef, n: number, threads: number, fnIndex: (s: string) => number | undefined): Recorded | null => {
    const shardAvals = arrays.map((a, i) => {
      const ax = axes[i];
      return ax === null ? a.aval : new ShapedArray(a.shape.filter((_, k) => k !== ax), a.dtype, a.aval.weakType);
    });
    const t = new StagingTrace(currentTrace(), `pmap(${name})`, false);
    const ins = shardAvals.map((av) => t.newArg(av));
    let out: unknown;
    try {
      out = withBoundAxis(axisName, n, () => withTrace(t, () => f(...unflatten(def, ins))));
    } catch (e) {
      t.live = false;
      throw e;
    }
    const [outs, outDef] = flatten(out);
    const closed = withTrace(t, () => t.finish(ins, outs.map((o) => asArray(o as any))));
    const outAxesSpec = opts.outAxes === undefined ? 0 : opts.outAxes;
    let outAxes: (number | null)[];
    try {
      outAxes = axesForLeaves(outAxesSpec, unflatten(outDef, outs), "out_axes");
    } catch {
      return null;
    }
    const folded = foldShardConstants(closed);
    const j = dce(cse(folded.jaxpr));
    try {
      const prog = recordProgram(wasm, j, folded.consts, axes.map((a) => a !== null), n, axisName,
        { threads, fnIndex, faultDevice: pmapDebug.faultDevice });
      return { prog, outDef, outAxes };
    } catch (e) {
      if (e instanceof NotRecordable) { fallbackReason = e.message; return null; }
      throw e;
    }
  };

  const run = (rec: Recorded, arrays: JaxArray[], axes: (number | null)[], pool: NonNullable<ReturnType<typeof wasm.workerPool>>): unknown => {
    const { prog, outDef, outAxes } = rec;
    const n = prog.n;
    const temps: JaxArray[] = [];
    try {
      prog.inputs.forEach((ref, i) => {
        let a = arrays[i] as ConcreteArray;
        const ax = axes[i];
        if (ax !== null && ax !== 0) temps.push((a = moveAxis(a, ax, 0) as ConcreteArray));
        const h = a.buffer("pmap").handle, bytes = a.aval.size * itemSize[a.dtype];
        new Uint8Array(wasm.k.memory.buffer).copyWithin(ref.addr, h, h + bytes);
      });
    } finally {
      for (const t of temps) t.dispose();
    }
    const names = pool.kernelNames as string[];
    const stall = pmapDebug.stallMs;
    try {
      pool.runPrograms(prog.threads, prog.bar, stall,
        (addr, len) => runProgram(hostExports(prog), names, wasm.k.memory, addr, len, 0, prog.bar, prog.threads.length, stall));
    } catch (e) {
      if (e instanceof ProgramError) throw new DeviceError(`pmap(${name}) over ${n} devices: ${e.message.replace(/^tinyjax: pmap: /, "")}`);
      throw e;
    }
    pmapDebug.lastRun = { mode: "threads", threads: Array.from(new Int32Array(wasm.k.memory.buffer, prog.tags, n)), reason: "" };
    const results = prog.outputs.map((ref, i) => {
      const bytes = ref.aval.size * itemSize[ref.aval.dtype];
      const buf = wasm.alloc(n * bytes);
      const u8 = new Uint8Array(wasm.k.memory.buffer);
      if (ref.stride === bytes) u8.copyWithin(buf.handle, ref.addr, ref.addr + n * bytes);
      else for (let d = 0; d < n; d++) u8.copyWithin(buf.handle + d * bytes, ref.addr, ref.addr + bytes);
      const stackedArr = new ConcreteArray(buf, new ShapedArray([n, ...ref.aval.shape], ref.aval.dtype, ref.aval.weakType));
      const want = outAxes[i];
      if (want === 0) return stackedArr;
      // out_axes None: the value every device computed (JAX requires it to be unmapped).
      const moved = want === null ? firstSlice(stackedArr) : moveAxis(stackedArr, 0, want < 0 ? want + ref.aval.ndim + 1 : want);
      stackedArr.dispose();
      return moved;
    });
    return unflatten(outDef, results);
  };

  const call = ((...args: unknown[]) => {
    const available = opts.devices === undefined ? cpuDevices : typeof opts.devices === "number" ? opts.devices : opts.devices.length;
    const n = mappedSize(args, opts.inAxes);
    if (n > available) {
      throw new ValueError(`compiling computation that requires ${n} logical devices, but only ${available} devices are available ` +
        `(num_replicas=${n}). Shard the leading axis to at most ${available}, or raise the CPU device count with config.update("cpuDeviceCount", ${n}).`);
    }
    // Under grad, vmap or jit the batched program is what gets traced (it composes like any jit).
    fallbackReason = !pmapDebug.useThreads ? "pmapDebug.useThreads is false" : n <= 1 ? "one device"
      : currentTrace() !== evalTrace ? "under an outer transformation (grad, vmap or jit) pmap traces its batched program"
        : "no worker threads here (one thread, or no SharedArrayBuffer), or inputs on another device";
    if (pmapDebug.useThreads && n > 1 && currentTrace() === evalTrace) {
      try {
        const r = withTrace(evalTrace, () => onThreads(args, n));
        if (r !== undefined) return r;
      } catch (e) {
        if (!(e instanceof WorkerStartError)) throw e;
        wasm.disableThreads();
      }
    }
    pmapDebug.lastRun = { mode: "batched", threads: [], reason: fallbackReason };
    return mapped(...(args as Parameters<F>));
  }) as any;
  programs.register(call, cache);
  return call;
}

/** The kernels plus the program's host steps, for the calling thread's interpreter. */
function hostExports(prog: PmapProgram): object {
  return Object.assign(Object.create(wasm.k), { __host: (i: number) => prog.host[i]() });
}

/** The size of the mapped axis: that of the first mapped array leaf (vmap checks the rest). */
function mappedSize(args: unknown[], inAxes: unknown): number {
  const spec = inAxes === undefined ? 0 : inAxes;
  let axes: (number | null)[];
  try {
    axes = axesForLeaves(typeof spec === "number" || spec === null ? args.map(() => spec) : spec, args, "in_axes");
  } catch {
    return 0; // vmap reports the malformed spec
  }
  const [leaves] = flatten(args);
  for (let i = 0; i < leaves.length; i++) {
    const l = leaves[i], ax = axes[i];
    if (ax === null || !(l instanceof JaxArray)) continue;
    const d = ax < 0 ? ax + l.ndim : ax;
    if (d >= 0 && d < l.ndim) return l.shape[d];
  }
  return 0;
}

function firstSlice(x: ConcreteArray): JaxArray {
  const bytes = x.aval.size / x.shape[0] * itemSize[x.dtype];
  const buf = wasm.alloc(bytes);
  new Uint8Array(wasm.k.memory.buffer).copyWithin(buf.handle, x.buffer("pmap").handle, x.buffer("pmap").handle + bytes);
  return new ConcreteArray(buf, new ShapedArray(x.shape.slice(1), x.dtype, x.aval.weakType));
}
