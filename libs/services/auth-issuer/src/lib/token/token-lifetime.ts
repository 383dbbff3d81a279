/**
 * When a token minted at `iatMs` with a lifetime of `ttlMs` expires, in the two standard
 * forms: `exp`, an RFC 7519 NumericDate (seconds since the epoch, with up to 3 decimals so
 * sub-second lifetimes survive), and `expiresIn`, RFC 6749's whole seconds, rounded up so
 * a client never believes a token outlives its exp (a 250 ms token says 1).
 */
export function tokenLifetime(
  iatMs: number,
  ttlMs: number,
): { iat: number; exp: number; expiresIn: number } {
  if (!Number.isSafeInteger(iatMs) || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`a token lifetime needs whole milliseconds, got ${iatMs} + ${ttlMs}`);
  }
  // Whole milliseconds divided once: the shortest decimal of the result is exactly them, and
  // exp * 1000 comes back to iatMs + ttlMs exactly (a double has bits to spare for epoch
  // milliseconds), so expiry checks in milliseconds see the lifetime, not a rounding of it.
  return {
    iat: Math.floor(iatMs / 1000),
    exp: (iatMs + ttlMs) / 1000,
    expiresIn: Math.ceil(ttlMs / 1000),
  };
}
