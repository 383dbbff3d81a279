import { ConfigError } from './config.errors';
import {
  boolVar,
  enumVar,
  hostPortListVar,
  intVar,
  listenHostsVar,
  optionalSecretVar,
  portVar,
  secretVar,
  splitHostPortList,
  stringVar,
} from './env-fields';
import { loadConfig, redactConfig } from './load-config';

const shape = {
  MLRUN_PORT: portVar(9000),
  MLRUN_MODE: enumVar(['a', 'b'], 'a'),
  MLRUN_FLAG: boolVar(false),
  MLRUN_NAME: stringVar({ pattern: /^[a-z]+$/, hint: 'must be lower-case letters' }),
  MLRUN_LIMIT: intVar({ min: 1, max: 10 }),
  MLRUN_SECRET: optionalSecretVar(),
};

function issuesOf(env: Record<string, string>) {
  try {
    loadConfig(shape, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  const valid = { MLRUN_NAME: 'iris', MLRUN_LIMIT: '3' };

  it('applies defaults and converts types', () => {
    const sut = loadConfig(shape, valid);
    expect(sut).toEqual({
      MLRUN_PORT: 9000,
      MLRUN_MODE: 'a',
      MLRUN_FLAG: false,
      MLRUN_NAME: 'iris',
      MLRUN_LIMIT: 3,
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig(shape, valid))).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(shape, { ...valid, MLRUN_PORT: '' }).MLRUN_PORT).toBe(9000);
  });

  it('ignores variables the schema does not name', () => {
    expect(loadConfig(shape, { ...valid, OTHER: 'x' })).not.toHaveProperty('OTHER');
  });

  it.each([
    ['MLRUN_PORT', 'abc', 'must be an integer between 0 and 65535 (got "abc")'],
    ['MLRUN_PORT', '70000', 'must be an integer between 0 and 65535 (got "70000")'],
    ['MLRUN_MODE', 'c', 'must be one of a, b (got "c")'],
    ['MLRUN_FLAG', 'yes', 'must be true or false (got "yes")'],
    ['MLRUN_NAME', 'Iris', 'must be lower-case letters (got "Iris")'],
  ])('names %s when it is %p', (variable, value, message) => {
    const error = issuesOf({ ...valid, [variable]: value });
    expect(error.issues).toEqual([{ variable, message }]);
    expect(error.message).toContain(`${variable} ${message}`);
  });

  it('reports every bad variable at once, including missing required ones', () => {
    const error = issuesOf({ MLRUN_PORT: 'x' });
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'MLRUN_LIMIT',
      'MLRUN_NAME',
      'MLRUN_PORT',
    ]);
    expect(error.issues).toContainEqual({
      variable: 'MLRUN_NAME',
      message: 'is required but not set',
    });
  });
});

describe('secret variables', () => {
  it('never echo their value in an error', () => {
    const secretShape = { MLRUN_SECRET: secretVar() };
    try {
      loadConfig(
        { MLRUN_SECRET: secretShape.MLRUN_SECRET.refine((v) => v.length > 10, 'is too short') },
        { MLRUN_SECRET: 'hunter2' },
      );
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});

describe(redactConfig.name, () => {
  it('hides secrets and keeps the rest', () => {
    const config = loadConfig(shape, {
      MLRUN_NAME: 'iris',
      MLRUN_LIMIT: '3',
      MLRUN_SECRET: 's3cr3t',
    });
    const sut = redactConfig(shape, config);
    expect(sut['MLRUN_SECRET']).toBe('[redacted]');
    expect(sut['MLRUN_NAME']).toBe('iris');
  });
});

describe(hostPortListVar.name, () => {
  const HINT = 'must be a comma-separated list of host:port, e.g. kafka-0:9092';
  const load = (value: string, ipv6 = false) =>
    loadConfig(
      { MLRUN_NODES: hostPortListVar({ example: 'kafka-0:9092', ipv6 }) },
      { MLRUN_NODES: value },
    );
  const issuesOf = (value: string, ipv6 = false) => {
    try {
      load(value, ipv6);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues;
    }
    throw new Error('expected a ConfigError');
  };

  it('keeps the list as written and splits it into trimmed entries', () => {
    const sut = load(' a.svc:9092, 10.0.0.7:19092 ');
    expect(splitHostPortList(sut.MLRUN_NODES)).toEqual(['a.svc:9092', '10.0.0.7:19092']);
  });

  it.each(['a', 'a:', 'a:0', 'a:65536', 'a:9092,', 'a:9092,,b:9092', ':9092', 'http://a:9092'])(
    'refuses %p with one issue that shows the form',
    (value) => {
      expect(issuesOf(value)).toEqual([
        { variable: 'MLRUN_NODES', message: `${HINT} (got "${value}")` },
      ]);
    },
  );

  it('takes bracketed IPv6 addresses only when asked to', () => {
    expect(issuesOf('[::1]:10800')).toHaveLength(1);
    expect(load('[::1]:10800', true).MLRUN_NODES).toBe('[::1]:10800');
  });
});

describe(listenHostsVar.name, () => {
  const HINT =
    'must be an address or a comma-separated list of distinct addresses, e.g. 127.0.0.1,10.213.0.1';
  const load = (value?: string) =>
    loadConfig({ MLRUN_HOST: listenHostsVar('127.0.0.1') }, value ? { MLRUN_HOST: value } : {});
  const issuesOf = (value: string) => {
    try {
      load(value);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues;
    }
    throw new Error('expected a ConfigError');
  };

  it('defaults to its fallback and keeps a list as written', () => {
    expect(load().MLRUN_HOST).toBe('127.0.0.1');
    const sut = load('127.0.0.1, 10.213.0.1,::1');
    expect(splitHostPortList(sut.MLRUN_HOST)).toEqual(['127.0.0.1', '10.213.0.1', '::1']);
  });

  it.each(['127.0.0.1,', '127.0.0.1,127.0.0.1', '127.0.0.1:8080', 'http://127.0.0.1', '[::1]'])(
    'refuses %p with one issue that shows the form',
    (value) => {
      expect(issuesOf(value)).toEqual([
        { variable: 'MLRUN_HOST', message: `${HINT} (got "${value}")` },
      ]);
    },
  );
});
