import type { PeerName } from './types';

/** The input every side of the benchmark sends: the example's own selfTest input. */
export const IRIS_INPUT = '{"features":[5.1,3.5,1.4,0.2]}';

/** How one peer is asked for a prediction and where its answer carries it. */
export type PeerProtocol = {
  predictPath: string;
  /** Answers 200 once the server accepts predictions. */
  readyPath: string;
  contentType: string;
  /** The request body carrying one input string for the example's predict. */
  body(input: string): string;
  /** The example's output string inside the answer; throws when the answer holds none. */
  prediction(answer: string): string;
};

// MLflow's scoring server takes a string column as {"inputs": [...]} (the model's
// signature, from predict's list[str] type hint, is one string column) and answers
// {"predictions": [...]}, one output per input: the example's output string, JSON-quoted.
const mlflow: PeerProtocol = {
  predictPath: '/invocations',
  readyPath: '/ping',
  contentType: 'application/json',
  body: (input) => JSON.stringify({ inputs: [input] }),
  prediction: (answer) => {
    const predictions = parseJson(answer)?.predictions;
    if (!Array.isArray(predictions) || predictions.length !== 1) {
      throw new Error(`MLflow answered without exactly one prediction: ${answer}`);
    }
    const [prediction] = predictions;
    if (typeof prediction !== 'string') {
      throw new Error(`MLflow's prediction is not the example's output string: ${answer}`);
    }
    return prediction;
  },
};

// BentoML maps a JSON object's fields to the API method's parameters ({"input": ...} for
// predict(self, input: str)) and sends a str result as the text/plain body, unchanged.
const bentoml: PeerProtocol = {
  predictPath: '/predict',
  readyPath: '/readyz',
  contentType: 'application/json',
  body: (input) => JSON.stringify({ input }),
  prediction: (answer) => answer,
};

export const PEER_PROTOCOLS: Record<PeerName, PeerProtocol> = { mlflow, bentoml };

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
