import { z } from 'zod';

import { isProxyEntry, trustedProxiesVar } from './trusted-proxies';

describe(trustedProxiesVar.name, () => {
  const field = z.object({ MLRUN_TRUSTED_PROXIES: trustedProxiesVar() });

  it('reads a comma-separated list of addresses and ranges', () => {
    expect(field.parse({ MLRUN_TRUSTED_PROXIES: ' 10.0.0.5, 10.128.0.0/14 ,fd00::/8' })).toEqual({
      MLRUN_TRUSTED_PROXIES: ['10.0.0.5', '10.128.0.0/14', 'fd00::/8'],
    });
    expect(field.parse({})).toEqual({});
  });

  it('refuses a name or a bad range, saying what it takes', () => {
    const result = field.safeParse({ MLRUN_TRUSTED_PROXIES: 'builder,10.0.0.0/33' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('IP addresses or CIDR ranges');
  });
});

describe(isProxyEntry.name, () => {
  it.each(['10.0.0.5', '10.128.0.0/14', 'fd00::/8', '::1'])('takes %s', (entry) => {
    expect(isProxyEntry(entry)).toBe(true);
  });

  it.each(['builder', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/8/1', ''])('refuses %p', (entry) => {
    expect(isProxyEntry(entry)).toBe(false);
  });
});
