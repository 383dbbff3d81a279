import { Fieldset, NumberInput, Select, SimpleGrid } from '@mantine/core';

import type { CapacityField, CapacityFormErrors, CapacityFormValues } from './capacity-form';

type Props = {
  values: CapacityFormValues;
  errors: CapacityFormErrors;
  onChange(field: CapacityField, value: CapacityFormValues[CapacityField]): void;
};

type NumberSpec = { field: CapacityField; label: string; description?: string; step?: number };

const WORKLOAD: NumberSpec[] = [
  { field: 'rate', label: 'Arrival rate λ (req/s)', description: 'Fresh predict requests' },
  { field: 'clients', label: 'Clients', description: 'Distinct token holders' },
  { field: 'tokenLifetimeSeconds', label: 'Token lifetime (s)' },
  { field: 'l1TtlSeconds', label: 'L1 cache TTL (s)', description: "The wrappers' MLRUN_L1_TTL" },
];
const SERVERS: NumberSpec[] = [
  { field: 'routers', label: 'Routers (N)' },
  { field: 'wrappers', label: 'Wrapper replicas (K)' },
  { field: 'validators', label: 'Validators (M)' },
  { field: 'issuers', label: 'Issuers' },
];
const SERVICE_RATES: NumberSpec[] = [
  { field: 'muRouter', label: 'Router (/s)' },
  { field: 'muTokenCheck', label: 'Token check (/s)' },
  { field: 'muValidator', label: 'Validator (/s)' },
  { field: 'muIssuer', label: 'Issuer (/s)' },
  { field: 'muPredict', label: 'Predict (/s)' },
];
const MODEL: NumberSpec[] = [
  { field: 'pStale', label: 'Token-aging probability', description: 'Empty: derived', step: 0.01 },
  { field: 'pMiss', label: 'L1 miss probability', description: 'Empty: derived', step: 0.01 },
  {
    field: 'predictServiceScv',
    label: 'Predict service-time SCV',
    description: 'Empty: 1 (exponential); 0: fixed',
    step: 0.1,
  },
];
const TARGET: NumberSpec[] = [
  {
    field: 'targetUtilization',
    label: 'Target utilization',
    description: 'Keep every station under it (0–1)',
    step: 0.05,
  },
  { field: 'maxLatencyMs', label: 'Max mean latency (ms)', description: 'Empty: no bound' },
];

/** The model's inputs, grouped as the parameter file groups them, each with its error. */
export function CapacityFields({ values, errors, onChange }: Props) {
  const numbers = (specs: NumberSpec[]) =>
    specs.map(({ field, label, description, step }) => (
      <NumberInput
        key={field}
        label={label}
        description={description}
        value={values[field] as number | string}
        error={errors[field]}
        step={step}
        min={0}
        allowNegative={false}
        onChange={(value) => onChange(field, value)}
      />
    ));
  const grid = { base: 1, xs: 2, md: 4 };
  return (
    <>
      <Fieldset legend="Workload">
        <SimpleGrid cols={grid}>{numbers(WORKLOAD)}</SimpleGrid>
      </Fieldset>
      <Fieldset legend="Servers">
        <SimpleGrid cols={grid}>{numbers(SERVERS)}</SimpleGrid>
      </Fieldset>
      <Fieldset legend="Service rate of one server">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>{numbers(SERVICE_RATES)}</SimpleGrid>
      </Fieldset>
      <Fieldset legend="Model">
        <SimpleGrid cols={grid}>
          {numbers(MODEL)}
          <Select
            label="After a 401"
            description="What a client does once it logged in again"
            data={[
              { value: 'leave', label: 'Leave (the paper’s model)' },
              { value: 'retry', label: 'Retry the request' },
            ]}
            value={values.staleRequests}
            error={errors.staleRequests}
            allowDeselect={false}
            onChange={(value) => value && onChange('staleRequests', value)}
          />
          <Select
            label="Validator queues"
            description="One URL (shared) or one per validator"
            data={[
              { value: 'shared', label: 'Shared' },
              { value: 'split', label: 'Split' },
            ]}
            value={values.validatorQueues}
            error={errors.validatorQueues}
            allowDeselect={false}
            onChange={(value) => value && onChange('validatorQueues', value)}
          />
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend="Recommendation target">
        <SimpleGrid cols={grid}>{numbers(TARGET)}</SimpleGrid>
      </Fieldset>
    </>
  );
}
