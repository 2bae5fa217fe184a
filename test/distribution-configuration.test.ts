import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  AmiDistribution,
  ContainerDistribution,
  DistributionConfiguration,
  DistributionConfigurationProps,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { logicalIdOf } from './helpers/logical-ids';
import { expectNoNagErrors } from './helpers/nag';

const ENV = { account: '123456789012', region: 'us-east-1' };
const DIST = 'AWS::ImageBuilder::DistributionConfiguration';
const AMI_NAME = 'web-{{ imagebuilder:buildDate }}';
const ORG_ARN = 'arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5';
const OU_ARN = 'arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56';
const LICENSE_ARN = 'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef';
const ARN = 'arn:aws:imagebuilder:us-east-1:123456789012:distribution-configuration/shared-dist';
/** The user guide's list for the destination accounts of a cross-account distribution, in its order. */
const CROSS_ACCOUNT_KEY_ACTIONS = [
  'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant',
];

function accountIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(100000000000 + i));
}

function organizationArns(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `arn:aws:organizations::123456789012:organization/o-${String(i).padStart(10, '0')}`);
}

function organizationalUnitArns(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-${String(i).padStart(8, '0')}`);
}

function licenseArns(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    `arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-${String(i).padStart(30, '0')}-_`);
}

/** The message of the error `fn` throws. */
function errorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: ENV });
});

function newDist(props: DistributionConfigurationProps, id = 'Dist'): DistributionConfiguration {
  return new DistributionConfiguration(stack, id, props);
}

function ami(distribution: AmiDistribution = {}): DistributionConfiguration {
  return newDist({ amiDistributions: [distribution] });
}

function expectValidAndNagClean(): void {
  expectValidTemplate(stack);
  expectNoNagErrors(app);
}

function distProperties(): any {
  const [resource] = Object.values(Template.fromStack(stack).findResources(DIST));
  return resource.Properties;
}

function repository(id = 'Repo', scope: Stack = stack): ecr.Repository {
  return new ecr.Repository(scope, id);
}

function key(id = 'Key', scope: Stack = stack): kms.Key {
  return new kms.Key(scope, id, { enableKeyRotation: true });
}

describe('rendering', () => {
  test('all props', () => {
    const amiKey = key();
    const template = new ec2.LaunchTemplate(stack, 'Template', { requireImdsv2: true });
    const fastTemplate = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Fast', { launchTemplateName: 'fast-launch' });
    const repo = repository();
    newDist({
      distributionConfigurationName: 'web-distribution',
      description: 'Web server images',
      amiDistributions: [{
        amiName: 'web-{{ imagebuilder:buildVersion }}-{{ imagebuilder:buildDate }}',
        amiDescription: 'Web server',
        amiKmsKey: amiKey,
        targetAccountIds: ['111111111111'],
        launchPermissionAccountIds: ['222222222222'],
        launchPermissionOrganizationArns: [ORG_ARN],
        launchPermissionOrganizationalUnitArns: [OU_ARN],
        amiTags: { Team: 'web', Version: '{{imagebuilder:buildVersion}}' },
        ssmParameters: [{ parameterName: '/images/web/latest' }, { parameterName: 'web-ami', accountId: '111111111111' }],
        launchTemplates: [{ launchTemplate: template, setDefaultVersion: true, accountId: '123456789012' }],
        fastLaunchConfigurations: [{ launchTemplate: fastTemplate, maxParallelLaunches: 6, targetSnapshotCount: 5, accountId: '123456789012' }],
        licenseConfigurationArns: [LICENSE_ARN],
      }],
      containerDistributions: [{ repository: repo, containerTags: ['latest', 'stable'], description: 'Web container' }],
      tags: { Owner: 'platform' },
    });

    Template.fromStack(stack).hasResourceProperties(DIST, Match.objectEquals({
      Name: 'web-distribution',
      Description: 'Web server images',
      Tags: { Owner: 'platform' },
      Distributions: [{
        Region: 'us-east-1',
        AmiDistributionConfiguration: {
          Name: 'web-{{ imagebuilder:buildVersion }}-{{ imagebuilder:buildDate }}',
          Description: 'Web server',
          KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(amiKey), 'Arn'] },
          TargetAccountIds: ['111111111111'],
          LaunchPermissionConfiguration: {
            UserIds: ['222222222222'],
            OrganizationArns: [ORG_ARN],
            OrganizationalUnitArns: [OU_ARN],
          },
          AmiTags: { Team: 'web', Version: '{{imagebuilder:buildVersion}}' },
        },
        ContainerDistributionConfiguration: {
          Description: 'Web container',
          ContainerTags: ['latest', 'stable'],
          TargetRepository: { Service: 'ECR', RepositoryName: { Ref: logicalIdOf(repo) } },
        },
        SsmParameterConfigurations: [
          { ParameterName: '/images/web/latest', DataType: 'aws:ec2:image' },
          { ParameterName: 'web-ami', AmiAccountId: '111111111111', DataType: 'aws:ec2:image' },
        ],
        LaunchTemplateConfigurations: [{
          LaunchTemplateId: { Ref: logicalIdOf(template) },
          SetDefaultVersion: true,
          AccountId: '123456789012',
        }],
        FastLaunchConfigurations: [{
          Enabled: true,
          AccountId: '123456789012',
          MaxParallelLaunches: 6,
          SnapshotConfiguration: { TargetResourceCount: 5 },
          LaunchTemplate: { LaunchTemplateName: 'fast-launch', LaunchTemplateVersion: '$Default' },
        }],
        LicenseConfigurationArns: [LICENSE_ARN],
      }],
    }));
    expectValidAndNagClean();
  });

  test('an AMI distribution without settings goes to the stack region with an empty AMI configuration', () => {
    ami();
    expect(distProperties().Distributions).toEqual([{ Region: 'us-east-1', AmiDistributionConfiguration: {} }]);
    expectValidAndNagClean();
  });

  test('two regions, each with an SSM parameter', () => {
    const dist = newDist({
      amiDistributions: [
        { amiName: AMI_NAME, ssmParameters: [{ parameterName: '/images/web' }] },
        { region: 'eu-west-1', amiName: AMI_NAME, ssmParameters: [{ parameterName: '/images/web' }] },
      ],
    });
    expect(dist.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(distProperties().Distributions).toEqual(['us-east-1', 'eu-west-1'].map((region) => ({
      Region: region,
      AmiDistributionConfiguration: { Name: AMI_NAME },
      SsmParameterConfigurations: [{ ParameterName: '/images/web', DataType: 'aws:ec2:image' }],
    })));
    expectValidAndNagClean();
  });

  test('an SSM parameter of data type text; the others stay aws:ec2:image', () => {
    newDist({
      amiDistributions: [{
        amiName: AMI_NAME,
        ssmParameters: [{ parameterName: '/images/web/id', dataType: ssm.ParameterDataType.TEXT }, { parameterName: '/images/web/latest' }],
      }],
    });
    expect(distProperties().Distributions[0].SsmParameterConfigurations).toEqual([
      { ParameterName: '/images/web/id', DataType: 'text' },
      { ParameterName: '/images/web/latest', DataType: 'aws:ec2:image' },
    ]);
    expectValidAndNagClean();
  });

  test('a container distribution names its ECR repository', () => {
    const repo = ecr.Repository.fromRepositoryName(stack, 'Imported', 'web');
    newDist({ containerDistributions: [{ region: 'eu-west-1', repository: repo }] });
    expect(distProperties().Distributions).toEqual([{
      Region: 'eu-west-1',
      ContainerDistributionConfiguration: { TargetRepository: { Service: 'ECR', RepositoryName: 'web' } },
    }]);
    expectValidAndNagClean();
  });

  test('AMI and container settings of one region merge into one entry, also when added later', () => {
    const repo = repository();
    const dist = newDist({ containerDistributions: [{ repository: repo }] });
    dist.addAmiDistribution({ amiName: AMI_NAME });
    dist.addContainerDistribution({ region: 'eu-west-1', repository: ecr.Repository.fromRepositoryName(stack, 'Eu', 'web') });

    expect(dist.regions).toEqual(['us-east-1', 'eu-west-1']);
    const distributions = distProperties().Distributions;
    expect(distributions).toHaveLength(2);
    expect(distributions[0]).toEqual({
      Region: 'us-east-1',
      AmiDistributionConfiguration: { Name: AMI_NAME },
      ContainerDistributionConfiguration: { TargetRepository: { Service: 'ECR', RepositoryName: { Ref: logicalIdOf(repo) } } },
    });
    expect(distributions[1].Region).toBe('eu-west-1');
    expectValidAndNagClean();
  });

  test('fast launch is enabled by default and references a template with an ID by ID only', () => {
    const template = new ec2.LaunchTemplate(stack, 'Template', { requireImdsv2: true });
    ami({ fastLaunchConfigurations: [{ launchTemplate: template }] });
    expect(distProperties().Distributions[0].FastLaunchConfigurations).toEqual([{
      Enabled: true,
      LaunchTemplate: {
        LaunchTemplateId: { Ref: logicalIdOf(template) },
        LaunchTemplateVersion: { 'Fn::GetAtt': [logicalIdOf(template), 'LatestVersionNumber'] },
      },
    }]);
    expectValidAndNagClean();
  });

  test('fast launch can be turned off', () => {
    ami({ fastLaunchConfigurations: [{ enabled: false }] });
    expect(distProperties().Distributions[0].FastLaunchConfigurations).toEqual([{ Enabled: false }]);
    expectValidAndNagClean();
  });

  test('an env-agnostic stack distributes to its own region', () => {
    const agnostic = new Stack(app, 'Agnostic');
    new DistributionConfiguration(agnostic, 'Dist', { amiDistributions: [{ amiName: AMI_NAME }] });
    Template.fromStack(agnostic).hasResourceProperties(DIST, {
      Distributions: [{ Region: { Ref: 'AWS::Region' }, AmiDistributionConfiguration: { Name: AMI_NAME } }],
    });
    expectValidTemplate(agnostic);
    expectNoNagErrors(agnostic);
  });

  test('a resource of an env-agnostic stack may go to any region: its own region is unknown', () => {
    const agnostic = new Stack(app, 'Agnostic');
    const amiKey = key('Key', agnostic);
    new DistributionConfiguration(agnostic, 'Dist', { amiDistributions: [{ region: 'eu-west-1', amiName: AMI_NAME, amiKmsKey: amiKey }] });
    Template.fromStack(agnostic).hasResourceProperties(DIST, {
      Distributions: [{ Region: 'eu-west-1', AmiDistributionConfiguration: { KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(amiKey), 'Arn'] } } }],
    });
    expectValidTemplate(agnostic);
    expectNoNagErrors(agnostic);
  });

  test('values known only at deployment are not checked', () => {
    const name = new CfnParameter(stack, 'AmiName').valueAsString;
    const parameter = new CfnParameter(stack, 'ParameterName').valueAsString;
    ami({ amiName: name, ssmParameters: [{ parameterName: parameter }] });
    Template.fromStack(stack).hasResourceProperties(DIST, {
      Distributions: [{ AmiDistributionConfiguration: { Name: { Ref: 'AmiName' } } }],
    });
    expectValidAndNagClean();
  });

  test('an empty amiTags map is left out', () => {
    ami({ amiName: AMI_NAME, amiTags: {} });
    expect(distProperties().Distributions[0].AmiDistributionConfiguration).toEqual({ Name: AMI_NAME });
    expectValidAndNagClean();
  });

  test('a single AMI tag is still rendered', () => {
    ami({ amiTags: { Team: 'web' } });
    expect(distProperties().Distributions[0].AmiDistributionConfiguration).toEqual({ AmiTags: { Team: 'web' } });
    expectValidAndNagClean();
  });

  test('the generated name is a valid Image Builder name', () => {
    ami();
    expect(distProperties().Name).toMatch(/^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/);
    expectValidAndNagClean();
  });
});

describe('warnings and key policies', () => {
  test('a public AMI is rendered as launch group all, with a warning', () => {
    ami({ launchPermissionPublic: true });
    expect(distProperties().Distributions[0].AmiDistributionConfiguration).toEqual({
      LaunchPermissionConfiguration: { UserGroups: ['all'] },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Dist', Match.stringLikeRegexp('region us-east-1 is public'));
    expectValidAndNagClean();
  });

  test('a private AMI gives no warning', () => {
    ami({ launchPermissionAccountIds: ['222222222222'] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expectValidAndNagClean();
  });

  test('a key created in this app lets the target accounts copy the AMI, without a warning', () => {
    ami({ amiKmsKey: key(), targetAccountIds: ['111111111111', '222222222222'] });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Principal: {
            AWS: ['111111111111', '222222222222'].map((account) => ({
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]],
            })),
          },
          Action: CROSS_ACCOUNT_KEY_ACTIONS,
          Resource: '*',
        }]),
      },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expectValidAndNagClean();
  });

  test('a key created in this app lets the accounts, organizations and units with launch permissions launch the AMI, without a warning', () => {
    const org = 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5';
    const unit = 'arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111';
    ami({
      amiKmsKey: key(),
      targetAccountIds: ['111111111111'],
      launchPermissionAccountIds: ['111111111111', '222222222222'],
      launchPermissionOrganizationArns: [org],
      launchPermissionOrganizationalUnitArns: [unit],
    });
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    const root = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });
    expect(resource.Properties.KeyPolicy.Statement.slice(1)).toEqual([
      { Effect: 'Allow', Principal: { AWS: [root('111111111111'), root('222222222222')] }, Action: CROSS_ACCOUNT_KEY_ACTIONS, Resource: '*' },
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: CROSS_ACCOUNT_KEY_ACTIONS,
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      },
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: CROSS_ACCOUNT_KEY_ACTIONS,
        Resource: '*',
        Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*/ou-ab12-11111111/*'] } },
      },
    ]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expectValidAndNagClean();
  });

  test('an imported key with launch permissions for an organization gets a warning that names it', () => {
    const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    ami({ amiKmsKey: imported, launchPermissionOrganizationArns: ['arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5'] });
    Annotations.fromStack(stack).hasWarning('/Stack/Dist', Match.stringLikeRegexp(
      '^amiKmsKey of region us-east-1 .*key/1234abcd.* was not created in this app, so its key policy is left as it is: ' +
      'the accounts, organizations and units of the launch permissions launch it with the key, so add statements that allow ' +
      'kms:Encrypt, kms:Decrypt, kms:ReEncrypt\\*, kms:GenerateDataKey\\*, kms:DescribeKey, kms:CreateGrant, kms:ListGrants, kms:RevokeGrant ' +
      "to every principal \\('\\*'\\) on the condition aws:PrincipalOrgID for the organizations " +
      "'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5' to its policy, or the distribution fails or the AMI cannot be launched there"));
  });

  test('the warning for a key and accounts known only at deployment shows no token', () => {
    const imported = kms.Key.fromKeyArn(stack, 'Imported', new CfnParameter(stack, 'KeyArn').valueAsString);
    ami({ amiKmsKey: imported, targetAccountIds: [new CfnParameter(stack, 'Account').valueAsString] });
    const [warning] = Annotations.fromStack(stack).findWarning('/Stack/Dist', Match.anyValue()).map((w) => w.entry.data as string);
    expect(warning).toMatch(/^amiKmsKey of region us-east-1 \(Stack\/Imported\) was not created in this app, so its key policy is left as it is: /);
    expect(warning).toContain('"Principal":{"AWS":["(known only at deployment)"]}');
    expect(warning).not.toContain('${Token');
  });

  test('a key without target accounts keeps its policy', () => {
    const amiKey = key();
    ami({ amiKmsKey: amiKey });
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(resource.Properties.KeyPolicy.Statement).toHaveLength(1);
    expectValidAndNagClean();
  });

  test('an imported key gets a warning with the statement to add', () => {
    const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    ami({ amiKmsKey: imported, targetAccountIds: ['111111111111'] });
    Annotations.fromStack(stack).hasWarning('/Stack/Dist', Match.stringLikeRegexp(
      'amiKmsKey of region us-east-1 .*key/1234abcd.* was not created in this app.*' +
      '"Principal":\\{"AWS":\\["111111111111"\\]\\},"Action":\\["kms:Encrypt","kms:Decrypt","kms:ReEncrypt\\*","kms:GenerateDataKey\\*",' +
      '"kms:DescribeKey","kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"\\]'));
    expectValidAndNagClean();
  });
});

describe('validation', () => {
  test('fails without any distribution', () => {
    newDist({});
    expect(() => Template.fromStack(stack)).toThrow(/a distribution configuration needs at least one distribution, got none/);
  });

  test('fails on an invalid name', () => {
    expect(() => newDist({ distributionConfigurationName: 'a!', amiDistributions: [{}] }))
      .toThrow(/distributionConfigurationName must be 3 to 128 characters .*, got 'a!'/);
  });

  test('fails on a description that is too long', () => {
    expect(() => newDist({ description: 'x'.repeat(1025), amiDistributions: [{}] })).toThrow(/description must be 1 to 1024 characters, got 1025/);
  });

  test('fails on a tag key with characters Image Builder refuses', () => {
    expect(() => newDist({ tags: { 'team#1': 'x' }, amiDistributions: [{}] })).toThrow("tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
  });

  test('fails on an invalid region', () => {
    expect(() => ami({ region: 'Europe' })).toThrow(/amiDistributions region must be a region code .*, got 'Europe'/);
  });

  test('fails on two AMI distributions for one region', () => {
    expect(() => newDist({ amiDistributions: [{}, { region: 'us-east-1' }] }))
      .toThrow(/amiDistributions must name each region once, got a second AMI distribution for region 'us-east-1'/);
  });

  test('fails on two container distributions for one region', () => {
    const dist = newDist({ containerDistributions: [{ region: 'eu-west-1', repository: ecr.Repository.fromRepositoryName(stack, 'A', 'a') }] });
    expect(() => dist.addContainerDistribution({ region: 'eu-west-1', repository: ecr.Repository.fromRepositoryName(stack, 'B', 'b') }))
      .toThrow(/containerDistributions must name each region once, got a second container distribution for region 'eu-west-1'/);
  });

  describe('amiName', () => {
    test('fails on a variable Image Builder does not replace', () => {
      expect(() => ami({ amiName: 'web-{{ imagebuilder:buildDate }}-{{ imagebuilder:recipe }}' }))
        .toThrow(/amiName may only use the variables \{\{ imagebuilder:buildDate \}\} and \{\{ imagebuilder:buildVersion \}\}, got '\{\{ imagebuilder:recipe \}\}'/);
    });

    test('fails on more than 127 characters', () => {
      expect(() => ami({ amiName: `${'a'.repeat(99)}-{{ imagebuilder:buildDate }}` }))
        .toThrow(/amiName must be at most 127 characters, variables included, got 128/);
    });

    test('fails on characters outside the pattern', () => {
      expect(() => ami({ amiName: 'web/{{ imagebuilder:buildDate }}' }))
        .toThrow(/amiName must be letters, numbers, hyphens, underscores, spaces, colons, periods and \{\{ \}\} variables.*got 'web\//);
    });

    test('fails on white space other than ASCII, which the service\'s pattern does not take', () => {
      expect(() => ami({ amiName: 'web\u00a0{{ imagebuilder:buildDate }}' }))
        .toThrow(/amiName must be letters, numbers, hyphens, underscores, spaces, colons, periods and \{\{ \}\} variables/);
      expect(() => newDist({ amiDistributions: [{ amiName: 'web\t{{ imagebuilder:buildDate }}' }] }, 'Tab')).not.toThrow();
    });

    test('fails without the build date', () => {
      expect(() => ami({ amiName: 'web-{{ imagebuilder:buildVersion }}' }))
        .toThrow(/amiName must contain \{\{ imagebuilder:buildDate \}\} so that each build's AMI gets a new name/);
    });

    test('accepts variables without spaces inside the braces', () => {
      ami({ amiName: 'web-{{imagebuilder:buildDate}}' });
      expect(distProperties().Distributions).toEqual([{ Region: 'us-east-1', AmiDistributionConfiguration: { Name: 'web-{{imagebuilder:buildDate}}' } }]);
      expectValidAndNagClean();
    });
  });

  test('fails on an AMI description that is too long', () => {
    expect(() => ami({ amiDescription: '' })).toThrow(/amiDistributions\[us-east-1\]\.amiDescription must be 1 to 1024 characters, got 0/);
  });

  test('fails on an empty list of target accounts', () => {
    expect(() => ami({ targetAccountIds: [] })).toThrow(/targetAccountIds must list at least one account when given, got none/);
  });

  test('fails on an invalid target account', () => {
    expect(() => ami({ targetAccountIds: ['1234'] })).toThrow(/targetAccountIds must be an AWS account ID of exactly 12 digits, .*got '1234'/);
  });

  test('fails on more than 1536 target accounts', () => {
    const accounts = Array.from({ length: 1537 }, (_, i) => String(100000000000 + i));
    expect(() => ami({ targetAccountIds: accounts })).toThrow(/targetAccountIds must list at most 1536 accounts, got 1537/);
  });

  test('fails on an invalid launch permission account', () => {
    expect(() => ami({ launchPermissionAccountIds: ['all'] })).toThrow(/launchPermissionAccountIds must be an AWS account ID .*got 'all'/);
  });

  test('fails on an invalid organization ARN', () => {
    expect(() => ami({ launchPermissionOrganizationArns: ['o-a1b2c3d4e5'] }))
      .toThrow(/launchPermissionOrganizationArns must be an organization ARN .*got 'o-a1b2c3d4e5'/);
  });

  test('fails on an invalid organizational unit ARN', () => {
    expect(() => ami({ launchPermissionOrganizationalUnitArns: [ORG_ARN] }))
      .toThrow(/launchPermissionOrganizationalUnitArns must be an organizational unit ARN .*got 'arn:aws:organizations/);
  });

  describe('launch permission list sizes', () => {
    test('fails on an empty list of organization ARNs', () => {
      expect(() => ami({ launchPermissionOrganizationArns: [] })).toThrow(
        /amiDistributions\[us-east-1\]\.launchPermissionOrganizationArns must list at least one organization ARN when given, got none; omit it instead/);
    });

    test('fails on an empty list of organizational unit ARNs', () => {
      expect(() => ami({ launchPermissionOrganizationalUnitArns: [] })).toThrow(
        /launchPermissionOrganizationalUnitArns must list at least one organizational unit ARN when given, got none; omit it instead/);
    });

    test('fails on an empty list of launch permission accounts', () => {
      expect(() => ami({ launchPermissionAccountIds: [] }))
        .toThrow(/launchPermissionAccountIds must list at least one account when given, got none; omit it instead/);
    });

    test('fails on more than 25 organization ARNs', () => {
      expect(() => ami({ launchPermissionOrganizationArns: organizationArns(26) }))
        .toThrow(/launchPermissionOrganizationArns must list at most 25 organization ARNs, got 26/);
    });

    test('fails on more than 25 organizational unit ARNs', () => {
      expect(() => ami({ launchPermissionOrganizationalUnitArns: organizationalUnitArns(26) }))
        .toThrow(/launchPermissionOrganizationalUnitArns must list at most 25 organizational unit ARNs, got 26/);
    });

    test('fails on more than 1536 launch permission accounts', () => {
      expect(() => ami({ launchPermissionAccountIds: accountIds(1537) }))
        .toThrow(/launchPermissionAccountIds must list at most 1536 accounts, got 1537/);
    });

    test('accepts 25 organization ARNs, 25 organizational unit ARNs and 1536 accounts', () => {
      ami({
        launchPermissionAccountIds: accountIds(1536),
        launchPermissionOrganizationArns: organizationArns(25),
        launchPermissionOrganizationalUnitArns: organizationalUnitArns(25),
      });
      const launchPermission = distProperties().Distributions[0].AmiDistributionConfiguration.LaunchPermissionConfiguration;
      expect(launchPermission.UserIds).toHaveLength(1536);
      expect(launchPermission.OrganizationArns).toHaveLength(25);
      expect(launchPermission.OrganizationalUnitArns).toHaveLength(25);
      expectValidAndNagClean();
    });
  });

  test('fails on more than 50 AMI tags', () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(() => ami({ amiTags: tags })).toThrow(/amiTags must have at most 50 tags, got 51/);
  });

  test('fails on an AMI tag key starting with aws:', () => {
    expect(() => ami({ amiTags: { 'aws:owner': 'me' } })).toThrow(/amiTags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:owner'/);
  });

  test('fails on an AMI tag value longer than 256 characters', () => {
    expect(() => ami({ amiTags: { Owner: 'x'.repeat(257) } })).toThrow(/amiTags values must be at most 256 characters, got 257 for 'Owner'/);
  });

  test('fails on a key created in another region than the distribution', () => {
    const other = new Stack(app, 'Other', { env: { account: ENV.account, region: 'eu-west-1' } });
    expect(() => ami({ amiKmsKey: key('Key', other) }))
      .toThrow(/amiKmsKey must be in region us-east-1, where the image is distributed, got Other\/Key of region eu-west-1/);
  });

  test('fails on a region of another partition, which Image Builder cannot distribute to', () => {
    expect(() => ami({ region: 'cn-north-1' }))
      .toThrow("amiDistributions region must be in the partition of the stack's region us-east-1, aws, got 'cn-north-1' of partition aws-cn");
    expect(() => new DistributionConfiguration(stack, 'Containers', { containerDistributions: [{ region: 'us-gov-west-1', repository: repository() }] }))
      .toThrow("containerDistributions region must be in the partition of the stack's region us-east-1, aws, got 'us-gov-west-1' of partition aws-us-gov");
  });

  test('fails on a key imported by the ARN of another region than the distribution, and takes one of its region', () => {
    expect(() => ami({ amiKmsKey: kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555') }))
      .toThrow("amiKmsKey must be in region us-east-1, where the image is distributed, got 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555' of region eu-west-1");
    const distribution = new DistributionConfiguration(stack, 'ByRegion', {
      amiDistributions: [{ region: 'eu-west-1', amiKmsKey: kms.Key.fromKeyArn(stack, 'EuKey', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555') }],
    });
    expect(distribution.regions).toEqual(['eu-west-1']);
  });

  test('fails on an alias imported in this stack for the distribution of another region, naming the alias without tokens', () => {
    const alias = kms.Alias.fromAliasName(stack, 'Alias', 'alias/images');
    expect(() => new DistributionConfiguration(stack, 'Other', { amiDistributions: [{ region: 'eu-west-1', amiKmsKey: alias }] }))
      .toThrow('amiDistributions[eu-west-1].amiKmsKey must be in region eu-west-1, where the image is distributed, got Stack/Alias, whose ARN ' +
        'names region us-east-1; import the key of eu-west-1 by its ARN there (a multi-Region key has one in each region)');
  });

  describe('ssmParameters', () => {
    test('fails on a name longer than 1011 characters', () => {
      expect(() => ami({ ssmParameters: [{ parameterName: 'a'.repeat(1012) }] }))
        .toThrow(/ssmParameters parameterName must be 1 to 1011 characters, got 1012/);
    });

    test('fails on a name that is too long once its ARN is counted', () => {
      // arn:aws:ssm:us-east-1:123456789012:parameter is 44 characters: 967 are left for the name.
      expect(() => ami({ ssmParameters: [{ parameterName: `/${'a'.repeat(967)}` }] })).toThrow(
        /ssmParameters parameterName must be at most 967 characters here: Systems Manager allows 1011 for the name with its ARN prefix 'arn:aws:ssm:us-east-1:123456789012:parameter' \(44 characters\), got 968/);
    });

    test('fails on a name without a leading slash that is too long once its ARN and the / before it are counted', () => {
      expect(() => ami({ ssmParameters: [{ parameterName: 'a'.repeat(967) }] })).toThrow(
        /ssmParameters parameterName must be at most 966 characters here: .*'arn:aws:ssm:us-east-1:123456789012:parameter\/' \(45 characters\), got 967/);
    });

    test('accepts names that fill exactly 1011 characters with their ARN', () => {
      ami({ ssmParameters: [{ parameterName: `/${'a'.repeat(966)}` }, { parameterName: 'b'.repeat(966) }] });
      expect(distProperties().Distributions[0].SsmParameterConfigurations.map((c: any) => c.ParameterName.length)).toEqual([967, 966]);
      expectValidAndNagClean();
    });

    test('counts the ARN in the partition of the region', () => {
      const china = new Stack(app, 'China', { env: { account: ENV.account, region: 'cn-north-1' } });
      // arn:aws-cn:ssm:cn-north-1:123456789012:parameter is 48 characters: 963 are left.
      new DistributionConfiguration(china, 'Fits', { amiDistributions: [{ ssmParameters: [{ parameterName: `/${'a'.repeat(962)}` }] }] });
      expect(() => new DistributionConfiguration(china, 'TooLong', {
        amiDistributions: [{ ssmParameters: [{ parameterName: `/${'a'.repeat(963)}` }] }],
      })).toThrow(/parameterName must be at most 963 characters here: .*'arn:aws-cn:ssm:cn-north-1:123456789012:parameter' \(48 characters\), got 964/);
    });

    test('checks the name alone when the region is not known at synth time', () => {
      const agnostic = new Stack(app, 'Agnostic');
      new DistributionConfiguration(agnostic, 'Dist', { amiDistributions: [{ ssmParameters: [{ parameterName: 'a'.repeat(1011) }] }] });
      Template.fromStack(agnostic).hasResourceProperties(DIST, {
        Distributions: [{ SsmParameterConfigurations: [{ ParameterName: 'a'.repeat(1011) }] }],
      });
      expectValidTemplate(agnostic);
      expect(() => new DistributionConfiguration(agnostic, 'TooLong', { amiDistributions: [{ ssmParameters: [{ parameterName: 'a'.repeat(1012) }] }] }))
        .toThrow(/ssmParameters parameterName must be 1 to 1011 characters, got 1012/);
    });

    test('fails on characters Parameter Store does not allow', () => {
      expect(() => ami({ ssmParameters: [{ parameterName: '/images/web ami' }] }))
        .toThrow(/ssmParameters parameterName must be letters, numbers and _.-\/ only, got '\/images\/web ami'/);
    });

    test('fails on the reserved prefixes aws and ssm', () => {
      expect(() => ami({ ssmParameters: [{ parameterName: '/AWS/images' }] }))
        .toThrow(/ssmParameters parameterName must not start with 'aws' or 'ssm' \(in any case\), which are reserved, got '\/AWS\/images'/);
    });

    test('fails on a hierarchy without a leading slash', () => {
      expect(() => ami({ ssmParameters: [{ parameterName: 'images/web' }] }))
        .toThrow(/ssmParameters parameterName in a hierarchy must start with '\/', got 'images\/web'; use '\/images\/web'/);
    });

    test('fails on more than 15 hierarchy levels', () => {
      const name = '/a'.repeat(16);
      expect(() => ami({ ssmParameters: [{ parameterName: name }] })).toThrow(/ssmParameters parameterName must have at most 15 hierarchy levels, got 16/);
    });

    test('fails on an invalid account', () => {
      expect(() => ami({ ssmParameters: [{ parameterName: 'web', accountId: '12' }] }))
        .toThrow(/ssmParameters accountId must be an AWS account ID .*got '12'/);
    });

    test('fails on an account that is not a target account', () => {
      expect(() => ami({ targetAccountIds: ['111111111111'], ssmParameters: [{ parameterName: 'web', accountId: '222222222222' }] }))
        .toThrow(/ssmParameters accountId must be one of the distribution's targetAccountIds.*got '222222222222' with targetAccountIds \[111111111111\]/);
    });

    test('takes an account when a target account is known only at deployment', () => {
      const target = new CfnParameter(stack, 'Target').valueAsString;
      ami({ targetAccountIds: [target], ssmParameters: [{ parameterName: 'web', accountId: '222222222222' }] });
      expect(distProperties().Distributions[0].SsmParameterConfigurations).toEqual([
        { ParameterName: 'web', AmiAccountId: '222222222222', DataType: 'aws:ec2:image' },
      ]);
      expectValidAndNagClean();
    });
  });

  describe('launchTemplates', () => {
    test('fails on a template imported by name', () => {
      const template = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Template', { launchTemplateName: 'web' });
      expect(() => ami({ launchTemplates: [{ launchTemplate: template }] }))
        .toThrow(/launchTemplates must reference launch templates by ID, got Stack\/Template without a launchTemplateId/);
    });

    test('fails on a template created in another region', () => {
      const other = new Stack(app, 'Other', { env: { account: ENV.account, region: 'eu-west-1' } });
      const template = new ec2.LaunchTemplate(other, 'Template', { requireImdsv2: true });
      expect(() => ami({ launchTemplates: [{ launchTemplate: template }] }))
        .toThrow(/launchTemplates.launchTemplate must be in region us-east-1, .*got Other\/Template of region eu-west-1/);
    });

    test('fails on a launch template ID that is not lt- and 17 characters', () => {
      const template = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Template', { launchTemplateId: 'lt-0123456789abcdef' });
      expect(() => ami({ launchTemplates: [{ launchTemplate: template }] })).toThrow(
        /amiDistributions\[us-east-1\]\.launchTemplates\.launchTemplate must have a launch template ID of lt- and 17 lowercase letters, digits, hyphens or underscores, like lt-0123456789abcdef0, got 'lt-0123456789abcdef'/);
    });

    test('fails on a launch template ID with capital letters', () => {
      const template = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Template', { launchTemplateId: 'lt-0123456789ABCDEF0' });
      expect(() => ami({ launchTemplates: [{ launchTemplate: template }] })).toThrow(/launchTemplates\.launchTemplate must have a launch template ID .*got 'lt-0123456789ABCDEF0'/);
    });

    test('fails on more than 100 launch templates', () => {
      const templates = Array.from({ length: 101 }, (_, i) => ({
        launchTemplate: ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, `Template${i}`, { launchTemplateId: `lt-${String(i).padStart(17, '0')}` }),
      }));
      expect(() => ami({ launchTemplates: templates })).toThrow(/amiDistributions\[us-east-1\]\.launchTemplates must list at most 100 launch templates, got 101/);
    });

    test('accepts 100 launch templates, with hyphens and underscores in their IDs', () => {
      const templates = Array.from({ length: 100 }, (_, i) => ({
        launchTemplate: ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, `Template${i}`, { launchTemplateId: `lt-${String(i).padStart(15, '0')}-_` }),
      }));
      ami({ launchTemplates: templates });
      const configurations = distProperties().Distributions[0].LaunchTemplateConfigurations;
      expect(configurations).toHaveLength(100);
      expect(configurations[99]).toEqual({ LaunchTemplateId: 'lt-000000000000099-_' });
      expectValidAndNagClean();
    });

    test('fails on a template of the build account for another account', () => {
      const template = new ec2.LaunchTemplate(stack, 'Template', { requireImdsv2: true });
      expect(() => ami({ targetAccountIds: ['111111111111'], launchTemplates: [{ launchTemplate: template, accountId: '111111111111' }] }))
        .toThrow(/amiDistributions\[us-east-1\]\.launchTemplates\.launchTemplate must be in account 111111111111, the accountId of its entry, got Stack\/Template of account 123456789012/);
    });

    test('fails on a template created in another account for the build account', () => {
      const other = new Stack(app, 'Other', { env: { account: '111111111111', region: ENV.region } });
      const template = new ec2.LaunchTemplate(other, 'Template', { requireImdsv2: true });
      expect(() => ami({ launchTemplates: [{ launchTemplate: template }] }))
        .toThrow(/launchTemplates\.launchTemplate must be in account 123456789012, the account that runs the build, got Other\/Template of account 111111111111/);
    });

    test('takes a template created in the account of its entry', () => {
      const other = new Stack(app, 'Other', { env: { account: '111111111111', region: ENV.region } });
      const template = new ec2.LaunchTemplate(other, 'Template', { requireImdsv2: true });
      const mine = new ec2.LaunchTemplate(stack, 'Mine', { requireImdsv2: true });
      ami({ targetAccountIds: ['111111111111'], launchTemplates: [{ launchTemplate: template, accountId: '111111111111' }, { launchTemplate: mine }] });
      const [theirs, ours] = distProperties().Distributions[0].LaunchTemplateConfigurations;
      expect(theirs.AccountId).toBe('111111111111');
      expect(ours).toEqual({ LaunchTemplateId: { Ref: logicalIdOf(mine) } });
    });

    test('takes a template of a stack whose account is known only at deployment', () => {
      const agnostic = new Stack(app, 'Agnostic', { env: { region: ENV.region } });
      const template = new ec2.LaunchTemplate(agnostic, 'Template', { requireImdsv2: true });
      ami({ targetAccountIds: ['111111111111'], launchTemplates: [{ launchTemplate: template, accountId: '111111111111' }] });
      expect(distProperties().Distributions[0].LaunchTemplateConfigurations[0].AccountId).toBe('111111111111');
    });

    test('fails on an invalid account', () => {
      const template = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Template', { launchTemplateId: 'lt-0123456789abcdef0' });
      expect(() => ami({ launchTemplates: [{ launchTemplate: template, accountId: 'me' }] }))
        .toThrow(/launchTemplates.accountId must be an AWS account ID .*got 'me'/);
    });
  });

  describe('fastLaunchConfigurations', () => {
    const prop = 'amiDistributions\\[us-east-1\\]\\.fastLaunchConfigurations';

    test('fails on fewer than 6 parallel launches', () => {
      expect(() => ami({ fastLaunchConfigurations: [{ maxParallelLaunches: 5 }] }))
        .toThrow(new RegExp(`${prop}\\[0\\]\\.maxParallelLaunches must be a whole number of at least 6, got 5`));
    });

    test('fails on a target snapshot count below 1', () => {
      expect(() => ami({ fastLaunchConfigurations: [{ targetSnapshotCount: 0 }] }))
        .toThrow(/fastLaunchConfigurations\[0\]\.targetSnapshotCount must be a whole number from 1 to 10000, got 0/);
    });

    test('fails on a target snapshot count above 10000', () => {
      expect(() => ami({ fastLaunchConfigurations: [{ targetSnapshotCount: 10001 }] }))
        .toThrow(/fastLaunchConfigurations\[0\]\.targetSnapshotCount must be a whole number from 1 to 10000, got 10001/);
    });

    test('accepts a target snapshot count of 10000', () => {
      ami({ fastLaunchConfigurations: [{ targetSnapshotCount: 10000 }] });
      expect(distProperties().Distributions[0].FastLaunchConfigurations)
        .toEqual([{ Enabled: true, SnapshotConfiguration: { TargetResourceCount: 10000 } }]);
      expectValidAndNagClean();
    });

    test('fails on a launch template ID that is not lt- and 17 characters', () => {
      const template = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Template', { launchTemplateId: 'lt-1' });
      expect(() => ami({ fastLaunchConfigurations: [{ launchTemplate: template }] }))
        .toThrow(/fastLaunchConfigurations\[0\]\.launchTemplate must have a launch template ID of lt- and 17 lowercase letters, digits, hyphens or underscores, .*got 'lt-1'/);
    });

    test('accepts an imported launch template whose ID has the API form', () => {
      const template = ec2.LaunchTemplate.fromLaunchTemplateAttributes(stack, 'Template', { launchTemplateId: 'lt-0123456789abcdef0' });
      ami({ fastLaunchConfigurations: [{ launchTemplate: template }] });
      expect(distProperties().Distributions[0].FastLaunchConfigurations[0].LaunchTemplate.LaunchTemplateId).toBe('lt-0123456789abcdef0');
      expectValidAndNagClean();
    });

    test('fails on an invalid account', () => {
      expect(() => ami({ fastLaunchConfigurations: [{ accountId: 'x' }] }))
        .toThrow(/fastLaunchConfigurations\[0\]\.accountId must be an AWS account ID .*got 'x'/);
    });

    test('fails on a launch template created in another region', () => {
      const other = new Stack(app, 'Other', { env: { account: ENV.account, region: 'eu-west-1' } });
      const template = new ec2.LaunchTemplate(other, 'Template', { requireImdsv2: true });
      expect(() => ami({ fastLaunchConfigurations: [{ launchTemplate: template }] }))
        .toThrow(/fastLaunchConfigurations\[0\]\.launchTemplate must be in region us-east-1, .*got Other\/Template of region eu-west-1/);
    });

    test('fails on a launch template of the build account for a target account', () => {
      const template = new ec2.LaunchTemplate(stack, 'Template', { requireImdsv2: true });
      expect(() => ami({ targetAccountIds: ['111111111111'], fastLaunchConfigurations: [{ launchTemplate: template, accountId: '111111111111' }] }))
        .toThrow(new RegExp(`${prop}\\[0\\]\\.launchTemplate must be in account 111111111111, the accountId of its entry, got Stack/Template of account 123456789012`));
    });

    test('fails on a launch template created in another account for the build account', () => {
      const other = new Stack(app, 'Other', { env: { account: '111111111111', region: ENV.region } });
      const template = new ec2.LaunchTemplate(other, 'Template', { requireImdsv2: true });
      expect(() => ami({ fastLaunchConfigurations: [{ launchTemplate: template }] }))
        .toThrow(/fastLaunchConfigurations\[0\]\.launchTemplate must be in account 123456789012, the account that runs the build, got Other\/Template of account 111111111111/);
    });

    test('sets Fast Launch for the build account and each target account, one entry each', () => {
      ami({
        targetAccountIds: ['111111111111', '222222222222'],
        fastLaunchConfigurations: [
          { maxParallelLaunches: 6 },
          { accountId: '111111111111', targetSnapshotCount: 3 },
          { accountId: '222222222222', enabled: false },
        ],
      });
      expect(distProperties().Distributions[0].FastLaunchConfigurations).toEqual([
        { Enabled: true, MaxParallelLaunches: 6 },
        { Enabled: true, AccountId: '111111111111', SnapshotConfiguration: { TargetResourceCount: 3 } },
        { Enabled: false, AccountId: '222222222222' },
      ]);
      expectValidAndNagClean();
    });

    test('fails on an empty list', () => {
      expect(() => ami({ fastLaunchConfigurations: [] }))
        .toThrow(/fastLaunchConfigurations must list at least one Fast Launch configuration when given, got none; omit it instead/);
    });

    test('fails on more than 1000 entries', () => {
      const accounts = Array.from({ length: 1001 }, (_, i) => String(100000000000 + i));
      expect(() => ami({ targetAccountIds: accounts, fastLaunchConfigurations: accounts.map((accountId) => ({ accountId })) }))
        .toThrow(/fastLaunchConfigurations must list at most 1000 Fast Launch configurations, got 1001/);
    });

    test('fails on two entries for the build account, one of them without accountId', () => {
      expect(() => ami({ fastLaunchConfigurations: [{}, { accountId: ENV.account }] }))
        .toThrow(/fastLaunchConfigurations must have one entry per account, got two for account 123456789012/);
    });

    test('fails on two entries without accountId in a stack of unknown account', () => {
      const agnostic = new Stack(app, 'Agnostic');
      expect(() => new DistributionConfiguration(agnostic, 'Dist', {
        amiDistributions: [{ region: 'us-east-1', fastLaunchConfigurations: [{}, { maxParallelLaunches: 6 }] }],
      })).toThrow(/fastLaunchConfigurations must have one entry per account, got two for the account that runs the build/);
    });

    test('fails on an account that owns no copy of the AMI', () => {
      expect(() => ami({ targetAccountIds: ['111111111111'], fastLaunchConfigurations: [{ accountId: '333333333333' }] }))
        .toThrow(/fastLaunchConfigurations\[0\]\.accountId must be the account that runs the build \(123456789012\) or one of the distribution's targetAccountIds, which own copies of the AMI, got '333333333333' with targetAccountIds \[111111111111\]/);
    });

    test('takes an account among targetAccountIds known only at deployment', () => {
      const target = new CfnParameter(stack, 'Target').valueAsString;
      ami({ targetAccountIds: [target], fastLaunchConfigurations: [{}, { accountId: '111111111111' }] });
      expect(distProperties().Distributions[0].FastLaunchConfigurations).toEqual([{ Enabled: true }, { Enabled: true, AccountId: '111111111111' }]);
      expectValidAndNagClean();
    });

    test('takes an account known only at deployment', () => {
      const account = new CfnParameter(stack, 'Account').valueAsString;
      ami({ fastLaunchConfigurations: [{ accountId: account }] });
      expect(distProperties().Distributions[0].FastLaunchConfigurations).toEqual([{ Enabled: true, AccountId: { Ref: 'Account' } }]);
      expectValidAndNagClean();
    });
  });

  describe('licenseConfigurationArns', () => {
    test('fails on an invalid license configuration ARN', () => {
      expect(() => ami({ licenseConfigurationArns: ['lic-0123'] }))
        .toThrow(/licenseConfigurationArns must be License Manager license configuration ARNs like .*got 'lic-0123'/);
    });

    test('fails on a license configuration ID shorter than 32 characters', () => {
      const arn = 'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-abc';
      expect(() => ami({ licenseConfigurationArns: [arn] })).toThrow(
        /licenseConfigurationArns must be License Manager license configuration ARNs like .*ending in lic- and 32 lowercase letters, digits, hyphens or underscores, got 'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-abc'/);
    });

    test('fails on an empty list', () => {
      expect(() => ami({ licenseConfigurationArns: [] }))
        .toThrow(/licenseConfigurationArns must list at least one license configuration ARN when given, got none; omit it instead/);
    });

    test('fails on more than 50', () => {
      expect(() => ami({ licenseConfigurationArns: licenseArns(51) }))
        .toThrow(/licenseConfigurationArns must list at most 50 license configuration ARNs, got 51/);
    });

    test('accepts 50, with - and _ in their IDs and in any partition', () => {
      const arns = [...licenseArns(49), 'arn:aws-cn:license-manager:cn-north-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef'];
      ami({ licenseConfigurationArns: arns });
      expect(distProperties().Distributions[0].LicenseConfigurationArns).toEqual(arns);
      expect(arns[0]).toMatch(/:lic-[0-9]{30}-_$/);
      expectValidAndNagClean();
    });
  });

  describe('in a stack without a fixed region', () => {
    let agnostic: Stack;
    beforeEach(() => {
      agnostic = new Stack(app, 'Agnostic');
    });

    test('messages name the stack\'s region instead of a token', () => {
      const message = errorMessage(() => new DistributionConfiguration(agnostic, 'Dist', { amiDistributions: [{ amiName: 'web' }] }));
      expect(message).toMatch(/^amiDistributions\[the stack's region\]\.amiName must contain \{\{ imagebuilder:buildDate \}\}/);
      expect(message).not.toMatch(/\$\{Token/);
    });

    test('a second AMI distribution for the stack\'s region names it without a token', () => {
      const message = errorMessage(() => new DistributionConfiguration(agnostic, 'Dist', { amiDistributions: [{}, {}] }));
      expect(message).toMatch(/got a second AMI distribution for the stack's region; put all AMI settings/);
      expect(message).not.toMatch(/\$\{Token/);
    });

    test('container messages name the stack\'s region instead of a token', () => {
      const repo = ecr.Repository.fromRepositoryName(agnostic, 'Repo', 'web');
      const message = errorMessage(() => new DistributionConfiguration(agnostic, 'Dist', { containerDistributions: [{ repository: repo, description: '' }] }));
      expect(message).toMatch(/^containerDistributions\[the stack's region\]\.description must be 1 to 1024 characters, got 0/);
      expect(message).not.toMatch(/\$\{Token/);
    });

    test('warnings name the stack\'s region instead of a token', () => {
      new DistributionConfiguration(agnostic, 'Dist', { amiDistributions: [{ launchPermissionPublic: true }] });
      const warnings = Annotations.fromStack(agnostic).findWarning('/Agnostic/Dist', Match.anyValue());
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings[0].entry.data)).toMatch(/the AMI distributed to the stack's region is public/);
      expect(JSON.stringify(warnings[0].entry.data)).not.toMatch(/\$\{Token/);
    });
  });

  test('messages name a region given as a deployment-time value without a token', () => {
    const region = new CfnParameter(stack, 'Region').valueAsString;
    const message = errorMessage(() => ami({ region, amiName: 'web' }));
    expect(message).toMatch(/^amiDistributions\[a region known only at deployment\]\.amiName must contain/);
    expect(message).not.toMatch(/\$\{Token/);
  });

  describe('containerDistributions', () => {
    function container(distribution: Partial<ContainerDistribution>): void {
      newDist({ containerDistributions: [{ repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'web'), ...distribution }] });
    }

    test('fails on a description that is too long', () => {
      expect(() => container({ description: 'x'.repeat(1025) }))
        .toThrow(/containerDistributions\[us-east-1\]\.description must be 1 to 1024 characters, got 1025/);
    });

    test('fails on an empty tag', () => {
      expect(() => container({ containerTags: ['latest', ''] }))
        .toThrow("containerDistributions[us-east-1].containerTags must be 1 to 300 characters each, the longest tag ECR takes, got ''");
    });

    test('takes a tag of the 300 characters ECR takes', () => {
      expect(() => container({ containerTags: ['x'.repeat(300)] })).not.toThrow();
    });

    test.each([
      ['a tag longer than ECR takes', ['latest', 'x'.repeat(301)],
        'containerDistributions[us-east-1].containerTags must be 1 to 300 characters each, the longest tag ECR takes, got a tag of 301 characters'],
      ['a tag with a variable longer than Image Builder takes', [`${'x'.repeat(1000)}-{{imagebuilder:buildVersion}}`],
        'containerDistributions[us-east-1].containerTags must be 1 to 1024 characters each, got a tag of 1030 characters'],
    ])('fails on %s', (_, containerTags, message) => {
      expect(() => container({ containerTags })).toThrow(message);
    });

    test('warns about a fixed tag on a repository of the app with immutable tags, which takes each tag once', () => {
      const immutable = new ecr.Repository(stack, 'Immutable', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
      container({ repository: immutable, containerTags: ['latest', '{{ imagebuilder:buildVersion }}'] });

      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => [w.id, w.entry.data])).toEqual([[
        '/Stack/Dist',
        "containerDistributions[us-east-1].containerTags 'latest' would go to the image of every build, but repository Stack/Immutable " +
        'keeps them immutable: ECR refuses a tag it already holds, so every build after the first would fail to distribute; give a ' +
        'repository whose tags (or exclusion filters) let them move, or leave the fixed tags out [ack: cdk-imagebuilder:immutableContainerTag]',
      ]]);
    });

    test.each([
      ['IMMUTABLE_WITH_EXCLUSION, a filter that does not match', ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, 'release-*', true],
      ['IMMUTABLE_WITH_EXCLUSION, a filter that matches', ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, 'lat*', false],
      ['MUTABLE_WITH_EXCLUSION, a filter that matches', ecr.TagMutability.MUTABLE_WITH_EXCLUSION, 'latest', true],
      ['MUTABLE_WITH_EXCLUSION, a filter that does not match', ecr.TagMutability.MUTABLE_WITH_EXCLUSION, 'v*', false],
    ])('with %s, warns as ECR keeps the tag immutable or not', (_, imageTagMutability, filter, warns) => {
      const filtered = new ecr.Repository(stack, 'Filtered', {
        imageTagMutability, imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard(filter)],
      });
      container({ repository: filtered, containerTags: ['latest'] });

      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keeps them immutable'))).toHaveLength(warns ? 1 : 0);
    });

    test('takes fixed tags on a repository with mutable tags, and on an imported one whose setting is not known', () => {
      container({ repository: repository('Mutable'), containerTags: ['latest'] });
      new DistributionConfiguration(stack, 'Imported', {
        containerDistributions: [{ repository: ecr.Repository.fromRepositoryName(stack, 'ImportedRepo', 'web'), containerTags: ['latest'] }],
      });

      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });

    test('fails on a repository created in another region', () => {
      const other = new Stack(app, 'Other', { env: { account: ENV.account, region: 'eu-west-1' } });
      expect(() => container({ repository: repository('Repo', other) }))
        .toThrow(/repository must be in region us-east-1, .*got Other\/Repo of region eu-west-1/);
    });

    test('fails on an invalid region', () => {
      expect(() => container({ region: 'mars-1' })).toThrow(/containerDistributions region must be a region code .*got 'mars-1'/);
    });
  });
});

describe('imports and grants', () => {
  test('a created configuration gives its ARN and name from its attributes', () => {
    const dist = ami();
    expect(stack.resolve(dist.distributionConfigurationArn)).toEqual({ 'Fn::GetAtt': [logicalIdOf(dist), 'Arn'] });
    expect(stack.resolve(dist.distributionConfigurationName)).toEqual({ 'Fn::GetAtt': [logicalIdOf(dist), 'Name'] });
  });

  test('fromDistributionConfigurationArn takes the name from the ARN', () => {
    const imported = DistributionConfiguration.fromDistributionConfigurationArn(stack, 'Imported', ARN);
    expect(imported.distributionConfigurationArn).toBe(ARN);
    expect(imported.distributionConfigurationName).toBe('shared-dist');
    expect(DistributionConfiguration.isDistributionConfiguration(imported)).toBe(false);
  });

  test('fromDistributionConfigurationName builds the ARN with the name as Image Builder writes it', () => {
    const imported = DistributionConfiguration.fromDistributionConfigurationName(stack, 'Imported', 'Shared Dist');
    expect(imported.distributionConfigurationName).toBe('Shared Dist');
    expect(stack.resolve(imported.distributionConfigurationArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:distribution-configuration/shared-dist']],
    });
  });

  test('fromDistributionConfigurationAttributes keeps a name that matches the ARN', () => {
    const imported = DistributionConfiguration.fromDistributionConfigurationAttributes(stack, 'Imported', {
      distributionConfigurationArn: ARN, distributionConfigurationName: 'Shared_Dist',
    });
    expect(imported.distributionConfigurationName).toBe('Shared_Dist');
  });

  test('an ARN known only at deployment gives its name through Fn::Split', () => {
    const arn = new CfnParameter(stack, 'Arn').valueAsString;
    const imported = DistributionConfiguration.fromDistributionConfigurationArn(stack, 'Imported', arn);
    // arn:<partition>:imagebuilder:<region>:<account>:distribution-configuration/<name>: the name follows the '/' of the resource.
    expect(stack.resolve(imported.distributionConfigurationName)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'Arn' }] }] }] }],
    });
  });

  test('fails on a name that is not the one in the ARN', () => {
    expect(() => DistributionConfiguration.fromDistributionConfigurationAttributes(stack, 'Imported', {
      distributionConfigurationArn: ARN, distributionConfigurationName: 'other',
    })).toThrow(/distributionConfigurationName must be the name in distributionConfigurationArn, got 'other' .*with name 'shared-dist'/);
  });

  test('fails on an ARN of another resource type', () => {
    expect(() => DistributionConfiguration.fromDistributionConfigurationArn(stack, 'Imported',
      'arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/x'))
      .toThrow(/distributionConfigurationArn must be an Image Builder distribution-configuration ARN like/);
  });

  test('fails on an import without ARN or name', () => {
    expect(() => DistributionConfiguration.fromDistributionConfigurationAttributes(stack, 'Imported', {}))
      .toThrow(/give distributionConfigurationArn or distributionConfigurationName to import a distribution configuration, got neither/);
  });

  test('isDistributionConfiguration recognises created configurations', () => {
    expect(DistributionConfiguration.isDistributionConfiguration(ami())).toBe(true);
    expect(DistributionConfiguration.isDistributionConfiguration({})).toBe(false);
    expect(DistributionConfiguration.isDistributionConfiguration(null)).toBe(false);
  });

  test('grantRead grants GetDistributionConfiguration on this configuration', () => {
    const dist = ami();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    dist.grantRead(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'imagebuilder:GetDistributionConfiguration',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dist'), 'Arn'] },
        }],
      },
    });
    expectValidAndNagClean();
  });

  test('grant on an import grants the given actions on its ARN', () => {
    const imported = DistributionConfiguration.fromDistributionConfigurationArn(stack, 'Imported', ARN);
    const role = new iam.Role(stack, 'Updater', { assumedBy: new iam.AccountRootPrincipal() });
    imported.grant(role, 'imagebuilder:UpdateDistributionConfiguration', 'imagebuilder:GetDistributionConfiguration');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['imagebuilder:UpdateDistributionConfiguration', 'imagebuilder:GetDistributionConfiguration'],
          Effect: 'Allow',
          Resource: ARN,
        }],
      },
    });
    expectValidAndNagClean();
  });
});
