/** Vitest globalSetup of the e2e project: refuse to start outside the lab rather than fail test by test. */
import { assertInsideLab } from './lab';

export default function setup(): void {
  assertInsideLab();
}
