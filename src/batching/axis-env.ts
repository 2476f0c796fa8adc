// Axis names bound while tracing one pmap shard (pmap's per-device program): there no BatchTrace
// carries the axis, so collectives that need its size (allGather) look it up here.
const bound: { name: string; size: number }[] = [];

export function withBoundAxis<T>(name: string, size: number, fn: () => T): T {
  bound.push({ name, size });
  try {
    return fn();
  } finally {
    bound.pop();
  }
}

export function boundAxisSize(name: string): number | undefined {
  for (let i = bound.length - 1; i >= 0; i--) if (bound[i].name === name) return bound[i].size;
  return undefined;
}
