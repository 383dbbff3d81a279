export {
  controllersOf,
  handlersThatRan,
  probeProtectedRoutes,
  probeWithForeignCredentials,
  spellingsOf,
  spyOnProtectedHandlers,
  startWithHandlerSpies,
  type HandlerSpy,
  type Probe,
} from './route-probes';
export { SCRAPER, TEST_CREDENTIALS, TEST_METRICS_TOKEN } from './test-credentials';
