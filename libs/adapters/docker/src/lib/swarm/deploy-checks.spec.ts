import { failure } from './deploy-checks';

describe(failure.name, () => {
  it("names the model's own init error from the wrapper's log, which /readyz keeps to itself", () => {
    const log = [
      '{"level":30,"msg":"model init started"}',
      '{"level":50,"msg":"model init failed","code":"INIT_FAILED","reason":"Error: no weights"}',
    ];
    const error = failure(
      { name: 'iris', version: '1.0.0' },
      new Error('iris.1: init failed (no reason given)'),
      log,
    );
    expect(error.message).toBe(
      'iris 1.0.0 did not start: iris.1: init failed (no reason given); ' +
        'last log: model init started | model init failed: Error: no weights',
    );
  });
});
