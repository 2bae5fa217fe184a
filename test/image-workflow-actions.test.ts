import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AwsManagedComponent, AwsManagedImage, AwsManagedWorkflow, Image, ImagePipeline, ImageRecipe, ParentImage, Platform,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { evaluate, matches } from './helpers/event-patterns';
import { grantedResources, iamResourcesAllow } from './helpers/grants';
import { logicalIdOf } from './helpers/logical-ids';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

/** An image of the recipe `web`, version 1.0.3, with a build workflow (whose steps might wait for an answer). */
function webImage(): Image {
  return new Image(stack, 'Image', {
    imageRecipe: ImageRecipe.fromImageRecipeAttributes(stack, 'Web', { imageRecipeName: 'web', imageRecipeVersion: '1.0.3' }),
    workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }],
  });
}

function createdRecipe(): ImageRecipe {
  return new ImageRecipe(stack, 'Recipe', {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
  });
}

/** The DependsOn of the image's AWS::ImageBuilder::Image resource. */
function dependenciesOfImage(image: Image): string[] {
  return Template.fromStack(stack).toJSON().Resources[logicalIdOf(image)].DependsOn ?? [];
}

function waitingStepEvent(imageArn: string): any {
  return { 'source': 'aws.imagebuilder', 'detail-type': 'EC2 Image Builder Workflow Step Waiting', 'resources': [imageArn], 'detail': {} };
}

describe('Image.grantSendWorkflowStepAction', () => {
  test("allows answering the waiting steps of this image's builds, not of another version or recipe", () => {
    const image = webImage();
    const granted: string[] = evaluate(grantedResources(stack, (grantee) => image.grantSendWorkflowStepAction(grantee), 'imagebuilder:SendWorkflowStepAction'));
    const allows = (arn: string) => iamResourcesAllow(granted, arn);

    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.3/2')).toBe(true);
    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:workflow-step-execution/step-0123abcd-4567-89ab-cdef-0123456789ab')).toBe(true);
    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.4/1')).toBe(false);
    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:image/web-server/1.0.3/1')).toBe(false);
    expect(allows('arn:aws:imagebuilder:eu-west-1:123456789012:image/web/1.0.3/2')).toBe(false);
  });

  test('the build starts once the grant is in place: the image depends on the policy', () => {
    const image = new Image(stack, 'Image', { imageRecipe: createdRecipe() });
    const approver = new iam.Role(stack, 'Approver', { assumedBy: new iam.AccountRootPrincipal() });
    image.grantSendWorkflowStepAction(approver);

    expect(dependenciesOfImage(image)).toContain(logicalIdOf(approver.node.findChild('DefaultPolicy')));
    expectValidTemplate(stack);
  });

  test("with a recipe of this app, the builds are named by the recipe's Name and version, not by the image", () => {
    const recipe = createdRecipe();
    const image = new Image(stack, 'Image', { imageRecipe: recipe });
    const recipeArn = { 'Fn::GetAtt': [logicalIdOf(recipe), 'Arn'] };

    // The image's own attributes would make the grant wait for the build, which waits for the grant.
    expect(grantedResources(stack, (grantee) => image.grantSendWorkflowStepAction(grantee), 'imagebuilder:SendWorkflowStepAction')).toEqual([
      {
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image/',
          { 'Fn::Select': [1, { 'Fn::Split': ['/', recipeArn] }] }, '/',
          { 'Fn::Select': [2, { 'Fn::Split': ['/', recipeArn] }] }, '/*',
        ]],
      },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:workflow-step-execution/*']] },
    ]);
    expectValidTemplate(stack);
  });

  test('with a recipe imported at a wildcard version, every build of the recipe is allowed: which version is built is not known', () => {
    const image = new Image(stack, 'Image', { imageRecipe: ImageRecipe.fromImageRecipeName(stack, 'Web', 'web') });
    const granted: string[] = evaluate(grantedResources(stack, (grantee) => image.grantSendWorkflowStepAction(grantee), 'imagebuilder:SendWorkflowStepAction'));

    expect(iamResourcesAllow(granted, 'arn:aws:imagebuilder:us-east-1:123456789012:image/web/2.4.1/3')).toBe(true);
    expect(iamResourcesAllow(granted, 'arn:aws:imagebuilder:us-east-1:123456789012:image/web-server/2.4.1/3')).toBe(false);
  });
});

describe('Image.onWaitForAction', () => {
  test("matches the waiting steps of this image's builds only", () => {
    webImage().onWaitForAction('Waiting');

    const pattern = evaluate(stack.resolve(Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0].Properties.EventPattern));
    expect(matches(pattern, waitingStepEvent('arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.3/2'))).toBe(true);
    expect(matches(pattern, waitingStepEvent('arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.4/1'))).toBe(false);
    expect(matches(pattern, waitingStepEvent('arn:aws:imagebuilder:us-east-1:123456789012:image/web-server/1.0.3/2'))).toBe(false);
    expect(matches(pattern, { ...waitingStepEvent('arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.3/2'), 'detail-type': 'EC2 Image Builder Image State Change' }))
      .toBe(false);
  });

  test('the build starts once the rule exists: the image depends on it', () => {
    const image = new Image(stack, 'Image', { imageRecipe: createdRecipe() });
    const rule = image.onWaitForAction('Waiting', { target: new targets.SnsTopic(new sns.Topic(stack, 'Approvals', { enforceSSL: true })) });

    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Events::Rule'))).toEqual([logicalIdOf(rule)]);
    expect(dependenciesOfImage(image)).toContain(logicalIdOf(rule));
    expectValidTemplate(stack);
  });

  test('an approver function in the stack, invoked by the rule and granted the action, makes no dependency cycle', () => {
    const image = new Image(stack, 'Image', { imageRecipe: createdRecipe() });
    const approver = new lambda.Function(stack, 'Approver', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    image.onWaitForAction('AwaitingApproval', { target: new targets.LambdaFunction(approver) });
    image.grantSendWorkflowStepAction(approver);

    // Template.fromStack refuses a template whose resources depend on each other in a cycle.
    const dependencies = dependenciesOfImage(image);
    expect(dependencies).toContain(logicalIdOf(image.node.findChild('AwaitingApproval')));
    expect(dependencies).toContain(logicalIdOf(approver.role!.node.findChild('DefaultPolicy')));
    // The permission that lets the rule invoke the function is in place before the build, too.
    expect(dependencies.some((id) => Template.fromStack(stack).toJSON().Resources[id].Type === 'AWS::Lambda::Permission')).toBe(true);
    expectValidTemplate(stack);
  });

  test("an image built by a pipeline matches the builds of the pipeline's recipe", () => {
    const pipeline = new ImagePipeline(stack, 'Pipeline', {
      imageRecipe: ImageRecipe.fromImageRecipeAttributes(stack, 'Web', { imageRecipeName: 'web', imageRecipeVersion: '2.0.0' }),
    });
    const image = new Image(stack, 'Image', { imagePipeline: pipeline });
    image.onWaitForAction('Waiting');

    const pattern = evaluate(stack.resolve(Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0].Properties.EventPattern));
    expect(matches(pattern, waitingStepEvent('arn:aws:imagebuilder:us-east-1:123456789012:image/web/2.0.0/1'))).toBe(true);
    expect(matches(pattern, waitingStepEvent('arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.0/1'))).toBe(false);
  });
});
