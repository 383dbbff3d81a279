export { canWith, isAdmin, sessionFromToken, type Session } from './session';
export { SessionProvider, useSession, useSessionControl, type SignedIn } from './session-context';
export { SignInPage } from './sign-in-page';
