/**
 * What the HTTP handlers share: the Temporal client, its settings and the SNS verifier.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config/app-config';
import type { TemporalTarget } from '../../config/temporal-connection';
import type { SnsVerifier } from './sns/verifier';

/** Handler dependencies. */
export interface HttpDeps {
  client: Client;
  config: AppConfig;
  target: TemporalTarget;
  /** Verifies SNS messages on `POST /events/rds`. */
  sns: SnsVerifier;
}

/** A route handler: returns the envelope to send (the status is set on `reply`). */
export type Handler = (request: FastifyRequest, reply: FastifyReply, deps: HttpDeps) => Promise<unknown>;
