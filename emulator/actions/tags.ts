/** AddTagsToResource, ListTagsForResource and RemoveTagsFromResource, addressed by ARN. */
import type { ActionHandler, EmulatorContext } from '../context';
import { clusterNotFound, instanceNotFound, invalidValue } from '../errors';
import { parseRdsArn } from '../naming';
import type { Params } from '../query-protocol';
import type { TagRecord } from '../records';
import { renderTags } from '../render';
import { tagsParam } from '../validation';

/** The tagged resource a ResourceName ARN names, or the matching NotFound fault. */
function taggedResource(ctx: EmulatorContext, params: Params): { tags: TagRecord[] } {
  const arn = params.string('ResourceName');
  const parsed = parseRdsArn(arn);
  if (!parsed) throw invalidValue(`The specified resource name does not match an RDS resource in this region: ${arn}`);
  const resource = parsed.kind === 'cluster' ? ctx.store.cluster(parsed.id) : ctx.store.instance(parsed.id);
  if (!resource) throw parsed.kind === 'cluster' ? clusterNotFound(parsed.id) : instanceNotFound(parsed.id);
  return resource;
}

/** Handles AddTagsToResource: new keys are appended, existing keys get the new value. */
export const addTagsToResource: ActionHandler = (ctx, params) => {
  const resource = taggedResource(ctx, params);
  for (const tag of tagsParam(params)) {
    const existing = resource.tags.find((t) => t.key === tag.key);
    if (existing) existing.value = tag.value;
    else resource.tags.push(tag);
  }
  ctx.store.changed();
  return Promise.resolve(undefined);
};

/** Handles ListTagsForResource. */
export const listTagsForResource: ActionHandler = (ctx, params) => {
  return Promise.resolve(renderTags(taggedResource(ctx, params).tags));
};

/** Handles RemoveTagsFromResource (`TagKeys.member.N`). */
export const removeTagsFromResource: ActionHandler = (ctx, params) => {
  const resource = taggedResource(ctx, params);
  const keys = params.stringList('TagKeys', 'member');
  const kept = resource.tags.filter((t) => !keys.includes(t.key));
  resource.tags.splice(0, resource.tags.length, ...kept);
  ctx.store.changed();
  return Promise.resolve(undefined);
};
