import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  AwsManagedComponent, AwsManagedImage, ContainerImagePipeline, ContainerParentImage, ContainerRecipe, GoldenAmiPipeline, ImagePipeline,
  ImageRecipe, ParentImage, Platform,
} from '../../src';
import { HandlerFunction } from '../../src/custom-resources/handler-function';
import { expectValidTemplate } from '../helpers/cfn-validate';
import { logicalIdOf } from '../helpers/logical-ids';
import { expectNoNagErrors } from '../helpers/nag';

const DELETION_TYPE = 'Custom::ImageBuilderPipelineImages';
const LIFECYCLE_POLICY_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy']] };

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function amiPipeline(id = 'Pipeline', props: { autoDeleteImages?: boolean; tags?: { [key: string]: string } } = { autoDeleteImages: true }) {
  const recipe = new ImageRecipe(stack, `${id}Recipe`, {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
  });
  return new ImagePipeline(stack, id, { imageRecipe: recipe, ...props });
}

function containerRecipe(repository: ecr.IRepository) {
  return new ContainerRecipe(stack, 'Container', {
    parentImage: ContainerParentImage.fromDockerHub('amazonlinux', { tag: '2023' }),
    targetRepository: repository,
    components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
  });
}

function deletionResources(): Array<{ Properties: any; DependsOn?: string[] }> {
  return Object.values(Template.fromStack(stack).findResources(DELETION_TYPE)) as any;
}

const arnOf = (resource: string) =>
  ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:imagebuilder:us-east-1:123456789012:${resource}/*`]] });

describe('autoDeleteImages', () => {
  test('an AMI pipeline: a resource that deletes its images with AMIs and snapshots, as a role with the lifecycle execution policy', () => {
    const pipeline = amiPipeline();
    const handler = HandlerFunction.of(stack);
    const role = handler.imageDeletionRole();

    const [deletion] = deletionResources();
    expect(deletionResources()).toHaveLength(1);
    expect(deletion.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [logicalIdOf(handler.function), 'Arn'] },
      PipelineArn: { 'Fn::GetAtt': [logicalIdOf(pipeline), 'Arn'] },
      ExecutionRoleArn: { 'Fn::GetAtt': [logicalIdOf(role), 'Arn'] },
      ImageType: 'AMI',
    });
    const template = Template.fromStack(stack);
    // The handler deletes the images only while the pipeline carries this tag.
    expect(template.findResources('AWS::ImageBuilder::ImagePipeline')[logicalIdOf(pipeline)].Properties.Tags)
      .toEqual({ 'cdk-imagebuilder:auto-delete-images': 'true' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'imagebuilder.amazonaws.com' } }] },
      ManagedPolicyArns: [LIFECYCLE_POLICY_ARN],
    });
    // What the Delete needs, in the policy of its kind that the resource depends on.
    const kindPolicy = handler.node.findChild('PipelineImagesPolicy');
    expect(template.findResources('AWS::IAM::Policy')[logicalIdOf(kindPolicy)].Properties.PolicyDocument.Statement).toEqual([
      { Action: ['imagebuilder:GetImagePipeline', 'imagebuilder:ListImagePipelineImages'], Effect: 'Allow', Resource: arnOf('image-pipeline') },
      {
        Action: ['imagebuilder:CancelImageCreation', 'imagebuilder:GetImage', 'imagebuilder:StartResourceStateUpdate'],
        Effect: 'Allow',
        Resource: arnOf('image'),
      },
      { Action: 'imagebuilder:GetLifecycleExecution', Effect: 'Allow', Resource: arnOf('lifecycle-execution') },
      {
        Action: 'iam:PassRole',
        Condition: { StringEquals: { 'iam:PassedToService': 'imagebuilder.amazonaws.com' } },
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalIdOf(role), 'Arn'] },
      },
    ]);
    // Deleted before the handler's role, its policies and the self-invoke grant a long deletion needs.
    expect(deletion.DependsOn).toEqual(expect.arrayContaining([
      logicalIdOf(handler.role), logicalIdOf(kindPolicy), logicalIdOf(handler.node.findChild('SelfInvoke')),
    ]));
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('the tag keeps the pipeline\'s own tags and starts no new build on deploy', () => {
    const triggersOf = (autoDeleteImages: boolean) => {
      stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
      const recipe = new ImageRecipe(stack, 'Recipe', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
      });
      const pipeline = new ImagePipeline(stack, 'Pipeline', { imageRecipe: recipe, tags: { team: 'platform' }, autoDeleteImages });
      pipeline.startOnDeploy();
      const template = Template.fromStack(stack);
      return {
        tags: template.findResources('AWS::ImageBuilder::ImagePipeline')[logicalIdOf(pipeline)].Properties.Tags,
        triggers: Object.values(template.findResources('Custom::ImageBuilderPipelineExecution'))[0].Properties.Triggers,
      };
    };
    const off = triggersOf(false);
    const on = triggersOf(true);
    expect(off.tags).toEqual({ team: 'platform' });
    expect(on.tags).toEqual({ 'team': 'platform', 'cdk-imagebuilder:auto-delete-images': 'true' });
    expect(on.triggers).toEqual(off.triggers);
  });

  test('fails for 50 tags of the pipeline\'s own, as the tag makes 51, and takes 49', () => {
    const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`tag${i}`, 'x']));
    expect(() => amiPipeline('Pipeline', { autoDeleteImages: true, tags: tags(50) })).toThrow(
      'tags must have at most 50 tags, got 51 with the tag cdk-imagebuilder:auto-delete-images that autoDeleteImages adds');
    amiPipeline('Other', { autoDeleteImages: true, tags: tags(49) });
    amiPipeline('Kept', { autoDeleteImages: false, tags: tags(50) });
    const pipelines = Template.fromStack(stack).findResources('AWS::ImageBuilder::ImagePipeline');
    expect(Object.values(pipelines).map((p: any) => Object.keys(p.Properties.Tags).length)).toEqual([50, 50]);
  });

  test('pipelines of one stack share the deletion role and the policy of the kind', () => {
    amiPipeline('First');
    amiPipeline('Second');
    const handler = HandlerFunction.of(stack);
    const roleArn = { 'Fn::GetAtt': [logicalIdOf(handler.imageDeletionRole()), 'Arn'] };

    expect(deletionResources().map((r) => r.Properties.ExecutionRoleArn)).toEqual([roleArn, roleArn]);
    const template = Template.fromStack(stack);
    expect(Object.values(template.findResources('AWS::IAM::Role'))
      .filter((r: any) => JSON.stringify(r.Properties.ManagedPolicyArns) === JSON.stringify([LIFECYCLE_POLICY_ARN]))).toHaveLength(1);
    expect(Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => id.includes('PipelineImagesPolicy'))).toHaveLength(1);
  });

  test('a container pipeline deletes container images, and its target repository is tagged for the lifecycle role', () => {
    const repository = new ecr.Repository(stack, 'Repo');
    new ImagePipeline(stack, 'Web', { containerRecipe: containerRecipe(repository), autoDeleteImages: true });

    expect(deletionResources().map((r) => r.Properties.ImageType)).toEqual(['DOCKER']);
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      Tags: [{ Key: 'LifecycleExecutionAccess', Value: 'EC2 Image Builder' }],
    });
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('a container pipeline of an imported recipe warns that its repository needs the tag', () => {
    const pipeline = new ImagePipeline(stack, 'Web', {
      containerRecipe: ContainerRecipe.fromContainerRecipeName(stack, 'Imported', 'web'),
      autoDeleteImages: true,
    });

    Annotations.fromStack(stack).hasWarning(`/${pipeline.node.path}`, Match.stringLikeRegexp(
      '^autoDeleteImages deletes images from the target repository of the imported container recipe only where the repository has the tag ' +
      'LifecycleExecutionAccess: EC2 Image Builder; this app does not know the repository, so add the tag where it is managed'));
  });

  test('left out or false: no deletion resource and no deletion role', () => {
    amiPipeline('Default', {});
    amiPipeline('Off', { autoDeleteImages: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs(DELETION_TYPE, 0);
    // Without the tag, a deletion resource left over from before deletes nothing.
    expect(Object.values(template.findResources('AWS::ImageBuilder::ImagePipeline')).map((p) => p.Properties.Tags)).toEqual([undefined, undefined]);
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toContain('EC2ImageBuilderLifecycleExecutionPolicy');
  });

  test('the patterns pass it on: GoldenAmiPipeline deletes AMIs, ContainerImagePipeline container images in the repository it tags', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', autoDeleteImages: true });
    const web = new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', autoDeleteImages: true });

    expect(deletionResources().map((r) => [r.Properties.PipelineArn, r.Properties.ImageType])).toEqual([
      [{ 'Fn::GetAtt': [logicalIdOf(golden.pipeline), 'Arn'] }, 'AMI'],
      [{ 'Fn::GetAtt': [logicalIdOf(web.pipeline), 'Arn'] }, 'DOCKER'],
    ]);
    expect(Template.fromStack(stack).findResources('AWS::ECR::Repository')[logicalIdOf(web.repository)].Properties.Tags)
      .toEqual([{ Key: 'LifecycleExecutionAccess', Value: 'EC2 Image Builder' }]);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });
});
