import { App, Aws, CfnParameter, Fn, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnInfrastructureConfiguration } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { InfrastructureConfiguration, InfrastructureConfigurationProps, Tenancy } from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { logicalIdOf } from './helpers/logical-ids';
import { expectNoNagErrors, nagSuppressionsByLogicalId, nagSuppressionsOn } from './helpers/nag';

const ENV = { account: '123456789012', region: 'us-east-1' };
const INFRA = 'AWS::ImageBuilder::InfrastructureConfiguration';
const SERVICE_ROLE = ':iam::123456789012:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: ENV });
});

function newInfra(props: InfrastructureConfigurationProps = {}, id = 'Infra'): InfrastructureConfiguration {
  return new InfrastructureConfiguration(stack, id, props);
}

function expectValidAndNagClean(): void {
  expectValidTemplate(stack);
  expectNoNagErrors(app);
}

/** `arn:${Partition}<rest>` as CloudFormation renders it. */
function partitionArn(rest: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

function infraProperties(): any {
  const [resource] = Object.values(Template.fromStack(stack).findResources(INFRA));
  return resource.Properties;
}

function managedPolicyArns(): any[] {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  return Object.values(roles)[0].Properties.ManagedPolicyArns;
}

/** The statements of the policy this construct attaches to its own role. */
function instancePolicyStatements(): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const [own] = Object.entries(policies).filter(([id]) => id.startsWith('InfraInstancePolicy')).map(([, p]) => p);
  return own.Properties.PolicyDocument.Statement;
}

/** A VPC of known subnets and zones, without resources of its own. */
function importedVpc(): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'ImportedVpc', {
    vpcId: 'vpc-0a1b2c3d4e5f00000',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
    publicSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
  });
}

/** A VPC that passes cdk-nag (flow logs), with one NAT gateway. */
function compliantVpc(): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: false, flowLogs: { All: {} } });
}

/** A topic known only by ARN (a parameter: cfn-lint reports literal ARNs), so its encryption is unknown too. */
function importedTopic(): sns.ITopic {
  return sns.Topic.fromTopicArn(stack, 'Topic', new CfnParameter(stack, 'TopicArn').valueAsString);
}

function encryptedTopic(): sns.Topic {
  const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
  return new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
}

describe('InfrastructureConfiguration', () => {
  test('defaults: a role with the two managed policies, its instance profile, IMDSv2 with hop limit 2', () => {
    const infra = newInfra();

    const template = Template.fromStack(stack);
    template.hasResourceProperties(INFRA, Match.objectEquals({
      Name: 'stack-infra-3b171ccd',
      InstanceProfileName: { Ref: Match.stringLikeRegexp('^InfraInstanceProfile') },
      InstanceMetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      TerminateInstanceOnFailure: true,
    }));
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
      },
      ManagedPolicyArns: [
        partitionArn(':iam::aws:policy/AmazonSSMManagedInstanceCore'),
        partitionArn(':iam::aws:policy/EC2InstanceProfileForImageBuilder'),
      ],
    });
    template.hasResourceProperties('AWS::IAM::InstanceProfile', {
      InstanceProfileName: 'Stack-Infra-3B171CCD-us-east-1',
      Roles: [{ Ref: Match.stringLikeRegexp('^InfraInstanceRole') }],
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    expect(infra.role).toBeDefined();
    expect(infra.securityGroups).toEqual([]);
    expect(InfrastructureConfiguration.isInfrastructureConfiguration(infra)).toBe(true);
    expectValidAndNagClean();
  });

  test('the default role passes cdk-nag because of a suppression on that role that names exactly the two policies', () => {
    newInfra();
    newInfra({}, 'Second');
    expectValidAndNagClean();

    const roles = stack.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role);
    expect(roles).toHaveLength(2);
    for (const role of roles) {
      expect(nagSuppressionsOn(role)).toEqual([expect.objectContaining({
        id: 'AwsSolutions-IAM4',
        reason: expect.stringMatching(/maintained by AWS/),
        applies_to: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/EC2InstanceProfileForImageBuilder',
        ],
      })]);
    }
    expect(stack.templateOptions.metadata?.cdk_nag).toBeUndefined();
  });

  test("the library's suppressions are kept out of the template, until cdk-nag's NagSuppressions writes a user's own with them", () => {
    const plain = newInfra();
    const withOwn = newInfra({}, 'WithOwn');
    NagSuppressions.addResourceSuppressions(withOwn.role!, [{ id: 'AwsSolutions-IAM5', reason: 'a suppression of the user', appliesTo: ['Resource::*'] }]);

    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    expect(roles[logicalIdOf(plain.role!)].Metadata).toBeUndefined();
    expect(roles[logicalIdOf(withOwn.role!)].Metadata.cdk_nag.rules_to_suppress.map((r: any) => r.id)).toEqual(['AwsSolutions-IAM4', 'AwsSolutions-IAM5']);
    expectValidAndNagClean();
  });

  test('another role of the stack with the same managed policies is still reported by cdk-nag', () => {
    newInfra();
    new iam.Role(stack, 'Unrelated', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    expect(() => expectNoNagErrors(app)).toThrow(/AwsSolutions-IAM4.*Unrelated|Unrelated.*AwsSolutions-IAM4/s);
  });

  test('all properties', () => {
    const vpc = importedVpc();
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Group', 'sg-0123456789abcdef0');
    const topic = importedTopic();
    newInfra({
      infrastructureConfigurationName: 'golden-ami-builds',
      description: 'Builds golden AMIs',
      instanceTypes: [new ec2.InstanceType('m7i.large'), ec2.InstanceType.of(ec2.InstanceClass.C7I, ec2.InstanceSize.XLARGE)],
      vpc,
      subnetSelection: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      keyPair: ec2.KeyPair.fromKeyPairName(stack, 'KeyPair', 'builders'),
      terminateInstanceOnFailure: false,
      requireImdsv2: false,
      httpPutResponseHopLimit: 3,
      notificationTopic: topic,
      logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'),
      logPrefix: 'builds/',
      resourceTags: { purpose: 'image-build' },
      tenancy: Tenancy.HOST,
      hostResourceGroupArn: 'arn:aws:resource-groups:us-east-1:123456789012:group/mac-hosts',
      availabilityZone: 'us-east-1a',
      tags: { team: 'platform' },
    });

    Template.fromStack(stack).hasResourceProperties(INFRA, Match.objectEquals({
      Name: 'golden-ami-builds',
      Description: 'Builds golden AMIs',
      InstanceProfileName: { Ref: Match.stringLikeRegexp('^InfraInstanceProfile') },
      InstanceTypes: ['m7i.large', 'c7i.xlarge'],
      SubnetId: 'subnet-0000000000000000c',
      SecurityGroupIds: ['sg-0123456789abcdef0'],
      KeyPair: 'builders',
      TerminateInstanceOnFailure: false,
      InstanceMetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 3 },
      SnsTopicArn: { Ref: 'TopicArn' },
      Logging: { S3Logs: { S3BucketName: 'my-logs', S3KeyPrefix: 'builds/' } },
      ResourceTags: { purpose: 'image-build' },
      Placement: {
        Tenancy: 'host',
        HostResourceGroupArn: 'arn:aws:resource-groups:us-east-1:123456789012:group/mac-hosts',
        AvailabilityZone: 'us-east-1a',
      },
      Tags: { team: 'platform' },
    }));
    expectValidAndNagClean();
  });

  test('generated names are deterministic and unique per construct', () => {
    newInfra({}, 'First');
    newInfra({}, 'Second');
    const template = Template.fromStack(stack);
    const names = Object.values(template.findResources(INFRA)).map((r) => r.Properties.Name);
    const profiles = Object.values(template.findResources('AWS::IAM::InstanceProfile')).map((r) => r.Properties.InstanceProfileName);

    const otherStack = new Stack(new App(), 'Stack', { env: ENV });
    new InfrastructureConfiguration(otherStack, 'First');
    const [again] = Object.values(Template.fromStack(otherStack).findResources(INFRA)).map((r) => r.Properties.Name);
    expectValidTemplate(otherStack);
    expectNoNagErrors(otherStack);

    expect(new Set(names).size).toBe(2);
    expect(new Set(profiles).size).toBe(2);
    expect(again).toBe(names[0]);
    expectValidAndNagClean();
  });

  test('the instance profile name carries the region, so the stack deploys to two regions', () => {
    newInfra();
    const otherStack = new Stack(new App(), 'Stack', { env: { ...ENV, region: 'eu-west-1' } });
    new InfrastructureConfiguration(otherStack, 'Infra');

    const profileName = (s: Stack) =>
      Object.values(Template.fromStack(s).findResources('AWS::IAM::InstanceProfile'))[0].Properties.InstanceProfileName;
    expect(profileName(stack)).toBe('Stack-Infra-3B171CCD-us-east-1');
    expect(profileName(otherStack)).toBe('Stack-Infra-3B171CCD-eu-west-1');
    expectValidAndNagClean();
    expectValidTemplate(otherStack);
    expectNoNagErrors(otherStack);
  });

  test('in an environment-agnostic stack the instance profile name ends with the deployment region', () => {
    const agnostic = new Stack(app, 'Agnostic');
    new InfrastructureConfiguration(agnostic, 'Infra');

    const [profile] = Object.values(Template.fromStack(agnostic).findResources('AWS::IAM::InstanceProfile'));
    expect(profile.Properties.InstanceProfileName).toEqual({ 'Fn::Join': ['', ['Agnostic-Infra-5D70995A-', { Ref: 'AWS::Region' }]] });
    expectValidTemplate(agnostic);
    expectNoNagErrors(app);
  });

  test('the instance profile name stays within 128 characters for long construct paths', () => {
    const deep = new Stack(app, 'S'.repeat(100), { env: ENV });
    new InfrastructureConfiguration(deep, 'I'.repeat(100));

    const [profile] = Object.values(Template.fromStack(deep).findResources('AWS::IAM::InstanceProfile'));
    expect(profile.Properties.InstanceProfileName.length).toBeLessThanOrEqual(128);
    expect(profile.Properties.InstanceProfileName).toMatch(/-us-east-1$/);
    expectValidTemplate(deep);
    expectNoNagErrors(app);
  });

  test('Tags.of tags the infrastructure configuration', () => {
    Tags.of(newInfra()).add('cost-center', '42');

    Template.fromStack(stack).hasResourceProperties(INFRA, { Tags: { 'cost-center': '42' } });
    expectValidAndNagClean();
  });

  test('a dedicated host by id', () => {
    newInfra({ tenancy: Tenancy.HOST, hostId: 'h-0123456789abcdef0' });

    expect(infraProperties().Placement).toEqual({ Tenancy: 'host', HostId: 'h-0123456789abcdef0' });
    expectValidAndNagClean();
  });

  test('values known only at deployment are passed through unchecked', () => {
    const instanceType = new CfnParameter(stack, 'InstanceType').valueAsString;
    const hopLimit = new CfnParameter(stack, 'HopLimit', { type: 'Number' }).valueAsNumber;
    const infra = newInfra({
      instanceTypes: [new ec2.InstanceType(instanceType)],
      httpPutResponseHopLimit: hopLimit,
      description: new CfnParameter(stack, 'Description').valueAsString,
    });
    infra.allowContainerBuilds();

    expect(infraProperties()).toEqual(expect.objectContaining({
      InstanceTypes: [{ Ref: 'InstanceType' }],
      InstanceMetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: { Ref: 'HopLimit' } },
      Description: { Ref: 'Description' },
    }));
    expectValidAndNagClean();
  });

  describe('role and instance profile', () => {
    test('a given role gets an instance profile and keeps its own policies', () => {
      const role = new iam.Role(stack, 'BuildRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      const infra = newInfra({ role });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Role', 1);
      template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
      template.hasResourceProperties('AWS::IAM::InstanceProfile', { Roles: [{ Ref: Match.stringLikeRegexp('^BuildRole') }] });
      expect(infra.role).toBe(role);
      expectValidAndNagClean();
    });

    test('a given instance profile is used as it is', () => {
      const instanceProfile = iam.InstanceProfile.fromInstanceProfileName(stack, 'Profile', 'shared-builders');
      const infra = newInfra({ instanceProfile });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Role', 0);
      template.resourceCountIs('AWS::IAM::InstanceProfile', 0);
      expect(infraProperties().InstanceProfileName).toBe('shared-builders');
      expect(infra.instanceProfile).toBe(instanceProfile);
      expect(infra.role).toBeUndefined();
      expectValidAndNagClean();
    });

    test('the role of a given instance profile is exposed', () => {
      const role = new iam.Role(stack, 'BuildRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      const instanceProfile = new iam.InstanceProfile(stack, 'Profile', { role });

      expect(newInfra({ instanceProfile }).role).toBe(role);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::InstanceProfile', 1);
      expectValidAndNagClean();
    });
  });

  describe('network', () => {
    test('with a vpc: the first private subnet and a new security group with no inbound rules', () => {
      const infra = newInfra({ vpc: compliantVpc() });

      const template = Template.fromStack(stack);
      expect(infraProperties().SubnetId).toEqual({ Ref: expect.stringMatching(/^VpcPrivateSubnet1Subnet/) });
      expect(infraProperties().SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^InfraSecurityGroup/), 'GroupId'] }]);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', Match.objectEquals({
        GroupDescription: 'EC2 Image Builder build and test instances',
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', Description: 'Allow all outbound traffic by default', IpProtocol: '-1' }],
        VpcId: { Ref: Match.stringLikeRegexp('^Vpc') },
      }));
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      expect(infra.securityGroups).toHaveLength(1);
      expectValidAndNagClean();
    });

    test('the subnet is the first one the selection returns, the same on every synth', () => {
      const subnetOf = (selection?: ec2.SubnetSelection) => {
        const otherStack = new Stack(new App(), 'Other', { env: ENV });
        const vpc = ec2.Vpc.fromVpcAttributes(otherStack, 'Vpc', {
          vpcId: 'vpc-0a1b2c3d4e5f00000',
          availabilityZones: ['us-east-1a', 'us-east-1b'],
          privateSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
          publicSubnetIds: ['subnet-0000000000000000c', 'subnet-0000000000000000d'],
        });
        new InfrastructureConfiguration(otherStack, 'Infra', { vpc, subnetSelection: selection });
        expectValidTemplate(otherStack);
        expectNoNagErrors(otherStack);
        return Object.values(Template.fromStack(otherStack).findResources(INFRA))[0].Properties.SubnetId;
      };

      expect(subnetOf()).toBe('subnet-0000000000000000a');
      expect(subnetOf()).toBe('subnet-0000000000000000a');
      expect(subnetOf({ subnetType: ec2.SubnetType.PUBLIC })).toBe('subnet-0000000000000000c');
      expect(subnetOf({ availabilityZones: ['us-east-1b'] })).toBe('subnet-0000000000000000b');

      newInfra({ vpc: importedVpc(), availabilityZone: 'us-east-1a' });
      expect(infraProperties().SubnetId).toBe('subnet-0000000000000000a');
      expectValidAndNagClean();
    });

    test('given security groups are used, and connections opens other resources to the build instances', () => {
      const vpc = importedVpc();
      const builders = new ec2.SecurityGroup(stack, 'Builders', { vpc, description: 'builders' });
      const database = new ec2.SecurityGroup(stack, 'Database', { vpc, description: 'database' });
      const infra = newInfra({ vpc, securityGroups: [builders] });

      database.connections.allowFrom(infra, ec2.Port.tcp(5432));

      expect(infra.connections.securityGroups).toEqual([builders]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::SecurityGroup', 2);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5432,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Database'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Builders'), 'GroupId'] },
      });
      expect(infraProperties().SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Builders/), 'GroupId'] }]);
      expectValidAndNagClean();
    });
    describe('an isolated subnet of a VPC of this app', () => {
      /** A VPC of isolated subnets only, so the default selection takes one. */
      function isolatedVpc(): ec2.Vpc {
        return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, subnetConfiguration: [{ name: 'Builds', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      }
      function isolatedSubnetWarnings(): string[] {
        return Annotations.fromStack(stack).findWarning('/Stack/Infra', Match.stringLikeRegexp('isolated subnet')).map((w) => w.entry.data as string);
      }

      test('warns when the VPC has no route out and no endpoints for the build, naming the missing ones', () => {
        newInfra({ vpc: isolatedVpc() });

        expect(infraProperties().SubnetId).toEqual({ Ref: expect.stringMatching(/^VpcBuildsSubnet1Subnet/) });
        expect(isolatedSubnetWarnings()).toEqual([expect.stringMatching(
          '^the build and test instances run in isolated subnet Stack/Vpc/BuildsSubnet1, which has no route out of VPC Stack/Vpc, ' +
          'and the VPC has no endpoint for ssm, ssmmessages, imagebuilder, s3 that serves it: the build would fail when the instance ' +
          'cannot reach them; add the endpoints \\(vpc.addInterfaceEndpoint with private DNS, and vpc.addGatewayEndpoint for s3 on the ' +
          'subnet\'s route table; ec2messages too for SSM Agent before 3.3.40.0\\), or select a subnet with egress through subnetSelection')]);
      });

      test('names only the endpoints still missing, also when they are added after the configuration', () => {
        const vpc = isolatedVpc();
        newInfra({ vpc });
        vpc.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM });
        vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

        expect(isolatedSubnetWarnings()).toEqual([expect.stringContaining('the VPC has no endpoint for ssmmessages, imagebuilder that serves it: ')]);
      });

      test('takes a VPC with every endpoint the build needs, in any stack of the app and with a known region', () => {
        const vpc = isolatedVpc();
        newInfra({ vpc });
        for (const service of [ec2.InterfaceVpcEndpointAwsService.SSM, ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES]) {
          vpc.addInterfaceEndpoint(service.shortName, { service });
        }
        const endpointStack = new Stack(app, 'Endpoints', { env: ENV });
        new ec2.InterfaceVpcEndpoint(endpointStack, 'ImageBuilder', { vpc, service: ec2.InterfaceVpcEndpointAwsService.IMAGE_BUILDER });
        new ec2.GatewayVpcEndpoint(endpointStack, 'S3', { vpc, service: ec2.GatewayVpcEndpointAwsService.S3 });

        expect(Object.values(Template.fromStack(endpointStack).findResources('AWS::EC2::VPCEndpoint'))
          .map((endpoint: any) => endpoint.Properties.ServiceName)).toContain('com.amazonaws.us-east-1.imagebuilder');
        expect(isolatedSubnetWarnings()).toEqual([]);
      });

      test.each(['0.0.0.0/0', '10.0.0.0/8'])('takes a route of the app on the subnet\'s route table, as to a transit gateway for %s', (cidr) => {
        const vpc = isolatedVpc();
        newInfra({ vpc });
        new ec2.CfnRoute(stack, 'ToTransitGateway', {
          routeTableId: vpc.isolatedSubnets[0].routeTable.routeTableId,
          destinationCidrBlock: cidr,
          transitGatewayId: 'tgw-0123456789abcdef0',
        });

        expect(isolatedSubnetWarnings()).toEqual([]);
      });

      test('takes endpoints written as L1s, with the region substituted or written out, and FIPS ones', () => {
        const vpc = isolatedVpc();
        newInfra({ vpc });
        const interfaceEndpoint = { vpcId: vpc.vpcId, vpcEndpointType: 'Interface', privateDnsEnabled: true };
        new ec2.CfnVPCEndpoint(stack, 'Ssm', { ...interfaceEndpoint, serviceName: Fn.sub('com.amazonaws.${AWS::Region}.ssm-fips') });
        new ec2.CfnVPCEndpoint(stack, 'SsmMessages', { ...interfaceEndpoint, serviceName: Fn.sub('com.amazonaws.${Region}.ssmmessages', { Region: Aws.REGION }) });
        new ec2.CfnVPCEndpoint(stack, 'ImageBuilder', { ...interfaceEndpoint, serviceName: 'com.amazonaws.us-east-1.imagebuilder' });
        new ec2.CfnVPCEndpoint(stack, 'S3', {
          vpcId: vpc.vpcId, serviceName: `com.amazonaws.${Aws.REGION}.s3`, routeTableIds: vpc.isolatedSubnets.map((subnet) => subnet.routeTable.routeTableId),
        });

        expect(isolatedSubnetWarnings()).toEqual([]);
      });

      test('an interface endpoint without private DNS, and a gateway endpoint on another route table, do not serve the subnet', () => {
        const vpc = isolatedVpc();
        newInfra({ vpc });
        for (const service of [ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, ec2.InterfaceVpcEndpointAwsService.IMAGE_BUILDER]) {
          vpc.addInterfaceEndpoint(service.shortName, { service });
        }
        vpc.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM, privateDnsEnabled: false });
        vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnets: [vpc.isolatedSubnets[1]] }] });

        expect(isolatedSubnetWarnings()).toEqual([expect.stringContaining('the VPC has no endpoint for ssm, s3 that serves it: ')]);
      });

      test('an endpoint whose service is known only at deployment may be any, so none is named missing', () => {
        const vpc = isolatedVpc();
        newInfra({ vpc });
        new ec2.CfnVPCEndpoint(stack, 'Unknown', {
          vpcId: vpc.vpcId, vpcEndpointType: 'Interface', privateDnsEnabled: true, serviceName: new CfnParameter(stack, 'Service').valueAsString,
        });

        expect(isolatedSubnetWarnings()).toEqual([]);
      });

      test('a container build needs the ECR endpoints too', () => {
        const vpc = isolatedVpc();
        const infra = newInfra({ vpc });
        for (const service of [ec2.InterfaceVpcEndpointAwsService.SSM, ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
          ec2.InterfaceVpcEndpointAwsService.IMAGE_BUILDER, ec2.InterfaceVpcEndpointAwsService.ECR]) {
          vpc.addInterfaceEndpoint(service.shortName, { service });
        }
        vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
        infra.allowContainerBuilds();

        expect(isolatedSubnetWarnings()).toEqual([expect.stringContaining('the VPC has no endpoint for ecr.dkr that serves it: ')]);
      });

      test('a default route on another subnet\'s route table does not count', () => {
        const vpc = isolatedVpc();
        newInfra({ vpc });
        new ec2.CfnRoute(stack, 'ToTransitGateway', {
          routeTableId: vpc.isolatedSubnets[1].routeTable.routeTableId,
          destinationCidrBlock: '0.0.0.0/0',
          transitGatewayId: 'tgw-0123456789abcdef0',
        });

        expect(isolatedSubnetWarnings()).toHaveLength(1);
      });

      test('a VPC of L1s imported without its route tables gets no warning, as its routes are unknown', () => {
        const cfnVpc = new ec2.CfnVPC(stack, 'L1Vpc', { cidrBlock: '10.0.0.0/16' });
        const subnet = new ec2.CfnSubnet(stack, 'L1Subnet', { vpcId: cfnVpc.ref, cidrBlock: '10.0.0.0/24', availabilityZone: 'us-east-1a' });
        const vpc = ec2.Vpc.fromVpcAttributes(stack, 'ImportedL1Vpc', { vpcId: cfnVpc.ref, availabilityZones: ['us-east-1a'], isolatedSubnetIds: [subnet.ref] });
        newInfra({ vpc });

        expect(infraProperties().SubnetId).toEqual({ Ref: stack.getLogicalId(subnet) });
        expect(isolatedSubnetWarnings()).toEqual([]);
      });

      test('private subnets with egress, and isolated subnets of an imported VPC, get no warning', () => {
        newInfra({ vpc: compliantVpc() });
        const imported = ec2.Vpc.fromVpcAttributes(stack, 'ImportedIsolated', {
          vpcId: 'vpc-0a1b2c3d4e5f00000',
          availabilityZones: ['us-east-1a'],
          isolatedSubnetIds: ['subnet-0000000000000000a'],
        });
        newInfra({ vpc: imported }, 'ImportedInfra');

        expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('isolated subnet'))).toEqual([]);
      });
    });
  });

  describe('grants', () => {
    test('grantRead grants GetInfrastructureConfiguration on this configuration', () => {
      const infra = newInfra();
      const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      infra.grantRead(reader);

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{
            Action: 'imagebuilder:GetInfrastructureConfiguration',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Infra'), 'Arn'] },
          }],
        },
        Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
      });
      expectValidAndNagClean();
    });

    test('grant on an import grants the given actions on its ARN', () => {
      const imported = InfrastructureConfiguration.fromInfrastructureConfigurationName(stack, 'Imported', 'shared');
      const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
      imported.grant(admin, 'imagebuilder:UpdateInfrastructureConfiguration');

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{
            Action: 'imagebuilder:UpdateInfrastructureConfiguration',
            Effect: 'Allow',
            Resource: partitionArn(':imagebuilder:us-east-1:123456789012:infrastructure-configuration/shared'),
          }],
        },
      });
      expectValidAndNagClean();
    });
  });

  describe('logging', () => {
    test('the instance role may put objects under the log prefix, nothing wider', () => {
      newInfra({ logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'), logPrefix: 'builds/' });

      expect(instancePolicyStatements()).toEqual([{
        Action: 's3:PutObject',
        Effect: 'Allow',
        Resource: partitionArn(':s3:::my-logs/builds/*'),
      }]);
      Template.fromStack(stack).hasResource(INFRA, { DependsOn: [Match.stringLikeRegexp('^InfraInstancePolicy')] });
      expectValidAndNagClean();
    });

    test('the log bucket and prefix are attributes of the construct, undefined without logging', () => {
      const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs');
      const logged = newInfra({ logBucket: bucket, logPrefix: 'builds/' });
      const unlogged = new InfrastructureConfiguration(stack, 'Unlogged');

      expect(logged.logBucket).toBe(bucket);
      expect(logged.logPrefix).toBe('builds/');
      expect(unlogged.logBucket).toBeUndefined();
      expect(unlogged.logPrefix).toBeUndefined();
    });

    test('without a prefix the role may put objects anywhere in the bucket', () => {
      newInfra({ logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs') });

      expect(instancePolicyStatements()).toEqual([{
        Action: 's3:PutObject',
        Effect: 'Allow',
        Resource: partitionArn(':s3:::my-logs/*'),
      }]);
      expect(infraProperties().Logging).toEqual({ S3Logs: { S3BucketName: 'my-logs' } });
      expectValidAndNagClean();
    });

    describe('the cdk-nag suppression of the log wildcard covers the log bucket only', () => {
      /** The IAM5 suppression on the instance policy, as a RegExp. */
      function logWildcardSuppression(): RegExp {
        const [{ regex }] = nagSuppressionsByLogicalId(stack, 'InfraInstancePolicy')!.find((r: any) => r.id === 'AwsSolutions-IAM5').applies_to;
        return new RegExp(regex.slice(1, -1));
      }

      test('a bucket of the stack, with a prefix', () => {
        const bucket = new s3.Bucket(stack, 'Logs', { enforceSSL: true });
        NagSuppressions.addResourceSuppressions(bucket, [{ id: 'AwsSolutions-S1', reason: 'a bucket of this test, not of the library' }]);
        newInfra({ logBucket: bucket, logPrefix: 'builds/' });
        const logicalId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
        const suppression = logWildcardSuppression();
        expect(`Resource::<${logicalId}.Arn>/builds/*`).toMatch(suppression);
        expect('Resource::<OtherBucket1234ABCD.Arn>/builds/*').not.toMatch(suppression);
        expect(`Resource::<${logicalId}.Arn>/*`).not.toMatch(suppression);
        expectValidAndNagClean();
      });

      test('an imported bucket without a prefix', () => {
        newInfra({ logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs') });
        const suppression = logWildcardSuppression();
        expect('Resource::arn:<AWS::Partition>:s3:::my-logs/*').toMatch(suppression);
        expect('Resource::arn:<AWS::Partition>:s3:::other-bucket/*').not.toMatch(suppression);
        expect('Resource::arn:<AWS::Partition>:imagebuilder:<AWS::Region>:<AWS::AccountId>:container-recipe/*').not.toMatch(suppression);
      });

      test('a prefix known only at deploy time', () => {
        const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
        newInfra({ logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'), logPrefix: prefix });
        expect('Resource::arn:<AWS::Partition>:s3:::my-logs/<Prefix>*').toMatch(logWildcardSuppression());
        expectValidAndNagClean();
      });

      test('a bucket of another stack', () => {
        const other = new Stack(app, 'Storage', { env: ENV });
        const bucket = new s3.Bucket(other, 'Logs', { enforceSSL: true, serverAccessLogsPrefix: 'access/' });
        newInfra({ logBucket: bucket, logPrefix: 'builds/' });
        expectValidAndNagClean();
      });
    });

    test('a KMS-encrypted log bucket: the role may also make data keys with its key', () => {
      const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Logs', { bucketName: 'my-logs', encryptionKey: key });
      newInfra({ logBucket: bucket, logPrefix: 'builds' });

      expect(instancePolicyStatements()).toEqual([
        { Action: 's3:PutObject', Effect: 'Allow', Resource: partitionArn(':s3:::my-logs/builds*') },
        {
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^LogKey/), 'Arn'] },
        },
      ]);
      expectValidAndNagClean();
    });

    test('a given role gets the log grant in its own policy', () => {
      const role = new iam.Role(stack, 'BuildRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      newInfra({ role, logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'), logPrefix: 'builds/' });
      NagSuppressions.addResourceSuppressions(role, [{
        id: 'AwsSolutions-IAM5', reason: 'the user owns this role and accepts the log prefix wildcard',
      }], true);

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: 's3:PutObject', Effect: 'Allow', Resource: partitionArn(':s3:::my-logs/builds/*') }] },
        Roles: [{ Ref: Match.stringLikeRegexp('^BuildRole') }],
      });
      template.hasResource(INFRA, { DependsOn: [Match.stringLikeRegexp('^BuildRoleDefaultPolicy')] });
      expectValidAndNagClean();
    });

    test('an instance profile whose role is unknown gets a warning instead of the grant', () => {
      newInfra({
        instanceProfile: iam.InstanceProfile.fromInstanceProfileName(stack, 'Profile', 'shared-builders'),
        logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'),
      });

      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
      Annotations.fromStack(stack).hasWarning('/Stack/Infra',
        Match.stringLikeRegexp('instance role was not created in this app.*s3:PutObject on arn:.*my-logs/\\*'));
      expectValidAndNagClean();
    });
  });

  describe('notifications', () => {
    test('an encrypted topic: its key policy lets the Image Builder service-linked role use the key', () => {
      const topic = encryptedTopic();
      newInfra({ notificationTopic: topic });

      expect(infraProperties().SnsTopicArn).toEqual({ Ref: expect.stringMatching(/^Topic/) });
      Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectEquals({
            Sid: 'AllowImageBuilderToPublishToEncryptedTopic',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
            Condition: { ArnEquals: { 'aws:PrincipalArn': partitionArn(SERVICE_ROLE) } },
          })]),
        },
      });
      expectValidAndNagClean();
    });

    test('a topic with an imported key gets a warning that says which statement to add', () => {
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-0000-0000-000000000000');
      newInfra({ notificationTopic: new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true }) });

      Annotations.fromStack(stack).hasWarning('/Stack/Infra', Match.stringLikeRegexp(
        'notificationTopic is encrypted with key arn:aws:kms:.*key/0a1b2c3d.*kms:GenerateDataKey\\* and kms:Decrypt.*AWSServiceRoleForImageBuilder'));
      expectValidAndNagClean();
    });

    test('an unencrypted topic needs no key statement', () => {
      newInfra({ notificationTopic: importedTopic() });

      expect(infraProperties().SnsTopicArn).toEqual({ Ref: 'TopicArn' });
      Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
      Annotations.fromStack(stack).hasNoWarning('/Stack/Infra', Match.anyValue());
      expectValidAndNagClean();
    });
  });

  describe('allowContainerBuilds', () => {
    test('with a target repository: pull and push on that repository only, and reading container recipes', () => {
      const repository = new ecr.Repository(stack, 'Repository');
      newInfra().allowContainerBuilds(repository);

      expect(instancePolicyStatements()).toEqual([
        {
          Action: [
            'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
            'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage',
          ],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Repository/), 'Arn'] },
        },
        { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        // What the AWS-managed container build policy allows besides ECR: the build reads its container recipe.
        {
          Action: 'imagebuilder:GetContainerRecipe',
          Effect: 'Allow',
          Resource: partitionArn(':imagebuilder:us-east-1:123456789012:container-recipe/*'),
        },
      ]);
      expect(managedPolicyArns()).toHaveLength(2);
      expectValidAndNagClean();
    });

    test('called again for the same repository: each cdk-nag suppression is written once', () => {
      const repository = new ecr.Repository(stack, 'Repository');
      const infra = newInfra();
      infra.allowContainerBuilds(repository);
      infra.allowContainerBuilds(repository);
      const suppressions = nagSuppressionsByLogicalId(stack, 'InfraInstancePolicy')!.map((r: any) => JSON.stringify(r));
      expect(suppressions).toHaveLength(2);
      expect(new Set(suppressions).size).toBe(2);
    });

    test('with a parent image repository too: pull on that repository as well', () => {
      const target = new ecr.Repository(stack, 'Repository');
      const parent = new ecr.Repository(stack, 'Parent');
      newInfra().allowContainerBuilds(target, parent);

      expect(instancePolicyStatements()).toEqual(expect.arrayContaining([{
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Parent/), 'Arn'] },
      }]));
      expect(instancePolicyStatements()).toHaveLength(4);
      expectValidAndNagClean();
    });

    test('a role not created here is left alone for the parent repository, with a warning', () => {
      const role = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/builder');
      const infra = newInfra({ role });
      infra.allowContainerBuilds(new ecr.Repository(stack, 'Repository'), new ecr.Repository(stack, 'Parent'));
      Annotations.fromStack(stack).hasWarning('/Stack/Infra', Match.stringLikeRegexp('give it pull on .* yourself'));
    });

    test('without a repository: the AWS-managed container build policy, once', () => {
      const infra = newInfra();
      infra.allowContainerBuilds();
      infra.allowContainerBuilds();

      expect(managedPolicyArns()).toEqual([
        partitionArn(':iam::aws:policy/AmazonSSMManagedInstanceCore'),
        partitionArn(':iam::aws:policy/EC2InstanceProfileForImageBuilder'),
        partitionArn(':iam::aws:policy/EC2InstanceProfileForImageBuilderECRContainerBuilds'),
      ]);
      expectValidAndNagClean();
    });

    test('a given role that can be changed gets the grant', () => {
      const role = new iam.Role(stack, 'BuildRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      NagSuppressions.addResourceSuppressions(role, [{ id: 'AwsSolutions-IAM4', reason: 'the user chose the managed policy for this role' }]);
      newInfra({ role }).allowContainerBuilds();

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        ManagedPolicyArns: [partitionArn(':iam::aws:policy/EC2InstanceProfileForImageBuilderECRContainerBuilds')],
      });
      expectValidAndNagClean();
    });

    test('an imported role that cannot be changed gets a warning instead', () => {
      const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/builders', { mutable: false });
      const infra = newInfra({ role });
      infra.allowContainerBuilds(ecr.Repository.fromRepositoryName(stack, 'Repository', 'app'));
      infra.allowContainerBuilds();

      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Stack/Infra', Match.stringLikeRegexp('give it pull and push on repository app \\(ecr:'));
      annotations.hasWarning('/Stack/Infra', Match.stringLikeRegexp('give it the AWS-managed policy EC2InstanceProfileForImageBuilderECRContainerBuilds'));
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
      expectValidAndNagClean();
    });

    test('the warning names a repository whose name is known only at deployment by its construct path, and shows no token', () => {
      const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/builders', { mutable: false });
      newInfra({ role }).allowContainerBuilds(new ecr.Repository(stack, 'Images'), undefined, new ecr.Repository(stack, 'Scans'));

      const [warning] = Annotations.fromStack(stack).findWarning('/Stack/Infra', Match.anyValue()).map((w) => w.entry.data as string);
      expect(warning).toMatch(/^the instance role was not created in this app, so it is left as it is: give it pull and push on repository Stack\/Images and repository Stack\/Scans \(ecr:/);
      expect(warning).not.toContain('${Token');
    });

    test('fails when IMDSv2 is required with a hop limit of 1', () => {
      const infra = newInfra({ httpPutResponseHopLimit: 1 });
      expect(() => infra.allowContainerBuilds())
        .toThrow('httpPutResponseHopLimit must be at least 2 for container builds when IMDSv2 is required, got 1');
    });
  });

  describe('imports', () => {
    test('fromInfrastructureConfigurationArn takes the name from the ARN', () => {
      const arn = 'arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/shared-builders';
      const imported = InfrastructureConfiguration.fromInfrastructureConfigurationArn(stack, 'Imported', arn);

      expect(imported.infrastructureConfigurationArn).toBe(arn);
      expect(imported.infrastructureConfigurationName).toBe('shared-builders');
      expect(InfrastructureConfiguration.isInfrastructureConfiguration(imported)).toBe(false);
    });

    test('fromInfrastructureConfigurationName builds the ARN with the name as Image Builder writes it', () => {
      const imported = InfrastructureConfiguration.fromInfrastructureConfigurationName(stack, 'Imported', 'Shared Builders');

      expect(imported.infrastructureConfigurationName).toBe('Shared Builders');
      expect(stack.resolve(imported.infrastructureConfigurationArn))
        .toEqual(partitionArn(':imagebuilder:us-east-1:123456789012:infrastructure-configuration/shared-builders'));
    });

    test('fromInfrastructureConfigurationAttributes keeps a name that matches the ARN', () => {
      const imported = InfrastructureConfiguration.fromInfrastructureConfigurationAttributes(stack, 'Imported', {
        infrastructureConfigurationArn: 'arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/shared-builders',
        infrastructureConfigurationName: 'Shared_Builders',
      });

      expect(imported.infrastructureConfigurationName).toBe('Shared_Builders');
    });

    test('a token ARN gives the name through Fn::Split', () => {
      const created = newInfra();
      const imported = InfrastructureConfiguration.fromInfrastructureConfigurationArn(stack, 'Imported', created.infrastructureConfigurationArn);

      expect(stack.resolve(imported.infrastructureConfigurationName))
        .toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', expect.anything()] }] });
    });

    test('the created configuration exposes its ARN and name attributes', () => {
      const infra = newInfra();
      const logicalId = stack.getLogicalId(infra.node.defaultChild as CfnInfrastructureConfiguration);

      expect(stack.resolve(infra.infrastructureConfigurationArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
      expect(stack.resolve(infra.infrastructureConfigurationName)).toEqual({ 'Fn::GetAtt': [logicalId, 'Name'] });
    });
  });

  describe('validation', () => {
    test('fails when infrastructureConfigurationName has characters the service does not accept', () => {
      expect(() => newInfra({ infrastructureConfigurationName: 'bad/name' })).toThrow(/infrastructureConfigurationName must be .*got 'bad\/name'/);
    });

    test('fails when description is too long', () => {
      expect(() => newInfra({ description: 'd'.repeat(1025) })).toThrow('description must be 1 to 1024 characters, got 1025');
    });

    test.each(['tags', 'resourceTags'])('fails on a tag key with characters Image Builder refuses in %s', (prop) => {
      expect(() => newInfra({ [prop]: { 'team#1': 'x' } }))
        .toThrow(`${prop} keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'`);
    });

    test('leaves out empty resourceTags, which the service takes 1 to 30 of', () => {
      newInfra({ resourceTags: {} });
      expect(infraProperties().ResourceTags).toBeUndefined();
    });

    test('fails on more than 30 resourceTags', () => {
      const resourceTags = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
      expect(() => newInfra({ resourceTags })).toThrow('resourceTags must have at most 30 tags, got 31');
    });

    test('fails when instanceTypes is empty', () => {
      expect(() => newInfra({ instanceTypes: [] })).toThrow(/instanceTypes must list at least one instance type when given, got none/);
    });

    test('fails when instanceTypes repeats a type', () => {
      expect(() => newInfra({ instanceTypes: [new ec2.InstanceType('m5.large'), new ec2.InstanceType('m5.large')] }))
        .toThrow("instanceTypes must not repeat an instance type, got 'm5.large' twice");
    });

    test('fails when an instance type is not family.size', () => {
      expect(() => newInfra({ instanceTypes: [new ec2.InstanceType('m5large')] }))
        .toThrow("instanceTypes must be EC2 instance types like m5.large, got 'm5large'");
    });

    test('fails when both role and instanceProfile are given', () => {
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      const instanceProfile = iam.InstanceProfile.fromInstanceProfileName(stack, 'Profile', 'p');
      expect(() => newInfra({ role, instanceProfile })).toThrow(/give role or instanceProfile, not both/);
    });

    test('fails when an imported instance profile has a name CloudFormation refuses', () => {
      const instanceProfile = iam.InstanceProfile.fromInstanceProfileName(stack, 'Profile', 'my profile');
      expect(() => newInfra({ instanceProfile }))
        .toThrow("instanceProfile must have a name of 1 to 256 letters, digits and + = , . @ _ -, got 'my profile'");
    });

    test('an imported instance profile name of the allowed characters passes', () => {
      const instanceProfile = iam.InstanceProfile.fromInstanceProfileName(stack, 'Profile', 'Build_Profile+=,.@-1');
      newInfra({ instanceProfile });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', { InstanceProfileName: 'Build_Profile+=,.@-1' });
    });

    test('fails when subnetSelection is given without vpc', () => {
      expect(() => newInfra({ subnetSelection: { subnetType: ec2.SubnetType.PUBLIC } }))
        .toThrow('subnetSelection needs a vpc to select from, got subnetSelection without vpc');
    });

    test('security groups without vpc: the instances run in the default VPC with those groups', () => {
      const group = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Group', 'sg-0123456789abcdef0');
      const infra = newInfra({ securityGroups: [group] });
      const properties = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::InfrastructureConfiguration'))[0].Properties;
      expect(properties.SecurityGroupIds).toEqual(['sg-0123456789abcdef0']);
      expect(properties.SubnetId).toBeUndefined();
      expect(infra.connections.securityGroups).toEqual([group]);
    });

    test('fails when securityGroups without vpc has a group of a VPC of this app, which is not the default VPC', () => {
      const group = new ec2.SecurityGroup(stack, 'Group', { vpc: new ec2.Vpc(stack, 'Vpc') });
      expect(() => newInfra({ securityGroups: [group] }))
        .toThrow('securityGroups without vpc must belong to the default VPC, where the instances run, ' +
          'got security group Stack/Group of VPC Stack/Vpc; give vpc');
    });

    test('securityGroups without vpc may have a group of this app in an imported VPC, which may be the default VPC', () => {
      newInfra({ securityGroups: [new ec2.SecurityGroup(stack, 'Group', { vpc: importedVpc() })] });
      expect(infraProperties().SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Group/), 'GroupId'] }]);
    });

    test('warns when a security group belongs to another VPC of this app than vpc', () => {
      const group = new ec2.SecurityGroup(stack, 'Group', { vpc: new ec2.Vpc(stack, 'Other') });
      newInfra({ vpc: new ec2.Vpc(stack, 'Vpc'), securityGroups: [group] });

      Annotations.fromStack(stack).hasWarning('/Stack/Infra', Match.stringLikeRegexp(
        '^security group Stack/Group of securityGroups belongs to VPC Stack/Other, not to vpc Stack/Vpc where the instances run: ' +
        'the build fails to launch unless the group is associated with Stack/Vpc'));
    });

    test('a security group of the same VPC of this app as vpc gets no warning', () => {
      const vpc = new ec2.Vpc(stack, 'Vpc');
      newInfra({ vpc, securityGroups: [new ec2.SecurityGroup(stack, 'Group', { vpc })] });
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('securityGroups'));
    });

    test('fails when securityGroups is empty', () => {
      expect(() => newInfra({ vpc: importedVpc(), securityGroups: [] }))
        .toThrow(/securityGroups must list at least one security group when given, got none/);
    });

    test('fails when keyPair has an empty name', () => {
      expect(() => newInfra({ keyPair: ec2.KeyPair.fromKeyPairName(stack, 'KeyPair', '') }))
        .toThrow("keyPair must have a non-empty name, got ''");
    });

    test('fails when subnetSelection selects no subnet', () => {
      expect(() => newInfra({ vpc: importedVpc(), subnetSelection: { availabilityZones: ['us-east-1f'] } }))
        .toThrow(/subnetSelection must select at least one subnet of vpc Stack\/ImportedVpc, got none/);
    });

    test('fails when connections is read without a vpc', () => {
      const infra = newInfra();
      expect(() => infra.connections)
        .toThrow(/connections needs a vpc or securityGroups: without them, build instances use the default security group/);
    });

    test.each([0, 65, 1.5])('fails when httpPutResponseHopLimit is %d', (hopLimit) => {
      expect(() => newInfra({ httpPutResponseHopLimit: hopLimit }))
        .toThrow(`httpPutResponseHopLimit must be a whole number from 1 to 64, got ${hopLimit}`);
    });

    test('fails when logPrefix is given without logBucket', () => {
      expect(() => newInfra({ logPrefix: 'builds/' })).toThrow("logPrefix needs a logBucket, got logPrefix 'builds/' without logBucket");
    });

    test('warns when logPrefix starts with a slash, which S3 allows in a key', () => {
      newInfra({ logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'), logPrefix: '/builds' });

      Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp("logPrefix '/builds' starts with '/'"));
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
        Logging: { S3Logs: { S3BucketName: 'my-logs', S3KeyPrefix: '/builds' } },
      });
    });

    test.each([
      ['a FIFO topic of this app', () => new sns.Topic(stack, 'Fifo', { fifo: true, topicName: 'builds' }), 'Stack/Fifo'],
      ['an imported FIFO topic', () => sns.Topic.fromTopicArn(stack, 'Fifo', 'arn:aws:sns:us-east-1:123456789012:builds.fifo'),
        "'arn:aws:sns:us-east-1:123456789012:builds.fifo'"],
    ])('fails with %s as notificationTopic', (_, topic, given) => {
      expect(() => newInfra({ notificationTopic: topic() }))
        .toThrow(`notificationTopic must be a standard topic: Image Builder does not publish to FIFO topics, got the FIFO topic ${given}`);
    });

    test('fails when logPrefix is empty', () => {
      expect(() => newInfra({ logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs'), logPrefix: '' }))
        .toThrow('logPrefix must be 1 to 1024 characters, got 0');
    });

    test('fails when hostId is given without tenancy host', () => {
      expect(() => newInfra({ tenancy: Tenancy.DEDICATED, hostId: 'h-0123456789abcdef0' }))
        .toThrow("hostId needs tenancy host, got hostId 'h-0123456789abcdef0' with tenancy 'dedicated'");
    });

    test('fails when hostId known only at deployment is given without tenancy host', () => {
      const hostId = new CfnParameter(stack, 'Host').valueAsString;
      expect(() => newInfra({ tenancy: Tenancy.DEDICATED, hostId }))
        .toThrow("hostId needs tenancy host, got hostId (known only at deployment) with tenancy 'dedicated'");
    });

    test('fails when hostResourceGroupArn is given without a tenancy', () => {
      expect(() => newInfra({ hostResourceGroupArn: 'arn:aws:resource-groups:us-east-1:123456789012:group/hosts' }))
        .toThrow(/hostResourceGroupArn needs tenancy host, got hostResourceGroupArn '.*group\/hosts' with tenancy 'default'/);
    });

    test('fails when both hostId and hostResourceGroupArn are given', () => {
      expect(() => newInfra({
        tenancy: Tenancy.HOST,
        hostId: 'h-0123456789abcdef0',
        hostResourceGroupArn: 'arn:aws:resource-groups:us-east-1:123456789012:group/hosts',
      })).toThrow("give hostId or hostResourceGroupArn, not both, got hostId 'h-0123456789abcdef0' and " +
        "hostResourceGroupArn 'arn:aws:resource-groups:us-east-1:123456789012:group/hosts'");
    });

    test.each([
      [undefined, 'no tenancy'],
      [Tenancy.DEDICATED, "tenancy 'dedicated'"],
    ])('fails when a Mac instance type is given with tenancy %s', (tenancy, got) => {
      expect(() => newInfra({ instanceTypes: [new ec2.InstanceType('m7i.large'), new ec2.InstanceType('mac2.metal')], tenancy }))
        .toThrow(`instanceTypes mac2.metal need tenancy host: Mac instances run only on Dedicated Hosts, got ${got}`);
    });

    test('Mac instance types of every family pass with tenancy host', () => {
      const instanceTypes = ['mac1.metal', 'mac2-m2pro.metal', 'mac-m4.metal'].map((t) => new ec2.InstanceType(t));
      newInfra({ instanceTypes, tenancy: Tenancy.HOST });
      expect(infraProperties()).toEqual(expect.objectContaining({
        InstanceTypes: ['mac1.metal', 'mac2-m2pro.metal', 'mac-m4.metal'],
        Placement: { Tenancy: 'host' },
      }));
    });

    test('accepts a resource group ARN with the group\'s ID', () => {
      const arn = 'arn:aws:resource-groups:us-east-1:123456789012:group/mac-hosts/0123456789abcdefghijklmnop';
      newInfra({ tenancy: Tenancy.HOST, hostResourceGroupArn: arn });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::InfrastructureConfiguration', {
        Placement: Match.objectLike({ HostResourceGroupArn: arn }),
      });
    });

    test('fails when hostResourceGroupArn is not a resource group ARN', () => {
      expect(() => newInfra({ tenancy: Tenancy.HOST, hostResourceGroupArn: 'arn:aws:ec2:us-east-1:123456789012:host/h-1' }))
        .toThrow(/hostResourceGroupArn must be a resource group ARN like .*, got 'arn:aws:ec2:us-east-1:123456789012:host\/h-1'/);
    });

    test('fails when availabilityZone is not the zone of the selected subnet', () => {
      expect(() => newInfra({ vpc: importedVpc(), availabilityZone: 'us-east-1b' }))
        .toThrow(/availabilityZone must be the zone of the selected subnet .* \('us-east-1a'\), got 'us-east-1b'; .*availabilityZones: \['us-east-1b'\]/);
    });

    test.each([
      ['a zone of another region', 'eu-west-1a', undefined],
      ['a region', 'us-east-1', undefined],
      ['a zone of a region whose code starts with this one', 'us-east-11a', undefined],
      ['a zone of another region, with a vpc', 'eu-west-1a', importedVpc],
    ])('fails when availabilityZone is %s (%s)', (_, availabilityZone, vpc) => {
      expect(() => newInfra({ availabilityZone, vpc: vpc?.() }))
        .toThrow(`availabilityZone must be the name of a zone of the stack's region us-east-1, such as us-east-1a (not a zone ID), got '${availabilityZone}'`);
    });

    test('availabilityZone may be a Local Zone of the stack\'s region, and is not checked in an environment-agnostic stack', () => {
      newInfra({ availabilityZone: 'us-east-1-bos-1a' });
      expect(infraProperties().Placement).toEqual({ AvailabilityZone: 'us-east-1-bos-1a' });
      new InfrastructureConfiguration(new Stack(app, 'Agnostic'), 'Infra', { availabilityZone: 'eu-west-1a' });
    });

    test('fails when the topic key belongs to another account', () => {
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:210987654321:key/0a1b2c3d-0000-0000-0000-000000000000');
      const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
      expect(() => newInfra({ notificationTopic: topic }))
        .toThrow('notificationTopic must be encrypted with a key of account 123456789012, where Image Builder runs, got a key of account 210987654321');
    });

    test('fails when an import gives neither an ARN nor a name', () => {
      expect(() => InfrastructureConfiguration.fromInfrastructureConfigurationAttributes(stack, 'Imported', {}))
        .toThrow('give infrastructureConfigurationArn or infrastructureConfigurationName to import an infrastructure configuration, got neither');
    });

    test('fails when an import gives a name that is not the one in the ARN', () => {
      expect(() => InfrastructureConfiguration.fromInfrastructureConfigurationAttributes(stack, 'Imported', {
        infrastructureConfigurationArn: 'arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/shared',
        infrastructureConfigurationName: 'other',
      })).toThrow(/infrastructureConfigurationName must be the name in infrastructureConfigurationArn, got 'other' .* with name 'shared'/);
    });

    test('fails when an imported ARN is of another resource type', () => {
      expect(() => InfrastructureConfiguration.fromInfrastructureConfigurationArn(stack, 'Imported',
        'arn:aws:imagebuilder:us-east-1:123456789012:distribution-configuration/shared'))
        .toThrow(/infrastructureConfigurationArn must be an Image Builder infrastructure-configuration ARN/);
    });

    test('errors carry the construct path', () => {
      expect(() => newInfra({ description: '' })).toThrow(expect.objectContaining({ constructPath: 'Stack/Infra' }));
    });
  });
});
