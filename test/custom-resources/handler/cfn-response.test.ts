import { responseBody } from '../../../src/custom-resources/handler/cfn-response';
import { clientToken } from '../../../src/custom-resources/handler/client-token';
import { CustomResourceEvent } from '../../../src/custom-resources/handler/events';

const event: CustomResourceEvent = {
  RequestType: 'Create',
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Signature=abc',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/golden/1',
  RequestId: 'request-1',
  ResourceType: 'Custom::ImageBuilderPipelineExecution',
  LogicalResourceId: 'Execution',
  ResourceProperties: {},
};
const ECHO = { StackId: event.StackId, RequestId: 'request-1', LogicalResourceId: 'Execution' };

describe('responseBody', () => {
  test('a success carries the physical ID and data, and no reason', () => {
    const body = JSON.parse(responseBody(event, { physicalResourceId: 'p-1', data: { AmiId: 'ami-1' } }));

    expect(body).toEqual({ Status: 'SUCCESS', PhysicalResourceId: 'p-1', Data: { AmiId: 'ami-1' }, ...ECHO });
  });

  test('a failure carries the reason and no data', () => {
    const body = JSON.parse(responseBody(event, { physicalResourceId: 'p-1', reason: 'GetImage on x failed' }));

    expect(body).toEqual({ Status: 'FAILED', Reason: 'GetImage on x failed', PhysicalResourceId: 'p-1', ...ECHO });
  });

  /** The bytes of a failure's body without its reason. */
  const WITHOUT_REASON = Buffer.byteLength(responseBody(event, { physicalResourceId: 'p-1', reason: '' }));
  /** The longest reason of plain characters whose body is exactly 4,096 bytes. */
  const LONGEST = 4_096 - WITHOUT_REASON;
  /** The size of the body with this reason, as sent: JSON-escaped, in UTF-8. */
  const bodyBytesWith = (reason: string) => WITHOUT_REASON + Buffer.byteLength(JSON.stringify(reason)) - 2;

  test('a reason that fits is sent whole, up to a body of exactly 4,096 bytes', () => {
    const sent = responseBody(event, { physicalResourceId: 'p-1', reason: 'r'.repeat(LONGEST) });

    expect(Buffer.byteLength(sent)).toBe(4_096);
    expect(JSON.parse(sent).Reason).toBe('r'.repeat(LONGEST));
  });

  test('a reason one character too long is shortened to fit, ending in "..."', () => {
    const sent = responseBody(event, { physicalResourceId: 'p-1', reason: 'r'.repeat(LONGEST + 1) });

    expect(Buffer.byteLength(sent)).toBe(4_096);
    expect(JSON.parse(sent).Reason).toBe(`${'r'.repeat(LONGEST - 3)}...`);
  });

  test.each([
    ['quotes', '"'],
    ['backslashes', '\\'],
    ['newlines', '\n'],
    ['accented letters', 'é'],
    ['CJK characters', '構'],
    ['control characters', '\u001b'],
    ['emoji (surrogate pairs)', '🚀'],
    ['a mix', 'a"\\\né構\u001b🚀\t'],
  ])('a long reason of %s gives valid JSON of at most 4,096 bytes, shortened no more than needed', (_label, chars) => {
    const reason = `GetImage failed: ${chars.repeat(3_000)}`;

    const sent = responseBody(event, { physicalResourceId: 'p-1', reason });

    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(4_096);
    const sentReason: string = JSON.parse(sent).Reason;
    expect(sentReason.endsWith('...')).toBe(true);
    const kept = sentReason.slice(0, -3);
    expect(reason.startsWith(kept)).toBe(true);
    // One more character of the reason would not have fitted.
    const next = Array.from(reason.slice(kept.length))[0];
    expect(bodyBytesWith(`${kept}${next}...`)).toBeGreaterThan(4_096);
  });

  test('a success is never shortened', () => {
    const data = { AmiId: 'ami-1' };

    expect(JSON.parse(responseBody(event, { physicalResourceId: 'p-1', data }))).toMatchObject({ Data: data });
  });

  test('never contains the response URL', () => {
    expect(responseBody(event, { physicalResourceId: 'p-1', reason: 'x' })).not.toContain('X-Amz-Signature');
  });
});

describe('clientToken', () => {
  test('is a UUID-shaped 36 characters, the same for the same parts', () => {
    expect(clientToken('stack', 'Resource', 'request-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(clientToken('stack', 'Resource', 'request-1')).toBe(clientToken('stack', 'Resource', 'request-1'));
  });

  test.each([
    [['stack', 'Resource', 'request-2']],
    [['stack', 'Other', 'request-1']],
    [['stackResource', 'request-1']],
  ])('differs for other parts: %j', (parts) => {
    expect(clientToken(...parts)).not.toBe(clientToken('stack', 'Resource', 'request-1'));
  });
});
