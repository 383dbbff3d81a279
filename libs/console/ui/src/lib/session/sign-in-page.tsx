import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';

import { ErrorAlert } from '../shell/error-alert';
import { usePageTitle } from '../shell/page-title';
import { useSessionControl } from './session-context';

/** The only page while signed out (a reload signs out: the token lives in memory). */
export function SignInPage() {
  usePageTitle('Sign in');
  const { ended, signIn } = useSessionControl();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(username, password);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={1} size="h2">
            Sign in to ML-RUN
          </Title>
          {ended && !error && (
            <Alert color="yellow" role="alert" title="Signed out">
              Your session ended. Sign in again.
            </Alert>
          )}
          {error !== undefined && <ErrorAlert error={error} title="Sign-in failed" />}
          <TextInput
            label="Username"
            autoComplete="username"
            required
            // The accessible name stays exactly the label (no "*"): both fields are needed.
            withAsterisk={false}
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            withAsterisk={false}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
