import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AwsManagedImage, Component, ComponentData, Image, ImagePipeline, ImageRecipe, ParentImage, Platform,
} from '../../src';
import { LAMBDA_RETRY, longestCallMs } from '../../src/custom-resources/handler/retry';
import { handOverMarginMs, POLL_INTERVAL_MS } from '../../src/custom-resources/handler/waits';
import { expectValidTemplate } from '../helpers/cfn-validate';
import { expectNoNagErrors } from '../helpers/nag';

const DOC = (name: string) => `name: ${name}\nschemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n        action: ExecuteBash\n        inputs:\n          commands: [echo ${name}]\n`;
const ORG = 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5';

/** Three shared components, a shared image and two pipelines started on deploy. */
function sharingAndExecutionStack(): Stack {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const components = ['one', 'two', 'three'].map((name) => {
    const component = new Component(stack, `Component-${name}`, { platform: Platform.LINUX, data: ComponentData.fromInline(DOC(name)) });
    component.shareWith({ organizationArns: [ORG] });
    return component;
  });
  const recipe = new ImageRecipe(stack, 'Recipe', {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: components.map((component) => ({ component })),
  });
  new Image(stack, 'Image', { imageRecipe: recipe }).shareWith({ accounts: ['111111111111'] });
  new ImagePipeline(stack, 'Nightly', { imageRecipe: recipe }).startOnDeploy();
  new ImagePipeline(stack, 'Release', { imageRecipe: recipe }).startOnDeploy({ waitForCompletion: true });
  return stack;
}

describe('the custom-resource handler', () => {
  test('a fresh invocation has time for a poll, one more call and the hand-over margin, so every invocation of a wait makes progress', () => {
    const timeout = Template.fromStack(sharingAndExecutionStack()).findResources('AWS::Lambda::Function');
    const [timeoutSeconds] = Object.values(timeout).map((f: any) => f.Properties.Timeout);

    expect(POLL_INTERVAL_MS + longestCallMs(LAMBDA_RETRY) + handOverMarginMs(LAMBDA_RETRY)).toBeLessThan(timeoutSeconds * 1000);
  });

  test('one function serves every custom resource of the stack', () => {
    const stack = sharingAndExecutionStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::ImageBuilderResourcePolicy', 4);
    template.resourceCountIs('Custom::ImageBuilderPipelineExecution', 2);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    const customResources = { ...template.findResources('Custom::ImageBuilderResourcePolicy'), ...template.findResources('Custom::ImageBuilderPipelineExecution') };
    for (const resource of Object.values(customResources)) {
      expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    }
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Timeout: 900 });
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('its role has no managed policies and no wildcard resource where the service allows scoping', () => {
    const template = Template.fromStack(sharingAndExecutionStack());
    const role = Object.values(template.findResources('AWS::IAM::Role'))
      .find((r: any) => r.Properties.Description?.includes('custom resources'))!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();

    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles).includes('CdkImageBuilderHandlerRole'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const wildcards = statements.filter((s: any) => s.Resource === '*');
    // These two RAM operations have no resource-level permissions.
    expect(wildcards.map((s: any) => s.Action)).toEqual([['ram:ListResources', 'ram:GetResourceShares']]);
    // ListResourceSharePermissions takes the share's ARN: it is granted on the account's shares only.
    const listPermissions = statements.find((s: any) => [s.Action].flat().includes('ram:ListResourceSharePermissions'));
    expect(listPermissions.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, expect.stringMatching(/^:ram:[a-z0-9-]+:\d{12}:resource-share\/\*$/)]] });
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(new Set(actions)).toEqual(new Set([
      'logs:CreateLogStream', 'logs:PutLogEvents',
      'imagebuilder:PutComponentPolicy', 'imagebuilder:PutImagePolicy',
      'ram:ListResources', 'ram:GetResourceShares', 'ram:ListResourceSharePermissions',
      'ram:PromoteResourceShareCreatedFromPolicy', 'ram:DeleteResourceShare', 'ram:DisassociateResourceShare', 'ram:TagResource',
      'ram:PromotePermissionCreatedFromPolicy', 'ram:DeletePermission',
      'imagebuilder:StartImagePipelineExecution', 'imagebuilder:GetImagePipeline', 'imagebuilder:ListImagePipelineImages', 'imagebuilder:GetImage', 'imagebuilder:CancelImageCreation', 'imagebuilder:TagResource',
      'lambda:InvokeFunction',
    ]));
    // One PutComponentPolicy statement per component, each on that component's build.
    const putComponent = statements.filter((s: any) => s.Action === 'imagebuilder:PutComponentPolicy');
    expect(putComponent).toHaveLength(3);
    for (const s of putComponent) {
      expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Component/), 'Arn'] });
    }
  });

  test('logs go to a log group of its own with a retention', () => {
    const template = Template.fromStack(sharingAndExecutionStack());
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^CdkImageBuilderHandlerLogs') } } });
  });
});
