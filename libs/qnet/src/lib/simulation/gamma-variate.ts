// Gamma(shape, 1) variates by Marsaglia and Tsang's method (ACM TOMS 26, 2000), with the
// boost Gamma(k) = Gamma(k + 1)·U^(1/k) for shapes below 1. The normal draws come from
// the Marsaglia polar method, so everything derives from the one seeded uniform stream.
const { log, pow, sqrt } = Math;

export function gammaVariate(shape: number, rng: () => number): number {
  if (shape < 1) return gammaVariate(shape + 1, rng) * pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (log(u) < 0.5 * x * x + d * (1 - v + log(v))) return d * v;
  }
}

function standardNormal(rng: () => number): number {
  for (;;) {
    const u = 2 * rng() - 1;
    const v = 2 * rng() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * sqrt((-2 * log(s)) / s);
  }
}
