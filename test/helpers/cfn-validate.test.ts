import { App, aws_imagebuilder as imagebuilder, aws_s3 as s3, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectValidTemplate, formatFinding, validateTemplate } from './cfn-validate';

const DATA = `name: hello
schemaVersion: 1.0
phases:
  - name: build
    steps:
      - name: Hello
        action: ExecuteBash
        inputs:
          commands:
            - echo hello
`;

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function component(props: Partial<imagebuilder.CfnComponentProps> = {}) {
  return new imagebuilder.CfnComponent(stack, 'C', { name: 'my-component', platform: 'Linux', version: '1.0.0', data: DATA, ...props });
}

function findings() {
  return validateTemplate(Template.fromStack(stack).toJSON());
}

/** Asserts that exactly one finding has `ruleId` and that expectValidTemplate reports it. */
function expectCaught(ruleId: string, expected: object) {
  const hits = findings().filter(f => f.ruleId === ruleId);
  expect(hits).toEqual([expect.objectContaining(expected)]);
  expect(() => expectValidTemplate(stack)).toThrow(new RegExp(`^${ruleId} `, 'm'));
}

test('a correct Image Builder component passes', () => {
  component();
  expect(findings()).toEqual([]);
  expectValidTemplate(stack);
});

test('CDK boilerplate (BootstrapVersion parameter and rule) passes', () => {
  new s3.Bucket(stack, 'Bucket');
  const template = Template.fromStack(stack).toJSON();
  expect(template.Parameters.BootstrapVersion).toBeDefined();
  expect(template.Rules.CheckBootstrapVersion).toBeDefined();
  expectValidTemplate(template);
});

test('catches an unknown property (F3002)', () => {
  component().addPropertyOverride('Colour', 'blue');
  expectCaught('F3002', { severity: 'FATAL', logicalId: 'C', propertyPath: 'Properties.Colour' });
});

test('catches a missing required property (F3003)', () => {
  new CfnResource(stack, 'C', { type: 'AWS::ImageBuilder::Component', properties: { Name: 'my-component', Version: '1.0.0' } });
  expectCaught('F3003', { severity: 'FATAL', logicalId: 'C', message: expect.stringContaining("'Platform'") });
});

test('catches a pattern violation on an Image Builder name (F3031)', () => {
  component({ name: 'ab' });
  expectCaught('F3031', { severity: 'FATAL', resourceType: 'AWS::ImageBuilder::Component', propertyPath: 'Properties.Name' });
});

test('catches a pattern violation on an ARN (F3031)', () => {
  new imagebuilder.CfnImageRecipe(stack, 'R', {
    name: 'my-recipe',
    version: '1.0.0',
    parentImage: 'ami-0123456789abcdef0',
    components: [{ componentArn: 'arn:aws:s3:::foo' }],
  });
  expectCaught('F3031', { propertyPath: 'Properties.Components.0.ComponentArn', message: expect.stringContaining('arn:aws:s3:::foo') });
});

test('catches a bad enum value, which is only a WARN (W3030)', () => {
  component({ platform: 'Linuxx' });
  expectCaught('W3030', { severity: 'WARN', propertyPath: 'Properties.Platform' });
});

test('accepted warnings are filtered, FATAL findings never are', () => {
  component({ name: 'ab', platform: 'Linuxx' });
  const template = Template.fromStack(stack).toJSON();
  const accepted = [{ ruleId: 'W3030', resourceType: 'AWS::ImageBuilder::Component', message: /Linuxx/, reason: 'test' }, { ruleId: 'F3031', reason: 'test' }];

  expect(validateTemplate(template, accepted).map(f => f.ruleId)).toEqual(['F3031']);
  // Narrowing by resource type or message must not over-accept.
  expect(validateTemplate(template, [{ ...accepted[0], resourceType: 'AWS::S3::Bucket' }]).map(f => f.ruleId)).toContain('W3030');
  expect(validateTemplate(template, [{ ...accepted[0], message: /Windows-only/ }]).map(f => f.ruleId)).toContain('W3030');
});

test('the error lists one finding per line', () => {
  component({ name: 'ab', platform: 'Linuxx' });
  expect(() => expectValidTemplate(stack)).toThrow(/found 2 problem\(s\) in stack Stack:\nF3031 FATAL Resource C \(AWS::ImageBuilder::Component\) at \/Properties\/Name: 'ab' does not match pattern .*\nW3030 WARN /);
});

test('formatFinding without an entity', () => {
  expect(formatFinding({ ruleId: 'E0000', severity: 'ERROR', message: 'broken' })).toBe('E0000 ERROR: broken');
});
