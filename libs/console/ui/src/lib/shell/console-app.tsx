import { MantineProvider } from '@mantine/core';

import './console.css';

import { Router } from 'wouter';

import { SessionProvider, useSessionControl } from '../session/session-context';
import { SignInPage } from '../session/sign-in-page';
import { AppLayout } from './app-layout';
import { consoleTheme, contrastVariables } from './theme';

/** The whole console: theme, in-memory session, routes under /console. */
export function ConsoleApp() {
  return (
    <MantineProvider
      theme={consoleTheme}
      cssVariablesResolver={contrastVariables}
      defaultColorScheme="auto"
    >
      <SessionProvider>
        <Router base="/console">
          <SignedInOrSignIn />
        </Router>
      </SessionProvider>
    </MantineProvider>
  );
}

// Signed out (first visit, a reload, a 401): the sign-in page at any path; after signing
// in, the page the address names.
function SignedInOrSignIn() {
  const { session } = useSessionControl();
  return session ? <AppLayout /> : <SignInPage />;
}
