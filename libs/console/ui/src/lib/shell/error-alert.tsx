import { Alert, Code, Text } from '@mantine/core';

import { ApiError } from '../api/api-error';

/**
 * A failed call where it happened: the server's sentence, its code, and for a 403 the
 * scope the token lacks (what to ask an admin for).
 */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const apiError = error instanceof ApiError ? error : undefined;
  const heading = title ?? (apiError?.status === 403 ? 'Not allowed' : 'Something went wrong');
  return (
    <Alert color="red" role="alert" title={heading}>
      <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
      {apiError && apiError.status > 0 && (
        <Text size="sm">
          {apiError.status} <Code>{apiError.code}</Code>
        </Text>
      )}
      {apiError?.missingScope && (
        <Text size="sm">
          Missing scope: <Code>{apiError.missingScope}</Code>
        </Text>
      )}
    </Alert>
  );
}
