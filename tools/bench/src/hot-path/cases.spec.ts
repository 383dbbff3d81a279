import { CaseListError, selectCases } from './cases';

describe('selectCases', () => {
  const names = (options: Parameters<typeof selectCases>[0]) =>
    selectCases(options).map((c) => c.name);

  it('runs every case but the baseline builds by default', () => {
    const all = names({ peers: true });
    expect(all).toContain('mlflow');
    expect(all).not.toContain('router-baseline');
    expect(all[0]).toBe('echo');
  });

  it('leaves the peers out under --no-peers', () => {
    expect(names({ peers: false })).not.toContain('bentoml');
  });

  it('adds the baseline builds when given, and runs a --cases subset in catalogue order', () => {
    expect(names({ peers: true, baselineRouter: 'router-before' })).toContain('router-baseline');
    expect(names({ peers: true, cases: 'router, echo' })).toEqual(['echo', 'router']);
  });

  it('runs an opt-in case only when named, and --model cases only with --model', () => {
    expect(names({ peers: true })).not.toContain('python-sandboxed');
    expect(names({ peers: true, cases: 'python-sandboxed' })).toEqual(['python-sandboxed']);
    expect(names({ peers: true })).not.toContain('model-warm');
    expect(names({ peers: true, model: 'my-model' })).toEqual(
      expect.arrayContaining(['model-off', 'model-warm', 'model-miss']),
    );
  });

  it('refuses an unknown case and lists the known ones', () => {
    expect(() => selectCases({ peers: true, cases: 'echo,rooter' })).toThrow(CaseListError);
    expect(() => selectCases({ peers: true, cases: 'rooter' })).toThrow(/no case "rooter".*router/);
  });
});
