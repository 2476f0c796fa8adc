// The jaxpr: a small typed program of primitive applications, printed in JAX's style.
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { Primitive } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";
import { brk, cat, Doc, format, group, join, nest, text } from "./pp.js";

export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/** A scalar constant written inline in the program (JAX's Literal). */
export class Literal {
  constructor(readonly value: JaxArray, readonly aval: ShapedArray) {}
}

export type Atom = Var | Literal;

export interface Eqn {
  prim: Primitive;
  inputs: Atom[];
  params: any;
  outs: Var[];
}

export class Jaxpr {
  constructor(
    readonly constvars: Var[],
    readonly invars: Var[],
    readonly eqns: Eqn[],
    readonly outs: Atom[],
  ) {}
  toString(): string { return printJaxpr(this); }
}

/** A jaxpr with the values of its constvars. */
export class ClosedJaxpr {
  constructor(readonly jaxpr: Jaxpr, readonly consts: JaxArray[]) {}
  get inAvals(): ShapedArray[] { return this.jaxpr.invars.map((v) => v.aval); }
  get outAvals(): ShapedArray[] { return this.jaxpr.outs.map((v) => v.aval); }
  toString(): string { return printJaxpr(this.jaxpr); }
}

/** Runs a jaxpr by binding each equation in the current trace (so it composes with every transformation). */
export function evalJaxpr(jaxpr: Jaxpr, consts: readonly JaxArray[], args: readonly JaxArray[]): JaxArray[] {
  const env = new Map<Var, JaxArray>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => env.set(v, args[i]));
  const read = (a: Atom) => (a instanceof Literal ? a.value : env.get(a)!);
  for (const e of jaxpr.eqns) {
    const outs = bind(e.prim, e.inputs.map(read), e.params);
    e.outs.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outs.map(read);
}

// ---- printing

function varName(i: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

/** A parameter as JAX prints it (Python's str of tuples, None, booleans); nested jaxprs as docs. */
function paramDoc(v: unknown, ctx: PpContext): Doc {
  if (v instanceof ClosedJaxpr || v instanceof Jaxpr) return jaxprDoc(v instanceof ClosedJaxpr ? v.jaxpr : v, ctx);
  if (Array.isArray(v) && v.length && v.every((x) => x instanceof ClosedJaxpr || x instanceof Jaxpr)) {
    return group(cat(nest(2, cat(text("("), brk(""), join(brk(), v.map((x) => paramDoc(x, ctx))))), brk(""), text(")")));
  }
  return text(fmtParam(v));
}

function fmtParam(v: unknown): string {
  if (Array.isArray(v)) return `(${v.map(fmtParam).join(", ")}${v.length === 1 ? "," : ""})`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "function") return v.name || "<fn>";
  if (typeof v === "object") return "{...}";
  return String(v);
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/** A float as Python's repr writes it (what JAX shows for numpy's .item() of the literal). */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Object.is(v, -0)) return "-0.0";
  const [mant, e] = v.toExponential().split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const s = String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}

function literalText(l: Literal): string {
  const v = (l.value as ConcreteArray).dataSync()[0];
  const d = l.aval.dtype;
  const val = d === "bool" ? (v ? "True" : "False") : d === "float32" || d === "float64" ? pyFloat(v) : String(v);
  return `${val}:${l.aval.str()}`;
}

/** Variable names shared by a jaxpr and the jaxprs nested in its equations, as in JAX (globally unique). */
class PpContext {
  private names = new Map<Var, string>();
  private n = 0;
  name(v: Var): string {
    let s = this.names.get(v);
    if (!s) this.names.set(v, (s = varName(this.n++)));
    return s;
  }
  /** A call's inner variables take the names of the outer ones they stand for (JAX does this for jit). */
  suggest(inner: readonly Atom[], outer: readonly Atom[]): void {
    if (inner.length !== outer.length) return;
    const used = new Set<Var>();
    inner.forEach((v, i) => {
      const o = outer[i];
      if (v instanceof Var && o instanceof Var && !used.has(o) && !this.names.has(v)) {
        used.add(o);
        this.names.set(v, this.name(o));
      }
    });
  }
}

function varsDoc(vs: readonly Atom[], ctx: PpContext, sep: string, shapes: boolean): Doc {
  const one = (a: Atom) => (a instanceof Literal ? literalText(a) : shapes ? `${ctx.name(a)}:${a.aval.str()}` : ctx.name(a));
  return nest(2, group(join(cat(text(sep), group(brk())), vs.map((v) => text(one(v))))));
}

function eqnDoc(e: Eqn, ctx: PpContext): Doc {
  const shown = (e.prim.rules.printParams ? e.prim.rules.printParams(e.params) : e.params) ?? {};
  let keys = Object.keys(shown).sort((a, b) => snake(a).localeCompare(snake(b)));
  const lhs = e.outs.length ? [varsDoc(e.outs, ctx, "", true), text(" = ")] : [];
  const call = e.prim.name === "jit" && (shown as any).jaxpr instanceof ClosedJaxpr;
  if (call) {
    // JAX's jit equation: name first, and the inner program named after the outer variables.
    keys = ["name", ...keys.filter((k) => k !== "name")];
    e.outs.forEach((v) => ctx.name(v));
    ctx.suggest((shown as any).jaxpr.jaxpr.invars, e.inputs);
    ctx.suggest((shown as any).jaxpr.jaxpr.outs, e.outs);
  }
  const kv = keys.map((k) => cat(text(`${snake(k)}=`), paramDoc((shown as any)[k], ctx)));
  const params = kv.length ? group(cat(nest(2, cat(text("["), brk(""), join(brk(), kv))), brk(""), text("]"))) : cat();
  const ins = e.inputs.length ? cat(text(" "), varsDoc(e.inputs, ctx, "", false)) : cat();
  return cat(...lhs, text(e.prim.name), params, ins);
}

function jaxprDoc(j: Jaxpr, ctx: PpContext): Doc {
  const consts = varsDoc(j.constvars, ctx, "", true);
  const ins = varsDoc(j.invars, ctx, "", true);
  const eqns = join(brk("; "), j.eqns.map((e) => eqnDoc(e, ctx)));
  const outs = cat(text("("), varsDoc(j.outs, ctx, ",", false), text(j.outs.length === 1 ? ",)" : ")"));
  return cat(group(nest(2, cat(text("{ lambda "), consts, text("; "), ins, text(". let"),
    nest(2, cat(brk(), eqns)), brk(), text("in "), outs))), text(" }"));
}

/** The jaxpr in JAX's layout: one line when it fits in 80 columns, else one equation per line. */
export function printJaxpr(j: Jaxpr): string {
  return format(jaxprDoc(j, new PpContext()), 80);
}
