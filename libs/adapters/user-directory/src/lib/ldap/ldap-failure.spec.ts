import { UserDirectoryErrorCode } from '../user-directory.errors';
import { directoryUnavailable, serviceBindRefused } from './ldap-failure';

const TARGET = { url: 'ldap://ldap.example.com', bindDN: 'cn=svc', timeoutMs: 2000 };

const errorOf = (name: string, message: string, code?: string | number) =>
  Object.assign(new Error(message), { name, code });

describe(directoryUnavailable.name, () => {
  it.each([
    [
      errorOf('Error', 'connect ECONNREFUSED', 'ECONNREFUSED'),
      'cannot reach LDAP at ldap://ldap.example.com (ECONNREFUSED)',
    ],
    [
      errorOf('ConnectionError', 'connection timeout'),
      'cannot reach LDAP at ldap://ldap.example.com (connection timeout)',
    ],
    [
      errorOf('TimeoutError', 'request timeout (client interrupt)'),
      'did not answer within 2000 ms',
    ],
    [
      errorOf('Error', 'self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT'),
      'TLS with LDAP at ldap://ldap.example.com failed (DEPTH_ZERO_SELF_SIGNED_CERT)',
    ],
    ['unexpected number of matches (2) for "alice" username', 'matched more than one entry'],
    [
      errorOf('OperationsError', 'x', 1),
      'LDAP at ldap://ldap.example.com failed (OperationsError)',
    ],
    [undefined, 'failed (unknown error)'],
  ])('describes %p', (cause, message) => {
    const sut = directoryUnavailable(cause, TARGET);
    expect(sut.code).toBe(UserDirectoryErrorCode.DirectoryUnavailable);
    expect(sut.message).toContain(message);
  });

  it('does not repeat a username from the cause', () => {
    const sut = directoryUnavailable(
      'unexpected number of matches (2) for "alice" username',
      TARGET,
    );
    expect(sut.message).not.toContain('alice');
  });
});

describe(serviceBindRefused.name, () => {
  it('names the bind DN and what to check', () => {
    expect(serviceBindRefused(TARGET).message).toBe(
      'LDAP at ldap://ldap.example.com refused the service bind as cn=svc; check the bind DN and password',
    );
  });
});
