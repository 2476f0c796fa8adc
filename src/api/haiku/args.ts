// Haiku's constructor arguments: in haiku's order, or one options object, or the leading ones
// positionally followed by an options object for the rest (haiku's keyword arguments).
import { ValueError } from "../../core/errors.js";

const plain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** names: haiku's positional order; required: how many of them must be given; kwOnly: keyword-only names. */
export function hkArgs<T>(op: string, args: readonly unknown[], names: readonly string[], required = 0, kwOnly: readonly string[] = []): T {
  const o: Record<string, unknown> = {};
  const last = args[args.length - 1];
  const pos = plain(last) ? args.slice(0, -1) : args;
  if (pos.length > names.length) throw new ValueError(`haiku.${op}: takes up to ${names.length} arguments (${names.join(", ")}) and then an options object, but got ${args.length}.`);
  if (plain(last)) {
    for (const [k, v] of Object.entries(last)) {
      if (!names.includes(k) && !kwOnly.includes(k)) throw new ValueError(`haiku.${op}: unknown option "${k}"; the options are ${[...names, ...kwOnly].join(", ")}.`);
      if (v !== undefined && v !== null) o[k] = v;
    }
  }
  pos.forEach((v, i) => {
    if (v === undefined || v === null) return;
    if (names[i] in o) throw new ValueError(`haiku.${op}: ${names[i]} given both positionally and as an option.`);
    o[names[i]] = v;
  });
  const missing = names.slice(0, required).filter((k) => o[k] === undefined);
  if (missing.length) throw new ValueError(`haiku.${op}: missing ${missing.join(", ")}; pass haiku's arguments in order (${names.join(", ")}) or as options.`);
  return o as T;
}

/** An int or one per spatial dimension (haiku's utils.replicate). */
export function replicate(op: string, v: number | readonly number[], n: number, what: string): number[] {
  if (typeof v === "number") return Array(n).fill(v);
  if (v.length !== n) throw new ValueError(`haiku.${op}: ${what} must be an int or ${n} ints, but got [${v}].`);
  return [...v];
}

/** hk.get_channel_index: 1 for channels-first formats ("NCHW", "channels_first"), -1 for channels-last. */
export function channelIndex(op: string, fmt: string): 1 | -1 {
  if (fmt === "channels_first" || /^NC[^C]*$/.test(fmt)) return 1;
  if (fmt === "channels_last" || /^N[^C]*C$/.test(fmt)) return -1;
  throw new ValueError(`haiku.${op}: unrecognised data_format "${fmt}"; use e.g. "NHWC", "NCHW", "channels_last" or "channels_first".`);
}
