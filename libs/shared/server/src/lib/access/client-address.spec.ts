import { ClientAddress } from './client-address';

describe(ClientAddress.name, () => {
  const sut = new ClientAddress(['10.0.0.5', '10.128.0.0/14', 'fd00::/8']);

  it('believes the last x-forwarded-for entry from a trusted proxy, by address or range', () => {
    expect(sut.of('10.0.0.5', '203.0.113.9')).toEqual({ address: '203.0.113.9', proxied: true });
    expect(sut.of('10.129.3.4', '198.51.100.1, 203.0.113.9')).toEqual({
      address: '203.0.113.9',
      proxied: true,
    });
    expect(sut.of('::ffff:10.0.0.5', '203.0.113.9')).toMatchObject({ proxied: true });
    expect(sut.of('fd00::7', '2001:db8::1')).toEqual({ address: '2001:db8::1', proxied: true });
  });

  it('ignores x-forwarded-for from anyone else, so a caller cannot pick its own address', () => {
    expect(sut.of('203.0.113.50', '10.0.0.1')).toEqual({ address: '203.0.113.50', proxied: false });
    expect(sut.of('10.0.0.6', '10.0.0.1')).toEqual({ address: '10.0.0.6', proxied: false });
  });

  it('keeps the peer when a trusted proxy sends no header or no address in it', () => {
    expect(sut.of('10.0.0.5', undefined)).toEqual({ address: '10.0.0.5', proxied: false });
    expect(sut.of('10.0.0.5', 'unknown')).toEqual({ address: '10.0.0.5', proxied: false });
  });

  it('trusts no one when none is configured', () => {
    expect(new ClientAddress([]).of('127.0.0.1', '203.0.113.9')).toEqual({
      address: '127.0.0.1',
      proxied: false,
    });
  });
});
