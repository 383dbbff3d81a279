import type { DeploymentRecord } from './deployment.dto';
import type { AliasTarget } from './registry.dto';

/** Topic of model lifecycle events (Kafka topic name in cluster mode). */
export const MODEL_EVENTS_TOPIC = 'ml-run.models';

type Versioned = { name: string; version: string; at: string };

/**
 * Lifecycle events (docs/architecture.md §6). Deployment events carry the whole deployment, so a
 * router can keep its route table from events alone.
 * @example { type: 'deployment.ready', deployment: {...}, at: '2026-11-28T12:00:00.000Z' }
 */
export type ModelEvent =
  | (Versioned & { type: 'model.uploaded'; bundleSha256: string; uploadedBy: string })
  | (Versioned & { type: 'build.started' | 'build.succeeded'; buildId: string })
  | (Versioned & {
      type: 'build.failed';
      buildId: string;
      error: { code: string; message: string };
    })
  | (Versioned & {
      type: 'image.pushed';
      buildId: string;
      /** The pushed image's reference, `<repository>@<digest>` (ModelImage.reference). */
      image: string;
      digest: string;
    })
  | {
      type: 'deployment.ready' | 'deployment.changed' | 'deployment.failed' | 'deployment.removed';
      deployment: DeploymentRecord;
      at: string;
    }
  | { type: 'alias.changed'; name: string; alias: string; target: AliasTarget | null; at: string };
