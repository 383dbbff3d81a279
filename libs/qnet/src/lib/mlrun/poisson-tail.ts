// Series/continued-fraction evaluation of the regularized incomplete gamma function
// (Numerical Recipes §6.2); converged when a term changes the sum by less than this.
const EPSILON = 1e-15;
const MAX_ITERATIONS = 10_000;
const TINY = 1e-300;
// e^{−40} ≈ 4e-18: below double precision next to 1.
const NEGLIGIBLE_LOG = -40;

// Local aliases: under Jest each `Math.` lookup crosses the sandbox's global proxy, which
// made recommend() (hundreds of tails per candidate) ten times slower in the specs.
const { abs, exp, log, min } = Math;

/**
 * P(N ≥ k) for N ~ Poisson(mean), k ≥ 1 an integer, via the identity
 * P(N ≥ k) = P(k, mean), the regularized lower incomplete gamma function. Stable for
 * means in the millions (no e^{−mean}·mean^j products).
 *
 * @example
 * poissonTailAtLeast(1, 2); // 1 − e^{−2}
 */
export function poissonTailAtLeast(k: number, mean: number): number {
  if (mean <= 0) return 0;
  // Chernoff: the far tail, P(N < k) for k < mean or P(N ≥ k) for k > mean, is at most
  // e^{k − mean}·(mean/k)^k; when that is negligible the answer is 1 or 0 to double precision.
  if (k - mean + k * log(mean / k) < NEGLIGIBLE_LOG) return k < mean ? 1 : 0;
  const logPrefactor = -mean + k * log(mean) - logFactorial(k - 1);
  return mean < k + 1
    ? lowerGammaSeries(k, mean, logPrefactor)
    : 1 - upperGammaFraction(k, mean, logPrefactor);
}

// P(a, x) = e^{−x} x^a / Γ(a) · Σ_n x^n / (a (a+1) … (a+n)); converges fast for x < a + 1.
function lowerGammaSeries(a: number, x: number, logPrefactor: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS && abs(term) > abs(sum) * EPSILON; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return min(1, sum * exp(logPrefactor));
}

// Q(a, x) = 1 − P(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1.
function upperGammaFraction(a: number, x: number, logPrefactor: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = abs(d) < TINY ? TINY : d;
    c = b + an / c;
    c = abs(c) < TINY ? TINY : c;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (abs(delta - 1) < EPSILON) break;
  }
  return min(1, exp(logPrefactor) * fraction);
}

// ln(n!) grows one entry at a time; callers sum over consecutive k, so each is computed once.
const logFactorials = [0];

function logFactorial(n: number): number {
  while (logFactorials.length <= n) {
    logFactorials.push(logFactorials[logFactorials.length - 1] + log(logFactorials.length));
  }
  return logFactorials[n];
}
