import { Anchor, AppShell, Button, Group, Loader, Text } from '@mantine/core';
import { Suspense } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';

import { useSession } from '../session/session-context';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { NotFoundPage } from './not-found-page';
import { ROUTES } from './routes';

/** The signed-in console: header (brand, nav, user, scheme, sign out) over the page. */
export function AppLayout() {
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Anchor
              component={Link}
              href="/models"
              fw={700}
              c="var(--mantine-color-text)"
              underline="never"
            >
              ML-RUN
            </Anchor>
            <MainNav />
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<Loader aria-label="Loading the page" />}>
          <Pages />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function MainNav() {
  const { isAdmin } = useSession();
  const [location] = useLocation();
  const links = ROUTES.filter((route) => route.nav && (!route.adminOnly || isAdmin));
  return (
    <Group component="nav" aria-label="Main" gap={4} wrap="nowrap">
      {links.map((route) => {
        const current = location === route.path || location.startsWith(`${route.path}/`);
        return (
          <Button
            key={route.path}
            component={Link}
            href={route.path}
            variant={current ? 'light' : 'subtle'}
            aria-current={current ? 'page' : undefined}
          >
            {route.nav}
          </Button>
        );
      })}
    </Group>
  );
}

function UserMenu() {
  const { username, signOut } = useSession();
  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm">
        Signed in as <strong>{username}</strong>
      </Text>
      <ColorSchemeToggle />
      <Button variant="default" onClick={() => void signOut()}>
        Sign out
      </Button>
    </Group>
  );
}

function Pages() {
  return (
    <Switch>
      <Route path="/">
        <Redirect to="/models" replace />
      </Route>
      {/* Every page is routed: an admin-only page tells anyone else which scope it needs. */}
      {ROUTES.map((route) => (
        <Route key={route.path} path={route.path} component={route.page} />
      ))}
      <Route component={NotFoundPage} />
    </Switch>
  );
}
