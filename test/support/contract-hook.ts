// A jest setup file (setupFilesAfterEnv): any answer of a test app that broke the OpenAPI document's
// promises during a test fails that test, so every e2e test is also a contract test.
import { takeContractViolations } from './contract-violations';

function failOnViolations(): void {
  const violations = takeContractViolations();
  if (violations.length > 0) {
    throw new Error(
      `answers that break the OpenAPI document the app serves (/docs-json, also openapi.json):\n\n${violations.join('\n\n')}`,
    );
  }
}

afterEach(failOnViolations);
afterAll(failOnViolations);
