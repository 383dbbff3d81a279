import { resultsFromJson, resultsToJson } from './results-json';
import { at, fixtureResults } from './results.fixture';

describe('results JSON', () => {
  it('round-trips the results, infinite and undefined numbers included', () => {
    const results = fixtureResults();
    const [first, second] = results.fig5.points;
    if (!first || !second) throw new Error('the fixture has Fig. 5 points');
    first.staleInterval = at(0.5, Infinity, 1);
    second.stale = NaN;
    const text = resultsToJson(results);
    expect(text).toContain('"halfWidth": "Infinity"');
    expect(resultsFromJson(text)).toEqual(results);
  });
});
