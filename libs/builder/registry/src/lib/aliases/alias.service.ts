import { Inject, Injectable } from '@nestjs/common';

import { aliasTargetProblem, RegistryErrorCode, type AliasTarget } from '@ml-run/registry-contract';
import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { BuilderError } from '../builder.errors';
import { ModelEvents } from '../events/model-events.service';
import { listing, requireModel } from '../registry/registry-lookup';

/** Alias names: short DNS-label-like words (stable, canary, eu-prod). */
export const ALIAS_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export type AliasResponse = { name: string; alias: string } & AliasTarget;

/** `PUT /v1/models/{name}/aliases/{alias}`: names one version, or splits traffic by weight. */
@Injectable()
export class AliasService {
  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly events: ModelEvents,
  ) {}

  async set(name: string, alias: string, body: unknown): Promise<AliasResponse> {
    if (!ALIAS_NAME.test(alias)) {
      throw invalidAlias(
        `alias ${JSON.stringify(alias)} must be a lower-case letter then up to 31 of [a-z0-9-]`,
      );
    }
    const target = parseAliasTarget(body);
    const problem = aliasTargetProblem(target);
    if (problem !== undefined) throw invalidAlias(`alias ${alias}: ${problem}`);
    const known = new Set((await requireModel(this.store, name)).map((v) => v.version));
    const unknown = target.versions.filter((v) => !known.has(v.version)).map((v) => v.version);
    if (unknown.length > 0) {
      throw invalidAlias(
        `model ${name} has no version ${unknown.join(', ')}; versions: ${listing([...known])}`,
      );
    }
    await this.store.updateAliases(name, (aliases) => ({ ...aliases, [alias]: target }));
    await this.events.publish({ type: 'alias.changed', name, alias, target });
    return { name, alias, ...target };
  }
}

function parseAliasTarget(body: unknown): AliasTarget {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof fields['version'] === 'string' && fields['versions'] === undefined) {
    return { versions: [{ version: fields['version'], weight: 100 }] };
  }
  const versions = fields['versions'];
  if (fields['version'] === undefined && Array.isArray(versions) && versions.every(isWeighted)) {
    return { versions: versions.map(({ version, weight }) => ({ version, weight })) };
  }
  throw invalidAlias(
    'send {"version": "<version>"} or {"versions": [{"version": "<version>", "weight": 90}, ...]}',
  );
}

function isWeighted(item: unknown): item is { version: string; weight: number } {
  const fields = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  return typeof fields['version'] === 'string' && typeof fields['weight'] === 'number';
}

function invalidAlias(message: string): BuilderError {
  return new BuilderError(RegistryErrorCode.InvalidAlias, message);
}
