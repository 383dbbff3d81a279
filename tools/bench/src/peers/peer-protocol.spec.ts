import { IRIS_INPUT, PEER_PROTOCOLS } from './peer-protocol';

describe('the MLflow request and answer', () => {
  const mlflow = PEER_PROTOCOLS.mlflow;

  it('sends the input string as the one row of the "inputs" string column', () => {
    expect(JSON.parse(mlflow.body(IRIS_INPUT))).toEqual({ inputs: [IRIS_INPUT] });
  });

  it("takes the example's output string from the one prediction", () => {
    const output = '{"class":"setosa","classIndex":0}';
    expect(mlflow.prediction(JSON.stringify({ predictions: [output] }))).toBe(output);
  });

  it.each([
    ['not JSON', 'Internal Server Error'],
    ['no predictions', '{"error_code":"BAD_REQUEST"}'],
    ['two predictions', '{"predictions":["a","b"]}'],
    ['a prediction that is not a string', '{"predictions":[{"class":"setosa"}]}'],
  ])('refuses an answer with %s, quoting it', (_, answer) => {
    expect(() => mlflow.prediction(answer)).toThrow(answer);
  });
});

describe('the BentoML request and answer', () => {
  const bentoml = PEER_PROTOCOLS.bentoml;

  it("sends the input string as the API method's `input` parameter", () => {
    expect(JSON.parse(bentoml.body(IRIS_INPUT))).toEqual({ input: IRIS_INPUT });
  });

  it("takes the plain-text answer as the example's output string", () => {
    expect(bentoml.prediction('{"class":"setosa"}')).toBe('{"class":"setosa"}');
  });
});

it('every peer sends JSON and has a predict and a ready path', () => {
  for (const protocol of Object.values(PEER_PROTOCOLS)) {
    expect(protocol.contentType).toBe('application/json');
    expect(protocol.predictPath).toMatch(/^\/\w+$/);
    expect(protocol.readyPath).toMatch(/^\/\w+$/);
  }
});
