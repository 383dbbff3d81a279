/** What one login costs at one scrypt cost, and the logins/s the machine could serve. */
export type LoginCost = {
  label: string;
  scrypt: { N: number; r: number; p: number };
  /** The issuer's CPU per login, ms (calibrated). */
  loginMs: number;
  /** Logins per second all cores could serve if logging in were all they did. */
  maxLoginsPerSecond: number;
};
