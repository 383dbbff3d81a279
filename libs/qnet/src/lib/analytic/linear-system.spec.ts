import { solveLinearSystem } from './linear-system';

describe(solveLinearSystem.name, () => {
  it('solves a small system', () => {
    const sut = solveLinearSystem(
      [
        [2, 1],
        [1, 3],
      ],
      [3, 5],
    );

    expect(sut?.[0]).toBeCloseTo(0.8, 12);
    expect(sut?.[1]).toBeCloseTo(1.4, 12);
  });

  it('pivots when the leading entry is zero', () => {
    const sut = solveLinearSystem(
      [
        [0, 1],
        [1, 0],
      ],
      [2, 3],
    );

    expect(sut).toEqual([3, 2]);
  });

  it('returns undefined for a singular matrix and leaves its inputs alone', () => {
    const matrix = [
      [1, 2],
      [2, 4],
    ];

    expect(solveLinearSystem(matrix, [1, 2])).toBeUndefined();
    expect(matrix).toEqual([
      [1, 2],
      [2, 4],
    ]);
  });
});
