// The jaxpr: a small typed program of primitive applications, printed in JAX's style.
import { ConcreteArray } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { Primitive } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { JaxArray } from "../core/value.js";

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

function fmtParam(v: unknown): string {
  if (Array.isArray(v)) return `(${v.map(fmtParam).join(", ")}${v.length === 1 ? "," : ""})`;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v instanceof ClosedJaxpr || v instanceof Jaxpr) return printJaxpr(v instanceof ClosedJaxpr ? v.jaxpr : v, "  ");
  if (typeof v === "function") return v.name || "<fn>";
  if (typeof v === "object") return "{...}";
  return String(v);
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

function literalText(l: Literal): string {
  const v = (l.value as ConcreteArray).dataSync()[0];
  const d = l.aval.dtype;
  if (d === "bool") return v ? "True" : "False";
  if (d === "float32" || d === "float64") {
    const s = Number.isInteger(v) ? `${v}.0` : String(d === "float32" ? Number(v.toPrecision(8)) : v);
    return `${s}:${l.aval.str()}`;
  }
  return `${v}:${l.aval.str()}`;
}

export function printJaxpr(j: Jaxpr, indent = ""): string {
  const names = new Map<Var, string>();
  let n = 0;
  const name = (v: Var) => {
    let s = names.get(v);
    if (!s) names.set(v, (s = varName(n++)));
    return s;
  };
  const decl = (v: Var) => `${name(v)}:${v.aval.str()}`;
  const atom = (a: Atom) => (a instanceof Literal ? literalText(a) : name(a));
  const consts = j.constvars.map(decl).join(" ");
  const ins = j.invars.map(decl).join(" ");
  const lines = j.eqns.map((e) => {
    const shown = e.prim.rules.printParams ? e.prim.rules.printParams(e.params) : e.params;
    const ps = Object.keys(shown ?? {}).sort((a, b) => snake(a).localeCompare(snake(b)))
      .map((k) => `${snake(k)}=${fmtParam((shown as any)[k])}`);
    const p = ps.length ? `[${ps.join(" ")}]` : "";
    const lhs = e.outs.length ? e.outs.map(decl).join(" ") : "_";
    return `${lhs} = ${e.prim.name}${p} ${e.inputs.map(atom).join(" ")}`.trimEnd();
  });
  const outs = j.outs.map(atom);
  const outText = `(${outs.join(", ")}${outs.length === 1 ? "," : ""})`;
  const head = `{ lambda ${consts}; ${ins}. let`;
  const oneLine = `${head} ${lines.join(" ")}${lines.length ? " " : ""}in ${outText} }`;
  if (oneLine.length <= 80 && lines.length <= 1 && !oneLine.includes("\n")) return oneLine;
  const pad = indent + "    ";
  return `${head}\n${lines.map((l) => pad + l.split("\n").join("\n" + pad)).join("\n")}\n${indent}  in ${outText} }`;
}
