/**
 * Answers that broke the OpenAPI document's promises, kept until the running
 * test ends: contract-hook.ts (a jest setup file) then fails that test with
 * them. Kept apart from the checking itself so that the hook loads nothing heavy.
 */
const violations: string[] = [];

export function recordContractViolation(violation: string): void {
  violations.push(violation);
}

/** The violations recorded since the last call. */
export function takeContractViolations(): string[] {
  return violations.splice(0, violations.length);
}
