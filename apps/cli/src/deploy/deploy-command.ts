import type { Command } from 'commander';

import type { CliDeps } from '../cli-deps';
import { authorizedClients } from '../session/clients';
import { replicasOption, targetOption, type DeployOptions } from './deploy-options';
import { deployVersion } from './deploy-version';

export function registerDeployCommands(program: Command, deps: CliDeps): void {
  program
    .command('deploy <name> <version>')
    .description('run a built version with K replicas behind the router')
    .addOption(replicasOption())
    .addOption(targetOption())
    .action(async (name: string, version: string, options: DeployOptions) => {
      const { builder } = await authorizedClients(deps);
      await deployVersion(builder, deps.out, { name, version, options });
    });
  program
    .command('undeploy <name> <version>')
    .description("stop a version's replicas")
    .option('--force', 'stop it even while an alias still sends it all traffic')
    .action(async (name: string, version: string, options: { force?: boolean }) => {
      const { builder } = await authorizedClients(deps);
      await builder.undeploy(name, version, options.force);
      deps.out(`undeployed ${name} ${version}`);
    });
}
