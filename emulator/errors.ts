/**
 * RDS faults as the emulator raises them: each carries the model's wire code (which can differ from the SDK's
 * exception class name) and the HTTP status the SDK maps back to that class.
 */

/** An error that the emulator returns to the client as an `<ErrorResponse>` envelope. */
export class RdsFault extends Error {
  override readonly name = 'RdsFault';

  /**
   * @param code - the wire `<Code>` (e.g. `DBInstanceAlreadyExists`, not the SDK class name)
   * @param message - the `<Message>` text; never contains a password
   * @param httpStatus - the model's HTTP status; `Type` is `Receiver` for 5xx, `Sender` otherwise
   */
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }

  /** `Sender` for client faults, `Receiver` for server faults. */
  get type(): 'Sender' | 'Receiver' {
    return this.httpStatus >= 500 ? 'Receiver' : 'Sender';
  }
}

/** `InvalidParameterValue` 400. */
export function invalidValue(message: string): RdsFault {
  return new RdsFault('InvalidParameterValue', message);
}

/** `InvalidParameterCombination` 400. */
export function invalidCombination(message: string): RdsFault {
  return new RdsFault('InvalidParameterCombination', message);
}

/** `MissingParameter` 400 with the service's wording. */
export function missingParameter(name: string): RdsFault {
  return new RdsFault('MissingParameter', `The request must contain the parameter ${name}`);
}

/** `DBClusterNotFoundFault` 404. */
export function clusterNotFound(id: string): RdsFault {
  return new RdsFault('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
}

/** Wire `DBInstanceNotFound` 404 (SDK class `DBInstanceNotFoundFault`). */
export function instanceNotFound(id: string): RdsFault {
  return new RdsFault('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
}

/** `InvalidDBClusterStateFault` 400. */
export function invalidClusterState(message: string): RdsFault {
  return new RdsFault('InvalidDBClusterStateFault', message);
}

/** Wire `InvalidDBInstanceState` 400 (SDK class `InvalidDBInstanceStateFault`). */
export function invalidInstanceState(message: string): RdsFault {
  return new RdsFault('InvalidDBInstanceState', message);
}
