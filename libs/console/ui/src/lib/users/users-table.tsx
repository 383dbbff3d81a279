import { Badge, Button, Group, Table, Title, Tooltip } from '@mantine/core';
import { useId } from 'react';

import type { UserSummary } from '@ml-run/token-contract';

type Props = {
  users: UserSummary[];
  /** The signed-in admin: the issuer refuses to remove oneself. */
  self: string;
  /** False with LDAP: users are added and removed there. */
  editable: boolean;
  onRevoke(username: string): void;
  onRemove(username: string): void;
};

export function UsersTable({ users, self, editable, onRevoke, onRemove }: Props) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <Title order={2} size="h3" id={titleId}>
        Users
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table aria-labelledby={titleId} striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Username</Table.Th>
              <Table.Th scope="col">Groups</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((user) => (
              <Table.Tr key={user.username}>
                <Table.Th scope="row">{user.username}</Table.Th>
                <Table.Td>
                  <Group gap={4}>
                    {user.groups.length === 0 ? '—' : null}
                    {user.groups.map((group) => (
                      <Badge key={group} variant="light" color="gray">
                        {group}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => onRevoke(user.username)}>
                      Revoke tokens
                    </Button>
                    {editable && (
                      <RemoveButton
                        username={user.username}
                        isSelf={user.username === self}
                        onRemove={onRemove}
                      />
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}

function RemoveButton(props: { username: string; isSelf: boolean; onRemove(name: string): void }) {
  const button = (
    <Button
      size="xs"
      variant="light"
      color="red"
      disabled={props.isSelf}
      onClick={() => props.onRemove(props.username)}
    >
      Remove
    </Button>
  );
  if (!props.isSelf) return button;
  return (
    <Tooltip label="You cannot remove yourself: another admin can.">
      {/* A disabled button gets no pointer events: the span carries the tooltip. */}
      <span tabIndex={0}>{button}</span>
    </Tooltip>
  );
}
