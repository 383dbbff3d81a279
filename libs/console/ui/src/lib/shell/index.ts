export { ConsoleApp } from './console-app';
export { ErrorAlert } from './error-alert';
export { FigurePanel } from './figure-panel';
export { usePageTitle } from './page-title';
export { ScopedButton } from './scoped-button';
export { ROUTES, type ConsoleRoute } from './routes';
