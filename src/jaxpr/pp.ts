// A small Wadler-style pretty printer: JAX lays jaxprs out with groups that print on one line
// when they fit the width and break at every break point of the group otherwise.
export type Doc =
  | { k: "text"; s: string }
  | { k: "brk"; s: string }
  | { k: "nest"; n: number; d: Doc }
  | { k: "group"; d: Doc }
  | { k: "cat"; ds: Doc[] };

export const text = (s: string): Doc => ({ k: "text", s });
export const brk = (s = " "): Doc => ({ k: "brk", s });
export const nest = (n: number, d: Doc): Doc => ({ k: "nest", n, d });
export const group = (d: Doc): Doc => ({ k: "group", d });
export const cat = (...ds: Doc[]): Doc => ({ k: "cat", ds });
export const join = (sep: Doc, ds: Doc[]): Doc => cat(...ds.flatMap((d, i) => (i ? [sep, d] : [d])));

type Item = [indent: number, flat: boolean, doc: Doc];

/** Whether `d` laid out flat takes at most `width` columns (only the group itself counts). */
function fits(d: Doc, width: number): boolean {
  const stack: Doc[] = [d];
  while (stack.length && width >= 0) {
    const x = stack.pop()!;
    if (x.k === "text" || x.k === "brk") width -= x.s.length;
    else if (x.k === "nest" || x.k === "group") stack.push(x.d);
    else for (let i = x.ds.length - 1; i >= 0; i--) stack.push(x.ds[i]);
  }
  return width >= 0;
}

export function format(doc: Doc, width = 80): string {
  let out = "", col = 0;
  const stack: Item[] = [[0, false, doc]];
  while (stack.length) {
    const [i, flat, d] = stack.pop()!;
    switch (d.k) {
      case "text": out += d.s; col += d.s.length; break;
      case "brk":
        if (flat) { out += d.s; col += d.s.length; } else { out += "\n" + " ".repeat(i); col = i; }
        break;
      case "nest": stack.push([i + d.n, flat, d.d]); break;
      case "group": stack.push([i, flat || fits(d.d, width - col), d.d]); break;
      case "cat": for (let j = d.ds.length - 1; j >= 0; j--) stack.push([i, flat, d.ds[j]]); break;
    }
  }
  return out;
}
