/**
 * The catalogue an emulator starts with: Aurora MySQL versions and their MySQL compatibility, orderable instance
 * classes, the account's default subnet/parameter/option groups, and RDS's default quotas. Versions and
 * compatibility come from ../shared/reference/aws-restore-facts.md §2.1 (the patch levels listed per minor are
 * a representative set, not AWS's full list); tests change any of it through the control endpoint.
 */
import type { CatalogueData, EngineVersionRecord } from './catalogue';

/** Aurora minor → the MySQL version it is compatible with (facts §2.1; 3.05 and 3.06 are not re-verified). */
const AURORA_VERSIONS: [string, string][] = [
  ['5.7.mysql_aurora.2.12.0', '5.7.44'],
  ['5.7.mysql_aurora.2.12.1', '5.7.44'],
  ['5.7.mysql_aurora.2.12.2', '5.7.44'],
  ['5.7.mysql_aurora.2.12.3', '5.7.44'],
  ['5.7.mysql_aurora.2.12.4', '5.7.44'],
  ['8.0.mysql_aurora.3.04.0', '8.0.28'],
  ['8.0.mysql_aurora.3.04.1', '8.0.28'],
  ['8.0.mysql_aurora.3.04.3', '8.0.28'],
  ['8.0.mysql_aurora.3.05.2', '8.0.32'],
  ['8.0.mysql_aurora.3.06.1', '8.0.34'],
  ['8.0.mysql_aurora.3.07.1', '8.0.36'],
  ['8.0.mysql_aurora.3.08.0', '8.0.39'],
  ['8.0.mysql_aurora.3.08.2', '8.0.39'],
  ['8.0.mysql_aurora.3.09.0', '8.0.40'],
  ['8.0.mysql_aurora.3.10.0', '8.0.42'],
];

const SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
const memory = (family: string) => SIZES.map((size) => `db.${family}.${size}`);

/**
 * Classes per Aurora major. Aurora MySQL 2 has no Serverless v2 and no Graviton3+ classes; db.t2.micro is not
 * offered for an S3 import at all (facts §2.6).
 */
const CLASSES: Record<'5.7' | '8.0', string[]> = {
  '5.7': [...memory('r5'), ...memory('r6g'), ...memory('r6i'), 'db.t3.medium', 'db.t3.large', 'db.t4g.medium'],
  '8.0': [
    ...memory('r5'),
    ...memory('r6g'),
    ...memory('r6i'),
    ...memory('r7g'),
    ...memory('r8g'),
    'db.t3.medium',
    'db.t3.large',
    'db.t4g.medium',
    'db.t4g.large',
    'db.serverless',
  ],
};

function engineVersion([version, mysql]: [string, string]): EngineVersionRecord {
  const major = version.slice(0, 3) as '5.7' | '8.0';
  const aurora = version.split('.mysql_aurora.')[1] ?? '';
  return {
    engineVersion: version,
    family: `aurora-mysql${major}`,
    majorEngineVersion: major,
    mysqlVersion: mysql,
    description: `Aurora MySQL ${aurora} (compatible with MySQL ${mysql})`,
    status: 'available',
    orderableClasses: CLASSES[major],
  };
}

/** A fresh copy of the default catalogue for an account in `region`. */
export function defaultCatalogue(region: string): CatalogueData {
  const zones = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  const subnets = (prefix: string) => zones.map((zone, i) => ({ subnetId: `subnet-${prefix}${i}`, zone }));
  return {
    engineVersions: AURORA_VERSIONS.map(engineVersion),
    subnetGroups: [
      { name: 'default', description: 'default', vpcId: 'vpc-0default0000000', subnets: subnets('0d0000000000000') },
      {
        name: 'private',
        description: 'private subnets',
        vpcId: 'vpc-0a1b2c3d4e5f6a7b8',
        subnets: subnets('0a1b2c3d4e5f6a7'),
      },
    ],
    clusterParameterGroups: ['5.7', '8.0'].map((m) => ({
      name: `default.aurora-mysql${m}`,
      family: `aurora-mysql${m}`,
      description: `Default cluster parameter group for aurora-mysql${m}`,
    })),
    parameterGroups: ['5.7', '8.0'].map((m) => ({
      name: `default.aurora-mysql${m}`,
      family: `aurora-mysql${m}`,
      description: `Default parameter group for aurora-mysql${m}`,
    })),
    optionGroups: ['5.7', '8.0'].map((m) => ({
      name: `default:aurora-mysql-${m.replace('.', '-')}`,
      engineName: 'aurora-mysql',
      majorEngineVersion: m,
      description: `Default option group for aurora-mysql ${m}`,
    })),
    // RDS's default per-Region quotas (Service Quotas "DB clusters" and "DB instances": 40 each).
    quotas: {
      DBClusters: 40,
      DBInstances: 40,
      DBSubnetGroups: 50,
      DBClusterParameterGroups: 50,
      DBParameterGroups: 50,
      OptionGroups: 20,
    },
  };
}
