// Module hooks for the edge stand-in (registered by edge.mjs): an edge runtime has no Node
// built-in modules, so any `node:*` or bare built-in import made by a module outside
// test/runtimes/ (that is, by the bundle) fails the import with a clear message.
import { builtinModules } from "node:module";

const builtins = new Set(builtinModules);
const here = new URL("./", import.meta.url).href;

export async function resolve(specifier, context, next) {
  const isBuiltin = specifier.startsWith("node:") || builtins.has(specifier) || builtins.has(specifier.split("/")[0]);
  if (isBuiltin && context.parentURL && !context.parentURL.startsWith(here)) {
    throw new Error(`edge runtime: ${context.parentURL} imports the Node built-in ${JSON.stringify(specifier)}, which edge runtimes do not have`);
  }
  return next(specifier, context);
}
