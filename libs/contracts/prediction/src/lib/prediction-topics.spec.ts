import { isStreamTopicOf, streamTopicPrefixOf } from './prediction-topics';

describe('stream topics of a model', () => {
  it('accepts topics under the model’s own prefix', () => {
    expect(streamTopicPrefixOf('iris')).toBe('ml-run.stream.iris.');
    expect(isStreamTopicOf('iris', 'ml-run.stream.iris.in')).toBe(true);
  });

  it.each([
    ['the prefix alone', 'ml-run.stream.iris.'],
    ['another model’s namespace', 'ml-run.stream.iris-2.in'],
    ['a platform topic', 'ml-run.tokens'],
    ['a request topic', 'ml-run.predict.iris'],
    ['illegal characters', 'ml-run.stream.iris.a/b'],
    ['a name longer than Kafka allows', `ml-run.stream.iris.${'x'.repeat(240)}`],
  ])('refuses %s', (_case, topic) => {
    expect(isStreamTopicOf('iris', topic)).toBe(false);
  });
});
