export { peersInstalled } from './install-state';
export { startPeer } from './start-peer';
export type { PeerName, RunningPeer } from './types';
