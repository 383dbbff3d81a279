import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';

import { OwnersMigration } from '@ml-run/builder-registry';
import { FileRegistryStore } from '@ml-run/registry-store';
import { versionRecord } from '@ml-run/registry-store/testing';

import { versionUrl, write } from '../../testing/builder-requests';
import { ADMIN_TOKEN, bearer } from '../../testing/fake-authorizer';
import { startTestBuilder, type TestBuilder } from '../../testing/start-test-builder';

const MIGRATED = 'models without owners given to the admins';

// A registry written before models had owners: two models, no owners recorded.
describe(OwnersMigration.name, () => {
  let sut: TestBuilder;
  let logged: unknown[][];

  beforeEach(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'builder-owners-'));
    const legacy = new FileRegistryStore(path.join(dataDir, 'registry'));
    const built = (name: string, version: string, buildId: string) => ({
      ...versionRecord(name, version, '2026-01-01T00:00:00Z', 'built'),
      buildId,
    });
    await legacy.putVersion(built('iris', '1.0.0+aaaaaaaaaaaa', 'b-legacy-1'));
    await legacy.putVersion(built('echo', '1.0.0+bbbbbbbbbbbb', 'b-legacy-2'));
    logged = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    sut = await startTestBuilder({ dataDir });
  });
  afterEach(async () => {
    await sut.close();
    jest.restoreAllMocks();
  });

  const migrations = () => logged.filter((args) => args.includes(MIGRATED));
  const ownersOf = async (name: string) =>
    (
      await sut.app.inject({
        method: 'GET',
        url: `/v1/models/${name}`,
        headers: bearer(ADMIN_TOKEN),
      })
    ).json().owners;

  it('gives every model without owners to the admins at start, saying so once', async () => {
    for (const name of ['iris', 'echo']) {
      expect(await ownersOf(name)).toEqual({
        users: [],
        groups: [],
        assignedBy: 'migration',
        assignedAt: expect.any(String),
      });
    }
    expect(migrations()).toEqual([[{ models: ['echo', 'iris'], count: 2 }, MIGRATED]]);
  });

  it('does nothing, and logs nothing, the next time (idempotent)', async () => {
    const first = await ownersOf('iris');
    sut = await sut.restart();
    expect(await ownersOf('iris')).toEqual(first);
    expect(migrations()).toHaveLength(1);
    expect(await sut.app.nest.get(OwnersMigration).migrate()).toEqual([]);
  });

  it("keeps a publisher's hands off a migrated model; an admin may change it", async () => {
    const url = '/v1/models/iris/aliases/stable';
    const publisher = await write(sut, 'PUT', url, { version: '1.0.0+aaaaaaaaaaaa' });
    expect(publisher.json()).toMatchObject({ code: 'NOT_MODEL_OWNER' });
    const admin = await sut.app.inject({
      method: 'DELETE',
      url: `${versionUrl('iris', '1.0.0+aaaaaaaaaaaa')}/deployment`,
      headers: bearer(ADMIN_TOKEN),
    });
    // Past the door: the admin's request reaches the handler (nothing is deployed).
    expect(admin.json()).toMatchObject({ code: 'DEPLOYMENT_NOT_FOUND' });
  });
});
