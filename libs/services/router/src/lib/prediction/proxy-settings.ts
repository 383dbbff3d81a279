/** How the router talks to replicas; from config, with the canary draw injectable for tests. */
export type ProxySettings = {
  /** MLRUN_UPSTREAM_TIMEOUT_MS */
  timeoutMs: number;
  /** MLRUN_MAX_BODY_BYTES: a chunked body is cut there (a declared length is checked up front). */
  maxBodyBytes: number;
  /** MLRUN_MAX_ANSWER_BYTES */
  maxAnswerBytes: number;
  /** A draw in [0, 1) per request to `model/alias`: which version of a weighted alias serves it. */
  random: (alias: string) => number;
};

export const PROXY_SETTINGS = Symbol('PROXY_SETTINGS');
