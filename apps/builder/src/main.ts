import 'reflect-metadata';

import path from 'node:path';

import { builderConfigShape, createBuilderApp } from '@ml-run/builder';
import { loadConfig } from '@ml-run/config';
import { runService } from '@ml-run/server';

import { standaloneAdapters, standaloneConfigShape } from './standalone-adapters';

void runService(async () => {
  const config = loadConfig(builderConfigShape);
  const { resources, ...adapters } = await standaloneAdapters(
    loadConfig(standaloneConfigShape),
    config.MLRUN_DEFAULT_TARGET,
    path.join(config.MLRUN_DATA_DIR, 'outbox'),
  );
  return createBuilderApp(config, adapters, { resources });
});
