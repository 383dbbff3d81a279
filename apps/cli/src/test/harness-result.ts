/** How far a local run of a model got. */
export type HarnessStage = 'load' | 'init' | 'predict' | 'done';

/** What running init (and predict, when there is an input) locally gave. */
export type HarnessResult = {
  stage: HarnessStage;
  output?: string;
  /** "Type: message" of what the model raised, when stage is not done. */
  error?: string;
  trace?: string;
  /** What the model logged or printed. */
  logs: string[];
};

/** One local run: the model folder (absolute), the manifest's entry and env, the input. */
export type HarnessRequest = {
  modelDir: string;
  entry: string;
  coefficientsDir: string;
  config: Readonly<Record<string, string>>;
  /** predict's input; without one, only init runs. */
  input?: string;
  initTimeoutMs: number;
};

/** How long predict may take in a local test (the platform bounds requests, not the manifest). */
export const PREDICT_TIMEOUT_MS = 30_000;
