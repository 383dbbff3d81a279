export {
  controllersOf,
  probeProtectedRoutes,
  spellingsOf,
  spyOnProtectedHandlers,
  type HandlerSpy,
  type Probe,
} from './route-probes';
