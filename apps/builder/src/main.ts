import 'reflect-metadata';

import { builderConfigShape, createBuilderApp } from '@ml-run/builder';
import { loadConfig } from '@ml-run/config';
import { runService } from '@ml-run/server';

import { standaloneAdapters, standaloneConfigShape } from './standalone-adapters';

void runService(() =>
  createBuilderApp(
    loadConfig(builderConfigShape),
    standaloneAdapters(loadConfig(standaloneConfigShape)),
  ),
);
