import { checkRunAs, commandAs } from './run-as';

describe(commandAs.name, () => {
  it('runs the command unchanged without a uid', () => {
    expect(commandAs(undefined, 'python3', ['-u', 'w.py'])).toEqual({
      file: 'python3',
      args: ['-u', 'w.py'],
    });
  });

  it('runs it through setpriv as the uid, with no groups and no capabilities to pass on', () => {
    expect(commandAs({ uid: 10002 }, 'python3', ['-u', 'w.py'])).toEqual({
      file: 'setpriv',
      args: [
        '--reuid=10002',
        '--regid=10002',
        '--clear-groups',
        '--inh-caps=-all',
        '--ambient-caps=-all',
        '--',
        'python3',
        '-u',
        'w.py',
      ],
    });
  });
});

describe(checkRunAs.name, () => {
  it("refuses the wrapper's own uid", () => {
    expect(() => checkRunAs({ uid: 10001 }, 10001)).toThrow(/the wrapper's own uid/);
  });

  it('accepts another uid, or none', () => {
    expect(() => checkRunAs({ uid: 10002 }, 10001)).not.toThrow();
    expect(() => checkRunAs(undefined, 10001)).not.toThrow();
  });
});
