/** DescribeEvents over the events the emulator recorded, hiding those dated after `now`. */
import type { ActionHandler } from '../context';
import { invalidCombination } from '../errors';
import { xmlField, xmlList } from '../query-protocol';
import { renderEvent } from '../render';
import { page } from '../validation';
import { clusterIdOf } from './clusters';

const SOURCE_TYPES = ['db-instance', 'db-parameter-group', 'db-security-group', 'db-snapshot', 'db-cluster'];

/** Handles DescribeEvents: SourceType/SourceIdentifier, StartTime/EndTime/Duration (default 60 min), categories. */
export const describeEvents: ActionHandler = (ctx, params) => {
  const now = Date.now();
  const sourceType = params.optString('SourceType');
  const sourceId = params.optString('SourceIdentifier');
  if (sourceId !== undefined && sourceType === undefined) {
    throw invalidCombination('Cannot specify source identifier without source type');
  }
  if (sourceType !== undefined && !SOURCE_TYPES.includes(sourceType) && !sourceType.startsWith('db-')) {
    throw invalidCombination(`Invalid source type: ${sourceType}`);
  }
  const start = params.optDate('StartTime');
  const end = params.optDate('EndTime');
  const duration = params.optInteger('Duration') ?? 60;
  const until = Math.min(end?.getTime() ?? now, now);
  const from = start?.getTime() ?? (end ? end.getTime() - duration * 60_000 : now - duration * 60_000);
  const categories = params.stringList('EventCategories', 'EventCategory');
  const typed = sourceType === 'db-cluster' || sourceType === 'db-instance' ? sourceType : undefined;
  const events =
    sourceType !== undefined && typed === undefined
      ? []
      : ctx.store
          .eventsOf(typed, sourceId === undefined ? undefined : clusterIdOf(sourceId))
          .filter((e) => e.date >= from && e.date <= until)
          .filter((e) => categories.length === 0 || e.categories.some((c) => categories.includes(c)))
          .sort((a, b) => a.date - b.date);
  const { items, marker } = page(events, params);
  return Promise.resolve(xmlList('Events', 'Event', items.map(renderEvent)) + xmlField('Marker', marker));
};
