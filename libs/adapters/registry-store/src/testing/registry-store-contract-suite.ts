// The behaviour every RegistryStore shares, as Jest cases: the file store's unit spec and
// the Ignite store's int-spec both run them. Test-only: imported by specs, never by code.
import type { BuildRecord, ModelOwners, ModelVersionRecord } from '@ml-run/registry-contract';

import type { DesiredDeployment, RegistryStore } from '../lib/registry-store.port';

/** Where one test's registry lives (a temp folder, a key prefix). */
export type RegistryStoreBacking = {
  /** A store over this backing; calling it again is a restart: a new store, same data. */
  open(): RegistryStore;
  /** Removes what the test wrote. */
  dispose(): Promise<void>;
};

type Context = { backing: RegistryStoreBacking; sut: RegistryStore };

export const versionRecord = (
  name: string,
  v: string,
  uploadedAt: string,
  state: ModelVersionRecord['state'] = 'uploaded',
): ModelVersionRecord => ({
  name,
  version: v,
  codeVersion: v.split('+')[0] ?? v,
  coefficientsDigest: 'c'.repeat(64),
  runtime: 'python',
  bundleSha256: 'b'.repeat(64),
  bundleBytes: 100,
  defaultReplicas: 1,
  uploadedBy: 'ada',
  uploadedAt,
  buildId: `b-${v}`,
  state,
});

export const buildRecord: BuildRecord = {
  id: 'b-1',
  name: 'iris',
  version: '1.0.0+aaaaaaaaaaaa',
  state: 'queued',
  steps: [],
  log: [],
  createdAt: '2026-01-01T00:00:00.000Z',
};

const desired = (name: string, version: string, replicas = 1): DesiredDeployment => ({
  name,
  version,
  target: 'process',
  replicas,
  updatedAt: 'now',
});

const stable = { stable: { versions: [{ version: 'v', weight: 100 }] } };

/** Runs the shared RegistryStore cases; `makeBacking` gives each test an empty registry. */
export function registryStoreContract(
  describeName: string,
  makeBacking: () => Promise<RegistryStoreBacking>,
): void {
  describe(describeName, () => {
    const ctx = {} as Context;
    beforeEach(async () => {
      ctx.backing = await makeBacking();
      ctx.sut = ctx.backing.open();
    });
    afterEach(() => ctx.backing.dispose());

    versionCases(ctx);
    aliasCases(ctx);
    buildAndDeploymentCases(ctx);
    ownerCases(ctx);
    restartAndNameCases(ctx);
  });
}

function versionCases(ctx: Context): void {
  it('keeps versions per model, oldest upload first', async () => {
    const { sut } = ctx;
    await sut.putVersion(versionRecord('iris', '1.1.0+bbbbbbbbbbbb', '2026-01-02T00:00:00.000Z'));
    await sut.putVersion(versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    await sut.putVersion(versionRecord('echo', '1.0.0+aaaaaaaaaaaa', '2026-01-03T00:00:00.000Z'));
    expect(await sut.listModels()).toEqual(['echo', 'iris']);
    expect((await sut.listVersions('iris')).map((v) => v.version)).toEqual([
      '1.0.0+aaaaaaaaaaaa',
      '1.1.0+bbbbbbbbbbbb',
    ]);
    expect(await sut.getVersion('iris', '1.0.0+aaaaaaaaaaaa')).toMatchObject({ state: 'uploaded' });
    expect(await sut.getVersion('iris', '9.9.9+aaaaaaaaaaaa')).toBeUndefined();
    expect(await sut.listVersions('nope')).toEqual([]);
  });

  it('replaces a version on a second put (a state change), listing it once', async () => {
    const { sut } = ctx;
    await sut.putVersion(versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    await sut.putVersion(
      versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z', 'built'),
    );
    expect(await sut.listVersions('iris')).toEqual([
      expect.objectContaining({ version: '1.0.0+aaaaaaaaaaaa', state: 'built' }),
    ]);
  });

  it('lists only models that have a version', async () => {
    const { sut } = ctx;
    await sut.updateAliases('echo', () => stable);
    await sut.setDesiredDeployment('other', 'v', desired('other', 'v'));
    await sut.putVersion(versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    expect(await sut.listModels()).toEqual(['iris']);
  });
}

function aliasCases(ctx: Context): void {
  it('has no aliases for a model never given any', async () => {
    expect(await ctx.sut.getAliases('iris')).toEqual({});
  });

  it('stores what an alias update returns, handing it the current aliases', async () => {
    const { sut } = ctx;
    const seen: unknown[] = [];
    expect(await sut.updateAliases('iris', (current) => (seen.push(current), stable))).toEqual(
      stable,
    );
    const canary = { versions: [{ version: 'w', weight: 100 }] };
    await sut.updateAliases('iris', (current) => (seen.push(current), { ...current, canary }));
    expect(seen).toEqual([{}, stable]);
    expect(await sut.getAliases('iris')).toEqual({ ...stable, canary });
  });

  it('keeps the aliases when an update returns them unchanged', async () => {
    const { sut } = ctx;
    await sut.updateAliases('iris', () => stable);
    expect(await sut.updateAliases('iris', (current) => current)).toEqual(stable);
    expect(await sut.getAliases('iris')).toEqual(stable);
  });

  it('loses no alias update when many run at once', async () => {
    const { sut } = ctx;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        sut.updateAliases('iris', (aliases) => ({ ...aliases, [`a${i}`]: { versions: [] } })),
      ),
    );
    expect(Object.keys(await sut.getAliases('iris')).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `a${i}`).sort(),
    );
  });
}

function buildAndDeploymentCases(ctx: Context): void {
  it('keeps builds by id; an unknown or invalid id is not found', async () => {
    const { sut } = ctx;
    await sut.putBuild(buildRecord);
    await sut.putBuild({ ...buildRecord, state: 'running' });
    expect(await sut.getBuild('b-1')).toEqual({ ...buildRecord, state: 'running' });
    expect(await sut.getBuild('b-2')).toBeUndefined();
    expect(await sut.getBuild('../b-1')).toBeUndefined();
    await expect(sut.putBuild({ ...buildRecord, id: '../b' })).rejects.toThrow('invalid build id');
  });

  it('forgets a desired deployment', async () => {
    const { sut } = ctx;
    await sut.setDesiredDeployment('iris', 'a', desired('iris', 'a'));
    await sut.setDesiredDeployment('iris', 'b', desired('iris', 'b'));
    await sut.setDesiredDeployment('iris', 'a', undefined);
    expect((await sut.listDesiredDeployments('iris')).map((d) => d.version)).toEqual(['b']);
  });

  it('lists the desired deployments of one model or of every model', async () => {
    const { sut } = ctx;
    await sut.setDesiredDeployment('iris', 'a', desired('iris', 'a'));
    await sut.setDesiredDeployment('echo', 'b', desired('echo', 'b', 3));
    await sut.setDesiredDeployment('iris', 'c', desired('iris', 'c'));
    expect(await sut.listDesiredDeployments()).toEqual([
      desired('echo', 'b', 3),
      desired('iris', 'a'),
      desired('iris', 'c'),
    ]);
    expect((await sut.listDesiredDeployments('iris')).map((d) => d.version)).toEqual(['a', 'c']);
    expect(await sut.listDesiredDeployments('nope')).toEqual([]);
  });
}

const owners = (users: string[], groups: string[] = []): ModelOwners => ({
  users,
  groups,
  assignedBy: 'creation',
  assignedAt: '2026-01-01T00:00:00.000Z',
});

function ownerCases(ctx: Context): void {
  it('has no owners for a model nobody claimed', async () => {
    expect(await ctx.sut.getOwners('iris')).toBeUndefined();
  });

  it('records owners once: the first claim wins, later ones get the stored owners', async () => {
    const { sut } = ctx;
    expect(await sut.claimOwners('iris', owners(['ada'], ['data-team']))).toEqual(
      owners(['ada'], ['data-team']),
    );
    expect(await sut.claimOwners('iris', owners(['mallory']))).toEqual(
      owners(['ada'], ['data-team']),
    );
    expect(await sut.getOwners('iris')).toEqual(owners(['ada'], ['data-team']));
    expect(await sut.getOwners('echo')).toBeUndefined();
  });

  it('gives a model to exactly one of many simultaneous claimants', async () => {
    const { sut } = ctx;
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map((user) => sut.claimOwners('iris', owners([user]))),
    );
    const stored = await sut.getOwners('iris');
    expect(claims.every((claim) => claim.users[0] === stored?.users[0])).toBe(true);
  });

  it('keeps who deployed a desired deployment', async () => {
    const { sut } = ctx;
    await sut.setDesiredDeployment('iris', 'a', { ...desired('iris', 'a'), deployedBy: 'ada' });
    expect(await sut.listDesiredDeployments('iris')).toEqual([
      { ...desired('iris', 'a'), deployedBy: 'ada' },
    ]);
  });
}

function restartAndNameCases(ctx: Context): void {
  it('sees everything a previous store wrote (a restart)', async () => {
    const { sut } = ctx;
    await sut.putVersion(versionRecord('iris', '1.0.0+aaaaaaaaaaaa', '2026-01-01T00:00:00.000Z'));
    await sut.updateAliases('iris', () => stable);
    await sut.putBuild(buildRecord);
    await sut.setDesiredDeployment('iris', 'v', desired('iris', 'v', 2));
    await sut.claimOwners('iris', owners(['ada']));
    const reopened = ctx.backing.open();
    expect(await reopened.getOwners('iris')).toEqual(owners(['ada']));
    expect(await reopened.listModels()).toEqual(['iris']);
    expect(await reopened.listVersions('iris')).toHaveLength(1);
    expect(await reopened.getAliases('iris')).toEqual(stable);
    expect(await reopened.getBuild('b-1')).toEqual(buildRecord);
    expect(await reopened.listDesiredDeployments()).toEqual([
      expect.objectContaining({ version: 'v', replicas: 2 }),
    ]);
  });

  it('never finds or writes a name that is not a model name', async () => {
    const { sut } = ctx;
    expect(await sut.listVersions('../x')).toEqual([]);
    expect(await sut.getVersion('..', 'x')).toBeUndefined();
    expect(await sut.getAliases('Iris')).toEqual({});
    expect(await sut.listDesiredDeployments('a/b')).toEqual([]);
    expect(await sut.getBuild('../../etc/passwd')).toBeUndefined();
    expect(await sut.getOwners('../x')).toBeUndefined();
    await expect(sut.claimOwners('../x', owners(['ada']))).rejects.toThrow('invalid model name');
    await expect(
      sut.putVersion(versionRecord('../x', '1.0.0+aaaaaaaaaaaa', 'now')),
    ).rejects.toThrow('invalid model name');
    await expect(sut.updateAliases('a/b', (a) => a)).rejects.toThrow('invalid model name');
    await expect(sut.setDesiredDeployment('A', 'v', desired('A', 'v'))).rejects.toThrow(
      'invalid model name',
    );
    expect(await sut.listModels()).toEqual([]);
  });
}
