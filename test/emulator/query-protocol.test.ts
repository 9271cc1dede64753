import { Params, errorXml, parseForm, successXml } from '../../emulator/query-protocol';
import { RdsFault } from '../../emulator/errors';

describe('Query protocol parsing', () => {
  it('nests member-named lists and dotted structs, and reads + as a space', () => {
    const params = new Params(
      parseForm(
        'Action=X&Tags.Tag.2.Key=b&Tags.Tag.1.Key=a&Tags.Tag.1.Value=one+two&' +
          'Filters.Filter.1.Name=db-cluster-id&Filters.Filter.1.Values.Value.1=c1&' +
          'EnableCloudwatchLogsExports.member.1=error&ServerlessV2ScalingConfiguration.MinCapacity=0.5',
      ),
    );
    expect(params.structList('Tags', 'Tag').map((t) => [t.optString('Key'), t.optString('Value')])).toEqual([
      ['a', 'one two'],
      ['b', undefined],
    ]);
    expect(params.structList('Filters', 'Filter')[0]?.stringList('Values', 'Value')).toEqual(['c1']);
    expect(params.stringList('EnableCloudwatchLogsExports', 'member')).toEqual(['error']);
    expect(params.optStruct('ServerlessV2ScalingConfiguration')?.optString('MinCapacity')).toBe('0.5');
  });

  it('treats bare keys as empty lists that are not set', () => {
    const params = new Params(parseForm('Tags=&VpcSecurityGroupIds='));
    expect(params.list('Tags', 'Tag')).toEqual([]);
    expect(params.isSet('VpcSecurityGroupIds')).toBe(false);
  });

  it('escapes XML in envelopes and marks 5xx faults as Receiver', () => {
    expect(successXml('Op', '<A>x</A>', 'rid')).toContain(
      '<OpResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><OpResult><A>x</A></OpResult>',
    );
    const xml = errorXml(new RdsFault('InternalFailure', 'a < b & "c"', 500), 'rid');
    expect(xml).toContain(
      '<Type>Receiver</Type><Code>InternalFailure</Code><Message>a &lt; b &amp; &quot;c&quot;</Message>',
    );
  });
});
