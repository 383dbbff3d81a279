import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  Exec,
  KubeConfig,
  type V1Container,
  type V1Pod,
  type V1PodSpec,
  type V1Status,
} from '@kubernetes/client-node';

import { kubernetesUnderTest } from './kubernetes-under-test';
import { registryUnderTest } from './registry-under-test';
import { REPO_ROOT } from './service-process';

// The local cluster of tools/services/kubernetes, proven on the live cluster: the node,
// pulls from the local registry with a pull secret only, PodSecurity `restricted`, pod
// and Service networking, DNS, the Route CRD, and the firewall that keeps pod traffic on
// this machine.
const K8S = kubernetesUnderTest();
const REGISTRY = registryUnderTest();
const RUN = randomBytes(4).toString('hex');
const NAMESPACE = `mlrun-k8s-test-${RUN}`;
const PULL_SECRET = 'registry-pull';

const kc = new KubeConfig();
kc.loadFromFile(K8S.kubeconfigPath);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const discovery = kc.makeApiClient(DiscoveryV1Api);

// The tiny test image (USER 10001, busybox applets), built and pushed when missing.
function busyboxImage(): string {
  const script = path.join(REPO_ROOT, 'tools/images/build-busybox.sh');
  execFileSync(script, ['--push'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return execFileSync(script, ['--print-tag'], { encoding: 'utf8' }).trim();
}

// What PodSecurity `restricted` requires of every container.
const RESTRICTED = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function podOf(
  name: string,
  image: string,
  command: string[],
  container: Partial<V1Container> = {},
): V1Pod & { spec: V1PodSpec } {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      imagePullSecrets: [{ name: PULL_SECRET }],
      containers: [{ name: 'main', image, command, securityContext: RESTRICTED, ...container }],
      terminationGracePeriodSeconds: 0,
    },
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function readyPod(name: string): Promise<V1Pod> {
  return until(`pod ${name} ready`, async () => {
    const pod = await core.readNamespacedPod({ name, namespace: NAMESPACE });
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    return ready ? pod : undefined;
  });
}

function collector() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

// Runs a command in a pod (apiserver → kubelet → containerd streams); its exit status and output.
async function run(pod: string, command: string[]): Promise<{ ok: boolean; out: string }> {
  const out = collector();
  const err = collector();
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kc)
      .exec(NAMESPACE, pod, 'main', command, out.stream, err.stream, null, false, resolve)
      .then((ws) => ws.on('error', reject))
      .catch(reject);
  });
  return { ok: status.status === 'Success', out: out.text() + err.text() };
}

// busybox wget's own -T crashes (SIGSEGV) in this build; `timeout` bounds it instead.
const WGET = ['timeout', '10', 'wget', '-q', '-O', '-'];

function httpGet(url: string): Promise<string> {
  return fetch(url, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text());
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function sh(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' });
}

// Packets the firewall chain dropped so far (all its DROP rules together).
function droppedPackets(): number {
  const table = ['-t', K8S.firewallTable];
  return sh('iptables', ['-w', ...table, '-L', K8S.firewallChain, '-v', '-x', '-n'])
    .split('\n')
    .filter((line) => /\sDROP\s/.test(line))
    .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[0]), 0);
}

describe('the local Kubernetes (tools/services/kubernetes)', () => {
  let image = '';
  let web: V1Pod;
  let client: V1Pod;

  beforeAll(async () => {
    image = busyboxImage();
    await core.createNamespace({
      body: {
        metadata: {
          name: NAMESPACE,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
          },
        },
      },
    });
    const auth = Buffer.from(`${REGISTRY.pull.username}:${REGISTRY.pull.password}`).toString(
      'base64',
    );
    await core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name: PULL_SECRET },
        type: 'kubernetes.io/dockerconfigjson',
        stringData: {
          '.dockerconfigjson': JSON.stringify({ auths: { [REGISTRY.address]: { auth } } }),
        },
      },
    });
    await until('the default service account', () =>
      core.readNamespacedServiceAccount({ name: 'default', namespace: NAMESPACE }),
    );
    const webPod = podOf('web', image, ['httpd', '-f', '-p', '8080', '-h', '/www'], {
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
    });
    await core.createNamespacedPod({ namespace: NAMESPACE, body: webPod });
    await core.createNamespacedPod({
      namespace: NAMESPACE,
      body: podOf('client', image, ['sleep', '3600']),
    });
    await core.createNamespacedService({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
    web = await readyPod('web');
    client = await readyPod('client');
  }, 240_000);

  afterAll(async () => {
    await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  });

  it('has its node Ready on the node IP, and advertises the apiserver there', async () => {
    const node = await core.readNode({ name: K8S.nodeName });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: K8S.nodeIp });
    expect(node.status?.nodeInfo?.kubeletVersion).toBe(K8S.kubernetesVersion);
    const endpoints = await core.readNamespacedEndpoints({
      name: 'kubernetes',
      namespace: 'default',
    });
    expect(endpoints.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual([K8S.nodeIp]);
  });

  it('runs restricted pods from the local registry, pulled with the pod’s pull secret', () => {
    expect(web.spec?.containers[0]?.image).toBe(image);
    expect(web.status?.podIP).toMatch(/^10\.214\.0\.\d+$/);
    expect(client.status?.podIP).toMatch(/^10\.214\.0\.\d+$/);
  });

  it('refuses to pull without a pull secret (the node has no registry credential)', async () => {
    // Always: the image is on the node already (the pods above), and a pull is the point.
    const pod = podOf('anonymous', image, ['sleep', '60'], { imagePullPolicy: 'Always' });
    pod.spec.imagePullSecrets = [];
    await core.createNamespacedPod({ namespace: NAMESPACE, body: pod });
    const reason = await until('the pull to fail', async () => {
      const p = await core.readNamespacedPod({ name: 'anonymous', namespace: NAMESPACE });
      const waiting = p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' ? waiting : undefined;
    });
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(reason);
  });

  it('refuses a pod that breaks PodSecurity restricted', async () => {
    const rooted = { securityContext: { ...RESTRICTED, runAsUser: 0 } };
    const pod = podOf('rooted', image, ['sleep', '60'], rooted);
    await expect(core.createNamespacedPod({ namespace: NAMESPACE, body: pod })).rejects.toThrow(
      /HTTP-Code: 403[\s\S]*violates PodSecurity[\s\S]*runAsUser=0/,
    );
  });

  it('lets the host reach a pod IP directly', async () => {
    expect(await httpGet(`http://${web.status?.podIP}:8080/healthz`)).toBe('ok\n');
  });

  it('lets a pod reach a host listener on the node IP', async () => {
    const token = randomBytes(8).toString('hex');
    const server = createServer((_req, res) => res.end(token));
    const port = await listen(server, K8S.nodeIp);
    try {
      const got = await run('client', [...WGET, `http://${K8S.nodeIp}:${port}/`]);
      expect(got).toEqual({ ok: true, out: token });
    } finally {
      server.close();
    }
  });

  it('resolves a Service name through CoreDNS and routes its ClusterIP from a pod', async () => {
    const service = await core.readNamespacedService({ name: 'web', namespace: NAMESPACE });
    const clusterIp = service.spec?.clusterIP ?? '';
    expect(clusterIp).toMatch(/^10\.215\.\d+\.\d+$/);
    const name = `web.${NAMESPACE}.svc.${K8S.clusterDomain}`;
    const lookup = await run('client', ['nslookup', name]);
    expect(lookup.ok).toBe(true);
    expect(lookup.out).toContain(clusterIp);
    // Through the short name (the pod's search path) and through the ClusterIP.
    expect(await run('client', [...WGET, 'http://web/healthz'])).toEqual({
      ok: true,
      out: 'ok\n',
    });
    // A pod reaching itself through its own Service (hairpin on the bridge).
    expect(await run('web', [...WGET, `http://${clusterIp}/healthz`])).toEqual({
      ok: true,
      out: 'ok\n',
    });
  });

  it('resolves no name outside the cluster (no upstream DNS)', async () => {
    const lookup = await run('client', ['nslookup', 'registry.npmjs.org']);
    expect(lookup.ok).toBe(false);
  });

  it('lets pods reach the apiserver through the kubernetes Service', async () => {
    // Plain HTTP to the HTTPS port: the apiserver's own answer proves who listens there.
    const host = `kubernetes.default.svc.${K8S.clusterDomain}`;
    const answer = await run('client', [
      'sh',
      '-c',
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${host} 443`,
    ]);
    expect(answer.out).toContain('Client sent an HTTP request to an HTTPS server');
  });

  it('has the openshift Route CRD installed', async () => {
    const route = await custom.createNamespacedCustomObject({
      group: 'route.openshift.io',
      version: 'v1',
      namespace: NAMESPACE,
      plural: 'routes',
      dryRun: 'All',
      body: {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: { name: 'web' },
        spec: { to: { kind: 'Service', name: 'web' }, tls: { termination: 'edge' } },
      },
    });
    expect(route).toMatchObject({ kind: 'Route', spec: { to: { name: 'web' } } });
  });

  describe('keeps pod traffic on this machine', () => {
    // A stand-in for "outside": a network namespace of this test's own, behind a veth
    // pair, at an address in none of the cluster's ranges, where a UDP listener reports
    // every datagram (UDP: the pod needs no answer, so arrival alone is what counts).
    // The host reaches it, so the target works; a pod's datagram must not arrive, by
    // address or through a Service, and the firewall chain is what drops it.
    const netns = `mlrun-k8s-out-${RUN}`;
    const hostSide = `mlko${RUN.slice(0, 6)}`;
    const hostSideIp = '10.216.255.1';
    const outsideIp = '10.216.255.2';
    const port = 18_999;
    const senders: string[] = [];
    let listener: ChildProcess | undefined;

    beforeAll(async () => {
      sh('ip', ['netns', 'add', netns]);
      sh('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
      sh('ip', ['addr', 'add', `${hostSideIp}/30`, 'dev', hostSide]);
      sh('ip', ['link', 'set', hostSide, 'up']);
      sh('ip', ['-n', netns, 'addr', 'add', `${outsideIp}/30`, 'dev', 'eth0']);
      sh('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
      const script = [
        "const s = require('dgram').createSocket('udp4');",
        "s.on('message', (m, r) => console.log('from ' + r.address));",
        `s.bind(${port}, '${outsideIp}', () => console.log('ready'));`,
      ].join('');
      listener = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      listener.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line) senders.push(line);
      });
      await until('the outside listener', async () =>
        senders.includes('ready') ? true : undefined,
      );
    }, 60_000);

    afterAll(() => {
      listener?.kill('SIGKILL');
      for (const args of [
        ['link', 'del', hostSide],
        ['netns', 'del', netns],
      ]) {
        try {
          sh('ip', args);
        } catch {
          // already gone
        }
      }
    });

    // Datagrams the listener got so far.
    const arrived = () => senders.filter((line) => line.startsWith('from ')).length;
    const settle = () => new Promise((r) => setTimeout(r, 1_000));
    // busybox has no UDP client but nslookup: a DNS query to the outside "server".
    const query = (server: string, p: number) =>
      run('client', ['timeout', '4', 'nslookup', `-port=${p}`, 'probe.test', server]);

    it('reaches the outside stand-in from the host (the target works)', async () => {
      const probe = createSocket('udp4');
      await new Promise<void>((resolve, reject) =>
        probe.send('probe', port, outsideIp, (error) => (error ? reject(error) : resolve())),
      );
      probe.close();
      await until('the host’s datagram', async () =>
        senders.includes(`from ${hostSideIp}`) ? true : undefined,
      );
    });

    it('drops a pod datagram bound for an address outside the cluster ranges', async () => {
      const before = { arrived: arrived(), dropped: droppedPackets() };
      await query(outsideIp, port);
      await settle();
      expect(arrived()).toBe(before.arrived);
      expect(droppedPackets()).toBeGreaterThan(before.dropped);
    });

    it('drops it too through a Service whose endpoint is outside (masqueraded by kube-proxy)', async () => {
      await core.createNamespacedService({
        namespace: NAMESPACE,
        body: {
          metadata: { name: 'outside' },
          spec: { ports: [{ port: 5353, protocol: 'UDP', targetPort: port }] },
        },
      });
      await discovery.createNamespacedEndpointSlice({
        namespace: NAMESPACE,
        body: {
          metadata: { name: 'outside-1', labels: { 'kubernetes.io/service-name': 'outside' } },
          addressType: 'IPv4',
          endpoints: [{ addresses: [outsideIp] }],
          ports: [{ port, protocol: 'UDP' }],
        },
      });
      const service = await core.readNamespacedService({ name: 'outside', namespace: NAMESPACE });
      await until('kube-proxy’s rules for the Service', async () =>
        sh('iptables-save', ['-t', 'nat']).includes(`${outsideIp}:${port}`) ? true : undefined,
      );
      const before = { arrived: arrived(), dropped: droppedPackets() };
      await query(service.spec?.clusterIP ?? '', 5353);
      await settle();
      expect(arrived()).toBe(before.arrived);
      expect(droppedPackets()).toBeGreaterThan(before.dropped);
    });
  });
});
