// Where a process's time went: the top functions by self time of a V8 .cpuprofile
// (what node --cpu-prof writes). Pure.

/** The parts of the .cpuprofile format read here. */
export type CpuProfile = {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  /** The node each sample hit, in time order. */
  samples: number[];
  /** Microseconds from the previous sample to each sample. */
  timeDeltas: number[];
};

export type ProfileEntry = {
  /** `name (file:line)`, or V8's own `(garbage collector)`, `(program)`. */
  frame: string;
  selfMs: number;
  /** Share of the busy time (all samples but `(idle)`). */
  share: number;
};

export type ProfileSummary = { busyMs: number; idleMs: number; top: ProfileEntry[] };

const IDLE = '(idle)';

/**
 * Self time per function: each sample's delta goes to the function it hit (V8's own
 * attribution), summed over every node of the same function (name, file and line), so a
 * function reached from many callers counts once. `(idle)` is kept apart: it is waiting.
 */
export function summarizeProfile(profile: CpuProfile, top = 10): ProfileSummary {
  const frameOf = new Map<number, string>();
  for (const node of profile.nodes) frameOf.set(node.id, frameName(node.callFrame));
  const selfUs = new Map<string, number>();
  for (const [i, nodeId] of profile.samples.entries()) {
    const frame = frameOf.get(nodeId) ?? '(unknown)';
    selfUs.set(frame, (selfUs.get(frame) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  const idleUs = selfUs.get(IDLE) ?? 0;
  selfUs.delete(IDLE);
  const busyUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);
  const entries = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top)
    .map(([frame, us]) => ({ frame, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, top: entries };
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  // The path from node_modules or dist on is enough to find it; lines are 0-based in V8.
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|dist)\//, '$1/');
  return `${name} (${file}:${frame.lineNumber + 1})`;
}
