/** The RDS actions the emulator serves, by `Action` name. */
import type { ActionHandler } from '../context';
import {
  describeAccountAttributes,
  describeDBClusterParameterGroups,
  describeDBEngineVersions,
  describeDBParameterGroups,
  describeDBSubnetGroups,
  describeOptionGroups,
  describeOrderableDBInstanceOptions,
} from './catalogue';
import { deleteDBCluster, describeDBClusters } from './clusters';
import { describeEvents } from './events';
import { createDBInstance, deleteDBInstance, describeDBInstances } from './instances';
import { restoreDBClusterFromS3 } from './restore-cluster';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './tags';

/** Handler per action name; anything else is `InvalidAction`. */
export const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  RestoreDBClusterFromS3: restoreDBClusterFromS3,
  DescribeDBClusters: describeDBClusters,
  DeleteDBCluster: deleteDBCluster,
  CreateDBInstance: createDBInstance,
  DescribeDBInstances: describeDBInstances,
  DeleteDBInstance: deleteDBInstance,
  DescribeEvents: describeEvents,
  AddTagsToResource: addTagsToResource,
  ListTagsForResource: listTagsForResource,
  RemoveTagsFromResource: removeTagsFromResource,
  DescribeDBEngineVersions: describeDBEngineVersions,
  DescribeOrderableDBInstanceOptions: describeOrderableDBInstanceOptions,
  DescribeDBSubnetGroups: describeDBSubnetGroups,
  DescribeDBClusterParameterGroups: describeDBClusterParameterGroups,
  DescribeDBParameterGroups: describeDBParameterGroups,
  DescribeOptionGroups: describeOptionGroups,
  DescribeAccountAttributes: describeAccountAttributes,
};
