/**
 * The opening the emulator API tests share: one emulator for the test file, a real RDS client for it and a seeded
 * bucket, made before the file's tests and closed after them.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { RunningEmulator } from '../../emulator/server';
import { rdsClient, seedBucket, startTestEmulator, type SeededBucket } from './fixture';

/** What the hooks of `useTestEmulator` make. */
export interface TestEmulator {
  emulator: RunningEmulator;
  /** A real RDS client for `emulator` (one attempt per call). */
  rds: RDSClient;
  seeded: SeededBucket;
}

/**
 * Registers beforeAll/afterAll hooks in the calling scope that start an emulator (see `startTestEmulator`),
 * connect an RDS client and seed a bucket, then destroy the client and close the emulator. The returned object's
 * members can be used inside tests, hooks and the functions they call, once that beforeAll has run.
 */
export function useTestEmulator(): TestEmulator {
  const made: Partial<TestEmulator> = {};
  beforeAll(async () => {
    made.emulator = await startTestEmulator();
    made.rds = rdsClient(made.emulator);
    made.seeded = await seedBucket();
  });
  afterAll(async () => {
    made.rds?.destroy();
    await made.emulator?.close();
  });
  const current = <K extends keyof TestEmulator>(key: K): TestEmulator[K] => {
    const value = made[key];
    if (value === undefined) throw new Error(`the test emulator has no ${key}: use it inside a test, after beforeAll`);
    return value;
  };
  return {
    get emulator() {
      return current('emulator');
    },
    get rds() {
      return current('rds');
    },
    get seeded() {
      return current('seeded');
    },
  };
}
