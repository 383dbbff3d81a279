import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';

import { REGISTRY_STORE, type RegistryStore } from '@ml-run/registry-store';

import { adminOwners } from '../authorization/model-owners';

/**
 * Models from before models had owners belong to the admins: on start, each model with no
 * owners recorded gets the admins' (no users, no groups, assignedBy "migration"), logged
 * once with the names. Idempotent: a model with owners is left alone, so the next start
 * finds nothing to do and logs nothing; claims are first-wins, so builders sharing a
 * registry cannot undo an upload's owners.
 */
@Injectable()
export class OwnersMigration implements OnModuleInit {
  private readonly logger = new Logger(OwnersMigration.name);

  constructor(@Inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  async onModuleInit(): Promise<void> {
    await this.migrate();
  }

  /** The names given to the admins by this run. */
  async migrate(): Promise<string[]> {
    const names = await this.store.listModels();
    const owned = await Promise.all(names.map((name) => this.store.getOwners(name)));
    const unowned = names.filter((_name, i) => owned[i] === undefined);
    const now = new Date();
    const claimed = await Promise.all(
      unowned.map(async (name) => {
        const proposed = adminOwners(now);
        // Another builder (or an upload) may have recorded owners meanwhile: theirs stand.
        return (await this.store.claimOwners(name, proposed)) === proposed;
      }),
    );
    const migrated = unowned.filter((_name, i) => claimed[i]);
    if (migrated.length > 0) {
      this.logger.log(
        { models: migrated, count: migrated.length },
        'models without owners given to the admins',
      );
    }
    return migrated;
  }
}
