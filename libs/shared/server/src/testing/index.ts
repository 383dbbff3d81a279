export {
  controllersOf,
  handlersThatRan,
  probeProtectedRoutes,
  spellingsOf,
  spyOnProtectedHandlers,
  startWithHandlerSpies,
  type HandlerSpy,
  type Probe,
} from './route-probes';
export { heartbeatsOf, openStream, type OpenedStream } from './event-streams';
export { sendBodySlowly, type SlowRequest } from './slow-body';
