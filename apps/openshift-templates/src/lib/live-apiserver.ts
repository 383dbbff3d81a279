import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

import type { KubernetesObject } from '@ml-run/openshift';

/** What the apiserver answered: status, body (parsed when JSON) and its Warning headers. */
export type ApiAnswer = { status: number; body: unknown; warnings: string[] };

type ResourceInfo = { name: string; namespaced: boolean };

/**
 * The apiserver, spoken to in raw requests: the typed clients serialize an object through
 * their models, which drops the fields they do not know, so a typo in a template would
 * never reach the server. Here the rendered object goes as written, and
 * `fieldValidation=Strict` makes the server refuse what its schema lacks.
 */
export class LiveApiserver {
  private readonly resources = new Map<string, ResourceInfo>();

  private constructor(
    private readonly server: URL,
    private readonly tls: https.RequestOptions,
    /** Impersonate-User: the admin's requests judged as that user's (RBAC checks). */
    private readonly user?: string,
  ) {}

  /** The same apiserver, each request made as `user` (e.g. system:serviceaccount:ns:name). */
  as(user: string): LiveApiserver {
    return new LiveApiserver(this.server, this.tls, user);
  }

  static async connect(kubeconfigPath: string): Promise<LiveApiserver> {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`${kubeconfigPath} names no current cluster`);
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    return new LiveApiserver(new URL(cluster.server), tls);
  }

  /** Server-side apply, dry-run: every admission and validation step, nothing stored. */
  async applyDryRun(object: KubernetesObject): Promise<ApiAnswer> {
    const query = 'dryRun=All&fieldManager=ml-run-template-check&force=true&fieldValidation=Strict';
    const url = `${await this.objectPath(object)}?${query}`;
    return this.request('PATCH', url, object, 'application/apply-patch+yaml');
  }

  /** Create, dry-run (pods: PodSecurity admission judges the pod as it would be created). */
  async createDryRun(object: KubernetesObject): Promise<ApiAnswer> {
    const url = `${await this.collectionPath(object)}?dryRun=All&fieldValidation=Strict`;
    return this.request('POST', url, object, 'application/json');
  }

  /** Create for real; 409 (already there) counts as done. */
  async create(object: KubernetesObject): Promise<void> {
    const answer = await this.request(
      'POST',
      await this.collectionPath(object),
      object,
      'application/json',
    );
    if (answer.status >= 300 && answer.status !== 409) throw answerError('create', object, answer);
  }

  /** Merge patch, dry-run. */
  async mergePatchDryRun(object: KubernetesObject): Promise<ApiAnswer> {
    const url = `${await this.objectPath(object)}?dryRun=All&fieldValidation=Strict`;
    return this.request('PATCH', url, object, 'application/merge-patch+json');
  }

  /** Delete, dry-run (404 when there is nothing to delete: authorized, at least). */
  async deleteDryRun(object: KubernetesObject): Promise<ApiAnswer> {
    return this.request(
      'DELETE',
      `${await this.objectPath(object)}?dryRun=All`,
      undefined,
      'application/json',
    );
  }

  /** GET of the collection of `object`'s kind in its namespace, or of the object itself. */
  async get(object: KubernetesObject, query = ''): Promise<ApiAnswer> {
    const path = object.metadata?.name
      ? await this.objectPath(object)
      : await this.collectionPath(object);
    return this.request('GET', query ? `${path}?${query}` : path, undefined, 'application/json');
  }

  async delete(object: KubernetesObject): Promise<void> {
    const answer = await this.request(
      'DELETE',
      await this.objectPath(object),
      undefined,
      'application/json',
    );
    if (answer.status >= 300 && answer.status !== 404) throw answerError('delete', object, answer);
  }

  private async objectPath(object: KubernetesObject): Promise<string> {
    return `${await this.collectionPath(object)}/${object.metadata?.name}`;
  }

  private async collectionPath(object: KubernetesObject): Promise<string> {
    const base = object.apiVersion.includes('/')
      ? `/apis/${object.apiVersion}`
      : `/api/${object.apiVersion}`;
    const resource = await this.resourceOf(base, object.kind);
    const namespace = object.metadata?.namespace;
    if (resource.namespaced && !namespace) {
      throw new Error(`${object.kind} ${object.metadata?.name} has no namespace`);
    }
    return resource.namespaced
      ? `${base}/namespaces/${namespace}/${resource.name}`
      : `${base}/${resource.name}`;
  }

  // Discovery: the kind's resource name (plural) and scope, as the apiserver serves them.
  private async resourceOf(base: string, kind: string): Promise<ResourceInfo> {
    const key = `${base} ${kind}`;
    const known = this.resources.get(key);
    if (known) return known;
    const answer = await this.request('GET', base, undefined, 'application/json');
    if (answer.status !== 200)
      throw new Error(`GET ${base}: ${answer.status} (is the API served?)`);
    const list = (answer.body as { resources: (ResourceInfo & { kind: string })[] }).resources;
    const found = list.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) throw new Error(`${base} serves no kind ${kind}`);
    const info = { name: found.name, namespaced: found.namespaced };
    this.resources.set(key, info);
    return info;
  }

  private request(
    method: string,
    pathAndQuery: string,
    body: unknown,
    contentType: string,
  ): Promise<ApiAnswer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        new URL(pathAndQuery, this.server),
        {
          ...this.tls,
          method,
          headers: {
            ...(this.tls.headers ?? {}),
            ...(this.user ? { 'impersonate-user': this.user } : {}),
            'content-type': contentType,
            accept: 'application/json',
          },
          timeout: 30_000,
        },
        (response) => readAnswer(response).then(resolve, reject),
      );
      request.on('timeout', () =>
        request.destroy(new Error(`${method} ${pathAndQuery} timed out`)),
      );
      request.on('error', reject);
      if (payload !== undefined) request.write(payload);
      request.end();
    });
  }
}

function readAnswer(response: IncomingMessage): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      const warning = response.headers['warning'];
      resolve({
        status: response.statusCode ?? 0,
        body,
        warnings: warning === undefined ? [] : [warning].flat(),
      });
    });
  });
}

/** The apiserver's own message of a refusal (a Status object), or the body as text. */
export function messageOf(answer: ApiAnswer): string {
  const body = answer.body as { message?: string } | string;
  return typeof body === 'string' ? body : (body.message ?? JSON.stringify(body));
}

function answerError(action: string, object: KubernetesObject, answer: ApiAnswer): Error {
  return new Error(
    `${action} ${object.kind} ${object.metadata?.name}: ${answer.status} ${messageOf(answer)}`,
  );
}
