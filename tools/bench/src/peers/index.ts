// Stand-in for the peers helper (i17-peers) until its branch is merged: the agreed interface,
// reporting the peers as not installed. Replaced by i17-peers's module on merge.
export type PeerName = 'mlflow' | 'bentoml';
export type RunningPeer = {
  name: PeerName;
  url: string;
  body: string;
  contentType: string;
  pids(): number[];
  stop(): Promise<void>;
};
export async function peersInstalled(): Promise<{ installed: boolean; reason?: string }> {
  return { installed: false, reason: 'the peers (i17-peers) are not merged yet' };
}
export async function startPeer(
  name: PeerName,
  _options: { workers: number },
): Promise<RunningPeer> {
  throw new Error(`${name}: peers not merged`);
}
