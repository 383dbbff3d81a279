const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A manifest `resources.memory` quantity in bytes (Kubernetes suffixes), rounded up.
 *
 * @example
 * ```ts
 * memoryBytes('512Mi'); // 536870912
 * memoryBytes('1G'); // 1000000000
 * ```
 */
export function memoryBytes(quantity: string): number {
  const match = /^([0-9]*\.?[0-9]+)([A-Za-z]*)$/.exec(quantity.trim());
  const unit = match ? MEMORY_UNITS[match[2]] : undefined;
  if (!match || unit === undefined) throw new RangeError(`not a memory quantity: ${quantity}`);
  return Math.ceil(Number(match[1]) * unit);
}

/**
 * A manifest `resources.cpu` quantity in CPUs (`500m` is half a CPU).
 *
 * @example
 * ```ts
 * cpuCount('500m'); // 0.5
 * cpuCount('2'); // 2
 * ```
 */
export function cpuCount(quantity: string | number): number {
  const text = String(quantity).trim();
  const value = text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`not a cpu quantity: ${quantity}`);
  return value;
}
