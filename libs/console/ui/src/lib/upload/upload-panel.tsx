import { Alert, Group, Stack, Text } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { IconFileZip, IconUpload, IconX } from '@tabler/icons-react';
import { useState } from 'react';

import type { UploadResponse } from '@ml-run/registry-contract';
import { allowsOnSomeModel } from '@ml-run/token-contract';

import { useApi } from '../api/api-context';
import { useSession } from '../session/session-context';
import { ErrorAlert } from '../shell/error-alert';
import { BuildProgressView } from './build-progress-view';

// Browsers name a zip's type differently (Windows: x-zip-compressed); the extension decides.
const ZIP_TYPES = {
  'application/zip': ['.zip'],
  'application/x-zip-compressed': ['.zip'],
  'application/octet-stream': ['.zip'],
};

/**
 * Upload a model bundle (drop or choose a .zip; sent as the raw application/zip body),
 * then follow the build it starts.
 */
export function UploadPanel({ onBuilt }: { onBuilt: () => void }) {
  const api = useApi();
  const { scopes } = useSession();
  const [uploading, setUploading] = useState(false);
  const [upload, setUpload] = useState<UploadResponse>();
  const [problem, setProblem] = useState<unknown>();
  const allowed = allowsOnSomeModel(scopes, 'models:write');

  async function send(file: File) {
    setUploading(true);
    setProblem(undefined);
    setUpload(undefined);
    try {
      // The builder takes application/zip whatever the browser called the file.
      const body = new Blob([file], { type: 'application/zip' });
      setUpload(await api.send<UploadResponse>('POST', '/v1/models', body));
    } catch (error) {
      setProblem(error);
    } finally {
      setUploading(false);
    }
  }

  function reject(rejections: FileRejection[]) {
    const names = rejections.map((rejection) => rejection.file.name).join(', ');
    setProblem(new Error(`Only one .zip model bundle at a time; not accepted: ${names}`));
  }

  return (
    <Stack gap="sm">
      {!allowed && (
        <Alert color="gray" title="Uploading needs a write scope">
          Uploading needs models:write on a model (models:write:&lt;name&gt;, models:write:* or
          admin); this session has none.
        </Alert>
      )}
      <Dropzone
        onDrop={(files) => files[0] && void send(files[0])}
        onReject={reject}
        accept={ZIP_TYPES}
        multiple={false}
        loading={uploading}
        disabled={!allowed}
        inputProps={{ 'aria-label': 'Model bundle (.zip)' }}
      >
        <Group justify="center" gap="lg" mih={110} style={{ pointerEvents: 'none' }}>
          <Dropzone.Accept>
            <IconUpload size={40} aria-hidden />
          </Dropzone.Accept>
          <Dropzone.Reject>
            <IconX size={40} aria-hidden />
          </Dropzone.Reject>
          <Dropzone.Idle>
            <IconFileZip size={40} aria-hidden />
          </Dropzone.Idle>
          <div>
            <Text size="lg">Model bundle (.zip)</Text>
            <Text size="sm" c="dimmed">
              Drop the zip here, or press Enter or click to choose it. The build starts at once.
            </Text>
          </div>
        </Group>
      </Dropzone>
      {problem !== undefined && <ErrorAlert error={problem} title="Upload refused" />}
      {upload && <BuildProgressView upload={upload} onDone={onBuilt} />}
    </Stack>
  );
}
