import { Button, Tooltip, type ButtonProps } from '@mantine/core';
import type { ComponentPropsWithoutRef } from 'react';

import { useSession } from '../session/session-context';

type Props = ButtonProps &
  Omit<ComponentPropsWithoutRef<'button'>, keyof ButtonProps> & {
    /** The scope the action needs, e.g. `models:write:iris`. */
    scope: string;
  };

/**
 * A button for an action that needs a scope: disabled, with a tooltip naming the scope,
 * when the session lacks it (the server refuses anyway; this says why before trying).
 */
export function ScopedButton({ scope, disabled, ...props }: Props) {
  const { can } = useSession();
  if (can(scope)) return <Button disabled={disabled} {...props} />;
  return (
    <Tooltip label={`Needs the scope ${scope}`}>
      {/* A disabled button gets no pointer events: the span carries the tooltip. */}
      <span tabIndex={0} style={{ display: 'inline-block' }}>
        <Button {...props} disabled />
      </span>
    </Tooltip>
  );
}
