import { Alert, Code, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';

import type { GroupSummary } from '@ml-run/token-contract';

import { useLoad } from '../api/use-load';
import { useSession } from '../session/session-context';
import { ErrorAlert } from '../shell/error-alert';
import { usePageTitle } from '../shell/page-title';
import { AddUserForm } from './add-user-form';
import { ConfirmDialog } from './confirm-dialog';
import { useUserActions, type PendingAction } from './use-user-actions';
import { listGroups, listUsers } from './users-api';
import { UsersTable } from './users-table';

/** Admins only: the issuer's users and groups, adding and removing users, revoking tokens. */
export function UsersPage() {
  usePageTitle('Users and tokens');
  const { isAdmin, username } = useSession();
  return (
    <Stack>
      <Title order={1}>Users and tokens</Title>
      {isAdmin ? (
        <UserAdministration self={username} />
      ) : (
        <Alert color="blue" title="For administrators only">
          Managing users and tokens needs the <Code>admin</Code> scope, which the token of{' '}
          {username} does not hold. Ask an administrator to add you to a group that grants it, then
          sign in again.
        </Alert>
      )}
    </Stack>
  );
}

function UserAdministration({ self }: { self: string }) {
  const users = useLoad(listUsers, 'users');
  const groups = useLoad(listGroups, 'groups');
  const actions = useUserActions(users.reload);
  const list = users.data;
  return (
    <>
      <Text>
        Users sign in at the auth-issuer; their groups grant the scopes. Revoking a user&apos;s
        tokens signs them out everywhere at once (they can sign in again); removing a user revokes
        their tokens too.
      </Text>
      {users.error !== undefined && (
        <ErrorAlert error={users.error} title="Cannot list the users" />
      )}
      {users.loading && !list && <Loader size="sm" role="status" aria-label="Loading users" />}
      {list && !list.editable && (
        <Alert color="blue" title={list.managedBy === 'ldap' ? 'Users live in LDAP' : 'Read-only'}>
          {list.note ??
            'Users are managed in the LDAP directory: add and remove them there. Revoking tokens works here.'}
        </Alert>
      )}
      {list?.editable && list.note && <Text size="sm">{list.note}</Text>}
      {actions.done && (
        <Alert
          color="green"
          role="status"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => actions.report(undefined)}
        >
          {actions.done}
        </Alert>
      )}
      {actions.error !== undefined && (
        <ErrorAlert error={actions.error} title="That did not work" />
      )}
      {list && (
        <UsersTable
          users={list.users}
          self={self}
          editable={list.editable}
          onRevoke={(username) => actions.ask('revoke', username)}
          onRemove={(username) => actions.ask('remove', username)}
        />
      )}
      {groups.error !== undefined && (
        <ErrorAlert error={groups.error} title="Cannot list the groups" />
      )}
      {groups.data && <GroupsTable groups={groups.data.groups} />}
      {list?.editable && (
        <AddUserForm
          groups={groups.data?.groups ?? []}
          onAdded={(username) => {
            actions.report(`Added ${username}.`);
            users.reload();
          }}
        />
      )}
      <ConfirmUserAction
        pending={actions.pending}
        self={self}
        busy={actions.busy}
        onConfirm={actions.confirm}
        onCancel={actions.cancel}
      />
    </>
  );
}

type ConfirmProps = {
  pending?: PendingAction;
  self: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
};

function ConfirmUserAction({ pending, self, busy, onConfirm, onCancel }: ConfirmProps) {
  const remove = pending?.action === 'remove';
  const name = pending?.username ?? '';
  const yourself = name === self ? ' This includes your own session: you will sign in again.' : '';
  return (
    <ConfirmDialog
      title={pending && (remove ? `Remove ${name}?` : `Revoke the tokens of ${name}?`)}
      action={remove ? 'Remove user' : 'Revoke tokens'}
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {remove
        ? `${name} can no longer sign in, and every token they hold stops working now.`
        : `Every token ${name} holds stops working now, on every service; they can sign in again.${yourself}`}
    </ConfirmDialog>
  );
}

function GroupsTable({ groups }: { groups: GroupSummary[] }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <Title order={2} size="h3" id={titleId}>
        Groups
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table aria-labelledby={titleId} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Group</Table.Th>
              <Table.Th scope="col">Scopes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((group) => (
              <Table.Tr key={group.name}>
                <Table.Th scope="row">{group.name}</Table.Th>
                <Table.Td>{group.scopes.join(', ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}
