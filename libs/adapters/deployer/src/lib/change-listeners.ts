import { Logger } from '@nestjs/common';

import type { DeploymentRecord } from '@ml-run/registry-contract';

import type { DeploymentListener } from './deployer.port';

/** The onChange subscribers of one deployer. */
export class ChangeListeners {
  private readonly logger = new Logger(ChangeListeners.name);
  private readonly listeners = new Set<DeploymentListener>();

  add(listener: DeploymentListener): () => void {
    // A wrapper makes each subscription distinct, so one listener may subscribe twice.
    const registered: DeploymentListener = (record) => listener(record);
    this.listeners.add(registered);
    return () => this.listeners.delete(registered);
  }

  emit(record: DeploymentRecord): void {
    for (const listener of this.listeners) {
      // A failing listener must not keep the change from the others, nor break the deployer.
      try {
        listener(record);
      } catch (error) {
        this.logger.error(
          { err: error, model: record.name, version: record.version },
          'deployment listener failed',
        );
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
