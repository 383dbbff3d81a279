import { Button, Group, Modal, Text } from '@mantine/core';
import type { ReactNode } from 'react';

type Props = {
  /** Open while set: the question, e.g. "Remove bob?". */
  title?: string;
  children?: ReactNode;
  /** The confirming button's text, naming the action. */
  action: string;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
};

/** Asks before an action that cannot be undone; Cancel (and Escape) leaves things as they are. */
export function ConfirmDialog({ title, children, action, busy, onConfirm, onCancel }: Props) {
  return (
    <Modal
      opened={title !== undefined}
      onClose={onCancel}
      title={title}
      centered
      closeButtonProps={{ 'aria-label': 'Cancel' }}
    >
      <Text size="sm">{children}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button color="red" onClick={onConfirm} loading={busy}>
          {action}
        </Button>
      </Group>
    </Modal>
  );
}
