/**
 * Inputs, state, progress and result of `migrateFleet`. Dependency-free: the workflow bundle, the worker and the
 * clients all import it.
 */
import type { ApprovalDecision, MigrationInput } from '../types';

/** Tunables of a fleet. Durations are Temporal duration strings (`'30s'`) or milliseconds. */
export interface FleetOptions {
  /** Most migrations running at once. @default 5 */
  maxInFlight?: number;
  /** Failures after which no new migration starts (running ones continue). Absent: no budget, all start. */
  failureBudget?: number;
  /** Databases per wave; quotas are checked, and approval (if asked) is awaited, before each wave. @default all */
  waveSize?: number;
  /** Wait for `approve` (or `reject`) before every wave but the first. @default false */
  approvalBetweenWaves?: boolean;
  /** How long a wave gate waits for a decision before the fleet fails. @default '7d' */
  approvalTimeout?: string | number;
  /** How often a migration this run adopted (not its child) is checked for its outcome. @default '30s' */
  adoptedPollInterval?: string | number;
  /**
   * Migrations started per run before the fleet continues as new (its history stays bounded; the
   * server's own suggestion also triggers it). @default 200
   */
  continueAsNewAfter?: number;
}

/** One database of the fleet: its validated spec and the spec's hash (the child's memo, as the client's start). */
export interface FleetDatabase {
  spec: MigrationInput;
  /** sha256 of the spec without passwords (`specHash`), so a later `aurora-migrate start` of it attaches. */
  specHash: string;
}

/** How one database of the fleet ended. */
export type DatabaseStatus = 'completed' | 'failed' | 'cancelled';

/** The outcome of one database, kept in the fleet's state. */
export interface DatabaseOutcome {
  workflowId: string;
  status: DatabaseStatus;
  /** `ApplicationFailure.type` of the failure (e.g. `BackupInvalid`), when it failed. */
  failureType?: string;
  /** The failure's message, when it failed. */
  reason?: string;
  /** True when the migration existed already (started elsewhere or by an earlier run) and was adopted. */
  adopted: boolean;
  /** ISO 8601. */
  closedAt: string;
}

/** What a fleet carries from one run to the next through continue-as-new. */
export interface FleetState {
  /** ISO 8601 start of the first run. */
  startedAt: string;
  /** Index of the next database to start. */
  next: number;
  /** The wave whose quota check (and approval) has passed; -1 before the first. */
  preparedWave: number;
  /** Migrations running when the previous run continued as new: this run adopts them. */
  inFlight: string[];
  outcomes: DatabaseOutcome[];
  /** Wave-gate decisions, by wave index. */
  approvals: Record<number, ApprovalDecision>;
  /** Runs before this one (continue-as-new count). */
  continuedAsNew: number;
}

/** The one input of `migrateFleet`. */
export interface FleetInput {
  /** The fleet's name (its workflow ID is `fleetWorkflowId(name)`). */
  name: string;
  databases: FleetDatabase[];
  options?: FleetOptions;
  /** Set by continue-as-new only. */
  state?: FleetState;
}

/** The stages of a fleet. */
export const FleetSteps = [
  'checking-quotas',
  'awaiting-approval',
  'running',
  'draining',
  'completed',
  'failed',
  'cancelled',
] as const;
/** One stage of a fleet. */
export type FleetStep = (typeof FleetSteps)[number];

/** The result of a quota check before a wave. */
export interface WaveQuotaCheck {
  wave: number;
  ok: boolean;
  /** One line per quota that the wave would exceed, with the numbers. */
  problems: string[];
  clusters?: { used: number; max: number; adding: number };
  instances?: { used: number; max: number; adding: number };
}

/** Live state of a fleet, answered by the `fleetProgress` query. Never contains secrets. */
export interface FleetProgress {
  workflowId: string;
  name: string;
  step: FleetStep;
  /** ISO 8601. */
  startedAt: string;
  total: number;
  wave: { index: number; count: number; size: number };
  counts: { pending: number; running: number; completed: number; failed: number; cancelled: number };
  /** Workflow IDs of the migrations running now (each answers its own `progress` query). */
  running: string[];
  failures: { workflowId: string; failureType?: string; reason?: string }[];
  budget: { failures: number; allowed?: number; exhausted: boolean };
  maxInFlight: number;
  lastQuotaCheck?: WaveQuotaCheck;
  approvals: Record<number, ApprovalDecision>;
  /** Set while a wave gate waits: the wave that `approve` would start. */
  awaitingApprovalForWave?: number;
  continuedAsNew: number;
  lastError?: string;
}

/** What `migrateFleet` returns when every database was started and finished (some may have failed). */
export interface FleetResult {
  workflowId: string;
  total: number;
  outcomes: DatabaseOutcome[];
  counts: FleetProgress['counts'];
  continuedAsNew: number;
}
