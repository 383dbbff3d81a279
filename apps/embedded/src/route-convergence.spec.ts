import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ZipFile } from 'yazl';

import { untilValue } from '@ml-run/async/testing';
import { builderConfigShape, createBuilderApp } from '@ml-run/builder';
import type { RequestAuthorizer } from '@ml-run/builder-registry';
import { loadConfig } from '@ml-run/config';
import { MemoryDeployer } from '@ml-run/deployer/testing';
import { MemoryEventBus, type BusEvent } from '@ml-run/event-bus';
import type { BuildRecord, ModelEvent, UploadResponse } from '@ml-run/registry-contract';
import { createRouterApp, routerConfigShape } from '@ml-run/router';
import type { ServiceApp } from '@ml-run/server';

// Item 6 of issue 13: a lifecycle event whose publish fails is mended by the router's
// periodic reconcile with the builder's route table, within the reconcile period.

const ROUTE_TABLE_TOKEN = 'convergence-spec-service-token-0123456789';
const RECONCILE_SECONDS = 2;
const ECHO = path.resolve(__dirname, '../../../examples/echo-node');
const CALLER = { authorization: 'Bearer checked-by-the-replica' };

/** The bus as Kafka would be when it refuses a publish for good: `refuse` says which. */
class LossyBus extends MemoryEventBus {
  refuse: (event: BusEvent) => boolean = () => false;
  readonly refused: BusEvent[] = [];

  override async publish<E extends BusEvent>(topic: string, event: E): Promise<void> {
    if (this.refuse(event)) {
      this.refused.push(event);
      throw new Error('kafka refused the publish');
    }
    await super.publish(topic, event);
  }
}

// Every request is the publisher's: access rules are not what this spec is about.
const anyone: RequestAuthorizer = {
  authorize: () => ({ sub: 'ada', tokenId: 'test', scopes: ['admin'], groups: [] }),
  refusalReply: () => undefined,
};

/** A replica stand-in that names the version it serves. */
async function replica(version: string): Promise<Server> {
  const server = createServer((_request, response) => response.end(`served by ${version}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function echoZip(codeVersion: string): Promise<Buffer> {
  const zip = new ZipFile();
  for (const entry of await readdir(ECHO, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    const name = path.relative(ECHO, file).split(path.sep).join('/');
    zip.addBuffer(
      Buffer.from(text.replace(/^codeVersion: .*$/m, `codeVersion: ${codeVersion}`)),
      name,
    );
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('router convergence after a lost lifecycle event', () => {
  // Two uploads and builds on a loaded machine take more than Jest's default 5 s.
  jest.setTimeout(60_000);

  let dataDir: string;
  let bus: LossyBus;
  const replicas = new Map<string, Server>();
  let builder: ServiceApp;
  let router: ServiceApp;

  const upload = async (codeVersion: string): Promise<string> => {
    const res = await builder.inject({
      method: 'POST',
      url: '/v1/models',
      headers: { ...CALLER, 'content-type': 'application/zip' },
      payload: await echoZip(codeVersion),
    });
    expect(res.statusCode).toBeLessThan(300);
    const { version, buildId } = res.json<UploadResponse>();
    const build = () => builder.inject({ url: `/v1/builds/${buildId}`, headers: CALLER });
    const state = (
      await untilValue(
        build,
        (r) => /succeeded|failed/.test(r.json<BuildRecord>().state),
        30_000,
        100,
      )
    ).json<BuildRecord>().state;
    expect(state).toBe('succeeded');
    replicas.set(version, await replica(version));
    return version;
  };
  const deploy = (version: string) =>
    builder.inject({
      method: 'POST',
      url: `/v1/models/echo/versions/${encodeURIComponent(version)}/deployment`,
      headers: CALLER,
      payload: { target: 'process', replicas: 1 },
    });
  const stable = () =>
    router.inject({
      method: 'POST',
      url: '/v1/models/echo/predict',
      headers: CALLER,
      payload: 'hi',
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'convergence-'));
    bus = new LossyBus();
    const deployer = new MemoryDeployer({
      urlFor: (_name, version) => {
        const address = replicas.get(version)?.address() as AddressInfo;
        return `http://127.0.0.1:${address.port}`;
      },
    });
    builder = await createBuilderApp(
      loadConfig(builderConfigShape, {
        MLRUN_PORT: '0',
        MLRUN_LOG_LEVEL: 'silent',
        MLRUN_DATA_DIR: dataDir,
        MLRUN_DRAIN_SECONDS: '0',
      }),
      {
        events: bus,
        deployer,
        authorizer: anyone,
        credentials: { 'route-table': ROUTE_TABLE_TOKEN },
        wrapperEnv: { MLRUN_AUTH_MODE: 'disabled' },
      },
      { handleSignals: false },
    );
    const builderUrl = await builder.listen();
    router = await createRouterApp(
      loadConfig(routerConfigShape, {
        MLRUN_PORT: '0',
        MLRUN_LOG_LEVEL: 'silent',
        MLRUN_BUILDER_URL: builderUrl,
        MLRUN_ROUTE_TABLE_TOKEN: ROUTE_TABLE_TOKEN,
        MLRUN_ROUTES_RECONCILE_SECONDS: String(RECONCILE_SECONDS),
      }),
      { events: bus },
      { handleSignals: false },
    );
  });
  afterAll(async () => {
    await router?.close();
    await builder?.close();
    for (const server of replicas.values()) server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends the alias to the new version within the reconcile period, though its alias.changed was lost', async () => {
    const [first, second] = [await upload('1.0.0'), await upload('2.0.0')];
    expect((await deploy(first)).statusCode).toBeLessThan(300);
    await untilValue(stable, (res) => res.body === `served by ${first}`, 10_000, 100);

    // Kafka refuses the one event that moves stable; every other event gets through.
    bus.refuse = (event) => (event as ModelEvent).type === 'alias.changed';
    const started = Date.now();
    expect((await deploy(second)).statusCode).toBeLessThan(300);
    const refused = await untilValue(
      async () => bus.refused,
      (events) => events.length > 0,
      10_000,
      100,
    );
    expect(refused).toEqual([
      expect.objectContaining({ type: 'alias.changed', name: 'echo', alias: 'stable' }),
    ]);

    // Convergence, not speed, is the claim: the deadline leaves a loaded machine room.
    const periodMs = RECONCILE_SECONDS * 1000;
    await untilValue(
      stable,
      (res) => res.body === `served by ${second}`,
      2 * periodMs + 10_000,
      100,
    );
    expect(Date.now() - started).toBeLessThan(2 * periodMs + 10_000);
  });
});
