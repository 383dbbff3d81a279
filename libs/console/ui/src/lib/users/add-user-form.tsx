import { Button, Group, MultiSelect, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useId, useState, type FormEvent } from 'react';

import type { CreateUserRequest, GroupSummary } from '@ml-run/token-contract';

import { useApi } from '../api/api-context';
import { ErrorAlert } from '../shell/error-alert';
import { addUser } from './users-api';

type Props = { groups: GroupSummary[]; onAdded(username: string): void };

const EMPTY: CreateUserRequest = { username: '', password: '', groups: [] };

/** The issuer checks the name, the password rules and the groups; its sentence is shown. */
export function AddUserForm({ groups, onAdded }: Props) {
  const api = useApi();
  const titleId = useId();
  const [user, setUser] = useState<CreateUserRequest>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const added = await addUser(api, { ...user, username: user.username.trim() });
      setUser(EMPTY);
      onAdded(added.username);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form aria-labelledby={titleId} onSubmit={(event) => void submit(event)}>
      <Stack gap="sm" maw={480}>
        <Title order={2} size="h3" id={titleId}>
          Add user
        </Title>
        <TextInput
          label="Username"
          required
          autoComplete="off"
          value={user.username}
          onChange={(event) => setUser({ ...user, username: event.currentTarget.value })}
        />
        <PasswordInput
          label="Password"
          description="12 to 1024 characters"
          required
          autoComplete="new-password"
          value={user.password}
          onChange={(event) => setUser({ ...user, password: event.currentTarget.value })}
        />
        <MultiSelect
          label="Groups"
          description="The groups grant the scopes; a user in no group can sign in but do nothing."
          data={groups.map((g) => ({ value: g.name, label: `${g.name} (${g.scopes.join(', ')})` }))}
          value={user.groups}
          onChange={(selected) => setUser({ ...user, groups: selected })}
          searchable
          clearable
        />
        {error !== undefined && <ErrorAlert error={error} title="The user was not added" />}
        <Group>
          <Button type="submit" loading={busy}>
            Add user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
