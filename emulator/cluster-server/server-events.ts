/** The RDS events of a cluster's server: the binlog position it recovered to, or why it serves no data. */
import type { EventText } from '../event-messages';
import type { ClusterServerRecord } from '../records';

/**
 * The two wordings of the recovered position: the "Recovered from Binary log filename" event the S3-import guide
 * names, and the "Binlog position from crash recovery is <file> <pos>" text AWS quotes for restored clusters
 * (facts §5: which one an S3 restore uses is UNCONFIRMED, so both are emitted and parsers read both).
 */
export function recoveredEvents(recovered: NonNullable<ClusterServerRecord['recovered']>): EventText[] {
  if (recovered.file === undefined || recovered.position === undefined) return [];
  return [
    {
      message: `Recovered from Binary log filename '${recovered.file}', position '${recovered.position}'.`,
      categories: ['notification'],
    },
    {
      message: `Binlog position from crash recovery is ${recovered.file} ${recovered.position}`,
      categories: [],
    },
  ];
}

/** The event of a cluster that is available but serves no data. */
export function metadataOnlyEvent(reason: string): EventText {
  return {
    message:
      `The DB cluster is available as metadata only and serves no data: ${reason}. ` +
      'Its endpoints accept no connections.',
    categories: ['notification'],
  };
}
