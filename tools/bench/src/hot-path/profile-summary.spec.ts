import { summarizeProfile, type CpuProfile } from './profile-summary';

// root → main (hot.js:3) → parse (lib.js:10); root → (idle); a second node of parse
// reached through another caller; (garbage collector).
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
    {
      id: 2,
      callFrame: { functionName: 'main', url: 'file:///app/dist/apps/x/hot.js', lineNumber: 2 },
    },
    {
      id: 3,
      callFrame: { functionName: 'parse', url: '/repo/node_modules/lib/lib.js', lineNumber: 9 },
    },
    { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    {
      id: 5,
      callFrame: { functionName: 'parse', url: '/repo/node_modules/lib/lib.js', lineNumber: 9 },
    },
    { id: 6, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    { id: 7, callFrame: { functionName: '', url: 'node:internal/timers', lineNumber: 0 } },
  ],
  samples: [2, 3, 3, 4, 5, 6, 4, 7],
  timeDeltas: [1000, 2000, 2000, 50_000, 1000, 500, 50_000, 500],
};

describe('summarizeProfile', () => {
  const summary = summarizeProfile(profile, 3);

  it('sums self time per function over every node of it, biggest first', () => {
    expect(summary.top.map((e) => [e.frame, e.selfMs])).toEqual([
      ['parse (node_modules/lib/lib.js:10)', 5],
      ['main (dist/apps/x/hot.js:3)', 1],
      ['(anonymous) (node:internal/timers:1)', 0.5],
    ]);
  });

  it('keeps idle apart from the busy time the shares are of', () => {
    expect(summary.idleMs).toBe(100);
    expect(summary.busyMs).toBe(7);
    expect(summary.top[0]?.share).toBeCloseTo(5 / 7);
  });

  it('returns nothing to rank for an empty profile', () => {
    expect(summarizeProfile({ nodes: [], samples: [], timeDeltas: [] })).toEqual({
      busyMs: 0,
      idleMs: 0,
      top: [],
    });
  });
});
