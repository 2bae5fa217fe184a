import { App, Aspects, Aws, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as yaml from 'yaml';
import {
  AwsManagedWorkflow, Component, ComponentData, ContainerImagePipeline, ContainerParentImage, ContainerRecipe, DistributionConfiguration,
  DockerfileTemplate,
  InfrastructureConfiguration, PipelineSchedule, Platform,
} from '../../src';
import { expectValidTemplate } from '../helpers/cfn-validate';
import { logicalIdOf } from '../helpers/logical-ids';
import { expectNoNagErrors, nagSuppressionsOn } from '../helpers/nag';
import { sharedPrincipals } from '../helpers/resource-policies';

/** An organization ARN known only at deploy time. */
class CfnParameterLike {
  public readonly value: string;
  public constructor(scope: Stack) {
    this.value = new CfnParameter(scope, 'OrganizationArn').valueAsString;
  }
}

/** A Dockerfile unlike the default, so that a test sees whether it was used. */
const DOCKERFILE = 'FROM {{{ imagebuilder:parentImage }}}\nRUN echo custom\n{{{ imagebuilder:environments }}}\n{{{ imagebuilder:components }}}';

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
      LoggingConfiguration: {
        ImageLogGroupName: { Ref: logicalIdOf(web.imageLogGroup) },
        PipelineLogGroupName: { Ref: logicalIdOf(web.pipelineLogGroup) },
      },
      ExecutionRole: Match.absent(),
      ImageTestsConfiguration: { ImageTestsEnabled: true },
      ImageScanningConfiguration: { ImageScanningEnabled: true },
      Schedule: Match.objectLike({ ScheduleExpression: 'cron(0 4 ? * MON *)' }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/imagebuilder/stack-web-[0-9a-f]{8}/images$'), RetentionInDays: 90 },
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      Logging: { S3Logs: { S3BucketName: { Ref: Match.stringLikeRegexp('^WebLogBucket') }, S3KeyPrefix: 'web/' } },
      SnsTopicArn: { Ref: Match.stringLikeRegexp('^WebNotifications') },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowImageBuilderToPublishToEncryptedTopic' })]) },
    });
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      ResourceType: 'CONTAINER_IMAGE',
      PolicyDetails: [Match.objectLike({ Filter: { Type: 'COUNT', Value: 10 } })],
    });
    // The build instances may push to the repository, and the copy that is scanned to the repository Image Builder scans in.
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const push = statements.filter((s: any) => [s.Action].flat().includes('ecr:PutImage'));
    expect(push.map((s: any) => s.Resource)).toEqual([[
      { 'Fn::GetAtt': [logicalIdOf(web.repository), 'Arn'] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:123456789012:repository/image-builder-image-scanning-repository']] },
    ]]);
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
    template.hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', { ParentImage: 'library/ubuntu:24.04' });
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', { PolicyDetails: [Match.objectLike({ Filter: { Type: 'COUNT', Value: 3 } })] });
    expect(sharedPrincipals(template)).toEqual({
      [logicalIdOf(web.recipe)]: ['111111111111'],
      [logicalIdOf(web.components[0].component as Component)]: ['111111111111'],
    });
    template.resourceCountIs('Custom::ImageBuilderPipelineExecution', 1);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('every default can be changed: schedule, VPC, instances, tests, scanning, Dockerfile, logs, topic', () => {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const logBucket = new s3.Bucket(stack, 'CentralLogs', { enforceSSL: true });
    const notificationTopic = new sns.Topic(stack, 'BuildEvents');
    const web = new ContainerImagePipeline(stack, 'Web', {
      shellScript: 'echo hi',
      schedule: PipelineSchedule.expression('rate(1 day)'),
      vpc,
      subnetSelection: { subnetType: ec2.SubnetType.PUBLIC },
      instanceTypes: [new ec2.InstanceType('c6i.large')],
      imageTestsEnabled: false,
      imageScanningEnabled: false,
      dockerfileTemplate: DockerfileTemplate.fromInline(DOCKERFILE),
      logBucket,
      notificationTopic,
    });
    expect(web.logBucket).toBe(logBucket);
    expect(web.notificationKey).toBeUndefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Schedule: Match.objectLike({ ScheduleExpression: 'rate(1 day)' }),
      ImageTestsConfiguration: { ImageTestsEnabled: false, TimeoutMinutes: Match.absent() },
      ImageScanningConfiguration: { ImageScanningEnabled: false },
    });
    template.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      InstanceTypes: ['c6i.large'],
      SubnetId: { Ref: Match.stringLikeRegexp('^VpcPublicSubnet1') },
      Logging: { S3Logs: { S3BucketName: { Ref: Match.stringLikeRegexp('^CentralLogs') }, S3KeyPrefix: 'web/' } },
      SnsTopicArn: { Ref: Match.stringLikeRegexp('^BuildEvents') },
    });
    template.hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', { DockerfileTemplateData: DOCKERFILE });
    template.resourceCountIs('AWS::KMS::Key', 0);
    expectValidTemplate(stack);
  });

  test('scans in an ECR repository of your own, with tags', () => {
    const scans = new ecr.Repository(stack, 'Scans');
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', imageScanningEcrRepository: scans, imageScanningEcrTags: ['scan'] });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ImageScanningConfiguration: { ImageScanningEnabled: true, EcrConfiguration: { RepositoryName: { Ref: logicalIdOf(scans) }, ContainerTags: ['scan'] } },
    });
    expect(() => new ContainerImagePipeline(stack, 'Off', { shellScript: 'echo hi', imageScanningEnabled: false, imageScanningEcrTags: ['scan'] }))
      .toThrow('imageScanningEcrRepository and imageScanningEcrTags need imageScanningEnabled, got false');
  });

  test('runOnSchedule: false and lifecyclePolicyEnabled: false, as on the golden AMI pattern', () => {
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', runOnSchedule: false, lifecyclePolicyEnabled: false });
    const template = Template.fromStack(stack);
    const [pipeline] = Object.values(template.findResources('AWS::ImageBuilder::ImagePipeline'));
    expect(pipeline.Properties.Schedule).toBeUndefined();
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', { Status: 'DISABLED', ResourceType: 'CONTAINER_IMAGE' });
  });

  test('an infrastructure and a distribution configuration of your own instead of the created ones', () => {
    const repository = new ecr.Repository(stack, 'Images', { repositoryName: 'web' });
    const infrastructureConfiguration = new InfrastructureConfiguration(stack, 'Builders');
    const distributionConfiguration = new DistributionConfiguration(stack, 'Everywhere', {
      containerDistributions: [{ repository }, { region: 'eu-west-1', repository: ecr.Repository.fromRepositoryName(stack, 'EuImages', 'web') }],
    });
    const web = new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', repository, infrastructureConfiguration, distributionConfiguration });

    expect(web.infrastructureConfiguration).toBe(infrastructureConfiguration);
    expect(web.distributionConfiguration).toBe(distributionConfiguration);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ImageBuilder::InfrastructureConfiguration', 1);
    template.resourceCountIs('AWS::ImageBuilder::DistributionConfiguration', 1);
    expect(() => new ContainerImagePipeline(stack, 'Regions', { shellScript: 'echo hi', repository, distributionConfiguration, regions: ['us-east-1'] }))
      .toThrow('distributionConfiguration of your own replaces what regions, containerTags would shape, got regions too: ' +
        'leave it out, as the pattern would not apply it, and set up your distributionConfiguration as you need it');
    expect(() => new ContainerImagePipeline(stack, 'InVpc', { shellScript: 'echo hi', infrastructureConfiguration, vpc: new ec2.Vpc(stack, 'Vpc') }))
      .toThrow(/infrastructureConfiguration of your own replaces what .* would shape, got vpc too/);
  });

  describe('containerTags', () => {
    test('tag the image in every region, with a repository of mutable tags', () => {
      const repository = new ecr.Repository(stack, 'Images', { repositoryName: 'web', imageTagMutability: ecr.TagMutability.MUTABLE });
      new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', repository, regions: ['us-east-1', 'eu-west-1'], containerTags: ['latest'] });

      const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration'));
      expect(distribution.Properties.Distributions.map((d: any) => [d.Region, d.ContainerDistributionConfiguration.ContainerTags]))
        .toEqual([['us-east-1', ['latest']], ['eu-west-1', ['latest']]]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('containerTags'))).toEqual([]);
      expectValidTemplate(stack);
    });

    test('warn about a fixed tag with the repository the pattern creates, whose tags are immutable', () => {
      new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', containerTags: ['latest'] });

      Annotations.fromStack(stack).hasWarning('/Stack/Web/Distribution', Match.stringLikeRegexp(
        "^containerDistributions\\[us-east-1\\]\\.containerTags 'latest' would go to the image of every build, but repository Stack/Web/Repository keeps them immutable"));
    });

    test.each([
      ['no tags', [], 'containerTags must list at least one tag when given, got none; omit it for the image version'],
      ['an empty tag', [''], "containerTags must be 1 to 300 characters each, the longest tag ECR takes, got ''"],
    ])('fail for %s, under the pattern\'s prop name', (_, containerTags, message) => {
      expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', containerTags })).toThrow(message);
    });
  });

  describe('in an isolated subnet', () => {
    /** A VPC of isolated subnets with every endpoint a container build calls. */
    function isolatedVpcWithEndpoints(): ec2.Vpc {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, subnetConfiguration: [{ name: 'Builds', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      for (const service of [ec2.InterfaceVpcEndpointAwsService.SSM, ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
        ec2.InterfaceVpcEndpointAwsService.IMAGE_BUILDER, ec2.InterfaceVpcEndpointAwsService.ECR, ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER]) {
        vpc.addInterfaceEndpoint(service.shortName, { service });
      }
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      return vpc;
    }
    const networkWarnings = () => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('isolated subnet')).map((w) => w.entry.data);

    test('warns that a parent image of a public registry needs a route out, endpoints or not', () => {
      new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', vpc: isolatedVpcWithEndpoints() });

      expect(networkWarnings()).toEqual([
        'the build and test instances run in isolated subnet Stack/Vpc/BuildsSubnet1, which has no route out of VPC Stack/Vpc, and the ' +
        'container builds pull public.ecr.aws/amazonlinux/amazonlinux:2023 from a public registry, which no VPC endpoint reaches: the build ' +
        'would fail when the instance cannot reach them; take the parent image from ECR (an ECR pull-through cache, say), or select a ' +
        'subnet with egress through subnetSelection [ack: cdk-imagebuilder:isolatedSubnet]',
      ]);
    });

    test('warns about a parent image of a well-known public registry, not about one of a registry of your own', () => {
      const vpc = isolatedVpcWithEndpoints();
      new ContainerImagePipeline(stack, 'Public', { shellScript: 'echo hi', vpc, parentImage: ContainerParentImage.fromRegistry('ghcr.io/org/base:1') });
      new ContainerImagePipeline(stack, 'Own', {
        shellScript: 'echo hi', vpc, parentImage: ContainerParentImage.fromRegistry('registry.internal.example.com:5000/base:1'),
      });

      expect(networkWarnings()).toEqual([expect.stringContaining('the container builds pull ghcr.io/org/base:1 from a public registry')]);
    });

    test.each([
      ['Docker Hub by its other host name', 'registry.hub.docker.com/library/ubuntu:24.04', true],
      ['a regional Google registry', 'eu.gcr.io/project/base:1', true],
      ['Artifact Registry', 'europe-west1-docker.pkg.dev/project/repo/base:1', true],
      ['an uppercase first component, which Docker reads as a host', 'MyRegistry/base:1', false],
    ])('tells %s apart', (_, reference, warns) => {
      new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', vpc: isolatedVpcWithEndpoints(), parentImage: ContainerParentImage.fromRegistry(reference) });
      expect(networkWarnings()).toHaveLength(warns ? 1 : 0);
    });

    test('takes a parent image of a private ECR registry given by URI', () => {
      class ByUri extends ContainerParentImage {
        public bind() {
          return { parentImage: '111122223333.dkr.ecr.us-east-1.amazonaws.com/base:2023', platform: Platform.LINUX };
        }
      }
      new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', vpc: isolatedVpcWithEndpoints(), parentImage: new ByUri() });

      expect(networkWarnings()).toEqual([]);
    });

    test('takes a parent image in ECR', () => {
      new ContainerImagePipeline(stack, 'Web', {
        shellScript: 'echo hi',
        vpc: isolatedVpcWithEndpoints(),
        parentImage: ContainerParentImage.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Base', 'base'), { tag: '2023' }),
      });

      expect(networkWarnings()).toEqual([]);
    });
  });

  test('workflows of your own replace the default ones', () => {
    const web = new ContainerImagePipeline(stack, 'Web', {
      shellScript: 'echo hi',
      workflows: [{ workflow: AwsManagedWorkflow.buildContainer(stack, 'Build') }, { workflow: AwsManagedWorkflow.testContainer(stack, 'Test') }],
    });

    const workflowArn = (path: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:imagebuilder:us-east-1:aws:workflow/${path}/x.x.x`]] });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Workflows: [{ WorkflowArn: workflowArn('build/build-container') }, { WorkflowArn: workflowArn('test/test-container') }],
      ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(web.pipeline.executionRole!), 'Arn'] },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('build workflow'))).toEqual([]);
    expectValidTemplate(stack);
  });

  test('warns when workflows hold no build workflow, as the pipeline would skip the build', () => {
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', workflows: [{ workflow: AwsManagedWorkflow.testContainer(stack, 'Test') }] });

    Annotations.fromStack(stack).hasWarning('/Stack/Web', 'workflows holds no build workflow, so the pipeline skips the build (a test-only ' +
      'pipeline) and the components never run; put a build workflow first, such as AwsManagedWorkflow.buildContainer(scope, id) ' +
      '[ack: cdk-imagebuilder:workflowsWithoutBuild]');
  });

  describe('dockerSetupCommands', () => {
    const LOGIN = 'aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 111122223333.dkr.ecr.us-east-1.amazonaws.com';

    function setupStep(): any {
      const workflow = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'))[0];
      return yaml.parse(workflow.Properties.Data).steps.find((step: any) => step.action === 'RunCommand');
    }

    test('run in a build workflow of the pattern\'s, before any test workflow, with an execution role', () => {
      const web = new ContainerImagePipeline(stack, 'Web', {
        shellScript: 'echo hi',
        dockerSetupCommands: [LOGIN],
        workflows: [{ workflow: AwsManagedWorkflow.testContainer(stack, 'Test') }],
      });

      expect(web.buildWorkflow).toBeDefined();
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', { Type: 'BUILD' });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        Workflows: [
          { WorkflowArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':imagebuilder:us-east-1:123456789012:workflow/build/'])]) }) },
          { WorkflowArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':imagebuilder:us-east-1:aws:workflow/test/test-container/x.x.x'])]) }) },
        ],
        ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(web.pipeline.executionRole!), 'Arn'] },
      });
      expect(setupStep()).toMatchObject({ name: 'RunSetupCommands', inputs: { documentName: 'AWS-RunShellScript', parameters: { commands: ['set -e', LOGIN] } } });
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      expectValidTemplate(stack);
      expectNoNagErrors(stack);
    });

    test('run in PowerShell for a Windows parent image', () => {
      new ContainerImagePipeline(stack, 'Web', {
        shellScript: 'Write-Output hi',
        dockerSetupCommands: ['docker login registry.example.com'],
        parentImage: ContainerParentImage.fromDockerHub('mcr.microsoft.com/windows/servercore', { tag: 'ltsc2022', platform: Platform.WINDOWS }),
      });
      expect(setupStep().inputs.documentName).toBe('AWS-RunPowerShellScript');
    });

    test('fails beside a build workflow in workflows', () => {
      expect(() => new ContainerImagePipeline(stack, 'Web', {
        shellScript: 'echo hi',
        dockerSetupCommands: [LOGIN],
        workflows: [{ workflow: AwsManagedWorkflow.testContainer(stack, 'Test') }, { workflow: AwsManagedWorkflow.buildContainer(stack, 'Build') }],
      })).toThrow("dockerSetupCommands runs in a build workflow of the pattern's, and workflows[1] is a build workflow too; " +
        'give the commands in that workflow (WorkflowData.containerBuildWithSetupCommands) or leave one out');
    });

    test('fails when empty', () => {
      expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', dockerSetupCommands: [] }))
        .toThrow("dockerSetupCommands must list at least one command when given, got none; leave it out for Image Builder's default build workflow");
    });
  });

  test('resourceTags tag the build and test instances', () => {
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', resourceTags: { owner: 'images' } });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', { ResourceTags: { owner: 'images' } });
  });

  test('fails on imageTestsTimeout with imageTestsEnabled false, which would be ignored', () => {
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', imageTestsEnabled: false, imageTestsTimeout: Duration.hours(1) }))
      .toThrow('imageTestsTimeout applies only when the tests run, got imageTestsEnabled false with imageTestsTimeout 1 hour');
  });

  test('a shell script for a Windows parent image runs in PowerShell', () => {
    new ContainerImagePipeline(stack, 'Web', {
      shellScript: 'Write-Output hi',
      platform: Platform.WINDOWS,
      parentImage: ContainerParentImage.fromDockerHub('mcr.microsoft.com/windows/servercore', { tag: 'ltsc2022', platform: Platform.WINDOWS }),
    });
    const component = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0];
    expect(component.Properties.Platform).toEqual('Windows');
    expect(yaml.parse(component.Properties.Data).phases[0].steps[0].action).toEqual('ExecutePowerShell');
  });

  test('distributes to the repository in the stack\'s region by default', () => {
    const web = new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: [{
        Region: 'us-east-1',
        ContainerDistributionConfiguration: { TargetRepository: { Service: 'ECR', RepositoryName: { Ref: Match.stringLikeRegexp('^WebRepository') } } },
      }],
    });
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      DistributionConfigurationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebDistribution'), 'Arn'] },
    });
    expect(web.distributionConfiguration).toBeDefined();
  });

  test('regions: the repository of the same name in each other region', () => {
    const repository = new ecr.Repository(stack, 'Existing', { repositoryName: 'web' });
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', repository, regions: ['us-east-1', 'eu-west-1'] });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: [
        { Region: 'us-east-1', ContainerDistributionConfiguration: { TargetRepository: { Service: 'ECR', RepositoryName: { Ref: Match.stringLikeRegexp('^Existing') } } } },
        { Region: 'eu-west-1', ContainerDistributionConfiguration: { TargetRepository: { Service: 'ECR', RepositoryName: 'web' } } },
      ],
    });
    expectValidTemplate(stack);
  });

  test('sharing with regions: the repository of each other region keeps its policy, with a warning that names the region', () => {
    const repository = new ecr.Repository(stack, 'Existing', { repositoryName: 'web' });
    new ContainerImagePipeline(stack, 'Web', {
      shellScript: 'echo hi', repository, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], shareWith: { accounts: ['111111111111'] },
    });
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Web', Match.anyValue()).map((w) => w.entry.data);
    expect(warnings).toEqual(['eu-west-1', 'ap-southeast-2'].map((region) =>
      `the repository of the same name in '${region}' is not one this stack can change, so its policy is left as it is: let the ` +
      'accounts and organizations of shareWith pull from it (ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ' +
      'ecr:GetDownloadUrlForLayer) yourself [ack: cdk-imagebuilder:repositorySharingOtherRegion]'));
    // The repository of the stack's region gets the pull statement.
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'web',
      RepositoryPolicyText: { Statement: [Match.objectLike({ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] })] },
    });
  });

  test('fails for a region known only at deployment with a repository of a generated name, without showing a token', () => {
    const region = new CfnParameter(stack, 'Region').valueAsString;
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', regions: ['us-east-1', region] }))
      .toThrow('regions other than the stack\'s need a repository whose name is known at synth time, got (known only at deployment) ' +
        'and a repository with a generated name: give repository, e.g. new ecr.Repository(this, id, { repositoryName })');
  });

  test('fails for a repository of another region, under the pattern\'s prop name', () => {
    const repository = ecr.Repository.fromRepositoryArn(stack, 'Other', 'arn:aws:ecr:eu-west-1:123456789012:repository/app');
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', repository }))
      .toThrow("repository must be in the stack's account 123456789012 and region us-east-1, where Image Builder pushes the image, " +
        "got repository 'app' of region eu-west-1; give regions to copy the image to other regions, and shareWith to let other accounts pull it");
  });

  test('takes Aws.REGION in regions as the stack\'s region, whose repository is the pattern\'s own', () => {
    const web = new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', regions: [Aws.REGION] });
    const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration')) as any[];
    expect(distribution.Properties.Distributions).toEqual([{
      Region: 'us-east-1',
      ContainerDistributionConfiguration: { TargetRepository: { RepositoryName: { Ref: logicalIdOf(web.repository) }, Service: 'ECR' } },
    }]);
  });

  test('fails for a region given twice, under the pattern\'s prop name', () => {
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', regions: ['us-east-1', 'us-east-1'] }))
      .toThrow("regions must name each region once, got 'us-east-1' twice");
  });

  test('fails for regions in a stack without a region and a repository of a generated name, saying the stack has no region', () => {
    const agnostic = new Stack(app, 'Agnostic');
    expect(() => new ContainerImagePipeline(agnostic, 'Web', { shellScript: 'echo hi', regions: ['us-east-1'] }))
      .toThrow("regions can be told apart from the stack's region only when the stack has one at synth time, got 'us-east-1' " +
        "in a stack without env.region and a repository with a generated name: give the stack's env.region, or a repository whose name is known");
  });

  test("the components made from a script take the parent image's platform, and platform must agree with it", () => {
    const windows = ContainerParentImage.fromDockerHub('mcr.microsoft.com/windows/servercore', { tag: 'ltsc2022', platform: Platform.WINDOWS });
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'Write-Output hi', parentImage: windows });
    const component = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0];
    expect(component.Properties.Platform).toEqual('Windows');
    expect(yaml.parse(component.Properties.Data).phases[0].steps[0].action).toEqual('ExecutePowerShell');
    expect(() => new ContainerImagePipeline(stack, 'Linux', { shellScript: 'echo hi', platform: Platform.WINDOWS }))
      .toThrow("platform must be that of parentImage, Linux, got Windows; leave platform out to take the parent image's");
  });

  test('fails for other regions with a repository of a generated name', () => {
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', regions: ['us-east-1', 'eu-west-1'] }))
      .toThrow('regions other than the stack\'s need a repository whose name is known at synth time, got \'eu-west-1\' ' +
        'and a repository with a generated name: give repository, e.g. new ecr.Repository(this, id, { repositoryName })');
  });

  test('sharing lets the accounts, organizations and units pull from the repository', () => {
    const org = 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5';
    const unit = 'arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111';
    const web = new ContainerImagePipeline(stack, 'Web', {
      shellScript: 'echo hi',
      shareWith: { accounts: ['111111111111', '222222222222'], organizationArns: [org], organizationalUnitArns: [unit] },
    });
    const template = Template.fromStack(stack);
    const pull = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: [
          {
            Action: pull,
            Effect: 'Allow',
            Principal: { AWS: ['111111111111', '222222222222'].map((a) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${a}:root`]] })) },
          },
          { Action: pull, Effect: 'Allow', Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
          {
            Action: pull,
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*/ou-ab12-11111111/*'] } },
          },
        ],
      },
    });
    // The recipe and the component are shared through their resource policies with the same principals.
    const principals = ['111111111111', '222222222222', org, unit];
    expect(sharedPrincipals(template)).toEqual({
      [logicalIdOf(web.recipe)]: principals,
      [logicalIdOf(web.components[0].component as Component)]: principals,
    });
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('sharing with an organization given as a token reads its ID from the ARN at deploy time', () => {
    const org = new CfnParameterLike(stack).value;
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', shareWith: { organizationArns: [org] } });
    const repository = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'))[0];
    expect(repository.Properties.RepositoryPolicyText.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'OrganizationArn' }] }] } },
    });
  });

  test('sharing with organizations through your own repository adds the pull statements and leaves ECR1 to you', () => {
    const org = 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5';
    const repository = new ecr.Repository(stack, 'Mine');
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', repository, shareWith: { organizationArns: [org] } });
    const [mine] = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'));
    expect(mine.Properties.RepositoryPolicyText.Statement).toEqual([expect.objectContaining({
      Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    })]);
    // The rule has no narrower scope: suppressed here, it would also hide statements of your own.
    expect(nagSuppressionsOn(repository)).toBeUndefined();
    Aspects.of(stack).add(new AwsSolutionsChecks({ reports: false }));
    Annotations.fromStack(stack).hasError('/Stack/Mine/Resource', Match.stringLikeRegexp('^AwsSolutions-ECR1'));
  });

  test('sharing with an imported repository leaves its policy alone and warns', () => {
    const repository = ecr.Repository.fromRepositoryName(stack, 'Existing', 'web');
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo hi', repository, shareWith: { accounts: ['111111111111'] } });
    Annotations.fromStack(stack).hasWarning('/Stack/Web', Match.stringLikeRegexp(
      '^repository web was not created in this app, so its policy is left as it is: let the accounts and organizations of shareWith pull'));
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

  describe('a container recipe of your own', () => {
    const linuxComponent = (id: string) => new Component(stack, id, {
      platform: Platform.LINUX,
      data: ComponentData.fromShellScript('dnf install -y jq'),
    });

    test('replaces the created recipe and repository: images go to its target repository, the pattern\'s components run after its own', () => {
      const targetRepository = new ecr.Repository(stack, 'Images', { repositoryName: 'web', imageTagMutability: ecr.TagMutability.IMMUTABLE });
      const tools = linuxComponent('Tools');
      const containerRecipe = new ContainerRecipe(stack, 'Base', {
        parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        targetRepository,
        components: [{ component: tools }],
        workingDirectory: '/opt/build',
        recipeVersion: '2.0.0',
      });
      const web = new ContainerImagePipeline(stack, 'Web', { containerRecipe, shellScript: 'dnf install -y nginx', regions: ['us-east-1', 'eu-west-1'] });

      expect(web.recipe).toBe(containerRecipe);
      expect(web.repository).toBe(targetRepository);
      expect(web.components.map((c) => c.component)).toEqual([tools, web.components[1].component]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ImageBuilder::ContainerRecipe', 1);
      template.resourceCountIs('AWS::ECR::Repository', 1);
      template.hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
        Components: [
          { ComponentArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [logicalIdOf(tools), 'Name'] }])]) }) },
          { ComponentArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WebShellComponent'), 'Name'] }])]) }) },
        ],
        WorkingDirectory: '/opt/build',
        Version: '2.0.0',
      });
      template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        ContainerRecipeArn: { 'Fn::GetAtt': [logicalIdOf(containerRecipe), 'Arn'] },
      });
      template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
        Distributions: [
          Match.objectLike({ Region: 'us-east-1', ContainerDistributionConfiguration: Match.objectLike({ TargetRepository: { RepositoryName: { Ref: logicalIdOf(targetRepository) }, Service: 'ECR' } }) }),
          Match.objectLike({ Region: 'eu-west-1', ContainerDistributionConfiguration: Match.objectLike({ TargetRepository: { RepositoryName: 'web', Service: 'ECR' } }) }),
        ],
      });
      template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
        ResourceSelection: { Recipes: [{ Name: { 'Fn::GetAtt': [logicalIdOf(containerRecipe), 'Name'] }, SemanticVersion: 'x.x.x' }] },
      });
      expectValidTemplate(stack);
      expectNoNagErrors(stack);
    });

    test('with components of its own, needs no components, document or shell script', () => {
      const containerRecipe = new ContainerRecipe(stack, 'Base', {
        parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        targetRepository: new ecr.Repository(stack, 'Images'),
        components: [{ component: linuxComponent('Tools') }],
      });
      expect(new ContainerImagePipeline(stack, 'Web', { containerRecipe }).components).toHaveLength(1);
    });

    test('fails with parentImage, dockerfileTemplate or repository, which it replaces', () => {
      const targetRepository = new ecr.Repository(stack, 'Images');
      const containerRecipe = new ContainerRecipe(stack, 'Base', {
        parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        targetRepository,
      });
      expect(() => new ContainerImagePipeline(stack, 'Web', {
        containerRecipe, shellScript: 'echo hi', repository: targetRepository, dockerfileTemplate: DockerfileTemplate.fromInline(DOCKERFILE),
      })).toThrow('containerRecipe of your own replaces what parentImage, dockerfileTemplate, repository would shape, ' +
        'got dockerfileTemplate, repository too: leave them out, as the pattern would not apply them, and set up your containerRecipe as you need it');
    });

    test('fails for other regions with a target repository of a generated name, pointing to the recipe\'s repository', () => {
      const containerRecipe = new ContainerRecipe(stack, 'Base', {
        parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        targetRepository: new ecr.Repository(stack, 'Images'),
        components: [{ component: linuxComponent('Tools') }],
      });
      expect(() => new ContainerImagePipeline(stack, 'Web', { containerRecipe, regions: ['us-east-1', 'eu-west-1'] }))
        .toThrow("regions other than the stack's need a repository whose name is known at synth time, got 'eu-west-1' and a repository " +
          'with a generated name: give a containerRecipe whose targetRepository has a known name, e.g. new ecr.Repository(this, id, { repositoryName })');
    });

    test('fails for a recipe of another stack', () => {
      const recipes = new Stack(app, 'Recipes', { env: { account: '123456789012', region: 'us-east-1' } });
      const containerRecipe = new ContainerRecipe(recipes, 'Base', {
        parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        targetRepository: new ecr.Repository(recipes, 'Images'),
      });
      expect(() => new ContainerImagePipeline(stack, 'Web', { containerRecipe, shellScript: 'echo hi' }))
        .toThrow("containerRecipe must be in the pattern's stack, Stack, got Recipes/Base of stack Recipes");
    });

    test('shareWith shares its own components and lets the accounts pull from its target repository', () => {
      const tools = linuxComponent('Tools');
      const containerRecipe = new ContainerRecipe(stack, 'Base', {
        parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        targetRepository: new ecr.Repository(stack, 'Images'),
        components: [{ component: tools }],
      });
      const web = new ContainerImagePipeline(stack, 'Web', { containerRecipe, shareWith: { accounts: ['111111111111'] } });

      const template = Template.fromStack(stack);
      expect(sharedPrincipals(template)).toEqual({
        [logicalIdOf(containerRecipe)]: ['111111111111'],
        [logicalIdOf(tools)]: ['111111111111'],
      });
      expect(web.repository).toBe(containerRecipe.targetRepository);
      template.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryPolicyText: {
          Statement: [{
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
          }],
        },
      });
    });
  });

  test('images with lifecycleExcludeImageTags are kept out of the lifecycle policy', () => {
    new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo', lifecycleExcludeImageTags: { deployed: 'true' } });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      ResourceType: 'CONTAINER_IMAGE',
      PolicyDetails: [Match.objectLike({ ExclusionRules: { TagMap: { deployed: 'true' } } })],
    });
    expectValidTemplate(stack);
  });

  test('fails for lifecycleExcludeImageTags that Image Builder refuses, under that name', () => {
    expect(() => new ContainerImagePipeline(stack, 'Web', { shellScript: 'echo', lifecycleExcludeImageTags: { 'team#1': 'y' } }))
      .toThrow("lifecycleExcludeImageTags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
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
