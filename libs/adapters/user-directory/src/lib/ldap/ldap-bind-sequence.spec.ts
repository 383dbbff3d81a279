import { LdapUserDirectory } from './ldap-user-directory';

// The LDAP requests a login sends, as the directory sees them: ldapjs (the client
// ldapauth-fork drives for passport-ldapauth) is replaced by a recording fake directory.
type LdapRequest =
  | { op: 'bind'; dn: string; password: string; refused: boolean }
  | { op: 'search'; base: string; filter: string };

const mockRequests: LdapRequest[] = [];

jest.mock('ldapjs', () => {
  const { EventEmitter } = jest.requireActual<typeof import('node:events')>('node:events');
  const PEOPLE = 'ou=people,dc=mlrun,dc=test';
  const ALICE = `uid=alice,${PEOPLE}`;
  const passwords: Record<string, string> = {
    'cn=admin,dc=mlrun,dc=test': 'service-secret',
    [ALICE]: 'alice-password-123',
  };
  const later = (fn: () => void) => void setImmediate(fn);

  class FakeClient extends EventEmitter {
    constructor() {
      super();
      later(() => this.emit('connect'));
    }
    bind(dn: string, password: string, done: (error: Error | null) => void) {
      const refused = passwords[dn] !== password;
      mockRequests.push({ op: 'bind', dn, password, refused });
      const error = Object.assign(new Error('Invalid Credentials'), {
        name: 'InvalidCredentialsError',
      });
      later(() => done(refused ? error : null));
    }
    search(base: string, options: { filter: string }, done: (e: null, r: unknown) => void) {
      mockRequests.push({ op: 'search', base, filter: options.filter });
      const found =
        base === PEOPLE
          ? options.filter === '(uid=alice)'
            ? [{ dn: ALICE, uid: 'alice' }]
            : []
          : [{ dn: 'cn=mlrun-publishers,ou=groups,dc=mlrun,dc=test', cn: 'mlrun-publishers' }];
      const result = new EventEmitter();
      done(null, result);
      later(() => {
        for (const object of found) result.emit('searchEntry', { object });
        result.emit('end', { status: 0 });
      });
    }
    unbind(done?: () => void) {
      if (done) later(done);
    }
  }

  return { createClient: () => new FakeClient() };
});

const OPTIONS = {
  url: 'ldap://127.0.0.1:3890',
  bindDN: 'cn=admin,dc=mlrun,dc=test',
  bindCredentials: 'service-secret',
  searchBase: 'ou=people,dc=mlrun,dc=test',
  groupSearchBase: 'ou=groups,dc=mlrun,dc=test',
  timeoutMs: 2000,
};

describe(`${LdapUserDirectory.name} bind sequence`, () => {
  let sut: LdapUserDirectory;

  const requestsOf = async (username: string, password: string) => {
    mockRequests.length = 0;
    expect(await sut.authenticate(username, password)).toBeUndefined();
    return [...mockRequests];
  };
  // What an observer of the directory could compare: each request's kind, whom it binds
  // as, with which password, and how it ended.
  const shapeOf = (requests: LdapRequest[]) =>
    requests.map((r) =>
      r.op === 'search'
        ? `search ${r.base}`
        : `bind as ${r.dn === OPTIONS.bindDN ? 'service' : 'a user DN'} with ${
            r.password === OPTIONS.bindCredentials ? 'the service password' : r.password
          }: ${r.refused ? 'refused' : 'accepted'}`,
    );

  beforeEach(() => {
    sut = new LdapUserDirectory(OPTIONS);
  });
  afterEach(() => sut.close());

  it('sends an unknown user the binds and searches of a wrong password, refused alike', async () => {
    const wrongPassword = await requestsOf('alice', 'guess-password-1');
    const unknownUser = await requestsOf('nobody', 'guess-password-1');
    const expected = [
      'bind as service with the service password: accepted',
      'search ou=people,dc=mlrun,dc=test',
      'bind as a user DN with guess-password-1: refused',
    ];
    expect(shapeOf(wrongPassword)).toEqual(expected);
    expect(shapeOf(unknownUser)).toEqual(expected);
    // The unknown user's bind is as a DN no entry has, shaped like a user's.
    expect(unknownUser[2]).toMatchObject({ op: 'bind', dn: sut.dummyDn });
    expect(sut.dummyDn).toMatch(/^uid=mlrun-no-such-user-[0-9a-f]{24},ou=people,dc=mlrun,dc=test$/);
  });

  it('still logs in the right password, with one user bind and the group search', async () => {
    mockRequests.length = 0;
    expect(await sut.authenticate('alice', 'alice-password-123')).toEqual({
      username: 'alice',
      groups: ['mlrun-publishers'],
      scopes: ['models:write:*', 'predict:*'],
    });
    expect(mockRequests.map((r) => r.op)).toEqual(['bind', 'search', 'bind', 'search']);
  });
});
