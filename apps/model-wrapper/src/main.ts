import 'reflect-metadata';

import { loadConfig } from '@ml-run/config';
import { createModelWrapperApp, modelWrapperConfigShape } from '@ml-run/model-wrapper';
import { runService } from '@ml-run/server';

void runService(() => createModelWrapperApp(loadConfig(modelWrapperConfigShape)));
