import { enumVar, intVar, stringVar } from './env-fields';

/** Variables every ML-RUN service reads (docs/architecture.md §8). */
export const serverConfigShape = {
  MLRUN_HOST: stringVar({ default: '127.0.0.1' }),
  MLRUN_LOG_LEVEL: enumVar(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  MLRUN_MAX_BODY_BYTES: intVar({ min: 1, max: 1024 * 1024 * 1024, default: 10 * 1024 * 1024 }),
};
