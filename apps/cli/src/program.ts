import { Command } from 'commander';

import { registerAliasCommand } from './alias/alias-command';
import { registerCapacityCommand } from './capacity/capacity-command';
import type { CliDeps } from './cli-deps';
import { registerDeployCommands } from './deploy/deploy-command';
import { registerInitCommand } from './init/init-command';
import { registerLoginCommands } from './login/login-command';
import { registerModelsCommands } from './models/models-command';
import { registerPackCommand } from './pack/pack-command';
import { registerPredictCommand } from './predict/predict-command';
import { registerPushCommand } from './push/push-command';
import { registerStreamCommand } from './stream/stream-command';
import { registerTemplateCommands } from './template/template-command';
import { registerTestCommand } from './test/test-command';
import { registerTokensCommands } from './tokens/tokens-command';
import { registerUsersCommands } from './users/users-program';

export type { CliDeps, ServiceUrls, StatusStream } from './cli-deps';

/** The `ml-run` command tree; main.ts parses process.argv with it. */
export function createProgram(deps: CliDeps): Command {
  const program = new Command('ml-run')
    .description('ML-RUN command line: write, check, publish, deploy and call models')
    .showHelpAfterError('(add --help for usage)');
  registerLoginCommands(program, deps);
  registerInitCommand(program, deps);
  registerTestCommand(program, deps);
  registerPackCommand(program, deps);
  registerPushCommand(program, deps);
  registerModelsCommands(program, deps);
  registerDeployCommands(program, deps);
  registerAliasCommand(program, deps);
  registerPredictCommand(program, deps);
  registerStreamCommand(program, deps);
  registerUsersCommands(program, deps);
  registerTokensCommands(program, deps);
  registerCapacityCommand(program, deps);
  registerTemplateCommands(program, deps);
  return program;
}
