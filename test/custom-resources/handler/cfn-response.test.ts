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

  test.each([
    [2_000, 2_000, false],
    [2_001, 2_000, true],
  ])('a reason of %i characters is sent with %i', (length, sent, shortened) => {
    const body = JSON.parse(responseBody(event, { physicalResourceId: 'p-1', reason: 'r'.repeat(length) }));

    expect(body.Reason).toHaveLength(sent);
    expect(body.Reason.endsWith('...')).toBe(shortened);
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
