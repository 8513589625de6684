/**
 * The most passwords the sign-in lockout (README, "Accounts and access") lets be checked for one
 * address within `ms` after `failures` failures in a row: up to the 5th failure at once, then one
 * per lock (1 s, 2 s, 4 s… up to 15 min, each from its failure).
 */
export function mostPasswordChecks(failures: number, ms: number): number {
  let checks = 0;
  for (let f = failures, at = 0; at <= ms; f++) {
    checks++;
    at += f + 1 >= 5 ? Math.min(2 ** (f + 1 - 5), 900) * 1000 : 0;
  }
  return checks;
}
