import { App, Aws, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AwsManagedComponent, AwsManagedImage, AwsManagedWorkflow, Image, ImagePipeline, ImageRecipe, InfrastructureConfiguration, LifecycleAction,
  LifecycleFilter, LifecyclePolicy, LifecycleResourceSelection, LifecycleResourceType, ParentImage, Platform,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function recipe() {
  return new ImageRecipe(stack, 'Recipe', {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
  });
}

function roleFor(principal: iam.IPrincipal, id = 'Given') {
  return new iam.Role(stack, id, { assumedBy: principal });
}

const synth = () => Template.fromStack(stack);

describe('roles given to the service', () => {
  test('fails when a pipeline execution role does not trust Image Builder, naming the role and the principals it trusts', () => {
    new ImagePipeline(stack, 'Pipeline', {
      imageRecipe: recipe(),
      workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }],
      executionRole: roleFor(new iam.AccountRootPrincipal()),
    });
    expect(synth).toThrow(
      '[Stack/Pipeline] executionRole Stack/Given must let imagebuilder.amazonaws.com assume it (Image Builder runs workflows and writes ' +
      'build logs as it), but its trust policy allows {"AWS":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::123456789012:root"]]}} to; ' +
      'create it with assumedBy: ' +
      "new iam.ServicePrincipal('imagebuilder.amazonaws.com'), or add that principal to its trust policy");
  });

  test('fails when an image execution role or deletion role does not trust Image Builder', () => {
    new Image(stack, 'Image', {
      imageRecipe: recipe(),
      workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }],
      executionRole: roleFor(new iam.ServicePrincipal('ec2.amazonaws.com')),
      deletionExecutionRole: roleFor(new iam.ServicePrincipal('lambda.amazonaws.com'), 'Deleter'),
    });
    expect(synth).toThrow(/\[Stack\/Image\] executionRole Stack\/Given must let imagebuilder\.amazonaws\.com assume it .*allows \{"Service":"ec2\.amazonaws\.com"\} to;/);
    expect(synth).toThrow(/\[Stack\/Image\] deletionExecutionRole Stack\/Deleter must let imagebuilder\.amazonaws\.com assume it \(Image Builder removes the image's AMIs, snapshots and containers as it\), but its trust policy allows \{"Service":"lambda\.amazonaws\.com"\} to;/);
  });

  test('fails when a lifecycle policy execution role does not trust Image Builder', () => {
    new LifecyclePolicy(stack, 'Policy', {
      resourceType: LifecycleResourceType.AMI_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromTags({ team: 'platform' }),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(5) }],
      executionRole: roleFor(new iam.AccountRootPrincipal()),
    });
    expect(synth).toThrow(/\[Stack\/Policy\] executionRole Stack\/Given must let imagebuilder\.amazonaws\.com assume it \(Image Builder runs the policy's actions as it\)/);
  });

  test('fails when the instance role, given or behind an instance profile, does not trust EC2', () => {
    new InfrastructureConfiguration(stack, 'Infrastructure', { role: roleFor(new iam.ServicePrincipal('imagebuilder.amazonaws.com')) });
    const profileRole = roleFor(new iam.ServicePrincipal('lambda.amazonaws.com'), 'ProfileRole');
    new InfrastructureConfiguration(stack, 'Shared', { instanceProfile: new iam.InstanceProfile(stack, 'Profile', { role: profileRole }) });
    expect(synth).toThrow(/\[Stack\/Infrastructure\] role Stack\/Given must let ec2\.amazonaws\.com assume it \(the build and test instances run as it\), but its trust policy allows \{"Service":"imagebuilder\.amazonaws\.com"\} to;/);
    expect(synth).toThrow(/\[Stack\/Shared\] the role of instanceProfile Stack\/ProfileRole must let ec2\.amazonaws\.com assume it/);
  });

  test('a trust statement added after the role was given counts: the check runs at synth', () => {
    const role = roleFor(new iam.AccountRootPrincipal());
    new ImagePipeline(stack, 'Pipeline', { imageRecipe: recipe(), workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }], executionRole: role });
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'], principals: [new iam.ServicePrincipal('imagebuilder.amazonaws.com')],
    }));
    expect(synth).not.toThrow();
    expectValidTemplate(stack);
  });

  test.each<[string, () => iam.IPrincipal]>([
    ['the service among others', () => new iam.CompositePrincipal(new iam.AccountRootPrincipal(), new iam.ServicePrincipal('imagebuilder.amazonaws.com'))],
    ['the service as China writes it', () => new iam.ServicePrincipal('imagebuilder.amazonaws.com.cn')],
    ['a service name synth cannot read', () => new iam.ServicePrincipal(Fn.join('.', ['imagebuilder', Aws.URL_SUFFIX]))],
    ['any principal', () => new iam.AnyPrincipal()],
    ['a principal chosen by a condition', () => new iam.PrincipalWithConditions(new iam.ServicePrincipal('imagebuilder.amazonaws.com'), {
      StringEquals: { 'aws:SourceAccount': '123456789012' },
    })],
  ])('no error for a trust policy with %s', (_, principal) => {
    new ImagePipeline(stack, 'Pipeline', {
      imageRecipe: recipe(),
      workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }],
      executionRole: roleFor(principal()),
    });
    expect(synth).not.toThrow();
  });

  test('no error for a principal that is an intrinsic function, which synth cannot read', () => {
    const role = roleFor(new iam.AccountRootPrincipal());
    (role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = {
      Version: '2012-10-17',
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { 'Fn::If': ['InChina', { Service: 'imagebuilder.amazonaws.com.cn' }, { Service: 'imagebuilder.amazonaws.com' }] },
      }],
    };
    new LifecyclePolicy(stack, 'Policy', {
      resourceType: LifecycleResourceType.AMI_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromTags({ team: 'platform' }),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(5) }],
      executionRole: role,
    });
    expect(synth).not.toThrow();
  });

  test('no error for imported roles, whose trust policy synth does not know', () => {
    new ImagePipeline(stack, 'Pipeline', {
      imageRecipe: recipe(),
      workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }],
      executionRole: iam.Role.fromRoleName(stack, 'Imported', 'image-builds'),
    });
    new InfrastructureConfiguration(stack, 'Infrastructure', { role: iam.Role.fromRoleName(stack, 'Builders', 'builders') });
    expect(synth).not.toThrow();
  });
});
