import { List, Text } from '@mantine/core';

import type { ModelOwners } from '@ml-run/registry-contract';

/** Who may change the model (with models:write on it); admins always may. */
export function OwnersList({ owners }: { owners?: ModelOwners }) {
  const items = owners
    ? [
        ...owners.users.map((user) => `user ${user}`),
        ...owners.groups.map((group) => `group ${group}`),
      ]
    : [];
  return (
    <>
      <List aria-label="Owners">
        {items.map((item) => (
          <List.Item key={item}>{item}</List.Item>
        ))}
        {items.length === 0 && <List.Item>admins only</List.Item>}
      </List>
      {owners && (
        <Text size="xs" c="dimmed">
          {owners.assignedBy === 'creation' ? 'Set at its first upload' : 'Set by a migration'},{' '}
          {new Date(owners.assignedAt).toLocaleString()}. Admins may change every model.
        </Text>
      )}
    </>
  );
}
