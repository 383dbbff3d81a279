import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A copy of the bundle whose manifest asks for `cpu` CPUs (resources.cpu, one line), so a
 * sandboxed replica is not held to the example's own limit and the sandbox's cost shows.
 */
export function bundleWithCpu(modelDir: string, cpu: number): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'hot-path-model-'));
  cpSync(modelDir, copy, { recursive: true });
  // mkdtemp makes it 0700: a sandboxed worker (another uid) could not read its bundle.
  chmodSync(copy, 0o755);
  const manifest = path.join(copy, 'ml-run.yaml');
  const text = readFileSync(manifest, 'utf8');
  const changed = text.replace(/cpu: [^,}\s]+/, `cpu: '${cpu}'`);
  if (changed === text) throw new Error(`${manifest}: no resources.cpu to change`);
  writeFileSync(manifest, changed);
  return copy;
}
