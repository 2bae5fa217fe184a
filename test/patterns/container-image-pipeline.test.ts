import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ContainerImagePipeline, ContainerParentImage } from '../../src';
import { expectValidTemplate } from '../helpers/cfn-validate';
import { expectNoNagErrors } from '../helpers/nag';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

describe('ContainerImagePipeline', () => {
  test('defaults: a scan-on-push repository with immutable tags, secure infrastructure, scanned weekly pipeline, lifecycle', () => {
    const web = new ContainerImagePipeline(stack, 'Web', { shellScript: 'dnf install -y nginx' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      // Without this tag the lifecycle policy could not delete old images from the repository.
      Tags: [{ Key: 'LifecycleExecutionAccess', Value: 'EC2 Image Builder' }],
    });
    template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
      ParentImage: 'public.ecr.aws/amazonlinux/amazonlinux:2023',
      TargetRepository: { Service: 'ECR', RepositoryName: { Ref: Match.stringLikeRegexp('^WebRepository') } },
    });
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ContainerRecipeArn: Match.anyValue(),
      ImageScanningConfiguration: { ImageScanningEnabled: true },
      Schedule: Match.objectLike({ ScheduleExpression: 'cron(0 4 ? * MON *)' }),
    });
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      ResourceType: 'CONTAINER_IMAGE',
      PolicyDetails: [Match.objectLike({ Filter: { Type: 'COUNT', Value: 10 } })],
    });
    // The build instances may push to the repository.
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.some((s: any) => [s.Action].flat().includes('ecr:PutImage')
      && JSON.stringify(s.Resource).includes('WebRepository'))).toBe(true);
    expect(web.execution).toBeUndefined();
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('an existing repository, parent image, count and sharing', () => {
    const repository = new ecr.Repository(stack, 'Existing');
    const web = new ContainerImagePipeline(stack, 'Web', {
      shellScript: 'echo hi',
      repository,
      parentImage: ContainerParentImage.fromDockerHub('library/ubuntu', { tag: '24.04' }),
      keepImages: 3,
      shareWith: { accounts: ['111111111111'] },
      startOnDeploy: true,
    });
    expect(web.repository).toBe(repository);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECR::Repository', 1);
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', { PolicyDetails: [Match.objectLike({ Filter: { Type: 'COUNT', Value: 3 } })] });
    template.resourceCountIs('Custom::ImageBuilderResourcePolicy', 2);
    template.resourceCountIs('Custom::ImageBuilderPipelineExecution', 1);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('a parent image from a private ECR repository: the build instances may pull from it', () => {
    const base = new ecr.Repository(stack, 'Base');
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', parentImage: ContainerParentImage.fromEcr(base) });
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.some((s: any) => [s.Action].flat().includes('ecr:BatchGetImage')
      && JSON.stringify(s.Resource).includes('Base'))).toBe(true);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('fails without anything to build', () => {
    expect(() => new ContainerImagePipeline(stack, 'Web', {}))
      .toThrow(/a pipeline needs something to build: give components, document or shellScript, got none of them/);
  });

  test('fails for keepImages out of range', () => {
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo', keepImages: 1001 }))
      .toThrow(/keepImages must be a whole number from 1 to 1000, got 1001/);
  });

  test('fails for start options without starting', () => {
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo', startOnDeployOptions: { waitForCompletion: true } }))
      .toThrow(/startOnDeployOptions needs startOnDeploy: true/);
  });
});
