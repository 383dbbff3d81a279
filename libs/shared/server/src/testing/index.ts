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
export {
  heartbeatsOf,
  openStream,
  sentEventsOf,
  type OpenedStream,
  type SentEvent,
} from './event-streams';
export { sendBodySlowly, type SlowRequest } from './slow-body';
export { SCRAPER, TEST_CREDENTIALS, TEST_METRICS_TOKEN } from './test-credentials';
