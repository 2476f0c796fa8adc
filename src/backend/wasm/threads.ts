// Worker threads as extra Wasm instances over the one shared WebAssembly.Memory. A kernel call is
// split into independent pieces (rows of a matmul, ranges of an elementwise op); the calling
// thread runs the first piece and each worker one more, handed over through a small control block
// in shared memory (Atomics.wait/notify). Workers never keep a Node process alive.

/** The worker: instantiates the module on the shared memory, then runs kernels on request. */
const WORKER_SOURCE = `
const start = ({ module, memory, ctrl, names }) => {
  const ex = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("wasm abort"); } } }).exports;
  const i32 = new Int32Array(memory.buffer);
  const b = ctrl >>> 2;
  Atomics.store(i32, b, 2);
  Atomics.notify(i32, b);
  for (;;) {
    Atomics.wait(i32, b, 2);
    const s = Atomics.load(i32, b);
    if (s === 3) return;
    if (s !== 1) continue;
    const fn = ex[names[i32[b + 1]]];
    const args = [];
    for (let k = 0; k < i32[b + 2]; k++) args.push(i32[b + 3 + k]);
    try { fn(...args); i32[b + 23] = 0; } catch (e) { i32[b + 23] = 1; }
    Atomics.store(i32, b, 2);
    Atomics.notify(i32, b);
  }
};
const wt = typeof process !== "undefined" && process.getBuiltinModule ? process.getBuiltinModule("node:worker_threads") : null;
if (wt && wt.parentPort) wt.parentPort.once("message", start);
else self.onmessage = (e) => start(e.data);
`;

const CTRL_INTS = 24; // state, fn, nargs, up to 20 args, error flag (last)
const MAX_ARGS = 20;

/** The pool could not start (no workers, or they never came up): nothing was dispatched. */
export class WorkerStartError extends Error {}

interface WorkerLike { postMessage(m: unknown): void; terminate(): unknown; unref?(): void }

export class ThreadPool {
  private readonly workers: WorkerLike[] = [];
  private readonly ctrl: number[] = [];
  private ready = false;
  private readonly names: string[];
  private readonly nameIndex = new Map<string, number>();

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    readonly size: number,
    allocCtrl: (bytes: number) => number,
    names: string[],
  ) {
    this.names = names;
    names.forEach((n, i) => this.nameIndex.set(n, i));
    const make = workerFactory();
    if (!make) throw new WorkerStartError("no worker threads in this runtime");
    for (let i = 0; i < size - 1; i++) {
      const ctrl = allocCtrl(CTRL_INTS * 4);
      new Int32Array(memory.buffer, ctrl, CTRL_INTS).fill(0);
      let w: WorkerLike;
      try {
        w = make();
      } catch (e) {
        this.terminate();
        throw new WorkerStartError(`tinyjax: could not start a worker thread: ${e}`);
      }
      w.unref?.();
      w.postMessage({ module, memory, ctrl, names });
      this.workers.push(w);
      this.ctrl.push(ctrl);
    }
  }

  private i32(): Int32Array { return new Int32Array(this.memory.buffer); }

  /** Waits (once) until every worker has instantiated the module; throws if one never does. */
  private waitReady(): void {
    if (this.ready) return;
    const i32 = this.i32();
    const deadline = Date.now() + 10_000;
    for (const c of this.ctrl) {
      while (Atomics.load(i32, c >>> 2) === 0) {
        if (Date.now() > deadline) throw new WorkerStartError("tinyjax: worker threads did not start within 10 s");
        if (canBlock) Atomics.wait(i32, c >>> 2, 0, 50);
      }
    }
    this.ready = true;
  }

  /**
   * Runs exports[name](...pieces[i]) for every piece, the first on this thread, the rest on
   * workers, and returns when all are done. Pieces must touch disjoint outputs.
   */
  run(name: string, pieces: number[][], runHere: (args: number[]) => void): void {
    this.waitReady();
    const i32 = this.i32();
    const fn = this.nameIndex.get(name)!;
    const used = Math.min(pieces.length - 1, this.workers.length);
    for (let w = 0; w < used; w++) {
      const b = this.ctrl[w] >>> 2, args = pieces[w + 1];
      if (args.length > MAX_ARGS) throw new Error("thread pool: too many kernel arguments");
      i32[b + 1] = fn;
      i32[b + 2] = args.length;
      for (let k = 0; k < args.length; k++) i32[b + 3 + k] = args[k];
      Atomics.store(i32, b, 1);
      Atomics.notify(i32, b);
    }
    // Pieces beyond the worker count run here too.
    runHere(pieces[0]);
    for (let p = used + 1; p < pieces.length; p++) runHere(pieces[p]);
    let failed = false;
    for (let w = 0; w < used; w++) {
      const b = this.ctrl[w] >>> 2;
      waitWhile(i32, b, 1);
      if (i32[b + CTRL_INTS - 1]) failed = true;
    }
    if (failed) throw new Error("tinyjax: a kernel failed in a worker thread; this is a bug in tinyjax, please report it");
  }

  terminate(): void {
    const i32 = this.i32();
    for (const c of this.ctrl) { Atomics.store(i32, c >>> 2, 3); Atomics.notify(i32, c >>> 2); }
    for (const w of this.workers) w.terminate();
  }
}

/** Blocks while i32[b] === value: Atomics.wait where allowed (Node, workers), else a spin. */
function waitWhile(i32: Int32Array, b: number, value: number): void {
  if (canBlock) {
    while (Atomics.load(i32, b) === value) Atomics.wait(i32, b, value, 1000);
    return;
  }
  while (Atomics.load(i32, b) === value) { /* spin: a browser's main thread may not block */ }
}

const canBlock = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** Node's worker_threads (through process.getBuiltinModule, so no import), else Web Workers. */
function workerFactory(): (() => WorkerLike) | null {
  const proc = (globalThis as any).process;
  const wt = proc?.getBuiltinModule?.("node:worker_threads");
  if (wt?.Worker) return () => new wt.Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
  const W = (globalThis as any).Worker;
  if (typeof W === "function" && typeof Blob === "function" && typeof URL?.createObjectURL === "function") {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    return () => new W(url, { type: "module" });
  }
  return null;
}

/**
 * Threads available here: hardware concurrency where the runtime has shared memory and this
 * thread may block on Atomics.wait. A browser's main thread may not block (and its workers start
 * only once it yields), so kernels there stay single-threaded.
 */
export function defaultThreadCount(): number {
  if (typeof SharedArrayBuffer === "undefined" || !canBlock) return 1;
  if ((globalThis as any).crossOriginIsolated === false) return 1;
  const proc = (globalThis as any).process;
  const os = proc?.getBuiltinModule?.("node:os");
  const n = os?.availableParallelism?.() ?? (globalThis as any).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(8, n));
}
