/**
 * The compact summary that progress and results carry. One implementation, in workflows/ (the workflow builds
 * it in its sandbox); re-exported here under the validator's name for library callers.
 */
export { summarizeValidation as summarizeReport } from '../../workflows/validation-summary';
