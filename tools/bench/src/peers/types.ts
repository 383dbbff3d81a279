export type PeerName = 'mlflow' | 'bentoml';

export const PEER_NAMES: readonly PeerName[] = ['mlflow', 'bentoml'];

/** A peer serving the iris example, checked to answer as the example does. */
export type RunningPeer = {
  name: PeerName;
  /** The full predict URL. */
  url: string;
  /** One request in the peer's own format, carrying the iris input (POST it to url). */
  body: string;
  contentType: string;
  /** Every process serving (the server and its workers), for CPU accounting. */
  pids(): number[];
  /** Ends the whole process tree and removes the peer's temporary directory. */
  stop(): Promise<void>;
};
