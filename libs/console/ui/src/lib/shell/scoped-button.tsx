import { Button, Tooltip, type ButtonProps } from '@mantine/core';
import type { ComponentPropsWithoutRef } from 'react';

import { useSession } from '../session/session-context';

type Props = ButtonProps &
  Omit<ComponentPropsWithoutRef<'button'>, keyof ButtonProps> & {
    /** The scope the action needs, e.g. `models:write:iris`. */
    scope: string;
  };

/**
 * A button for an action that needs a scope. When the session lacks it, the button stays
 * focusable but does nothing (aria-disabled, not disabled: a disabled button gets neither
 * focus nor hover, so its tooltip naming the scope would reach nobody).
 */
export function ScopedButton({ scope, onClick, ...props }: Props) {
  const { can } = useSession();
  if (can(scope)) return <Button onClick={onClick} {...props} />;
  return (
    <Tooltip label={`Needs the scope ${scope}`}>
      <Button
        {...props}
        data-disabled
        aria-disabled
        loading={false}
        onClick={(event) => event.preventDefault()}
      />
    </Tooltip>
  );
}
