import type { ComponentType } from 'react';

import { CapacityPage } from '../capacity';
import { ModelVersionPage } from '../model-version';
import { ModelPage, ModelsPage } from '../models';
import { TrafficPage } from '../traffic';
import { UsersPage } from '../users';

/** One page of the console: its path under /console, and its header link if it has one. */
export type ConsoleRoute = {
  path: string;
  page: ComponentType;
  /** The header link's text; pages reached from other pages have none. */
  nav?: string;
  /** Shown (and linked) to admins only; the issuer refuses the calls to others anyway. */
  adminOnly?: boolean;
};

// The console's one route table. Pages read their parameters with wouter's useParams().
export const ROUTES: ConsoleRoute[] = [
  { path: '/models', page: ModelsPage, nav: 'Models' },
  { path: '/models/:name', page: ModelPage },
  { path: '/models/:name/versions/:version', page: ModelVersionPage },
  { path: '/traffic', page: TrafficPage, nav: 'Traffic' },
  { path: '/capacity', page: CapacityPage, nav: 'Capacity' },
  { path: '/users', page: UsersPage, nav: 'Users and tokens', adminOnly: true },
];
