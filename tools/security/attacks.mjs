#!/usr/bin/env node
// The attacker's catalogue (issue 13): a black-box run against an embedded ML-RUN stack.
//
//   node tools/security/attacks.mjs [--repo <checkout>] [--port-base 18080] [--out file.md]
//
// It starts `npm start` in <checkout> (default: the checkout holding this file; it must be
// built or buildable) with a temporary HOME and MLRUN_DATA_DIR and its own ports, adds
// users with the CLI (alice and mallory: publishers; pat, rita, zed: predictors; ivy in a
// group with predict:iris only, added to the users file), lets alice push
// examples/iris-python (2 replicas) and mallory a model whose init fails, then attacks it
// over HTTP only, and as a co-located process of the same user (/proc/<pid>/environ and
// cmdline of the replicas, the data dir). It prints a markdown table
// (attack | request | answer | verdict) and stops every process it started.
//
// Verdicts: ALLOWED = the attack worked; REFUSED = it did not; NOT TRIED / INCONCLUSIVE say
// why. A row marked (control) is a request that should work, or should be refused on any
// version: it shows the attack around it is measured against a working stack.
//
// Plain Node ESM, no imports from the repo: it runs unchanged against old and new code.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------- options

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'usage: node tools/security/attacks.mjs [--repo <checkout>] [--port-base 18080] [--out <file.md>] [--reconcile-seconds 3600] [--keep-data]\n',
  );
  process.exit(0);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(option('repo', path.resolve(here, '../..')));
const portBase = Number(option('port-base', '18080'));
const outFile = option('out', undefined);
const keepData = args.includes('--keep-data');
// The router's reconcile period. From 2bd1855 to f0429dd embedded routers reloaded an empty
// snapshot every MLRUN_ROUTES_RECONCILE_SECONDS (default 30), forgetting every route; the
// catalogue sets the period to an hour by default so that, on those commits too, the router
// rows measure access, not that. 0 leaves the default.
const reconcileSeconds = Number(option('reconcile-seconds', '3600'));

const ports = {
  router: portBase,
  builder: portBase + 10,
  issuer: portBase + 11,
  validator: portBase + 12,
};
const HOST = '127.0.0.1';
const urls = Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, `http://${HOST}:${p}`]));

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mlrun-attacks-'));
const dataDir = path.join(tmp, 'data');
const home = path.join(tmp, 'home');
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
mkdirSync(home, { recursive: true });
const stackLog = path.join(tmp, 'stack.log');

const started = Date.now();
const log = (line) =>
  process.stderr.write(`[attacks +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

// ---------------------------------------------------------------- results

const rows = [];
const notes = [];
let rowNo = 0;

/** One table row. verdict: ALLOWED | REFUSED | NOT TRIED | INCONCLUSIVE (+ words). */
function row(attack, request, answer, verdict) {
  rowNo += 1;
  rows.push({ no: rowNo, attack, request, answer, verdict });
  log(`${rowNo}. ${attack} -> ${answer} => ${verdict}`);
}

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');

/** `401 MISSING_TOKEN`, or `no answer (ECONNREFUSED)`. */
function answerOf(r) {
  if (r.error) return `no answer (${r.error})`;
  const error = r.json?.error;
  const code = r.json?.code ?? (typeof error === 'string' ? error : (error?.code ?? ''));
  return `${r.status}${code ? ` ${code}` : ''}`;
}

const ok = (r) => r.status >= 200 && r.status < 300;
/** The router no longer knows the model: the row says nothing about access. */
const lostRoute = (r) => r.json?.code === 'MODEL_NOT_FOUND';
/** The usual verdict: a 2xx means the attacker got in. */
const verdictOf = (r) =>
  r.error
    ? 'INCONCLUSIVE'
    : lostRoute(r)
      ? 'INCONCLUSIVE (the router lost the route)'
      : ok(r)
        ? 'ALLOWED'
        : 'REFUSED';
/** For lists of statuses: a 404 means the router lost the route, not a refusal. */
const verdictOfStatuses = (statuses) =>
  statuses.includes(200)
    ? 'ALLOWED'
    : statuses.includes(404)
      ? 'INCONCLUSIVE (the router lost the route)'
      : 'REFUSED';

// ---------------------------------------------------------------- HTTP (node:http only)

/**
 * One request with a raw path, its own connection, an optional source address.
 * Resolves { status, headers, text, json } or { error }.
 */
function request(
  base,
  method,
  rawPath,
  { headers = {}, body, localAddress, timeoutMs = 20000 } = {},
) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (value) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    let req;
    try {
      const payload = body === undefined ? undefined : Buffer.from(body);
      req = http.request({
        host: hostname,
        port,
        method,
        path: rawPath,
        localAddress,
        agent: false,
        headers: {
          ...(payload ? { 'content-length': String(payload.length) } : {}),
          ...headers,
        },
      });
      req.setTimeout(timeoutMs, () => {
        req.destroy(new Error('TIMEOUT'));
      });
      req.on('error', (error) => done({ error: error.code ?? error.message }));
      req.on('response', (res) => {
        // an event stream stays open: its status is the answer
        if (String(res.headers['content-type']).includes('text/event-stream')) {
          done({ status: res.statusCode, headers: res.headers, text: '', stream: true });
          req.destroy();
          return;
        }
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', (error) => done({ error: error.code ?? error.message }));
        res.on('end', () => {
          const buffer = Buffer.concat(chunks);
          const text = buffer.toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          done({ status: res.statusCode, headers: res.headers, text, json, bytes: buffer.length });
        });
      });
      req.end(payload);
    } catch (error) {
      done({ error: error.code ?? error.message });
    }
  });
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });
const jsonHeaders = { 'content-type': 'application/json' };
const IRIS_INPUT = '{"features":[5.1,3.5,1.4,0.2]}';

async function login(username, password, localAddress, extraHeaders = {}) {
  return request(urls.issuer, 'POST', '/v1/auth/token', {
    headers: { ...jsonHeaders, ...extraHeaders },
    body: JSON.stringify({ grant_type: 'password', username, password }),
    localAddress,
  });
}

async function tokenOf(username, password) {
  const r = await login(username, password);
  if (!ok(r) || !r.json?.access_token)
    throw new Error(`login ${username}: ${answerOf(r)} ${r.text ?? ''}`);
  return { token: r.json.access_token, scope: r.json.scope };
}

function predictViaRouter(token, model = 'iris') {
  return request(urls.router, 'POST', `/v1/models/${model}/predict`, {
    headers: { ...jsonHeaders, ...(token ? bearer(token) : {}) },
    body: IRIS_INPUT,
  });
}

/** A raw socket that sends the head at once and then the body (or more headers) a byte at a time. */
function slowRequest(base, { head, drip, intervalMs, budgetMs, localAddress }) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const t0 = Date.now();
    let firstData;
    let statusLine = '';
    let timer;
    let closedAt;
    const socket = net.connect({ host: hostname, port: Number(port), localAddress });
    const finish = () => {
      clearInterval(timer);
      clearTimeout(budget);
      resolve({
        status: statusLine ? Number(statusLine.split(' ')[1]) : undefined,
        statusLine,
        answeredAfterMs: firstData === undefined ? undefined : firstData - t0,
        closedAfterMs: closedAt === undefined ? undefined : closedAt - t0,
      });
    };
    const budget = setTimeout(() => {
      socket.destroy();
      finish();
    }, budgetMs);
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (!socket.destroyed && socket.writable) socket.write(drip);
      }, intervalMs);
    });
    socket.on('data', (chunk) => {
      if (firstData === undefined) {
        firstData = Date.now();
        statusLine = chunk.toString('latin1').split('\r\n')[0];
        clearInterval(timer);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedAt = Date.now();
      finish();
    });
  });
}

// ---------------------------------------------------------------- the local process view

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`);
  } catch {
    return undefined;
  }
}

function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(name, 'stat')?.toString('utf8');
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    table.set(Number(name), ppid);
  }
  return table;
}

function descendantsOf(rootPid) {
  const table = processTable();
  const found = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of table) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(rootPid);
  return [...found];
}

const environOf = (pid) => {
  const raw = readProc(pid, 'environ');
  if (!raw) return undefined;
  const env = {};
  for (const entry of raw.toString('utf8').split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
};

/** Replica processes of this stack (node .../model-wrapper/main.js under our npm start). */
function replicaProcesses(rootPid) {
  const out = [];
  for (const pid of descendantsOf(rootPid)) {
    const cmdline = readProc(pid, 'cmdline')?.toString('utf8').split('\0').filter(Boolean);
    if (!cmdline || !/node/.test(path.basename(cmdline[0] ?? ''))) continue;
    if (!cmdline.some((arg) => arg.includes('model-wrapper'))) continue;
    const env = environOf(pid);
    if (!env?.MLRUN_PORT) continue;
    const model = env.MLRUN_MODEL_NAME ?? path.basename(path.dirname(env.MLRUN_MODEL_DIR ?? ''));
    out.push({ pid, cmdline, env, port: env.MLRUN_PORT, model, modelDir: env.MLRUN_MODEL_DIR });
  }
  return out;
}

const SECRET_NAME = /TOKEN|SECRET|CREDENTIAL|PASSWORD|KEY/i;
function credentialsIn(env) {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_NAME.test(k) && v.length >= 16 && !/^https?:\/\//.test(v))
    .map(([name, value]) => ({ name, value }));
}

/** Small secret-looking files under the data dir (two levels), as a same-uid process sees them. */
function secretFiles(dir, depth = 0, prefix = '') {
  const found = [];
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const name = prefix + entry.name;
    if (
      entry.isDirectory() &&
      depth < 1 &&
      !['models', 'bundles', 'uploads', 'registry', 'builds'].includes(entry.name)
    )
      found.push(...secretFiles(full, depth + 1, `${name}/`));
    else if (entry.isFile() && /password|token|secret|credential|key/i.test(entry.name)) {
      let value;
      try {
        value = readFileSync(full, 'utf8').trim();
      } catch {
        continue;
      }
      if (value.length < 16) continue;
      if (entry.name === 'cli-token.json') {
        try {
          value = JSON.parse(value).token ?? value;
        } catch {
          // as it is
        }
      } else if (value.length > 512 || value.includes('\n')) continue;
      found.push({ name, value });
    }
  }
  return found;
}

// ---------------------------------------------------------------- the stack

let stack;

function cli(cliArgs, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repo, 'dist/apps/cli/main.js'), ...cliArgs], {
      cwd: tmp,
      env: {
        ...baseEnv(),
        MLRUN_URL: urls.builder,
        MLRUN_ROUTER_URL: urls.router,
        MLRUN_AUTH_URL: urls.issuer,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, out: out.trim() });
    });
  });
}

/** The environment without any MLRUN_ setting of the caller's, plus our temporary dirs. */
function baseEnv() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('MLRUN_')),
  );
  return { ...env, HOME: home, MLRUN_DATA_DIR: dataDir };
}

async function startStack() {
  const out = openSync(stackLog, 'a');
  const env = {
    ...baseEnv(),
    MLRUN_ROUTER_PORT: String(ports.router),
    MLRUN_BUILDER_PORT: String(ports.builder),
    MLRUN_AUTH_ISSUER_PORT: String(ports.issuer),
    MLRUN_TOKEN_VALIDATOR_PORT: String(ports.validator),
    // npm start deploys this as admin; iris is alice's to create (ownership)
    MLRUN_EXAMPLE: path.join(repo, 'examples/echo-node'),
    npm_config_update_notifier: 'false',
    ...(reconcileSeconds > 0 ? { MLRUN_ROUTES_RECONCILE_SECONDS: String(reconcileSeconds) } : {}),
  };
  for (const [name, url] of Object.entries(urls)) {
    const r = await request(url, 'GET', '/healthz', { timeoutMs: 1000 });
    if (!r.error) throw new Error(`port of ${name} (${url}) is taken: pick another --port-base`);
  }
  const child = spawn('npm', ['start'], {
    cwd: repo,
    env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  stack = { pid: child.pid, child };
  log(`npm start in ${repo} (pid ${child.pid}), log ${stackLog}`);
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`npm start exited ${child.exitCode}: see ${stackLog}`);
    if (readFileSync(stackLog, 'utf8').includes('ready. try:')) return;
    await sleep(1000);
  }
  // npm start's own push of the example failed or hangs: the stack may still be usable
  if ((await request(urls.builder, 'GET', '/readyz')).status === 200) {
    notes.push('npm start did not report its example deployed within 240 s; went on');
    return;
  }
  throw new Error(`the stack did not come up in 240 s: see ${stackLog}`);
}

async function stopStack() {
  if (!stack) return;
  const pids = [stack.pid, ...descendantsOf(stack.pid)];
  log(`stopping the stack: SIGTERM to npm's process group ${stack.pid} (${pids.length} processes)`);
  try {
    process.kill(-stack.pid, 'SIGTERM');
  } catch {
    // gone
  }
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && pids.some(alive)) await sleep(250);
  for (const pid of pids.filter(alive)) {
    log(`still alive after 20 s, SIGKILL ${pid}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  stack = undefined;
}

// ---------------------------------------------------------------- bundles

function writeBoomModel(dir) {
  mkdirSync(path.join(dir, 'coefficients'), { recursive: true });
  writeFileSync(
    path.join(dir, 'ml-run.yaml'),
    [
      'name: boom',
      'runtime: node',
      'entry: model.js',
      'codeVersion: 1.0.0',
      'coefficients:',
      '  path: coefficients/',
      'replicas: 1',
      'initTimeoutSeconds: 20',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'coefficients/settings.json'), '{"n":1}\n');
  // init fails after 3 s (time for the attacker to find the process), naming a secret as
  // real init errors often do (a connection string)
  writeFileSync(
    path.join(dir, 'model.js'),
    [
      "'use strict';",
      'exports.init = async () => {',
      '  await new Promise((resolve) => setTimeout(resolve, 3000));',
      "  throw new Error('cannot reach postgres://svc:S3CR3T-FROM-INIT@10.0.0.5/features');",
      '};',
      'exports.predict = async (input) => input;',
      '',
    ].join('\n'),
  );
}

async function pack(dir, zip) {
  const r = await cli(['pack', dir, '-o', zip]);
  if (r.code !== 0 || !existsSync(zip)) throw new Error(`pack ${dir}: ${r.out}`);
  return readFileSync(zip);
}

function upload(token, zip) {
  return request(urls.builder, 'POST', '/v1/models', {
    headers: { 'content-type': 'application/zip', ...bearer(token) },
    body: zip,
    timeoutMs: 60_000,
  });
}

async function waitBuild(token, buildId) {
  const deadline = Date.now() + 180_000;
  let r;
  while (Date.now() < deadline) {
    r = await request(urls.builder, 'GET', `/v1/builds/${buildId}`, { headers: bearer(token) });
    if (r.json?.state === 'succeeded' || r.json?.state === 'failed') return r;
    await sleep(1000);
  }
  return r;
}

function deploy(token, name, version, replicas) {
  return request(
    urls.builder,
    'POST',
    `/v1/models/${name}/versions/${encodeURIComponent(version)}/deployment`,
    {
      headers: { ...jsonHeaders, ...bearer(token) },
      body: JSON.stringify({ replicas }),
      timeoutMs: 240_000,
    },
  );
}

// ---------------------------------------------------------------- the run

const pw = () => randomBytes(12).toString('base64url');
const users = {
  alice: { groups: 'publishers', password: pw() },
  mallory: { groups: 'publishers', password: pw() },
  pat: { groups: 'predictors', password: pw() },
  rita: { groups: 'predictors', password: pw() },
  zed: { groups: 'predictors', password: pw() },
};

async function main() {
  const commit = spawnSync('git', ['-C', repo, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' })
    .stdout.trim()
    .slice(0, 100);
  await startStack();
  const adminPassword = readFileSync(path.join(dataDir, 'admin-password'), 'utf8').trim();
  notes.push(
    `code: \`${commit}\` (${repo}); ports router ${ports.router}, builder ${ports.builder}, issuer ${ports.issuer}, validator ${ports.validator}`,
  );
  if (reconcileSeconds > 0)
    notes.push(
      `MLRUN_ROUTES_RECONCILE_SECONDS=${reconcileSeconds} (ignored by code without it): from 2bd1855 to f0429dd the embedded router reloaded an empty route snapshot at every reconcile (default 30 s) and answered 404 MODEL_NOT_FOUND for every model after it`,
    );

  // ---- users, tokens; a group allowed to predict iris only (an admin edits the users file)
  const usersFile = path.join(dataDir, 'users.json');
  let ivyGroup = false;
  try {
    const document = JSON.parse(readFileSync(usersFile, 'utf8'));
    if (document.groups && typeof document.groups === 'object' && !Array.isArray(document.groups)) {
      document.groups['iris-callers'] = ['predict:iris'];
      writeFileSync(usersFile, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
      users.ivy = { groups: 'iris-callers', password: pw() };
      ivyGroup = true;
    }
  } catch (error) {
    notes.push(`could not add the group iris-callers to the users file: ${error.message}`);
  }
  await sleep(1000);
  for (const [name, user] of Object.entries(users)) {
    const r = await cli(['users', 'add', name, '--groups', user.groups], {
      MLRUN_PASSWORD: user.password,
    });
    if (r.code !== 0) throw new Error(`users add ${name}: ${r.out}`);
  }
  await sleep(1500); // the issuer picks up the users file without a restart
  const admin = await tokenOf('admin', adminPassword);
  const alice = await tokenOf('alice', users.alice.password);
  const mallory = await tokenOf('mallory', users.mallory.password);
  const pat = await tokenOf('pat', users.pat.password);
  const patSpare = await tokenOf('pat', users.pat.password);
  const rita = await tokenOf('rita', users.rita.password);
  const ivy = ivyGroup ? await tokenOf('ivy', users.ivy.password) : undefined;
  notes.push(
    `users (ml-run users add): alice, mallory (publishers), pat, rita, zed (predictors); scopes granted at login: admin \`${admin.scope}\`, alice \`${alice.scope}\`, mallory \`${mallory.scope}\`, pat \`${pat.scope}\``,
  );

  // ---- alice creates iris
  const irisZip = await pack(path.join(repo, 'examples/iris-python'), path.join(tmp, 'iris.zip'));
  const evilDir = path.join(tmp, 'iris-evil');
  cpSync(path.join(repo, 'examples/iris-python'), evilDir, { recursive: true });
  const manifest = path.join(evilDir, 'ml-run.yaml');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace(/^codeVersion: .*$/m, 'codeVersion: 9.9.9'),
  );
  const evilZip = await pack(evilDir, path.join(tmp, 'iris-evil.zip'));
  writeBoomModel(path.join(tmp, 'boom'));
  const boomZip = await pack(path.join(tmp, 'boom'), path.join(tmp, 'boom.zip'));

  let irisOwner = alice;
  let up = await upload(alice.token, irisZip);
  if (!ok(up)) {
    notes.push(
      `alice's upload of iris answered ${answerOf(up)}: this version does not let a publisher create a model; admin created it instead (the ownership rows then test admin's model)`,
    );
    irisOwner = admin;
    up = await upload(admin.token, irisZip);
  } else notes.push(`alice uploaded iris: ${answerOf(up)}`);
  if (!up.json?.version) throw new Error(`iris upload: ${answerOf(up)} ${up.text}`);
  const irisVersion = up.json.version;
  const irisBuild = up.json.buildId;
  const built = await waitBuild(irisOwner.token, irisBuild);
  if (built?.json?.state !== 'succeeded') throw new Error(`iris build: ${built?.text}`);
  let dep = await deploy(irisOwner.token, 'iris', irisVersion, 2);
  if (!ok(dep) && irisOwner === alice) {
    notes.push(`alice's deploy of iris answered ${answerOf(dep)}: admin deployed it`);
    dep = await deploy(admin.token, 'iris', irisVersion, 2);
  }
  if (!ok(dep)) throw new Error(`iris deploy: ${answerOf(dep)} ${dep.text}`);
  notes.push(`iris ${irisVersion} built and deployed with 2 replicas (stable)`);
  const warm = await predictViaRouter(pat.token);
  notes.push(`(control) pat predicts iris through the router: ${answerOf(warm)}`);
  if (!ok(warm)) throw new Error(`pat cannot predict iris: ${warm.text}`);

  // ---- mallory's own model (control: her token can write)
  const boomUp = await upload(mallory.token, boomZip);
  row(
    '(control) mallory uploads her own model `boom`',
    'POST builder /v1/models (zip), mallory',
    answerOf(boomUp),
    ok(boomUp)
      ? 'ALLOWED (expected)'
      : 'REFUSED (mallory cannot write at all: the ownership rows prove less)',
  );
  const boomBuild = boomUp.json?.buildId
    ? waitBuild(mallory.token, boomUp.json.buildId)
    : undefined;

  // ---- the co-located view: replicas, their ports, their credentials
  const replicas = replicaProcesses(stack.pid);
  const irisReplicas = replicas.filter((r) => r.model === 'iris' || r.modelDir?.includes('/iris/'));
  const replica = irisReplicas[0];
  row(
    'co-located process finds the replicas (no credential)',
    'read /proc/<pid>/cmdline and /proc/<pid>/environ of node .../model-wrapper/main.js',
    replica
      ? `${replicas.length} replicas; iris on ports ${irisReplicas.map((r) => r.port).join(', ')}`
      : 'none found',
    replica ? 'ALLOWED (same uid)' : 'REFUSED',
  );
  const routes = await request(urls.builder, 'GET', '/v1/routes', { headers: bearer(admin.token) });
  const routeUrls = routes.json?.models?.iris?.versions?.[irisVersion] ?? [];
  notes.push(
    `admin's GET builder /v1/routes: ${answerOf(routes)}, iris replicas ${routeUrls.join(', ')}`,
  );
  const replicaUrl = replica ? `http://${HOST}:${replica.port}` : routeUrls[0];
  if (!replicaUrl) throw new Error('no iris replica URL');

  const stolen = replica ? credentialsIn(replica.env) : [];
  row(
    "co-located process reads a replica's environment for credentials",
    `/proc/${replica?.pid}/environ`,
    stolen.length
      ? stolen.map((c) => `${c.name} (${c.value.length} chars)`).join(', ')
      : 'no credential found',
    stolen.length ? 'ALLOWED (same uid)' : 'REFUSED',
  );
  const dataFiles = secretFiles(dataDir);
  const names = dataFiles.map((f) => f.name);
  row(
    'co-located process (same uid) reads the data dir',
    `$MLRUN_DATA_DIR/{${names.join(',')}}`,
    `readable: ${names.join(', ') || 'nothing'} (0600, same uid${names.includes('cli-token.json') ? "; cli-token.json holds admin's bearer token" : ''})`,
    names.length ? 'ALLOWED (same uid)' : 'REFUSED',
  );
  for (const file of dataFiles) {
    if (file.name === 'admin-password' || file.name === 'cli-token.json') continue;
    if (!stolen.some((c) => c.value === file.value))
      stolen.push({ name: `data dir ${file.name}`, value: file.value });
  }

  // ---- slow clients, in the background (they take up to 45 s)
  const slow = slowAttacks(replicaUrl, pat.token);

  // ---- 1. a replica's predict without a token, other spellings
  const spellings = [
    ['/v1/predict', '(control) the plain path'],
    ['/v1/%70redict', ''],
    ['/%761/predict', ''],
    ['/v1/predic%74', ''],
    ['//v1/predict', ''],
    ['/v1/predict/', ''],
    ['/V1/PREDICT', ''],
    ['/v1//predict', ''],
    ['/v1/./predict', ''],
    ['/v1/x/../predict', ''],
    ['/v1/predict;x=1', ''],
    ['/v1/predict?x=1', ''],
    ['/v1/%2570redict', '(double-encoded)'],
  ];
  for (const [spelling, note] of spellings) {
    const r = await request(replicaUrl, 'POST', spelling, {
      headers: jsonHeaders,
      body: IRIS_INPUT,
    });
    row(
      `replica predict without a token ${note}`.trim(),
      `POST replica ${spelling}`,
      answerOf(r),
      verdictOf(r),
    );
  }
  for (const [method, headers] of [
    ['GET', { 'x-http-method-override': 'POST' }],
    ['HEAD', {}],
  ]) {
    const r = await request(replicaUrl, method, '/v1/predict', { headers });
    row(
      `replica predict without a token, ${method}${headers['x-http-method-override'] ? ' + method override' : ''}`,
      `${method} replica /v1/predict`,
      answerOf(r),
      verdictOf(r),
    );
  }
  const inUrl = await request(replicaUrl, 'POST', `/v1/predict?access_token=${pat.token}`, {
    headers: jsonHeaders,
    body: IRIS_INPUT,
  });
  row(
    'replica: token in the URL',
    'POST replica /v1/predict?access_token=<pat>',
    answerOf(inUrl),
    ok(inUrl) ? 'ALLOWED (token in a URL used)' : 'REFUSED',
  );

  // ---- 2. route tables
  let r = await request(urls.router, 'GET', '/v1/routes/inflight');
  row(
    'router in-flight counts without a token',
    'GET router /v1/routes/inflight',
    answerOf(r),
    verdictOf(r),
  );
  r = await request(urls.router, 'GET', '/v1/routes/%69nflight');
  row(
    'router in-flight counts without a token, encoded',
    'GET router /v1/routes/%69nflight',
    answerOf(r),
    verdictOf(r),
  );
  r = await request(urls.builder, 'GET', '/v1/routes');
  row(
    '(control) builder route table without a token',
    'GET builder /v1/routes',
    answerOf(r),
    verdictOf(r),
  );
  r = await request(urls.builder, 'GET', '/v1/routes', { headers: bearer(pat.token) });
  row(
    "builder route table (replica URLs) with pat's predict:* token",
    'GET builder /v1/routes, pat',
    answerOf(r) + (ok(r) ? ' (replica URLs listed)' : ''),
    verdictOf(r),
  );

  // ---- per-model predict scope, user tokens at service and admin doors
  if (ivy) {
    r = await predictViaRouter(ivy.token, 'echo');
    row(
      `ivy (\`${ivy.scope}\` only) predicts another model (echo)`,
      'POST router /v1/models/echo/predict, ivy',
      answerOf(r),
      verdictOf(r),
    );
  } else
    row(
      'a token for one model predicts another',
      '-',
      'no users file groups to add predict:iris to',
      'NOT TRIED',
    );
  r = await request(urls.validator, 'POST', '/v1/tokens/introspect', {
    headers: { ...bearer(pat.token), 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(alice.token)}`,
  });
  row(
    "pat's user token as a service credential: introspects alice's token",
    'POST validator /v1/tokens/introspect, Bearer <pat>',
    answerOf(r),
    verdictOf(r),
  );
  r = await request(urls.issuer, 'POST', '/v1/auth/users/alice/revoke-tokens', {
    headers: bearer(mallory.token),
  });
  row(
    "mallory (not admin) revokes all of alice's tokens",
    'POST issuer /v1/auth/users/alice/revoke-tokens, mallory',
    answerOf(r) + (r.status === 404 ? ' (no such door in this version)' : ''),
    verdictOf(r),
  );

  r = await request(urls.issuer, 'POST', '/v1/users', {
    headers: { ...bearer(mallory.token), 'content-type': 'application/json' },
    body: JSON.stringify({
      username: 'mallory2',
      password: 'mallory-password-1',
      groups: ['admins'],
    }),
  });
  row(
    'mallory (not admin) adds herself an admin account',
    'POST issuer /v1/users, mallory',
    answerOf(r) + (r.status === 404 ? ' (no such door in this version)' : ''),
    verdictOf(r),
  );
  r = await request(urls.issuer, 'GET', '/v1/users', { headers: bearer(mallory.token) });
  row(
    'mallory (not admin) lists the users',
    'GET issuer /v1/users, mallory',
    answerOf(r) + (r.status === 404 ? ' (no such door in this version)' : ''),
    verdictOf(r),
  );

  // ---- 3. pat reads alice's bundle and build log
  r = await request(
    urls.builder,
    'GET',
    `/v1/models/iris/versions/${encodeURIComponent(irisVersion)}/bundle`,
    { headers: bearer(pat.token) },
  );
  row(
    "pat (predict:* only) downloads iris's bundle",
    `GET builder /v1/models/iris/versions/${irisVersion}/bundle, pat`,
    answerOf(r) + (ok(r) ? ` (${r.bytes} bytes, ${r.headers['content-type']})` : ''),
    verdictOf(r),
  );
  r = await request(urls.builder, 'GET', `/v1/builds/${irisBuild}`, { headers: bearer(pat.token) });
  row(
    "pat reads iris's build log",
    `GET builder /v1/builds/${irisBuild}, pat`,
    answerOf(r) + (ok(r) ? ` (${r.json?.log?.length ?? 0} log lines)` : ''),
    verdictOf(r),
  );
  r = await request(urls.builder, 'GET', `/v1/builds/${irisBuild}/events`, {
    headers: bearer(pat.token),
    timeoutMs: 3000,
  });
  row(
    "pat follows iris's build events",
    `GET builder /v1/builds/${irisBuild}/events, pat`,
    answerOf(r) + (r.stream ? ' (event stream opened)' : ''),
    verdictOf(r),
  );

  // ---- long-lived streams per credential, path tricks on the builder
  const builds = await openStreams(urls.builder, `/v1/builds/${irisBuild}/events`, pat.token, 30);
  row(
    'pat holds 30 build event streams at once (cap per credential)',
    `30× GET builder /v1/builds/${irisBuild}/events, pat`,
    builds.summary,
    builds.opened === 30
      ? 'ALLOWED (no cap)'
      : builds.opened > 0
        ? 'REFUSED (capped)'
        : 'INCONCLUSIVE',
  );
  for (const traversal of [
    `/v1/models/..%2F..%2Fusers.json/versions/${encodeURIComponent(irisVersion)}/bundle`,
    `/v1/models/iris/versions/..%2F..%2F..%2Fusers.json/bundle`,
    `/v1/builds/..%2F..%2Fusers.json`,
  ]) {
    r = await request(urls.builder, 'GET', traversal, { headers: bearer(pat.token) });
    row(
      'path traversal on the builder (pat)',
      `GET builder ${traversal}`,
      answerOf(r) + (ok(r) && r.text.includes('passwordHash') ? ' (users file!)' : ''),
      ok(r) ? 'ALLOWED' : 'REFUSED',
    );
  }

  // ---- 8. /metrics
  for (const [name, base] of [
    ['router', urls.router],
    ['builder', urls.builder],
    ['auth-issuer', urls.issuer],
    ['token-validator', urls.validator],
    ['iris replica', replicaUrl],
  ]) {
    r = await request(base, 'GET', '/metrics');
    const names = ok(r)
      ? ['alice', 'mallory', 'pat', 'rita'].filter((u) => r.text.includes(`"${u}"`))
      : [];
    row(
      `${name} /metrics without a credential`,
      `GET ${name} /metrics`,
      answerOf(r) + (names.length ? ` (names users: ${names.join(', ')})` : ''),
      verdictOf(r),
    );
  }

  // ---- 9. an init-failed replica, without a token
  await initFailedAttack(mallory, boomUp, boomBuild);

  // ---- 10. what the stolen credentials open
  for (const credential of stolen) await stolenCredentialAttacks(credential, pat.token);
  if (stolen[0]) {
    const events = await openStreams(urls.validator, '/v1/tokens/events', stolen[0].value, 30);
    row(
      `stolen ${stolen[0].name}: holds 30 token event streams at once (cap per credential)`,
      '30× GET validator /v1/tokens/events',
      events.summary,
      events.opened === 30
        ? 'ALLOWED (no cap)'
        : events.opened > 0
          ? 'REFUSED (capped)'
          : 'INCONCLUSIVE',
    );
  }

  // ---- 11. forged and revoked tokens
  const random = randomBytes(32).toString('base64url');
  r = await predictViaRouter(random);
  row(
    'random 256-bit token',
    'POST router /v1/models/iris/predict, Bearer <random>',
    answerOf(r),
    verdictOf(r),
  );
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"admin","scope":"admin","aud":"ml-run"}').toString('base64url')}.`;
  r = await predictViaRouter(none);
  row(
    'forged unsigned JWT (alg none, scope admin)',
    'POST router /v1/models/iris/predict, Bearer <alg-none JWT>',
    answerOf(r),
    verdictOf(r),
  );
  r = await request(urls.builder, 'PUT', '/v1/models/iris/aliases/canary', {
    headers: { ...jsonHeaders, ...bearer(none) },
    body: JSON.stringify({ version: irisVersion }),
  });
  row(
    'forged JWT writes an alias',
    'PUT builder /v1/models/iris/aliases/canary, Bearer <alg-none JWT>',
    answerOf(r),
    verdictOf(r),
  );
  row(
    'token for another audience',
    '-',
    'the issuer only issues its own audience; not reachable over HTTP (see the introspection rows for `aud`)',
    'NOT TRIED',
  );
  for (let i = 0; i < 3; i++) await predictViaRouter(patSpare.token); // cached in the replicas
  await request(urls.builder, 'GET', '/v1/models', { headers: bearer(patSpare.token) }); // and the builder
  r = await request(urls.issuer, 'POST', '/v1/auth/revoke', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(patSpare.token)}`,
  });
  await sleep(1000);
  const afterRevoke = [];
  for (let i = 0; i < 4; i++) afterRevoke.push((await predictViaRouter(patSpare.token)).status);
  row(
    'revoked token (RFC 7009) still predicts 1 s later',
    `POST issuer /v1/auth/revoke (${answerOf(r)}); 1 s; 4× POST router /v1/models/iris/predict`,
    afterRevoke.join(', '),
    verdictOfStatuses(afterRevoke),
  );
  r = await request(urls.builder, 'GET', '/v1/models', { headers: bearer(patSpare.token) });
  row(
    'revoked token still reads the builder 1 s later',
    'GET builder /v1/models (after the revoke above)',
    answerOf(r),
    verdictOf(r),
  );

  // ---- 6. a removed user's token
  const beforeRemoval = [];
  for (let i = 0; i < 4; i++) beforeRemoval.push((await predictViaRouter(rita.token)).status);
  const builderBefore = await request(urls.builder, 'GET', '/v1/models', {
    headers: bearer(rita.token),
  });
  const removed = await cli(['users', 'remove', 'rita']);
  await sleep(2000);
  const afterRemoval = [];
  for (let i = 0; i < 4; i++) afterRemoval.push((await predictViaRouter(rita.token)).status);
  r = await request(urls.builder, 'GET', '/v1/models', { headers: bearer(rita.token) });
  row(
    "removed user's token still reads the builder 2 s later",
    `GET builder /v1/models (before the removal: ${answerOf(builderBefore)})`,
    answerOf(r),
    verdictOf(r),
  );
  row(
    "removed user's token still predicts 2 s later",
    `4× predict (${beforeRemoval.join(', ')}); ml-run users remove rita (exit ${removed.code}); 2 s; 4× POST router /v1/models/iris/predict`,
    afterRemoval.join(', '),
    beforeRemoval.includes(404)
      ? 'INCONCLUSIVE (the router lost the route)'
      : verdictOfStatuses(afterRemoval),
  );

  // ---- 7. a 10 MiB body to the router
  await bigBodyAttack(undefined);
  await bigBodyAttack(`Bearer ${randomBytes(32).toString('base64url')}`);

  // ---- 5. logins
  await loginAttacks();

  // ---- 4. mallory against alice's iris
  const owner = irisOwner === alice ? "alice's" : "admin's";
  r = await request(urls.builder, 'PUT', '/v1/models/iris/aliases/stable', {
    headers: { ...jsonHeaders, ...bearer(mallory.token) },
    body: JSON.stringify({ version: irisVersion }),
  });
  row(
    `mallory (another publisher) moves ${owner} iris \`stable\``,
    `PUT builder /v1/models/iris/aliases/stable, mallory`,
    answerOf(r),
    verdictOf(r),
  );
  r = await upload(mallory.token, evilZip);
  row(
    `mallory uploads a version of ${owner} iris`,
    'POST builder /v1/models (iris 9.9.9 zip), mallory',
    answerOf(r) + (r.json?.version ? ` (${r.json.version})` : ''),
    verdictOf(r),
  );
  r = await deploy(mallory.token, 'iris', irisVersion, 2);
  row(
    `mallory scales ${owner} iris deployment`,
    `POST builder /v1/models/iris/versions/${irisVersion}/deployment {replicas:2}, mallory`,
    answerOf(r),
    verdictOf(r),
  );

  for (const each of await slow) row(...each);

  r = await predictViaRouter(pat.token);
  row(
    '(control) pat still predicts iris through the router at the end',
    'POST router /v1/models/iris/predict, pat',
    answerOf(r),
    ok(r) ? 'ALLOWED (expected)' : 'REFUSED (the router rows above are suspect)',
  );

  row(
    'replicas per user: mallory deploys 64 replicas',
    '-',
    'would start 64 processes on a shared 2-core machine',
    'NOT TRIED',
  );
  row(
    'flood of random tokens evicts good L1 entries',
    '-',
    'not observable over HTTP without ~100k requests',
    'NOT TRIED',
  );
  row(
    'lost lifecycle / revocation event (Kafka publish failure), router stays wrong',
    '-',
    'embedded mode has no Kafka (in-process bus)',
    'NOT TRIED',
  );

  r = await request(
    urls.builder,
    'DELETE',
    `/v1/models/iris/versions/${encodeURIComponent(irisVersion)}/deployment?force=true`,
    { headers: bearer(mallory.token), timeoutMs: 60_000 },
  );
  row(
    `mallory undeploys ${owner} iris (last: it stops iris)`,
    `DELETE builder /v1/models/iris/versions/${irisVersion}/deployment?force=true, mallory`,
    answerOf(r),
    verdictOf(r),
  );
}

// ---------------------------------------------------------------- attack groups

async function initFailedAttack(mallory, boomUp, boomBuild) {
  const built = boomBuild ? await boomBuild : undefined;
  if (built?.json?.state !== 'succeeded') {
    row(
      'init-failed replica shows its init error without a token',
      '-',
      `boom could not be built (${boomUp ? answerOf(boomUp) : ''} ${built?.json?.state ?? ''})`,
      'NOT TRIED',
    );
    return;
  }
  // the attacker watches for the new replica, then asks it every 15 ms until it is gone
  const seen = { model: [], readyz: [] };
  let found;
  const watch = (async () => {
    const deadline = Date.now() + 30_000;
    while (!found && Date.now() < deadline) {
      found = replicaProcesses(stack.pid).find(
        (p) => p.model === 'boom' || p.modelDir?.includes('/boom/'),
      );
      if (!found) await sleep(50);
    }
    if (!found) return;
    const base = `http://${HOST}:${found.port}`;
    let misses = 0;
    while (misses < 20 && Date.now() < deadline) {
      const [m, z] = await Promise.all([
        request(base, 'GET', '/v1/model', { timeoutMs: 1000 }),
        request(base, 'GET', '/readyz', { timeoutMs: 1000 }),
      ]);
      // refused before it listens (starting) and after it stopped (failed)
      if (m.error) misses += seen.model.length ? 1 : 0;
      else {
        seen.model.push(m);
        seen.readyz.push(z);
        if (m.json?.state === 'INIT_FAILED' && !z.error) break;
      }
      await sleep(15);
    }
  })();
  const deployed = await deploy(mallory.token, 'boom', boomUp.json.version, 1);
  await watch;
  const lastModel =
    seen.model.findLast((m) => m.json?.state === 'INIT_FAILED') ?? seen.model.at(-1);
  const lastReadyz = seen.readyz.findLast((z) => z.text?.includes('S3CR3T')) ?? seen.readyz.at(-1);
  const request1 = `GET replica(boom) /v1/model, no token (deploy: ${answerOf(deployed)})`;
  if (!found || !lastModel) {
    row(
      "init-failed replica's /v1/model without a token shows the init error",
      request1,
      found ? 'the replica was gone before an answer' : 'replica process not seen',
      'INCONCLUSIVE',
    );
    return;
  }
  const leaks = (x) => Boolean(x?.text?.includes('S3CR3T'));
  row(
    "init-failed replica's /v1/model without a token shows the init error",
    request1,
    `${answerOf(lastModel)} state ${lastModel.json?.state ?? '?'}${leaks(lastModel) ? ', error text with the secret' : ', no error text'}`,
    lastModel.json?.state !== 'INIT_FAILED'
      ? 'INCONCLUSIVE (INIT_FAILED not caught)'
      : leaks(lastModel)
        ? 'ALLOWED'
        : 'REFUSED',
  );
  row(
    "init-failed replica's /readyz (public probe) shows the init error",
    'GET replica(boom) /readyz, no token',
    `${answerOf(lastReadyz)}${leaks(lastReadyz) ? ', error text with the secret' : ', no error text'}`,
    leaks(lastReadyz)
      ? 'ALLOWED'
      : lastModel.json?.state === 'INIT_FAILED'
        ? 'REFUSED'
        : 'INCONCLUSIVE',
  );
}

async function stolenCredentialAttacks(credential, sniffed) {
  const who = `stolen ${credential.name}`;
  const h = bearer(credential.value);
  let r = await request(urls.builder, 'GET', '/v1/routes', { headers: h });
  row(`${who}: builder route table`, 'GET builder /v1/routes', answerOf(r), verdictOf(r));
  r = await request(urls.router, 'GET', '/v1/routes/inflight', { headers: h });
  row(
    `${who}: router in-flight counts`,
    'GET router /v1/routes/inflight',
    answerOf(r),
    verdictOf(r),
  );
  r = await request(urls.validator, 'GET', '/v1/tokens/events', { headers: h, timeoutMs: 5000 });
  row(
    `${who}: validator token events`,
    'GET validator /v1/tokens/events',
    answerOf(r) + (r.stream ? ' (event stream opened)' : ''),
    verdictOf(r),
  );
  r = await request(urls.validator, 'POST', '/v1/tokens/introspect', {
    headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(sniffed)}`,
  });
  const info =
    r.json && ok(r)
      ? ` (active ${r.json.active}, sub ${r.json.sub}, scope "${r.json.scope}", aud ${r.json.aud ?? 'none'})`
      : '';
  row(
    `${who}: introspects pat's sniffed token`,
    'POST validator /v1/tokens/introspect token=<pat>',
    answerOf(r) + info,
    verdictOf(r) + (ok(r) ? " (the wrapper's own job)" : ''),
  );
  r = await request(urls.builder, 'GET', '/v1/models', { headers: h });
  row(`${who}: builder registry read`, 'GET builder /v1/models', answerOf(r), verdictOf(r));
  r = await request(urls.builder, 'PUT', '/v1/models/iris/aliases/canary', {
    headers: { ...h, ...jsonHeaders },
    body: JSON.stringify({ version: 'x' }),
  });
  row(
    `${who}: builder write`,
    'PUT builder /v1/models/iris/aliases/canary',
    answerOf(r),
    r.status === 422 || ok(r) ? 'ALLOWED (passed the access check)' : verdictOf(r),
  );
  r = await predictViaRouter(credential.value);
  row(`${who}: predicts`, 'POST router /v1/models/iris/predict', answerOf(r), verdictOf(r));
  r = await request(urls.issuer, 'POST', '/v1/auth/users/zed/revoke-tokens', { headers: h });
  row(
    `${who}: revokes a user's tokens`,
    'POST issuer /v1/auth/users/zed/revoke-tokens',
    answerOf(r),
    verdictOf(r),
  );
}

async function bigBodyAttack(authorization) {
  const size = 10 * 1024 * 1024;
  const { hostname, port } = new URL(urls.router);
  const first = 64 * 1024;
  const result = await new Promise((resolve) => {
    const t0 = Date.now();
    let sentAll = false;
    const req = http.request({
      host: hostname,
      port,
      method: 'POST',
      path: '/v1/models/iris/predict',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(size),
        ...(authorization ? { authorization } : {}),
      },
    });
    const done = (v) => resolve({ ...v, ms: Date.now() - t0, sentAll });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode }));
    });
    req.on('error', (e) => done({ error: e.code }));
    req.write(Buffer.alloc(first, 0x20));
    setTimeout(() => {
      sentAll = true;
      req.end(Buffer.alloc(size - first, 0x20));
    }, 3000);
    setTimeout(() => {
      req.destroy(new Error('TIMEOUT'));
    }, 30_000);
  });
  const what = authorization ? 'a junk bearer header' : 'no bearer header';
  const answer = result.error
    ? `no answer (${result.error}) after ${result.ms} ms`
    : `${result.status} after ${result.ms} ms, ${result.sentAll ? 'only after the whole 10 MiB was sent' : 'before the body was sent (64 KiB of 10 MiB)'}`;
  row(
    `router reads a 10 MiB body from ${what}`,
    `POST router /v1/models/iris/predict, content-length 10 MiB, ${what}; pause 3 s after 64 KiB`,
    answer,
    result.sentAll ? 'ALLOWED (body read)' : 'REFUSED',
  );
}

/** Opens n event streams with one credential and holds them; how many opened, how many refused. */
async function openStreams(base, streamPath, token, n) {
  const { hostname, port } = new URL(base);
  const held = [];
  const statuses = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve) => {
          const req = http.get(
            { host: hostname, port, path: streamPath, agent: false, headers: bearer(token) },
            (res) => {
              held.push(req);
              resolve(res.statusCode);
            },
          );
          req.on('error', (e) => resolve(e.code ?? 'error'));
          req.setTimeout(10_000, () => req.destroy());
        }),
    ),
  );
  await sleep(500);
  for (const req of held) req.destroy();
  const opened = statuses.filter((s) => s === 200).length;
  const counts = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  const summary = Object.entries(counts)
    .map(([s, c]) => `${c}× ${s}`)
    .join(', ');
  return { opened, summary };
}

/** Median login time for wrong passwords of a real user and of unknown users (fresh addresses). */
async function enumerationAttack() {
  const timed = async (username, i) => {
    const t0 = process.hrtime.bigint();
    const r = await login(username, `nope-${i}`, `127.0.2.${10 + i}`);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, answer: answerOf(r), text: r.text };
  };
  const known = [];
  const unknown = [];
  // 4: the old throttle locked a username after 5 failures from anywhere
  for (let i = 0; i < 4; i++) {
    known.push(await timed('zed', i));
    unknown.push(await timed(`nobody${i}x`, 20 + i));
  }
  const median = (xs) => xs.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const mk = median(known);
  const mu = median(unknown);
  const sameAnswer = known[0].text === unknown[0].text;
  row(
    'user enumeration at login: wrong password for zed vs unknown users (4 each, fresh addresses)',
    'POST issuer /v1/auth/token',
    `${known[0].answer} vs ${unknown[0].answer}, ${sameAnswer ? 'same body' : 'different bodies'}; median ${mk.toFixed(0)} ms vs ${mu.toFixed(0)} ms`,
    !sameAnswer || mk > 3 * mu || mu > 3 * mk ? 'ALLOWED (tells them apart)' : 'REFUSED',
  );
}

async function loginAttacks() {
  await enumerationAttack();
  const statuses = [];
  for (let i = 0; i < 8; i++)
    statuses.push((await login('alice', `wrong-${i}`, '127.0.0.2')).status);
  const right = await login('alice', users.alice.password, '127.0.0.3');
  row(
    'lock alice out: 8 wrong passwords from 127.0.0.2, then her right one from 127.0.0.3',
    'POST issuer /v1/auth/token ×8 from .2 (' + statuses.join(',') + '); then from .3',
    answerOf(right),
    right.status === 429 ? 'ALLOWED (locked out)' : ok(right) ? 'REFUSED' : 'INCONCLUSIVE',
  );
  const fromSame = await login('alice', users.alice.password, '127.0.0.2');
  row(
    "(control) alice's right password from the guessing address 127.0.0.2",
    'POST issuer /v1/auth/token from .2',
    answerOf(fromSame),
    fromSame.status === 429 ? 'REFUSED (throttled, expected)' : 'ALLOWED',
  );
  const xff = [];
  for (let i = 0; i < 10; i++)
    xff.push(
      (await login('zed', `wrong-${i}`, '127.0.0.4', { 'x-forwarded-for': `10.9.${i}.${i + 1}` }))
        .status,
    );
  row(
    'evade the throttle with X-Forwarded-For (10 guesses for zed from 127.0.0.4)',
    'POST issuer /v1/auth/token ×10, X-Forwarded-For rotating',
    xff.join(','),
    xff.includes(429) ? 'REFUSED' : 'ALLOWED (throttle evaded)',
  );
  const spread = [];
  for (let i = 0; i < 12; i++)
    spread.push((await login('zed', `guess-${i}`, `127.0.1.${10 + i}`)).status);
  row(
    "guess zed's password from 12 addresses (one guess each, a botnet)",
    'POST issuer /v1/auth/token ×12 from 127.0.1.10-21',
    spread.join(','),
    spread.includes(429)
      ? 'REFUSED'
      : 'ALLOWED (by design under the per-user ceiling: see docs/security.md)',
  );
}

/** Slow headers and slow bodies against each server; resolves to rows. */
async function slowAttacks(replicaUrl, patToken) {
  const BUDGET = 45_000;
  const bodyHead = (p, host, extra = '') =>
    `POST ${p} HTTP/1.1\r\nHost: ${host}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n${extra}\r\n{`;
  const headersHead = (p, host) => `GET ${p} HTTP/1.1\r\nHost: ${host}\r\n`;
  const targets = [
    ['router', urls.router, '/v1/models/iris/predict', ''],
    [
      'router, junk bearer',
      urls.router,
      '/v1/models/iris/predict',
      `authorization: Bearer ${randomBytes(32).toString('base64url')}\r\n`,
    ],
    ['builder', urls.builder, '/v1/models', ''],
    ['auth-issuer (login is public)', urls.issuer, '/v1/auth/token', ''],
    ['token-validator', urls.validator, '/v1/tokens/introspect', ''],
    ['iris replica', replicaUrl, '/v1/predict', ''],
    [
      "iris replica, pat's valid token",
      replicaUrl,
      '/v1/predict',
      `authorization: Bearer ${patToken}\r\n`,
    ],
  ];
  const jobs = targets.map(async ([name, base, p, extra]) => {
    const host = new URL(base).host;
    const s = await slowRequest(base, {
      head: bodyHead(p, host, extra),
      drip: ' ',
      intervalMs: 5000,
      budgetMs: BUDGET,
    });
    return slowRow(`slow body (1 byte / 5 s) to the ${name}`, `POST ${p}`, s, BUDGET);
  });
  for (const [name, base] of [
    ['router', urls.router],
    ['builder', urls.builder],
    ['auth-issuer', urls.issuer],
    ['token-validator', urls.validator],
    ['iris replica', replicaUrl],
  ]) {
    jobs.push(
      (async () => {
        const host = new URL(base).host;
        const s = await slowRequest(base, {
          head: headersHead('/healthz', host),
          drip: 'x-slow: 1\r\n',
          intervalMs: 5000,
          budgetMs: BUDGET,
        });
        return slowRow(`slow headers (1 line / 5 s) to the ${name}`, 'GET /healthz', s, BUDGET);
      })(),
    );
  }
  return Promise.all(jobs);
}

function slowRow(attack, requestText, s, budget) {
  const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
  let answer;
  if (s.status !== undefined)
    answer = `${s.status} after ${secs(s.answeredAfterMs)}${s.closedAfterMs !== undefined ? `, closed after ${secs(s.closedAfterMs)}` : `, still open at ${secs(budget)}`}`;
  else if (s.closedAfterMs !== undefined)
    answer = `closed without an answer after ${secs(s.closedAfterMs)}`;
  else answer = `no answer, still open at ${secs(budget)}`;
  // the attacker wants the connection: an early answer that leaves it open is no defence
  const held = s.closedAfterMs === undefined;
  const verdict = held
    ? `ALLOWED (connection held${s.status !== undefined ? ' after the answer' : ''})`
    : 'REFUSED';
  return [attack, requestText, answer, verdict];
}

// ---------------------------------------------------------------- report

function report() {
  const lines = [
    `# ML-RUN attacks: ${path.basename(repo)}`,
    '',
    `Run ${new Date().toISOString()} by tools/security/attacks.mjs in ${((Date.now() - started) / 1000).toFixed(0)} s. ALLOWED = the attack worked.`,
    '',
    '## Setup',
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    '## Attacks',
    '',
    '| # | attack | request | answer (status + code) | verdict |',
    '| - | ------ | ------- | ---------------------- | ------- |',
    ...rows.map(
      (r) =>
        `| ${r.no} | ${cell(r.attack)} | ${cell(r.request)} | ${cell(r.answer)} | ${cell(r.verdict)} |`,
    ),
    '',
    `ALLOWED (attack worked): ${rows.filter((r) => r.verdict.startsWith('ALLOWED') && !r.verdict.includes('expected')).length} of ${rows.length} rows; REFUSED: ${rows.filter((r) => r.verdict.startsWith('REFUSED')).length}.`,
    '',
  ];
  return lines.join('\n');
}

let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void stopStack().finally(() => process.exit(130));
  });
}
try {
  await main();
} catch (error) {
  exitCode = 1;
  notes.push(
    `**the run stopped early**: ${error instanceof Error ? error.message : String(error)} (stack log: ${stackLog})`,
  );
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await stopStack();
}
const markdown = report();
process.stdout.write(markdown);
if (outFile) writeFileSync(outFile, markdown);
if (!keepData && exitCode === 0) rmSync(tmp, { recursive: true, force: true });
else log(`kept ${tmp}`);
process.exit(exitCode);
