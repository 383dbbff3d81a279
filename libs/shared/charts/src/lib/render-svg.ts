import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

type VegaLite = typeof import('vega-lite', { with: { 'resolution-mode': 'import' } });
type Vega = typeof import('vega', { with: { 'resolution-mode': 'import' } });

// vega-lite 6 is ESM-only with top-level await: require() fails (ERR_REQUIRE_ASYNC_MODULE),
// so both load with a real import(). The esbuild CJS bundle keeps import() of an external
// package as is (checked in dist/apps/cli/main.js); Jest's CommonJS cannot run it, which is
// why the rendering is tested by running the built CLI (capacity-svg.spec.ts).
const loadVegaLite = (): Promise<VegaLite> => import('vega-lite');
const loadVega = (): Promise<Vega> => import('vega');

/** Renders a vega-lite spec to SVG text, server-side (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vegaLite, vega] = await Promise.all([loadVegaLite(), loadVega()]);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
