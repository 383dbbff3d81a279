import { z } from 'zod';

import { parseTrustedProxies, trustedProxiesVar } from './trusted-proxies';

describe(trustedProxiesVar.name, () => {
  const shape = z.object({ MLRUN_TRUSTED_PROXIES: trustedProxiesVar() });

  it('reads a comma-separated list of addresses and ranges; unset is none', () => {
    expect(shape.parse({ MLRUN_TRUSTED_PROXIES: ' 10.0.0.5, 10.128.0.0/14 ,fd00::/8' })).toEqual({
      MLRUN_TRUSTED_PROXIES: ['10.0.0.5', '10.128.0.0/14', 'fd00::/8'],
    });
    expect(shape.parse({})).toEqual({});
  });

  it('refuses a name or a bad range, naming the entry', () => {
    const result = shape.safeParse({ MLRUN_TRUSTED_PROXIES: '10.0.0.5,builder' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('builder is not an IP address');
  });
});

describe(parseTrustedProxies.name, () => {
  it('parses addresses and ranges, and says which entry is wrong', () => {
    expect(parseTrustedProxies(' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    for (const wrong of ['builder', '10.0.0.0/33', '10.0.0.1/8/1', '10.0.0.0/x']) {
      expect(() => parseTrustedProxies(`127.0.0.1,${wrong}`)).toThrow(wrong);
    }
  });
});
