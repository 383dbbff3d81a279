import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';

import { usePageTitle } from '../shell/page-title';
import { CapacityFields } from './capacity-fields';
import { CapacityFigures } from './capacity-figures';
import { CapacityResults } from './capacity-results';
import { ParameterFileButton } from './parameter-file-button';
import { useCapacityForm } from './use-capacity-form';

/** The queueing model of a deployment, solved in the browser (docs/architecture.md §7). */
export function CapacityPage() {
  usePageTitle('Capacity');
  const form = useCapacityForm();
  return (
    <Stack>
      <Title order={1}>Capacity</Title>
      <Text>
        The queueing model of the deployment: per-station utilization and waits, the servers (K
        wrappers, M validators, N routers) that keep every station under the target, and the
        paper&apos;s Fig. 5 and Fig. 6. It runs in your browser; a parameter file in the format of{' '}
        <code>ml-run capacity --file</code> fills the form.
      </Text>
      <form aria-label="Capacity parameters" onSubmit={form.solve} noValidate>
        <Stack>
          <Group>
            <ParameterFileButton onLoad={form.loadFile} onProblem={form.fileProblem} />
            <Button variant="subtle" onClick={form.reset}>
              Reset to the defaults
            </Button>
          </Group>
          {form.loaded && (
            <Text role="status" size="sm">
              {form.loaded}
            </Text>
          )}
          <CapacityFields values={form.values} errors={form.errors} onChange={form.change} />
          {form.problem && (
            <Alert color="red" role="alert" title="Check the parameters">
              {form.problem}
            </Alert>
          )}
          <Group>
            <Button type="submit">Solve</Button>
          </Group>
        </Stack>
      </form>
      {form.solution && (
        <>
          <CapacityResults solution={form.solution} />
          <CapacityFigures solution={form.solution} />
        </>
      )}
    </Stack>
  );
}
