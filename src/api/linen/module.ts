// flax.linen's Module system: hyperparameters live on the module object, parameters and other
// variables live in collections passed to init/apply. Submodules are named by the attribute they
// are assigned to in setup(), or `ClassName_k` when created inline during call() (compact style).
import { ValueError } from "../../core/errors.js";
import { JaxArray } from "../../core/value.js";
import { flaxRng } from "./rng.js";

type Collections = Record<string, any>;

interface Context {
  mode: "init" | "apply";
  variables: Collections;
  mutable: Set<string> | "all";
  rngs: Record<string, JaxArray>;
  rngCounters: Map<string, number>;
  stack: Module[];
}

let ctx: Context | null = null;

const INTERNAL = new Set(["constructor", "initializeCarry", "init", "apply", "param", "variable", "hasVariable", "makeRng", "isInitializing", "setup", "toString", "reserve"]);

/** A named variable in a collection; `.value` reads and (in a mutable collection) writes it. */
export class Variable<T = JaxArray> {
  constructor(private readonly owner: Module, readonly collection: string, readonly name: string) {}
  get value(): T { return this.owner.scopeDict(this.collection, false)![this.name]; }
  set value(v: T) {
    const c = ctx!;
    if (c.mode === "apply" && c.mutable !== "all" && !c.mutable.has(this.collection)) {
      throw new ValueError(`Cannot update variable "${this.name}" in "${this.collection}" at ${this.owner.pathString()}: the collection is immutable. ` +
        `Pass mutable: ["${this.collection}"] to apply.`);
    }
    this.owner.scopeDict(this.collection, true)![this.name] = v;
  }
}

export interface ModuleOptions { name?: string }

export abstract class Module {
  /** @internal */ _name: string | null;
  /** @internal */ _parent: Module | null = null;
  /** @internal */ _ctx: Context | null = null;
  /** @internal */ _counters = new Map<string, number>();
  /** @internal names of the params/variables this invocation declared (flax's scope reservations) */
  _reserved = new Set<string>();
  /** @internal */ _setupDone: Context | null = null;

  constructor(opts: ModuleOptions = {}) {
    this._name = opts.name ?? null;
    // Method calls go through the scope machinery (binding, naming, setup), as flax wraps them.
    const proxy: Module = new Proxy(this, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== "function" || typeof prop !== "string" || prop.startsWith("_") || INTERNAL.has(prop)) return v;
        return (...args: unknown[]) => runMethod(receiver as Module, v, args);
      },
    });
    // `applyFn: model.apply` must work detached, as in flax.
    this.init = this.init.bind(proxy);
    this.apply = this.apply.bind(proxy);
    return proxy;
  }

  /** Defines submodules (assign them to fields) and anything computed once per init/apply. */
  setup(): void {}

  path(): string[] {
    const p: string[] = [];
    for (let m: Module | null = this; m && m._parent; m = m._parent) p.unshift(m._name!);
    return p;
  }
  pathString(): string { return "/" + this.path().join("/"); }

  /** @internal the dict of this module's variables in a collection (created on demand). */
  scopeDict(collection: string, create: boolean): Record<string, any> | null {
    const c = ctx!;
    let d = c.variables[collection];
    if (!d) {
      if (!create) return null;
      d = c.variables[collection] = {};
    }
    for (const k of this.path()) {
      if (!d[k]) {
        if (!create) return null;
        d[k] = {};
      }
      d = d[k];
    }
    return d;
  }

  isInitializing(): boolean { return requireCtx("isInitializing").mode === "init"; }

  /** A parameter: read in apply, created with init(rng, ...initArgs) in init. */
  param<T = JaxArray>(name: string, init: (key: JaxArray, ...a: any[]) => T, ...initArgs: any[]): T {
    const c = requireCtx("param");
    this.reserve("params", name);
    const d = this.scopeDict("params", false);
    if (d && name in d) {
      const v = d[name];
      // flax's ScopeParamShapeError: the stored value must have the shape the initializer would make.
      const want = initArgs[0];
      if (v instanceof JaxArray && Array.isArray(want) && want.every((e) => typeof e === "number") && v.shape.join() !== want.join()) {
        throw new ValueError(`Initializer expected to generate shape [${want}] but got shape [${v.shape}] instead for parameter "${name}" in "${this.pathString()}" ` +
          `(ScopeParamShapeError). Re-run init for this model, or pass variables whose shapes match it.`);
      }
      return v;
    }
    if (c.mode !== "init") {
      throw new ValueError(`Could not find parameter named "${name}" in scope "${this.pathString()}" (ScopeParamNotFoundError). ` +
        `Pass the variables returned by init to apply.`);
    }
    const v = init(this.makeRng("params"), ...initArgs);
    this.scopeDict("params", true)![name] = v;
    return v;
  }

  /** @internal one declaration per name and invocation, as flax raises NameInUseError for a second. */
  reserve(collection: string, name: string): void {
    const k = `${collection}/${name}`;
    if (this._reserved.has(k)) {
      throw new ValueError(`Could not create ${collection === "params" ? "param" : `variable in "${collection}"`} "${name}" in ${this.pathString()}: ` +
        `name in use (NameInUseError). Give each param or variable of a module its own name.`);
    }
    this._reserved.add(k);
  }

  hasVariable(collection: string, name: string): boolean {
    const d = this.scopeDict(collection, false);
    return !!d && name in d;
  }

  /** A variable in any collection (e.g. batch_stats), created with init(...args) when missing. */
  variable<T = JaxArray>(collection: string, name: string, init?: (...a: any[]) => T, ...initArgs: any[]): Variable<T> {
    const c = requireCtx("variable");
    this.reserve(collection, name);
    if (!this.hasVariable(collection, name)) {
      const canCreate = c.mode === "init" || c.mutable === "all" || c.mutable.has(collection);
      if (!canCreate || !init) {
        throw new ValueError(`Could not find variable "${name}" in collection "${collection}" at scope "${this.pathString()}". ` +
          `Pass the variables returned by init to apply, or make the collection mutable.`);
      }
      this.scopeDict(collection, true)![name] = init(...initArgs);
    }
    return new Variable<T>(this, collection, name);
  }

  /**
   * A fresh key from the named rng stream (rngs passed to init/apply), distinct per scope and call:
   * flax's key for the same path and call count. A missing stream falls back to "params", as in flax.
   */
  makeRng(name: string): JaxArray {
    const c = requireCtx("makeRng");
    const stream = c.rngs[name] ? name : c.rngs.params ? "params" : null;
    if (!stream) throw new ValueError(`${this.pathString()} needs an rng stream named "${name}"; pass rngs: { ${name}: key } to init/apply.`);
    const at = this.pathString() + "#" + stream;
    const n = (c.rngCounters.get(at) ?? 0) + 1;
    c.rngCounters.set(at, n);
    return flaxRng(c.rngs[stream], this.path(), n);
  }

  /** Initializes every collection: init(key or { params: key, dropout: key }, ...args). */
  init(rngs: JaxArray | Record<string, JaxArray>, ...args: unknown[]): Collections {
    const keys = rngs instanceof Object && !(rngs as any).shape ? (rngs as Record<string, JaxArray>) : { params: rngs as JaxArray };
    const c: Context = { mode: "init", variables: {}, mutable: "all", rngs: keys, rngCounters: new Map(), stack: [] };
    runTop(this, c, args);
    return c.variables;
  }

  /**
   * apply(variables, ...args, { rngs, mutable }): runs call(). With `mutable`, returns
   * [out, updated collections].
   */
  apply(variables: Collections, ...args: unknown[]): any {
    let opts: { rngs?: Record<string, JaxArray>; mutable?: string[] | boolean | string; method?: string } = {};
    const last = args[args.length - 1];
    if (isApplyOptions(last)) { opts = last as typeof opts; args = args.slice(0, -1); }
    const mutable = opts.mutable === true ? "all" : new Set<string>(opts.mutable ? (typeof opts.mutable === "string" ? [opts.mutable] : opts.mutable as string[]) : []);
    const copy = deepCopyDicts(variables);
    const c: Context = { mode: "apply", variables: copy, mutable, rngs: opts.rngs ?? {}, rngCounters: new Map(), stack: [] };
    const out = runTop(this, c, args, opts.method);
    if (!opts.mutable) return out;
    const updated: Collections = {};
    for (const k of Object.keys(c.variables)) if (mutable === "all" || mutable.has(k)) updated[k] = c.variables[k];
    return [out, updated];
  }
}

function isApplyOptions(x: unknown): boolean {
  if (!x || typeof x !== "object" || Array.isArray(x) || (x as any).shape) return false;
  const keys = Object.keys(x);
  return keys.length > 0 && keys.every((k) => k === "rngs" || k === "mutable" || k === "method");
}

function deepCopyDicts(v: any): any {
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const o: any = {};
    for (const k of Object.keys(v)) o[k] = deepCopyDicts(v[k]);
    return o;
  }
  return v;
}

function requireCtx(what: string): Context {
  if (!ctx) throw new ValueError(`${what}: module methods run inside model.init(key, ...) or model.apply(variables, ...), not on their own.`);
  return ctx;
}

function runTop(m: Module, c: Context, args: unknown[], method = "call"): unknown {
  const prev = ctx;
  ctx = c;
  try {
    m._parent = null;
    m._ctx = c;
    const fn = (m as any)[method];
    if (typeof fn !== "function") throw new ValueError(`apply: the module has no method "${method}".`);
    return fn(...args);
  } finally {
    ctx = prev;
  }
}

/** Binds m (naming inline submodules), runs setup once per init/apply, and calls the method in m's scope. */
function runMethod(m: Module, fn: Function, args: unknown[]): unknown {
  const c = requireCtx("a module method");
  if (m._ctx !== c) {
    // A module first used in this init/apply: an inline (compact) child of the running module.
    const parent = c.stack[c.stack.length - 1];
    if (!parent) throw new ValueError("a module was called outside init/apply; use model.apply(variables, ...).");
    const cls = m.constructor.name;
    if (!m._name) {
      const k = parent._counters.get(cls) ?? 0;
      parent._counters.set(cls, k + 1);
      m._name = `${cls}_${k}`;
    }
    m._parent = parent;
    m._ctx = c;
  }
  const outermost = !c.stack.includes(m);
  if (outermost) {
    m._counters = new Map();
    m._reserved = new Set();
  }
  if (m._setupDone !== c) {
    m._setupDone = c;
    c.stack.push(m);
    try {
      m.setup();
    } finally {
      c.stack.pop();
    }
    for (const [key, val] of Object.entries(m)) {
      if (key.startsWith("_")) continue;
      const bindChild = (child: Module, name: string) => { child._name = name; child._parent = m; child._ctx = c; };
      if (val instanceof Module) bindChild(val, key);
      else if (Array.isArray(val)) val.forEach((v, i) => { if (v instanceof Module) bindChild(v, `${key}_${i}`); });
    }
  }
  c.stack.push(m);
  try {
    return fn.apply(m, args);
  } finally {
    c.stack.pop();
  }
}
