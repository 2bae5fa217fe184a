import { App, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnComponent } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Component, ComponentData, OsVersion, Platform } from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { grantedResources } from './helpers/grants';

const DOCUMENT = `name: hello
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

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function newComponent(props: Partial<ConstructorParameters<typeof Component>[2]> = {}, id = 'Component') {
  return new Component(stack, id, { platform: Platform.LINUX, data: ComponentData.fromInline(DOCUMENT), ...props });
}

describe('Component', () => {
  test('all properties', () => {
    const key = new kms.Key(stack, 'Key');
    newComponent({
      componentName: 'my-component',
      componentVersion: '2.3.4',
      description: 'says hello',
      changeDescription: 'first version',
      kmsKey: key,
      supportedOsVersions: [OsVersion.AMAZON_LINUX_2023, OsVersion.UBUNTU_24_04],
      tags: { team: 'platform' },
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', Match.objectEquals({
      Name: 'my-component',
      Version: '2.3.4',
      Platform: 'Linux',
      Data: DOCUMENT,
      Description: 'says hello',
      ChangeDescription: 'first version',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      SupportedOsVersions: ['Amazon Linux 2023', 'Ubuntu 24'],
      Tags: { team: 'platform' },
    }));
    expectValidTemplate(stack);
  });

  test('defaults: generated lowercase name and version 1.0.0', () => {
    newComponent();

    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('AWS::ImageBuilder::Component'));
    expect(resource.Properties.Version).toBe('1.0.0');
    expect(resource.Properties.Name).toMatch(/^[a-z0-9-]{3,128}$/);
    expect(resource.Properties.Name).toContain('component');
    expectValidTemplate(stack);
  });

  test('generated names are deterministic and unique per construct', () => {
    newComponent({}, 'First');
    newComponent({}, 'Second');
    const names = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))
      .map((r) => r.Properties.Name);

    const otherApp = new App();
    const otherStack = new Stack(otherApp, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
    new Component(otherStack, 'First', { platform: Platform.LINUX, data: ComponentData.fromInline(DOCUMENT) });
    const [again] = Object.values(Template.fromStack(otherStack).findResources('AWS::ImageBuilder::Component'))
      .map((r) => r.Properties.Name);

    expect(new Set(names).size).toBe(2);
    expect(again).toBe(names[0]);
  });

  test('componentArn is the version ARN built from the Name attribute', () => {
    const component = newComponent({ componentVersion: '1.2.3' });
    const logicalId = stack.getLogicalId(component.node.defaultChild as CfnComponent);

    expect(stack.resolve(component.componentArn)).toEqual({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:component/',
        { 'Fn::GetAtt': [logicalId, 'Name'] },
        '/1.2.3',
      ]],
    });
    expect(component.componentVersion).toBe('1.2.3');
    expect(stack.resolve(component.componentName)).toEqual({ 'Fn::GetAtt': [logicalId, 'Name'] });
  });

  test('build version ARN, type and encryption attributes', () => {
    const component = newComponent();
    const logicalId = stack.getLogicalId(component.node.defaultChild as CfnComponent);

    expect(stack.resolve(component.componentBuildVersionArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(component.componentType)).toEqual({ 'Fn::GetAtt': [logicalId, 'Type'] });
    expect(component.encrypted).toBe(true);
    expect(component.platform).toBe(Platform.LINUX);
    expect(Component.isComponent(component)).toBe(true);
    expect(Component.isComponent(Component.fromComponentName(stack, 'Imported', 'other'))).toBe(false);
  });

  test('a content change keeps the ARN string, so references to the component do not change', () => {
    const before = stack.resolve(newComponent({ componentName: 'stable' }).componentArn);

    const otherApp = new App();
    const otherStack = new Stack(otherApp, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
    const changed = new Component(otherStack, 'Component', {
      platform: Platform.LINUX,
      componentName: 'stable',
      data: ComponentData.fromInline(DOCUMENT.replace('echo hello', 'echo changed')),
    });

    expect(otherStack.resolve(changed.componentArn)).toEqual(before);
  });

  test('Tags.of applies tags', () => {
    const component = newComponent();
    Tags.of(component).add('cost-center', '42');

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', {
      Tags: { 'cost-center': '42' },
    });
  });

  test('Windows and macOS platforms', () => {
    newComponent({
      platform: Platform.WINDOWS,
      supportedOsVersions: [OsVersion.WINDOWS_SERVER_2022],
      data: ComponentData.fromInline(DOCUMENT.replace('ExecuteBash', 'ExecutePowerShell')),
    }, 'Windows');
    newComponent({ platform: Platform.MACOS, supportedOsVersions: [OsVersion.MACOS_15] }, 'Mac');

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::Component', { Platform: 'Windows', SupportedOsVersions: ['Microsoft Windows Server 2022'] });
    template.hasResourceProperties('AWS::ImageBuilder::Component', { Platform: 'macOS', SupportedOsVersions: ['macOS 15'] });
    expectValidTemplate(stack);
  });

  test('takes data that only binds, as a plain JavaScript object of a user may be', () => {
    const data = { bind: () => ({ data: DOCUMENT, documentText: DOCUMENT }) } as unknown as ComponentData;
    newComponent({ data });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', { Data: DOCUMENT });
  });

  describe('grants', () => {
    test('grantRead grants GetComponent on the version and its builds', () => {
      const component = newComponent({ componentName: 'my-component' });
      // The name is the resource's Name attribute, so that users of the ARN depend on the component.
      const versionArn = (rest: string) => ({
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:component/',
          { 'Fn::GetAtt': [stack.getLogicalId(component.node.defaultChild as CfnComponent), 'Name'] },
          rest,
        ]],
      });

      expect(grantedResources(stack, (grantee) => component.grantRead(grantee), 'imagebuilder:GetComponent'))
        .toEqual([versionArn('/1.0.0'), versionArn('/1.0.0/*')]);
      expectValidTemplate(stack);
    });

    test('grantRead adds kms:Decrypt on a customer key', () => {
      const key = new kms.Key(stack, 'Key');
      const component = newComponent({ kmsKey: key });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      component.grantRead(role);

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } }),
          ]),
        },
      });
    });

    test('grant on a wildcard import covers every version of the name', () => {
      const imported = Component.fromComponentAttributes(stack, 'Imported', { componentName: 'shared', componentVersion: '1.x.x' });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      imported.grant(role, 'imagebuilder:GetComponent', 'imagebuilder:ListComponentBuildVersions');

      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
      const resources = JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
      expect(resources).toContain('component/shared/1.x.x');
      expect(resources).toContain('component/shared/*');
    });

    /** The statements of the policy that `grantRead` on an import of `arn` gives a new role. */
    function grantReadStatementsOn(arn: string): unknown[] {
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      Component.fromComponentArn(stack, 'Imported', arn).grantRead(role);
      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
      return policy.Properties.PolicyDocument.Statement;
    }

    test('grant on a build version ARN import covers that one build', () => {
      const arn = 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared-tools/1.2.3/4';
      expect(grantReadStatementsOn(arn)).toEqual([{ Action: 'imagebuilder:GetComponent', Effect: 'Allow', Resource: arn }]);
      expectValidTemplate(stack);
    });

    test('grant on a wildcard ARN import covers every version of the name, in literal ARNs', () => {
      const arn = 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared-tools/1.x.x';
      expect(grantReadStatementsOn(arn)).toEqual([{
        Action: 'imagebuilder:GetComponent',
        Effect: 'Allow',
        Resource: [arn, 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared-tools/*'],
      }]);
      expectValidTemplate(stack);
    });
  });

  describe('imports', () => {
    test('fromComponentArn with a literal ARN splits name and version', () => {
      const imported = Component.fromComponentArn(stack, 'Imported',
        'arn:aws:imagebuilder:us-east-1:123456789012:component/shared-tools/1.2.3/4');

      expect(imported.componentName).toBe('shared-tools');
      expect(imported.componentVersion).toBe('1.2.3');
      expect(imported.componentArn).toBe('arn:aws:imagebuilder:us-east-1:123456789012:component/shared-tools/1.2.3/4');
    });

    test('fromComponentArn with a token ARN uses Fn::Split', () => {
      const imported = Component.fromComponentArn(stack, 'Imported', new iam.Role(stack, 'Role', {
        assumedBy: new iam.AccountRootPrincipal(),
      }).roleArn);

      const roleArn = stack.resolve((stack.node.findChild('Role') as iam.Role).roleArn);
      expect(stack.resolve(imported.componentName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', roleArn] }] });
      expect(stack.resolve(imported.componentVersion)).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', roleArn] }] });
    });

    test('fromComponentName imports the latest version in this stack', () => {
      const imported = Component.fromComponentName(stack, 'Imported', 'shared-tools');

      expect(imported.componentVersion).toBe('x.x.x');
      expect(stack.resolve(imported.componentArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:component/shared-tools/x.x.x']],
      });
    });

    test('fromComponentName takes a name with capitals, spaces and underscores, and builds the ARN as the service writes it', () => {
      const imported = Component.fromComponentName(stack, 'Imported', 'My Shared_Tools');

      expect(imported.componentName).toBe('My Shared_Tools');
      expect(stack.resolve(imported.componentArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:component/my-shared-tools/x.x.x']],
      });
    });

    test('fails when an imported componentName has characters the service does not accept', () => {
      expect(() => Component.fromComponentName(stack, 'Imported', 'shared/tools')).toThrow(/componentName must be .*got 'shared\/tools'/);
    });

    test('imports versions with leading zeros by name and by ARN', () => {
      const byName = Component.fromComponentAttributes(stack, 'ByName', { componentName: 'shared-tools', componentVersion: '2021.01.x' });
      const byArn = Component.fromComponentArn(stack, 'ByArn', 'arn:aws:imagebuilder:us-east-1:123456789012:component/shared-tools/2021.01.01/1');

      expect(byName.componentVersion).toBe('2021.01.x');
      expect(stack.resolve(byName.componentArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:component/shared-tools/2021.01.x']],
      });
      expect(byArn.componentName).toBe('shared-tools');
      expect(byArn.componentVersion).toBe('2021.01.01');
    });

    test('grant on a version with leading zeros covers its builds', () => {
      const component = newComponent({ componentName: 'dated', componentVersion: '2021.01.01' });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      component.grantRead(role);

      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
      const resources = JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
      expect(resources).toContain('/2021.01.01/*');
    });

    test('fromComponentAttributes keeps platform and version', () => {
      const imported = Component.fromComponentAttributes(stack, 'Imported', {
        componentName: 'shared-tools', componentVersion: '1.2.x', platform: Platform.WINDOWS,
      });

      expect(imported.platform).toBe(Platform.WINDOWS);
      expect(imported.componentVersion).toBe('1.2.x');
    });
  });

  describe('validation', () => {
    test('fails for a kmsKey of another region, created in this app or imported by ARN', () => {
      const other = new Stack(app, 'Other', { env: { account: '123456789012', region: 'eu-west-1' } });
      expect(() => newComponent({ kmsKey: new kms.Key(other, 'Key') }))
        .toThrow('kmsKey must be in region us-east-1, the region of the component, got Other/Key of region eu-west-1');
      expect(() => newComponent({ kmsKey: kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555') }, 'Second'))
        .toThrow("kmsKey must be in region us-east-1, the region of the component, got 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555' of region eu-west-1");
      expect(() => newComponent({ kmsKey: kms.Key.fromKeyArn(stack, 'Here', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555') }, 'Third')).not.toThrow();
    });

    test('fails when componentName has characters the service does not accept', () => {
      expect(() => newComponent({ componentName: 'bad/name' })).toThrow(/componentName must be .*got 'bad\/name'/);
    });

    test('fails when componentName is too short', () => {
      expect(() => newComponent({ componentName: 'ab' })).toThrow(/componentName .*got 'ab'/);
    });

    test('fails when componentName is too long', () => {
      expect(() => newComponent({ componentName: 'a'.repeat(129) })).toThrow(/componentName must be at most 128 characters/);
    });

    test('fails when componentName would change in the ARN', () => {
      expect(() => newComponent({ componentName: 'My Tools' }))
        .toThrow("componentName must use lowercase letters, numbers and hyphens so that it appears unchanged in ARNs, got 'My Tools'; use 'my-tools'");
    });

    test('fails when componentVersion is malformed', () => {
      expect(() => newComponent({ componentVersion: '1.0' })).toThrow(/componentVersion .*got '1\.0'/);
    });

    test('fails when componentVersion has a wildcard', () => {
      expect(() => newComponent({ componentVersion: '1.0.x' })).toThrow(/componentVersion .*wildcard.*'1\.0\.x'|componentVersion .*'1\.0\.x'.*wildcard/);
    });

    test('accepts a componentVersion with leading zeros, such as a date', () => {
      newComponent({ componentVersion: '2021.01.01' });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', { Version: '2021.01.01' });
      expectValidTemplate(stack);
    });

    test('fails when componentVersion is over the service bound', () => {
      expect(() => newComponent({ componentVersion: '1.0.1073741824' })).toThrow(/componentVersion .*1073741823/);
    });

    test('fails when description is too long', () => {
      expect(() => newComponent({ description: 'd'.repeat(1025) })).toThrow('description must be 1 to 1024 characters, got 1025');
    });

    test('fails on a tag key with characters Image Builder refuses', () => {
      expect(() => newComponent({ tags: { 'team#1': 'x' } })).toThrow("tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
    });

    test('fails when changeDescription is empty', () => {
      expect(() => newComponent({ changeDescription: '' })).toThrow('changeDescription must be 1 to 1024 characters, got 0');
    });

    test('accepts 1 and 25 supportedOsVersions', () => {
      newComponent({ supportedOsVersions: [OsVersion.AMAZON_LINUX_2023] }, 'One');
      const many = Array.from({ length: 25 }, (_, i) => OsVersion.of(Platform.LINUX, `Custom Linux ${i}`));
      newComponent({ supportedOsVersions: many }, 'TwentyFive');

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ImageBuilder::Component', { SupportedOsVersions: ['Amazon Linux 2023'] });
      template.hasResourceProperties('AWS::ImageBuilder::Component', { SupportedOsVersions: many.map((os) => os.name) });
      expectValidTemplate(stack);
    });

    test('accepts a one-character OS name', () => {
      expect(() => newComponent({ supportedOsVersions: [OsVersion.of(Platform.LINUX, 'A')] })).not.toThrow();
    });

    test('fails when supportedOsVersions is empty', () => {
      expect(() => newComponent({ supportedOsVersions: [] })).toThrow(
        'supportedOsVersions must have 1 to 25 OS versions, got 0; leave it out to support every OS of the platform');
    });

    test('fails when supportedOsVersions has more than 25 entries', () => {
      const many = Array.from({ length: 26 }, (_, i) => OsVersion.of(Platform.LINUX, `Custom Linux ${i}`));
      expect(() => newComponent({ supportedOsVersions: many })).toThrow(
        'supportedOsVersions must have 1 to 25 OS versions, got 26; leave it out to support every OS of the platform');
    });

    test.each(['', ' ', '\t'])('fails when a supportedOsVersions name is empty or blank: %p', (name) => {
      expect(() => newComponent({ supportedOsVersions: [OsVersion.AMAZON_LINUX_2023, OsVersion.of(Platform.LINUX, name)] }))
        .toThrow(`supportedOsVersions names must not be empty or blank, got '${name}'`);
    });

    test('fails when supportedOsVersions do not fit the platform', () => {
      expect(() => newComponent({ supportedOsVersions: [OsVersion.WINDOWS_SERVER_2022] }))
        .toThrow("supportedOsVersions must be Linux versions for a Linux component, got 'Microsoft Windows Server 2022' (Windows)");
    });

    test('fails when an import gives both an ARN and a name', () => {
      expect(() => Component.fromComponentAttributes(stack, 'Imported', {
        componentArn: 'arn:aws:imagebuilder:us-east-1:123456789012:component/a-b/1.0.0',
        componentName: 'a-b',
      })).toThrow('give componentArn, or componentName with componentVersion, not both; ' +
        "got componentArn 'arn:aws:imagebuilder:us-east-1:123456789012:component/a-b/1.0.0' and componentName 'a-b'");
    });

    test('fails when an import gives neither an ARN nor a name', () => {
      expect(() => Component.fromComponentAttributes(stack, 'Imported', {}))
        .toThrow('give componentArn or componentName to import a component, got neither');
    });

    test('fails when an import gives a version without a name', () => {
      expect(() => Component.fromComponentAttributes(stack, 'Imported', { componentVersion: '1.0.0' }))
        .toThrow("componentVersion needs a componentName, got only componentVersion '1.0.0'");
    });

    test('fails when an imported ARN has a malformed version, saying so', () => {
      expect(() => Component.fromComponentArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:component/a-b/1.0'))
        .toThrow(/^componentArn must be an Image Builder component ARN like .*; its version must be major\.minor\.patch .*, got '/);
    });

    test('fails when an imported ARN is of another resource type', () => {
      expect(() => Component.fromComponentArn(stack, 'Imported',
        'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/a-b/1.0.0')).toThrow(/componentArn must be an Image Builder component ARN/);
    });

    test('fails when an imported version has a wildcard in the middle', () => {
      expect(() => Component.fromComponentAttributes(stack, 'Imported', { componentName: 'a-b', componentVersion: 'x.1.x' }))
        .toThrow(/componentVersion .*'x\.1\.x'/);
    });

    test('errors carry the construct path', () => {
      expect(() => newComponent({ componentVersion: 'one' })).toThrow(expect.objectContaining({ constructPath: 'Stack/Component' }));
    });
  });
});
