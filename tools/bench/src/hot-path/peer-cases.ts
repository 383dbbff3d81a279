import { peersInstalled, startPeer, type PeerName } from '../peers';
import type { RunningCase } from './services';

/** Why the peers cannot run here (not installed), or undefined when they can. */
export async function peersMissing(): Promise<string | undefined> {
  const check = await peersInstalled();
  if (check.installed) return undefined;
  const reason = check.reason ?? 'not installed';
  return reason.includes('install.sh') ? reason : `${reason}: run tools/bench/peers/install.sh`;
}

/** Starts a peer serving iris with 2 workers; its role is every process it serves with. */
export async function startPeerCase(name: PeerName): Promise<RunningCase> {
  const peer = await startPeer(name, { workers: 2 });
  return {
    target: { url: peer.url, body: peer.body, contentType: peer.contentType, tokens: [] },
    roles: [{ name: 'peer', pids: () => peer.pids() }],
    stop: () => peer.stop(),
  };
}
