/** The fleet's activities: the quota check before a wave, and watching migrations the fleet adopted. */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Client } from '@temporalio/client';
import { migrationOutcome, type MigrationOutcomeInput } from './migration-outcome';
import { checkWaveQuotas, type WaveQuotaInput } from './wave-quotas';

export type { MigrationOutcomeInput, MigrationOutcomeResult } from './migration-outcome';
export type { WaveQuotaInput } from './wave-quotas';

/** Dependencies of the fleet activities. */
export interface FleetActivityDeps {
  rds: RDSClient;
  /** Reads adopted migrations' outcomes; without it, an adopted migration fails the watch with a clear error. */
  temporal?: Client;
}

/** Builds the fleet activities over the given clients. */
export function createFleetActivities({ rds, temporal }: FleetActivityDeps) {
  return {
    checkWaveQuotas: (input: WaveQuotaInput) => checkWaveQuotas(rds, input),
    migrationOutcome: (input: MigrationOutcomeInput) => migrationOutcome(temporal, input),
  };
}
