import { lazy, type ComponentType } from 'react';

/** One page of the console: its path under /console, and its header link if it has one. */
export type ConsoleRoute = {
  path: string;
  page: ComponentType;
  /** The header link's text; pages reached from other pages have none. */
  nav?: string;
  /** Linked for admins only; others who open it read why (the issuer refuses them anyway). */
  adminOnly?: boolean;
};

// Each page is its own chunk, loaded when first shown: the sign-in page (the first paint)
// does not wait for the dropzone, the charts or the capacity solver. (".js": TypeScript
// under nodenext wants ESM paths in a dynamic import; esbuild finds the .ts behind them.)
const ModelsPage = lazy(() =>
  import('../models/index.js').then((m) => ({ default: m.ModelsPage })),
);
const ModelPage = lazy(() => import('../models/index.js').then((m) => ({ default: m.ModelPage })));
const ModelVersionPage = lazy(() =>
  import('../model-version/index.js').then((m) => ({ default: m.ModelVersionPage })),
);
const TrafficPage = lazy(() =>
  import('../traffic/index.js').then((m) => ({ default: m.TrafficPage })),
);
const CapacityPage = lazy(() =>
  import('../capacity/index.js').then((m) => ({ default: m.CapacityPage })),
);
const UsersPage = lazy(() => import('../users/index.js').then((m) => ({ default: m.UsersPage })));

// The console's one route table. Pages read their parameters with wouter's useParams().
export const ROUTES: ConsoleRoute[] = [
  { path: '/models', page: ModelsPage, nav: 'Models' },
  { path: '/models/:name', page: ModelPage },
  { path: '/models/:name/versions/:version', page: ModelVersionPage },
  { path: '/traffic', page: TrafficPage, nav: 'Traffic' },
  { path: '/capacity', page: CapacityPage, nav: 'Capacity' },
  { path: '/users', page: UsersPage, nav: 'Users and tokens', adminOnly: true },
];
