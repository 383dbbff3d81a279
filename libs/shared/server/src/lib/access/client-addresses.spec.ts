import type { FastifyRequest } from 'fastify';

import { ClientAddresses } from './client-addresses';

const request = (peer: string, forwarded?: string | string[]) =>
  ({
    ip: peer,
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as FastifyRequest;

describe(ClientAddresses.name, () => {
  it('counts the TCP peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(new ClientAddresses().of(request('10.0.0.9', '203.0.113.7'))).toBe('10.0.0.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const sut = new ClientAddresses(['10.0.0.5']);
    expect(sut.of(request('10.0.0.9', '203.0.113.7'))).toBe('10.0.0.9');
  });

  it('counts the client a trusted proxy forwards for: the right-most untrusted hop', () => {
    const sut = new ClientAddresses(['10.0.0.5', '172.16.0.0/12']);
    expect(sut.of(request('10.0.0.5', '203.0.113.7'))).toBe('203.0.113.7');
    // The client wrote the left part itself: never believed.
    expect(sut.of(request('10.0.0.5', '1.2.3.4, 203.0.113.7'))).toBe('203.0.113.7');
    expect(sut.of(request('10.0.0.5', ['1.2.3.4', '203.0.113.7, 172.20.0.3']))).toBe('203.0.113.7');
    expect(sut.of(request('::ffff:10.0.0.5', '::ffff:203.0.113.8'))).toBe('203.0.113.8');
  });

  it('counts the proxy itself when it forwards nothing usable', () => {
    const sut = new ClientAddresses(['127.0.0.1']);
    expect(sut.of(request('127.0.0.1'))).toBe('127.0.0.1');
    expect(sut.of(request('127.0.0.1', 'not-an-address'))).toBe('127.0.0.1');
    expect(sut.of(request('127.0.0.1', '127.0.0.1'))).toBe('127.0.0.1');
  });
});
