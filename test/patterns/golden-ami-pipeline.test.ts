import { App, Aws, CfnParameter, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import * as yaml from 'yaml';
import {
  AwsManagedComponent, AwsManagedImage, AwsManagedWorkflow, Component, ComponentData, ComponentDocument, ComponentPhaseName, ComponentStep,
  DistributionConfiguration,
  GoldenAmiPipeline, Image, ImageRecipe,
  InfrastructureConfiguration, ParentImage,
  PipelineSchedule, Platform, RecipeBlockDevice, WorkflowOnFailure,
} from '../../src';
import { expectValidTemplate } from '../helpers/cfn-validate';
import { logicalIdOf } from '../helpers/logical-ids';
import { expectNoNagErrors } from '../helpers/nag';
import { sharedPrincipals } from '../helpers/resource-policies';

const ORG = 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

describe('GoldenAmiPipeline', () => {
  test('from a shell script: recipe, secure infrastructure, distribution with SSM, weekly tested and scanned pipeline, lifecycle', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'dnf install -y nginx' });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ImageBuilder::Component', 1);
    template.resourceCountIs('AWS::ImageBuilder::ImageRecipe', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(golden.notificationKey!), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowImageBuilderToPublishToEncryptedTopic' })]) },
    });
    template.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      Logging: { S3Logs: { S3BucketName: { Ref: Match.stringLikeRegexp('^GoldenLogBucket') }, S3KeyPrefix: 'golden/' } },
      SnsTopicArn: { Ref: Match.stringLikeRegexp('^GoldenNotifications') },
    });
    template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: [Match.objectLike({
        Region: 'us-east-1',
        AmiDistributionConfiguration: Match.objectLike({ Name: 'golden-{{ imagebuilder:buildDate }}' }),
        SsmParameterConfigurations: [{ ParameterName: '/golden-ami/stack-golden-61d17555/latest', DataType: 'aws:ec2:image' }],
      })],
    });
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Schedule: { ScheduleExpression: 'cron(0 4 ? * MON *)', PipelineExecutionStartCondition: 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE' },
      ImageTestsConfiguration: { ImageTestsEnabled: true },
      ImageScanningConfiguration: { ImageScanningEnabled: true },
    });
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      ResourceType: 'AMI_IMAGE',
      PolicyDetails: [Match.objectLike({ Filter: { Type: 'COUNT', Value: 5 } })],
    });
    template.resourceCountIs('Custom::ImageBuilderPipelineExecution', 0);
    expect(golden.execution).toBeUndefined();
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('components, a document and a script run in that order', () => {
    const document = new ComponentDocument({ name: 'Harden' });
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('Harden', { commands: ['echo harden'] }));
    const golden = new GoldenAmiPipeline(stack, 'Golden', {
      components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
      document,
      shellScript: 'echo done',
    });
    expect(golden.components).toHaveLength(3);
    const recipe = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'))[0];
    const arns = recipe.Properties.Components.map((c: any) => JSON.stringify(c.ComponentArn));
    expect(arns[0]).toContain('update-linux');
    expect(arns[1]).toContain('GoldenDocumentComponent');
    expect(arns[2]).toContain('GoldenShellComponent');
  });

  test('builds in the private subnets of a VPC by default', () => {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', vpc });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SubnetId: { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') },
    });
  });

  test('builds with your own security groups instead of a new one', () => {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const builders = new ec2.SecurityGroup(stack, 'Builders', { vpc });
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', vpc, securityGroups: [builders] });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      SecurityGroupIds: [{ 'Fn::GetAtt': [logicalIdOf(builders), 'GroupId'] }],
    });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::SecurityGroup', 1);
    expect(golden.infrastructureConfiguration.securityGroups).toEqual([builders]);
  });

  test('every default can be changed: regions, names, schedule, VPC, retention, image count, tests, scanning', () => {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi',
      parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0'),
      vpc,
      subnetSelection: { subnetType: ec2.SubnetType.PUBLIC },
      imageScanningEnabled: false,
      instanceTypes: [new ec2.InstanceType('t3.large')],
      regions: ['us-east-1', 'eu-west-1'],
      amiName: 'base-{{ imagebuilder:buildDate }}',
      ssmParameterName: '/platform/base',
      schedule: PipelineSchedule.expression('rate(1 day)'),
      imageTestsTimeout: Duration.hours(2),
      keepImages: 3,
      logExpiration: Duration.days(30),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: ['us-east-1', 'eu-west-1'].map((region) => Match.objectLike({
        Region: region,
        AmiDistributionConfiguration: Match.objectLike({ Name: 'base-{{ imagebuilder:buildDate }}' }),
        SsmParameterConfigurations: [{ ParameterName: '/platform/base', DataType: 'aws:ec2:image' }],
      })),
    });
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Schedule: Match.objectLike({ ScheduleExpression: 'rate(1 day)' }),
      ImageTestsConfiguration: { ImageTestsEnabled: true, TimeoutMinutes: 120 },
      ImageScanningConfiguration: { ImageScanningEnabled: false },
    });
    template.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', { ParentImage: 'ami-0123456789abcdef0' });
    template.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      InstanceTypes: ['t3.large'],
      SubnetId: { Ref: Match.stringLikeRegexp('^VpcPublicSubnet1') },
    });
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', { PolicyDetails: [Match.objectLike({ Filter: { Type: 'COUNT', Value: 3 } })] });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30 })] } });
    expectValidTemplate(stack);
  });

  test('runOnSchedule: false leaves the pipeline without a schedule, to run only when started', () => {
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', runOnSchedule: false, startOnDeploy: true });
    const [pipeline] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImagePipeline'));
    expect(pipeline.Properties.Schedule).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('Custom::ImageBuilderPipelineExecution', 1);
    expectValidTemplate(stack);
  });

  test('fails for a schedule with runOnSchedule: false', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', runOnSchedule: false, schedule: PipelineSchedule.expression('rate(1 day)') }))
      .toThrow('schedule needs runOnSchedule, got runOnSchedule false with a schedule: leave one of them out');
  });

  test('lifecyclePolicyEnabled: false creates the lifecycle policy disabled', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', lifecyclePolicyEnabled: false });
    new GoldenAmiPipeline(stack, 'Default', { shellScript: 'echo hi' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      Status: 'DISABLED', PolicyDetails: [Match.objectLike({ Filter: { Type: 'COUNT', Value: 5 } })],
    });
    expect(golden.lifecyclePolicy).toBeDefined();
    expect(Object.values(template.findResources('AWS::ImageBuilder::LifecyclePolicy')).map((p) => p.Properties.Status))
      .toEqual(['DISABLED', 'ENABLED']);
  });

  test('an infrastructure configuration of your own instead of the created one, with its log bucket and topic', () => {
    const logBucket = new s3.Bucket(stack, 'CentralLogs', { enforceSSL: true });
    const notificationTopic = new sns.Topic(stack, 'BuildEvents');
    const infrastructureConfiguration = new InfrastructureConfiguration(stack, 'Builders', {
      instanceTypes: [new ec2.InstanceType('c7i.large')], logBucket, logPrefix: 'base/', notificationTopic, terminateInstanceOnFailure: false,
    });
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', infrastructureConfiguration });

    expect(golden.infrastructureConfiguration).toBe(infrastructureConfiguration);
    expect(golden.logBucket).toBe(logBucket);
    expect(golden.notificationTopic).toBe(notificationTopic);
    expect(golden.notificationKey).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ImageBuilder::InfrastructureConfiguration', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      InfrastructureConfigurationArn: { 'Fn::GetAtt': [logicalIdOf(infrastructureConfiguration), 'Arn'] },
    });
    expectValidTemplate(stack);
  });

  test('an infrastructure configuration of your own without logs or topic leaves logBucket and notificationTopic undefined', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', infrastructureConfiguration: new InfrastructureConfiguration(stack, 'Builders') });
    expect(golden.logBucket).toBeUndefined();
    expect(golden.notificationTopic).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 0);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('fails for logRetention with both log groups of your own, also with an infrastructure configuration of your own', () => {
    const logGroup = (id: string) => new logs.LogGroup(stack, id, { logGroupName: `/aws/imagebuilder/${id}` });
    expect(() => new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi',
      infrastructureConfiguration: new InfrastructureConfiguration(stack, 'Builders'),
      imageLogGroup: logGroup('images'),
      pipelineLogGroup: logGroup('runs'),
      logRetention: logs.RetentionDays.ONE_DAY,
    })).toThrow('logRetention applies to the log groups the pattern creates, got imageLogGroup and pipelineLogGroup too');
  });

  test('fails for a notificationKey of another account, naming notificationKey', () => {
    const notificationKey = kms.Key.fromKeyArn(stack, 'Foreign', 'arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', notificationKey }))
      .toThrow('notificationKey must be a key of account 123456789012, where Image Builder runs, got a key of account 222222222222');
  });

  test('resourceTags tag the build and test instances, and are checked under the pattern\'s prop name', () => {
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', resourceTags: { 'cost-center': 'platform', 'owner': 'images' } });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      ResourceTags: { 'cost-center': 'platform', 'owner': 'images' },
    });
    expectValidTemplate(stack);

    expect(() => new GoldenAmiPipeline(stack, 'Bad', { shellScript: 'echo hi', resourceTags: { 'aws:team': 'x' } }))
      .toThrow("resourceTags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:team'");
    expect(() => new GoldenAmiPipeline(stack, 'Mine', {
      shellScript: 'echo hi', infrastructureConfiguration: new InfrastructureConfiguration(stack, 'Builders'), resourceTags: { owner: 'images' },
    })).toThrow(/^infrastructureConfiguration of your own replaces what .* would shape, got resourceTags too/);
  });

  test('fails for the props that shape the created infrastructure configuration with one of your own', () => {
    const infrastructureConfiguration = new InfrastructureConfiguration(stack, 'Builders');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi', infrastructureConfiguration, instanceTypes: [new ec2.InstanceType('t3.large')], logExpiration: Duration.days(7),
    })).toThrow('infrastructureConfiguration of your own replaces what vpc, subnetSelection, securityGroups, instanceTypes, resourceTags, logBucket, ' +
      'logExpiration, logPrefix, notificationTopic, notificationKey would shape, got instanceTypes, logExpiration too: ' +
      'leave them out, as the pattern would not apply them, and set up your infrastructureConfiguration as you need it');
  });

  test('a distribution configuration of your own instead of the created one; shareWith then warns that the AMIs are shared by it alone', () => {
    const distributionConfiguration = new DistributionConfiguration(stack, 'Everywhere', {
      amiDistributions: [{ amiName: 'base-{{ imagebuilder:buildDate }}' }, { region: 'eu-west-1', amiName: 'base-{{ imagebuilder:buildDate }}' }],
    });
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', distributionConfiguration, shareWith: { accounts: ['111122223333'] } });

    expect(golden.distributionConfiguration).toBe(distributionConfiguration);
    expect(golden.ssmParameterName).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::ImageBuilder::DistributionConfiguration', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      DistributionConfigurationArn: { 'Fn::GetAtt': [logicalIdOf(distributionConfiguration), 'Arn'] },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Golden', Match.stringLikeRegexp(
      '^shareWith shares the recipe and components; the AMIs are shared only by the launch permissions of the distributionConfiguration you gave'));
  });

  describe('fastLaunchConfigurations', () => {
    const windows = () => ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL);

    test('turn on Fast Launch for the Windows AMI in every region, for the build account and a target account', () => {
      new GoldenAmiPipeline(stack, 'Golden', {
        shellScript: 'Install-WindowsFeature Web-Server',
        parentImage: windows(),
        regions: ['us-east-1', 'eu-west-1'],
        targetAccountIds: ['111122223333'],
        fastLaunchConfigurations: [{ maxParallelLaunches: 10, targetSnapshotCount: 5 }, { accountId: '111122223333' }],
      });

      const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration'));
      expect(distribution.Properties.Distributions.map((d: any) => [d.Region, d.FastLaunchConfigurations])).toEqual(['us-east-1', 'eu-west-1'].map((region) => [
        region,
        [
          { Enabled: true, MaxParallelLaunches: 10, SnapshotConfiguration: { TargetResourceCount: 5 } },
          { Enabled: true, AccountId: '111122223333' },
        ],
      ]));
      expectValidTemplate(stack);
    });

    test('take a launch template in a pattern of one region', () => {
      const launchTemplate = new ec2.LaunchTemplate(stack, 'Snapshots', { requireImdsv2: true });
      new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'Write-Output hi', parentImage: windows(), fastLaunchConfigurations: [{ launchTemplate }] });

      const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration'));
      expect(distribution.Properties.Distributions[0].FastLaunchConfigurations[0].LaunchTemplate)
        .toEqual({ LaunchTemplateId: { Ref: logicalIdOf(launchTemplate) }, LaunchTemplateVersion: { 'Fn::GetAtt': [logicalIdOf(launchTemplate), 'LatestVersionNumber'] } });
    });

    test.each([
      ['a launch template with two regions', () => ({
        regions: ['us-east-1', 'eu-west-1'], fastLaunchConfigurations: [{ launchTemplate: new ec2.LaunchTemplate(stack, 'Snapshots') }],
      }), "fastLaunchConfigurations[0].launchTemplate is a launch template of one region, so regions must name one region with it, got 2 ('us-east-1', 'eu-west-1'); " +
        'for a template per region, build the distribution with DistributionConfiguration and an AMI distribution per region'],
      ['too few parallel launches', () => ({ fastLaunchConfigurations: [{ maxParallelLaunches: 5 }] }),
        'fastLaunchConfigurations[0].maxParallelLaunches must be a whole number of at least 6, got 5'],
      ['an account that owns no copy', () => ({ fastLaunchConfigurations: [{ accountId: '444455556666' }] }),
        "fastLaunchConfigurations[0].accountId must be the account that runs the build (123456789012) or one of the distribution's targetAccountIds, " +
        "which own copies of the AMI, got '444455556666' with targetAccountIds []"],
      ['a distribution configuration of your own', () => ({
        distributionConfiguration: new DistributionConfiguration(stack, 'Mine', { amiDistributions: [{ amiName: 'base-{{ imagebuilder:buildDate }}' }] }),
        fastLaunchConfigurations: [{}],
      }), /^distributionConfiguration of your own replaces what .* would shape, got fastLaunchConfigurations too/],
    ])('fail for %s, under the pattern\'s prop name', (_, props, message) => {
      expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'Write-Output hi', parentImage: windows(), ...props() })).toThrow(message);
    });

    test('fail for a recipe that is not Windows', () => {
      expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', fastLaunchConfigurations: [{}] }))
        .toThrow('fastLaunchConfigurations turn on Fast Launch, which is for Windows AMIs only, got a recipe for Linux; leave them out');
      expect(() => new GoldenAmiPipeline(stack, 'Off', { shellScript: 'echo hi', fastLaunchConfigurations: [{ enabled: false }] })).not.toThrow();
    });
  });

  test('fails for the props that shape the created distribution configuration with one of your own', () => {
    const distributionConfiguration = new DistributionConfiguration(stack, 'Mine', { amiDistributions: [{ amiName: 'base-{{ imagebuilder:buildDate }}' }] });
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', distributionConfiguration, ssmParameterName: '/platform/base' }))
      .toThrow('distributionConfiguration of your own replaces what regions, amiName, amiTags, launchTemplates, fastLaunchConfigurations, ' +
        'ssmParameterName, targetAccountIds, amiKmsKey would shape, ' +
        'got ssmParameterName too: leave it out, as the pattern would not apply it, and set up your distributionConfiguration as you need it');
  });

  test('workflows of your own replace the default ones, run by a role the pipeline creates', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi',
      workflows: [
        { workflow: AwsManagedWorkflow.buildImage(stack, 'Build') },
        { workflow: AwsManagedWorkflow.testImage(stack, 'Test'), onFailure: WorkflowOnFailure.CONTINUE },
      ],
    });

    const [pipeline] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImagePipeline')) as any[];
    expect(pipeline.Properties.Workflows).toEqual([
      { WorkflowArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x']] } },
      { WorkflowArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:aws:workflow/test/test-image/x.x.x']] }, OnFailure: 'CONTINUE' },
    ]);
    expect(pipeline.Properties.ExecutionRole).toEqual({ 'Fn::GetAtt': [logicalIdOf(golden.pipeline.executionRole!), 'Arn'] });
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('warns when workflows hold no build workflow, as the pipeline would skip the build', () => {
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test') }] });

    Annotations.fromStack(stack).hasWarning('/Stack/Golden', Match.stringLikeRegexp(
      '^workflows holds no build workflow, so the pipeline skips the build .* such as AwsManagedWorkflow.buildImage\\(scope, id\\)'));
  });

  test('an execution role of your own runs the workflows', () => {
    const executionRole = new iam.Role(stack, 'Runner', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const golden = new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi', workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }], executionRole,
    });

    expect(golden.pipeline.executionRole).toBe(executionRole);
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(executionRole), 'Arn'] },
    });
  });

  test('image tests can be turned off', () => {
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', imageTestsEnabled: false });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ImageTestsConfiguration: { ImageTestsEnabled: false },
    });
  });

  test('the default SSM parameter is unique to the stack and path, so that two pipelines never write one parameter', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi' });
    const prod = new GoldenAmiPipeline(new Stack(app, 'Prod', { env: { account: '123456789012', region: 'us-east-1' } }), 'Golden', { shellScript: 'echo hi' });
    const team = new GoldenAmiPipeline(new Construct(stack, 'Team'), 'Golden', { shellScript: 'echo hi' });

    expect(golden.ssmParameterName).toEqual('/golden-ami/stack-golden-61d17555/latest');
    expect(new Set([golden.ssmParameterName, prod.ssmParameterName, team.ssmParameterName]).size).toEqual(3);
    const parameterIn = (s: Stack) => Object.values(Template.fromStack(s).findResources('AWS::ImageBuilder::DistributionConfiguration'))
      .map((d) => d.Properties.Distributions[0].SsmParameterConfigurations[0].ParameterName);
    expect(parameterIn(stack)).toEqual([golden.ssmParameterName, team.ssmParameterName]);
    expect(parameterIn(Stack.of(prod))).toEqual([prod.ssmParameterName]);
    expect(new GoldenAmiPipeline(stack, 'Named', { shellScript: 'echo hi', ssmParameterName: '/platform/base' }).ssmParameterName).toEqual('/platform/base');
  });

  test("the components made from a document or a script take the parent image's platform", () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'Install-WindowsFeature Web-Server',
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL),
    });
    const component = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0];
    expect(component.Properties.Platform).toEqual('Windows');
    expect(yaml.parse(component.Properties.Data).phases[0].steps[0].action).toEqual('ExecutePowerShell');
    expect(golden.recipe.platform).toEqual(Platform.WINDOWS);
  });

  test("fails for a platform other than the parent image's, naming platform", () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', platform: Platform.WINDOWS }))
      .toThrow("platform must be that of parentImage, Linux, got Windows; leave platform out to take the parent image's");
  });

  test('platform sets the platform when the parent image does not tell it', () => {
    new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'Write-Output hi', platform: Platform.WINDOWS, parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0'),
    });
    const component = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0];
    expect(component.Properties.Platform).toEqual('Windows');
  });

  test('fails for an empty shell script', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: ' \n' }))
      .toThrow('shellScript must have a command, got an empty script; leave shellScript out to build from components or document');
  });

  test.each([
    [Duration.days(0), '0 days'],
    [Duration.hours(36), '1 day 12 hours'],
  ])('fails for logExpiration of %s, which S3 refuses', (logExpiration, shown) => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', logExpiration }))
      .toThrow(`logExpiration must be a whole number of days, at least 1, got ${shown}`);
  });

  test('logPrefix keeps the logs of two patterns apart in one bucket of your own', () => {
    const logBucket = new s3.Bucket(stack, 'CentralLogs', { enforceSSL: true });
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', logBucket, logPrefix: 'images/base/' });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      Logging: { S3Logs: { S3BucketName: { Ref: Match.stringLikeRegexp('^CentralLogs') }, S3KeyPrefix: 'images/base/' } },
    });
    expect(() => new GoldenAmiPipeline(stack, 'Slash', { shellScript: 'echo hi', logBucket, logPrefix: '' }))
      .toThrow(/logPrefix must be 1 to 1024 characters/);
  });

  test('a shell script on Windows runs in PowerShell', () => {
    new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'Install-WindowsFeature Web-Server',
      platform: Platform.WINDOWS,
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL),
    });
    const component = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0];
    expect(component.Properties.Platform).toEqual('Windows');
    const step = yaml.parse(component.Properties.Data).phases[0].steps[0];
    expect(step).toEqual({ name: 'RunScript', action: 'ExecutePowerShell', inputs: { commands: ['Install-WindowsFeature Web-Server'] } });
    expectValidTemplate(stack);
  });

  test('your own log bucket and notification topic instead of new ones', () => {
    const logBucket = new s3.Bucket(stack, 'CentralLogs', { enforceSSL: true });
    const notificationTopic = new sns.Topic(stack, 'BuildEvents');
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', logBucket, notificationTopic });

    expect(golden.logBucket).toBe(logBucket);
    expect(golden.notificationTopic).toBe(notificationTopic);
    expect(golden.notificationKey).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
      Logging: { S3Logs: { S3BucketName: { Ref: Match.stringLikeRegexp('^CentralLogs') }, S3KeyPrefix: 'golden/' } },
      SnsTopicArn: { Ref: Match.stringLikeRegexp('^BuildEvents') },
    });
    expectValidTemplate(stack);
  });

  test('notificationKey encrypts the created topic; a key of this app lets Image Builder publish', () => {
    const notificationKey = new kms.Key(stack, 'PlatformKey', { enableKeyRotation: true });
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', notificationKey });

    expect(golden.notificationKey).toBe(notificationKey);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(notificationKey), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowImageBuilderToPublishToEncryptedTopic' })]) },
    });
    expectValidTemplate(stack);
  });

  test('fails for notificationKey with a topic of your own', () => {
    const notificationTopic = new sns.Topic(stack, 'BuildEvents');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', notificationTopic, notificationKey: new kms.Key(stack, 'K') }))
      .toThrow('notificationTopic of your own replaces what notificationKey would shape, got notificationKey too: ' +
        'leave it out, as the pattern would not apply it, and set up your notificationTopic as you need it');
  });

  test('fails for logExpiration with your own log bucket', () => {
    const logBucket = s3.Bucket.fromBucketName(stack, 'CentralLogs', 'central-logs');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', logBucket, logExpiration: Duration.days(7) }))
      .toThrow('logExpiration applies to the log bucket the pattern creates, got logBucket too: ' +
        'give one of them, and set the expiration of your own bucket on that bucket');
  });

  test('log groups under /aws/imagebuilder/ that expire and go with the stack, written without an execution role', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo' });

    const template = Template.fromStack(stack);
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(logGroups).sort()).toEqual([logicalIdOf(golden.imageLogGroup), logicalIdOf(golden.pipelineLogGroup)].sort());
    expect(logGroups[logicalIdOf(golden.imageLogGroup)]).toEqual({
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: '/aws/imagebuilder/stack-golden-61d17555/images', RetentionInDays: 90 },
      UpdateReplacePolicy: 'Delete',
      DeletionPolicy: 'Delete',
    });
    expect(logGroups[logicalIdOf(golden.pipelineLogGroup)].Properties)
      .toEqual({ LogGroupName: '/aws/imagebuilder/stack-golden-61d17555/pipeline', RetentionInDays: 90 });
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      LoggingConfiguration: {
        ImageLogGroupName: { Ref: logicalIdOf(golden.imageLogGroup) },
        PipelineLogGroupName: { Ref: logicalIdOf(golden.pipelineLogGroup) },
      },
      ExecutionRole: Match.absent(),
    });
    expect(golden.pipeline.executionRole).toBeUndefined();
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('logRetention sets how long the created log groups keep their logs', () => {
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', logRetention: logs.RetentionDays.TWO_WEEKS });

    const retention = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'))
      .map((group: any) => group.Properties.RetentionInDays);
    expect(retention).toEqual([14, 14]);
  });

  test('your own log groups are used as they are; one outside /aws/imagebuilder/ gets an execution role that may write to it', () => {
    const imageLogGroup = new logs.LogGroup(stack, 'BuildLogs', { logGroupName: '/builds/golden' });
    const pipelineLogGroup = logs.LogGroup.fromLogGroupName(stack, 'RunLogs', '/aws/imagebuilder/runs');
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', imageLogGroup, pipelineLogGroup });

    expect(golden.imageLogGroup).toBe(imageLogGroup);
    expect(golden.pipelineLogGroup).toBe(pipelineLogGroup);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      LoggingConfiguration: { ImageLogGroupName: { Ref: logicalIdOf(imageLogGroup) }, PipelineLogGroupName: '/aws/imagebuilder/runs' },
      ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(golden.pipeline.executionRole!), 'Arn'] },
    });
    expectValidTemplate(stack);
  });

  test('fails for logRetention with both log groups of your own', () => {
    const imageLogGroup = logs.LogGroup.fromLogGroupName(stack, 'BuildLogs', '/aws/imagebuilder/builds');
    const pipelineLogGroup = logs.LogGroup.fromLogGroupName(stack, 'RunLogs', '/aws/imagebuilder/runs');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo', imageLogGroup, pipelineLogGroup, logRetention: logs.RetentionDays.ONE_WEEK,
    })).toThrow('logRetention applies to the log groups the pattern creates, got imageLogGroup and pipelineLogGroup too: ' +
      'give logRetention or both log groups, and set the retention of your own log groups on them');
  });

  test('fails for a log group name Image Builder does not take, under the pattern\'s prop name', () => {
    const imageLogGroup = logs.LogGroup.fromLogGroupName(stack, 'BuildLogs', 'builds#golden');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', imageLogGroup }))
      .toThrow('imageLogGroup must be a log group whose name has 1 to 512 letters, digits and the characters - _ / . ' +
        "(Image Builder takes no others), got 'builds#golden'");
  });

  test('sharing: AMI launch permissions in every region, the recipe and its own components', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi',
      regions: ['us-east-1', 'eu-west-1'],
      shareWith: { accounts: ['111111111111'], organizationArns: [ORG] },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: ['us-east-1', 'eu-west-1'].map(() => Match.objectLike({
        AmiDistributionConfiguration: Match.objectLike({
          LaunchPermissionConfiguration: { UserIds: ['111111111111'], OrganizationArns: [ORG] },
        }),
      })),
    });
    // The recipe and the shell-script component, each shared with the same principals.
    const principals = ['111111111111', ORG];
    expect(sharedPrincipals(template)).toEqual({
      [logicalIdOf(golden.recipe)]: principals,
      [logicalIdOf(golden.components[0].component as Component)]: principals,
    });
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('copies to other accounts, encrypted with a key of this app that those accounts may use', () => {
    const key = new kms.Key(stack, 'AmiKey', { enableKeyRotation: true });
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', targetAccountIds: ['111111111111', '222222222222'], amiKmsKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: [{
        Region: 'us-east-1',
        AmiDistributionConfiguration: Match.objectLike({
          TargetAccountIds: ['111111111111', '222222222222'],
          KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(key), 'Arn'] },
        }),
      }],
    });
    const keyStatements = template.findResources('AWS::KMS::Key')[logicalIdOf(key)].Properties.KeyPolicy.Statement;
    expect(keyStatements.filter((st: any) => JSON.stringify(st.Principal).includes('111111111111'))).toHaveLength(1);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('shared AMIs encrypted with a key of this app: the accounts and organizations of shareWith may use the key to launch them', () => {
    const key = new kms.Key(stack, 'AmiKey', { enableKeyRotation: true });
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', amiKmsKey: key, shareWith: { accounts: ['333333333333'], organizationArns: [ORG] } });
    const keyStatements = Template.fromStack(stack).findResources('AWS::KMS::Key')[logicalIdOf(key)].Properties.KeyPolicy.Statement;
    expect(keyStatements.slice(1).map((st: any) => [st.Principal, st.Condition])).toEqual([
      [{ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:root']] } }, undefined],
      [{ AWS: '*' }, { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }],
    ]);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('copies to other accounts in every region', () => {
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', regions: ['us-east-1', 'eu-west-1'], targetAccountIds: ['111111111111'] });
    const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration'));
    expect(distribution.Properties.Distributions.map((d: any) => [d.Region, d.AmiDistributionConfiguration.TargetAccountIds]))
      .toEqual([['us-east-1', ['111111111111']], ['eu-west-1', ['111111111111']]]);
  });

  test('tags the AMI in every region', () => {
    new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi', regions: ['us-east-1', 'eu-west-1'], amiTags: { team: 'platform', version: '{{imagebuilder:buildVersion}}' },
    });
    const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration'));
    expect(distribution.Properties.Distributions.map((d: any) => [d.Region, d.AmiDistributionConfiguration.AmiTags])).toEqual([
      ['us-east-1', { team: 'platform', version: '{{imagebuilder:buildVersion}}' }],
      ['eu-west-1', { team: 'platform', version: '{{imagebuilder:buildVersion}}' }],
    ]);
    expectValidTemplate(stack);
  });

  test('fails for amiTags with a distribution configuration of your own', () => {
    const distributionConfiguration = new DistributionConfiguration(stack, 'Mine', { amiDistributions: [{ amiName: 'base-{{ imagebuilder:buildDate }}' }] });
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', distributionConfiguration, amiTags: { team: 'platform' } }))
      .toThrow(/^distributionConfiguration of your own replaces what .*amiTags.* would shape, got amiTags too/);
  });

  describe('launchTemplates', () => {
    /** The launch template configurations of each region's AMI distribution. */
    function launchTemplatesByRegion(): Array<[string, unknown]> {
      const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration'));
      return distribution.Properties.Distributions.map((d: any) => [d.Region, d.LaunchTemplateConfigurations]);
    }

    test('each gets its new version in its own region', () => {
      const web = new ec2.LaunchTemplate(stack, 'Web', { machineImage: ec2.MachineImage.latestAmazonLinux2023(), requireImdsv2: true });
      const europe = new Stack(app, 'Europe', { env: { account: '123456789012', region: 'eu-west-1' } });
      const workers = ec2.LaunchTemplate.fromLaunchTemplateAttributes(europe, 'Workers', { launchTemplateId: 'lt-0123456789abcdef0' });
      new GoldenAmiPipeline(stack, 'Golden', {
        shellScript: 'echo hi',
        regions: ['us-east-1', 'eu-west-1', 'eu-central-1'],
        launchTemplates: [{ launchTemplate: web, setDefaultVersion: true }, { launchTemplate: workers }],
      });

      expect(launchTemplatesByRegion()).toEqual([
        ['us-east-1', [{ LaunchTemplateId: { Ref: logicalIdOf(web) }, SetDefaultVersion: true }]],
        ['eu-west-1', [{ LaunchTemplateId: 'lt-0123456789abcdef0' }]],
        ['eu-central-1', undefined],
      ]);
      expectValidTemplate(stack);
    });

    test('an import of another region in this stack goes to the region given with it', () => {
      const workers = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Workers', { launchTemplateId: 'lt-0123456789abcdef0' });
      new GoldenAmiPipeline(stack, 'Golden', {
        shellScript: 'echo hi', regions: ['us-east-1', 'eu-west-1'], launchTemplates: [{ launchTemplate: workers, region: 'eu-west-1' }],
      });

      expect(launchTemplatesByRegion()).toEqual([['us-east-1', undefined], ['eu-west-1', [{ LaunchTemplateId: 'lt-0123456789abcdef0' }]]]);
      expectValidTemplate(stack);
    });

    test('fails for a region given with a launch template this app creates in another', () => {
      const web = new ec2.LaunchTemplate(stack, 'Web', { machineImage: ec2.MachineImage.latestAmazonLinux2023(), requireImdsv2: true });
      expect(() => new GoldenAmiPipeline(stack, 'Golden', {
        shellScript: 'echo hi', regions: ['us-east-1', 'eu-west-1'], launchTemplates: [{ launchTemplate: web, region: 'eu-west-1' }],
      })).toThrow("launchTemplates region must be the region of Stack/Web, which this app creates in 'us-east-1', got 'eu-west-1'");
    });

    test('takes a launch template of an environment-agnostic stack, whose region is the stack\'s', () => {
      const agnostic = new Stack(app, 'Agnostic');
      const web = ec2.LaunchTemplate.fromLaunchTemplateAttributes(agnostic, 'Web', { launchTemplateId: 'lt-0123456789abcdef0' });
      new GoldenAmiPipeline(agnostic, 'Golden', { shellScript: 'echo hi', launchTemplates: [{ launchTemplate: web }] });

      const [distribution] = Object.values(Template.fromStack(agnostic).findResources('AWS::ImageBuilder::DistributionConfiguration'));
      expect(distribution.Properties.Distributions.map((d: any) => [d.Region, d.LaunchTemplateConfigurations]))
        .toEqual([[{ Ref: 'AWS::Region' }, [{ LaunchTemplateId: 'lt-0123456789abcdef0' }]]]);
    });

    test('fails for a launch template of a region the AMI does not go to', () => {
      const europe = new Stack(app, 'Europe', { env: { account: '123456789012', region: 'eu-west-1' } });
      const workers = ec2.LaunchTemplate.fromLaunchTemplateAttributes(europe, 'Workers', { launchTemplateId: 'lt-0123456789abcdef0' });
      expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', launchTemplates: [{ launchTemplate: workers }] }))
        .toThrow("launchTemplates must be in one of regions ('us-east-1'), where the AMI is, got Europe/Workers in 'eu-west-1'");
    });

    test('fails for a launch template of a stack without env.region and regions written out, naming Aws.REGION', () => {
      const agnostic = new Stack(app, 'Agnostic');
      const web = ec2.LaunchTemplate.fromLaunchTemplateAttributes(agnostic, 'Web', { launchTemplateId: 'lt-0123456789abcdef0' });
      expect(() => new GoldenAmiPipeline(agnostic, 'Golden', { shellScript: 'echo hi', regions: ['us-east-1'], launchTemplates: [{ launchTemplate: web }] }))
        .toThrow("launchTemplates must be in one of regions ('us-east-1'), where the AMI is, got Agnostic/Web in (known only at deployment); " +
          'for the region of a stack without env.region, list Aws.REGION in regions');
      new GoldenAmiPipeline(agnostic, 'WithAwsRegion', {
        shellScript: 'echo hi', regions: [Aws.REGION, 'eu-west-1'], launchTemplates: [{ launchTemplate: web }],
      });
    });

    test('fails for an import without a launch template ID', () => {
      const byName = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'ByName', { launchTemplateName: 'web' });
      expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', launchTemplates: [{ launchTemplate: byName }] }))
        .toThrow('launchTemplates must reference launch templates by ID, got Stack/ByName without a launchTemplateId; import it with launchTemplateId');
    });

    test('fails for an empty list', () => {
      expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo hi', launchTemplates: [] }))
        .toThrow('launchTemplates must list at least one launch template when given, got none; omit it instead');
    });
  });

  test('fails for an AMI key with several regions', () => {
    const key = new kms.Key(stack, 'AmiKey');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', regions: ['us-east-1', 'eu-west-1'], amiKmsKey: key }))
      .toThrow("amiKmsKey encrypts the AMI in one region, so regions must name one region with it, got 2 ('us-east-1', 'eu-west-1'); " +
        'for a key per region, build the distribution with DistributionConfiguration and an AMI distribution per region');
  });

  test('fails for an ssmParameterName too long for its ARN, naming the pattern\'s prop', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', ssmParameterName: `/${'a'.repeat(980)}` }))
      .toThrow(/^ssmParameterName must be at most 967 characters here: Systems Manager allows 1011 for the name with its ARN prefix/);
  });

  test('cuts the default AMI name made from a long construct id to the 127 characters an AMI name may have', () => {
    new GoldenAmiPipeline(stack, 'G'.repeat(140), { shellScript: 'echo' });
    const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration')) as any[];
    const name = distribution.Properties.Distributions[0].AmiDistributionConfiguration.Name;
    expect(name).toEqual(`${'g'.repeat(98)}-{{ imagebuilder:buildDate }}`);
    expect(name).toHaveLength(127);
  });

  test('fails for an AMI key imported by the ARN of another region', () => {
    const key = kms.Key.fromKeyArn(stack, 'AmiKey', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', amiKmsKey: key }))
      .toThrow("amiKmsKey must be in region us-east-1, where the image is distributed, got 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555' of region eu-west-1");
  });

  test('fails for an AMI key of this app in another region', () => {
    const keyStack = new Stack(app, 'Keys', { env: { account: '123456789012', region: 'eu-west-1' } });
    const key = new kms.Key(keyStack, 'AmiKey');
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', amiKmsKey: key }))
      .toThrow('amiKmsKey must be in region us-east-1, where the image is distributed, got Keys/AmiKey of region eu-west-1');
  });

  test('start on deploy, waiting for the first AMI', () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', {
      shellScript: 'echo hi', startOnDeploy: true, startOnDeployOptions: { waitForCompletion: true },
    });
    expect(golden.execution).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('Custom::ImageBuilderPipelineExecution', { WaitForCompletion: true });
    expect(stack.resolve(golden.execution!.amiId())['Fn::GetAtt'][1]).toEqual('AmiId');
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('fails without anything to build', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', {}))
      .toThrow(/a pipeline needs something to build: give components, document or shellScript, got none of them/);
  });

  describe('an image recipe of your own', () => {
    const linuxComponent = (id: string) => new Component(stack, id, {
      platform: Platform.LINUX,
      data: ComponentData.fromShellScript('dnf install -y jq'),
    });

    test('replaces the created recipe: its settings reach the pipeline, and the pattern\'s components run after its own', () => {
      const hardening = linuxComponent('Hardening');
      const imageRecipe = new ImageRecipe(stack, 'Base', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.UBUNTU_22_04),
        components: [{ component: hardening }],
        blockDevices: [RecipeBlockDevice.ebs('/dev/sda1', { volumeSize: Size.gibibytes(64) })],
        userDataOverride: ec2.UserData.custom('#!/bin/bash\nsnap install amazon-ssm-agent --classic'),
        workingDirectory: '/opt/build',
        amiTags: { Team: 'platform' },
      });
      const golden = new GoldenAmiPipeline(stack, 'Golden', { imageRecipe, shellScript: 'apt-get install -y nginx' });

      expect(golden.recipe).toBe(imageRecipe);
      expect(golden.components.map((c) => c.component)).toEqual([hardening, golden.components[1].component]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ImageBuilder::ImageRecipe', 1);
      template.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
        Components: [
          { ComponentArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [logicalIdOf(hardening), 'Name'] }])]) }) },
          { ComponentArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^GoldenShellComponent'), 'Name'] }])]) }) },
        ],
        BlockDeviceMappings: [Match.objectLike({ DeviceName: '/dev/sda1', Ebs: Match.objectLike({ VolumeSize: 64 }) })],
        AdditionalInstanceConfiguration: Match.objectLike({ UserDataOverride: Match.anyValue() }),
        WorkingDirectory: '/opt/build',
        AmiTags: { Team: 'platform' },
      });
      template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        ImageRecipeArn: { 'Fn::GetAtt': [logicalIdOf(imageRecipe), 'Arn'] },
      });
      template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
        ResourceSelection: { Recipes: [{ Name: { 'Fn::GetAtt': [logicalIdOf(imageRecipe), 'Name'] }, SemanticVersion: 'x.x.x' }] },
      });
      expectValidTemplate(stack);
      expectNoNagErrors(stack);
    });

    test('with components of its own, needs no components, document or shell script', () => {
      const imageRecipe = new ImageRecipe(stack, 'Base', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: linuxComponent('Tools') }],
      });
      const golden = new GoldenAmiPipeline(stack, 'Golden', { imageRecipe });
      expect(golden.components).toHaveLength(1);
      Template.fromStack(stack).resourceCountIs('AWS::ImageBuilder::Component', 1);
    });

    test('fails without anything to build when it has no components either', () => {
      const imageRecipe = new ImageRecipe(stack, 'Base', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023) });
      expect(() => new GoldenAmiPipeline(stack, 'Golden', { imageRecipe }))
        .toThrow('a pipeline needs something to build: give components, document or shellScript, got none of them (or a recipe of your own that has ' +
          'components); Image Builder takes no recipe without a build component (the steps of a Dockerfile template do not count)');
    });

    test('fails with parentImage, which it replaces', () => {
      const imageRecipe = new ImageRecipe(stack, 'Base', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023) });
      expect(() => new GoldenAmiPipeline(stack, 'Golden', {
        imageRecipe, shellScript: 'echo hi', parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.UBUNTU_22_04),
      })).toThrow('imageRecipe of your own replaces what parentImage would shape, got parentImage too: ' +
        'leave it out, as the pattern would not apply it, and set up your imageRecipe as you need it');
    });

    test('shareWith shares its own components of this app too, and leaves AWS-managed ones alone', () => {
      const tools = linuxComponent('Tools');
      const imageRecipe = new ImageRecipe(stack, 'Base', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateOs', { platform: Platform.LINUX }) }, { component: tools }],
      });
      const golden = new GoldenAmiPipeline(stack, 'Golden', { imageRecipe, shellScript: 'echo hi', shareWith: { accounts: ['111111111111'] } });

      expect(sharedPrincipals(Template.fromStack(stack))).toEqual({
        [logicalIdOf(imageRecipe)]: ['111111111111'],
        [logicalIdOf(tools)]: ['111111111111'],
        [logicalIdOf(golden.components[2].component as Component)]: ['111111111111'],
      });
    });

    test('fails for a recipe of another stack, which would refer to the components the pattern makes while its pipeline refers to the recipe', () => {
      const recipes = new Stack(app, 'Recipes', { env: { account: '123456789012', region: 'us-east-1' } });
      const imageRecipe = new ImageRecipe(recipes, 'Base', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023) });
      expect(() => new GoldenAmiPipeline(stack, 'Golden', { imageRecipe, shellScript: 'echo hi' }))
        .toThrow("imageRecipe must be in the pattern's stack, Stack, got Recipes/Base of stack Recipes: the pattern adds the components it " +
          'makes to the recipe and builds it there');
    });

    test('fails for a recipe given to another pattern already, which would then build the components of both', () => {
      const imageRecipe = new ImageRecipe(stack, 'Base', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023) });
      new GoldenAmiPipeline(stack, 'Web', { imageRecipe, shellScript: 'dnf install -y nginx' });
      expect(() => new GoldenAmiPipeline(stack, 'Db', { imageRecipe, shellScript: 'dnf install -y postgresql' }))
        .toThrow('imageRecipe Stack/Base is given to the pattern Stack/Web already: each pattern adds its components to its recipe, ' +
          'so both would build the components of both; give each pattern a recipe of its own');
    });

    test("the components made from a script take the recipe's platform", () => {
      const imageRecipe = new ImageRecipe(stack, 'Base', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL) });
      const golden = new GoldenAmiPipeline(stack, 'Golden', { imageRecipe, shellScript: 'Write-Host hi' });
      expect((golden.components[0].component as Component).platform).toBe(Platform.WINDOWS);
    });
  });

  test("an Image the pattern's pipeline builds for the stack, tagged, is kept out of the lifecycle policy", () => {
    const golden = new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', lifecycleExcludeImageTags: { deployed: 'true' } });
    new Image(stack, 'Current', { imagePipeline: golden.pipeline, tags: { deployed: 'true' } });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
      PolicyDetails: [Match.objectLike({
        Filter: { Type: 'COUNT', Value: 5 },
        ExclusionRules: { TagMap: { deployed: 'true' } },
      })],
    });
    template.hasResourceProperties('AWS::ImageBuilder::Image', {
      ImagePipelineExecutionSettings: Match.objectLike({ DeploymentId: { 'Fn::GetAtt': [logicalIdOf(golden.pipeline), 'DeploymentId'] } }),
      Tags: { deployed: 'true' },
    });
    expectValidTemplate(stack);
  });

  test('fails for lifecycleExcludeImageTags that Image Builder refuses, under that name', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', lifecycleExcludeImageTags: { 'aws:x': 'y' } }))
      .toThrow("lifecycleExcludeImageTags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:x'");
  });

  test('fails for keepImages out of range', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', keepImages: 0 }))
      .toThrow(/keepImages must be a whole number from 1 to 1000, got 0/);
  });

  test('fails for more than 20 components in all, counting each source under the pattern\'s prop names', () => {
    const components = Array.from({ length: 19 }, (_, i) => ({ component: AwsManagedComponent.reboot(stack, `Reboot${i}`, { platform: Platform.LINUX }) }));
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { components, shellScript: 'echo', document: new ComponentDocument() }))
      .toThrow('the recipe takes at most 20 components, got 21: 19 of components, 1 from document, 1 from shellScript');
  });

  test('takes keepImages known only at deployment', () => {
    const keepImages = new CfnParameter(stack, 'Keep', { type: 'Number' }).valueAsNumber;
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', keepImages });
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::LifecyclePolicy')) as any[];
    expect(policy.Properties.PolicyDetails[0].Filter).toEqual({ Type: 'COUNT', Value: { Ref: 'Keep' } });
  });

  test('takes Aws.REGION in regions as the stack\'s region, and fails when it names that region twice', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Twice', { shellScript: 'echo', regions: [Aws.REGION, 'us-east-1'] }))
      .toThrow("regions must name each region once, got 'us-east-1' twice");
    new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', regions: [Aws.REGION, 'eu-west-1'] });
    const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::DistributionConfiguration')) as any[];
    expect(distribution.Properties.Distributions.map((d: any) => d.Region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  // Checked under the pattern's prop names, not those of the distribution configuration it builds.
  test.each([
    ['no regions', { regions: [] }, "regions must list at least one region when given, got none; omit it for the stack's region"],
    ['a region that is no region code', { regions: ['mars-1'] },
      "regions must be a region code such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1 or eusc-de-east-1, got 'mars-1'"],
    ['a region twice', { regions: ['eu-west-1', 'eu-west-1'] }, "regions must name each region once, got 'eu-west-1' twice"],
    ['a region of another partition', { regions: ['us-east-1', 'cn-north-1'] },
      "regions must be in the partition of the stack's region us-east-1, aws, got 'cn-north-1' of partition aws-cn"],
    ['a malformed account to share with', { shareWith: { accounts: ['123'] } },
      "shareWith accounts must be an AWS account ID of exactly 12 digits, e.g. 123456789012, got '123'"],
    ['sharing with nobody', { shareWith: {} }, 'shareWith needs at least one of accounts, organizationArns or organizationalUnitArns, got none'],
    ['a malformed account to copy to', { targetAccountIds: ['12345678901'] },
      "targetAccountIds must be an AWS account ID of exactly 12 digits, e.g. 123456789012, got '12345678901'"],
    ['no accounts to copy to', { targetAccountIds: [] }, 'targetAccountIds must list at least one account when given, got none; omit it instead'],
    ['an AMI name without the build date', { amiName: 'golden' },
      "amiName must contain {{ imagebuilder:buildDate }} so that each build's AMI gets a new name, got 'golden'"],
    ['an AMI tag key that starts with aws:', { amiTags: { 'aws:team': 'platform' } },
      "amiTags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:team'"],
    ['a reserved SSM parameter name', { ssmParameterName: '/aws/golden' },
      "ssmParameterName must not start with 'aws' or 'ssm' (in any case), which are reserved, got '/aws/golden'"],
  ])('fails for %s', (_, props, message) => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', ...props })).toThrow(message);
  });

  test('fails for Graviton instance types with the default x86_64 parent image', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', instanceTypes: [new ec2.InstanceType('m7g.large')] }))
      .toThrow('instanceTypes m7g.large of Stack/Golden/Infrastructure are all arm64, but the parentImage of Stack/Golden/Recipe is x86_64');
  });

  test('fails for start options without starting', () => {
    expect(() => new GoldenAmiPipeline(stack, 'Golden', { shellScript: 'echo', startOnDeployOptions: { waitForCompletion: true } }))
      .toThrow(/startOnDeployOptions needs startOnDeploy: true, got startOnDeploy unset or false/);
  });
});
