import { App, CfnParameter, Lazy, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnImageRecipe } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  AwsManagedComponent, AwsManagedImage, Component, ComponentData, ComponentDocument, ComponentPhaseName, ComponentStep,
  EbsVolumeType, IImageRecipe, ImageRecipe, ImageRecipeProps, OsVersion, ParentImage, Platform, RecipeBlockDevice,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { grantedResources, imageBuilderArnInStack } from './helpers/grants';
import { logicalIdOf } from './helpers/logical-ids';
import * as simpleYaml from '../src/private/toe/simple-yaml';

const PARAMETERIZED = `schemaVersion: 1.0
parameters:
  - Version:
      type: string
  - Channel:
      type: string
      default: stable
phases:
  - name: build
    steps:
      - name: Install
        action: ExecuteBash
        inputs:
          commands:
            - echo {{ Version }} {{ Channel }}
`;
const BUILD_ONLY = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Install\n        action: ExecuteBash\n        inputs:\n          commands: [true]\n';
const TEST_ONLY = 'schemaVersion: 1.0\nphases:\n  - name: test\n    steps:\n      - name: Check\n        action: ExecuteBash\n        inputs:\n          commands: [true]\n';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function linuxUpdate(id = 'Update') {
  return AwsManagedComponent.updateOs(stack, id, { platform: Platform.LINUX });
}

function newRecipe(props: Partial<ImageRecipeProps> = {}, id = 'Recipe') {
  return new ImageRecipe(stack, id, {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: linuxUpdate(`${id}Update`) }],
    ...props,
  });
}

describe('ImageRecipe', () => {
  test('defaults: generated name, version 1.0.x, the components in order', () => {
    const tools = new Component(stack, 'Tools', { platform: Platform.LINUX, data: ComponentData.fromInline(PARAMETERIZED) });
    const recipe = newRecipe({
      components: [
        { component: linuxUpdate() },
        { component: tools, parameters: { Version: '1.2.3' } },
      ],
    });

    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('AWS::ImageBuilder::ImageRecipe'));
    expect(resource.Properties.Version).toBe('1.0.x');
    expect(resource.Properties.Name).toMatch(/^[a-z0-9-]{3,128}$/);
    expect(resource.Properties.Components).toHaveLength(2);
    expect(resource.Properties.Components[1].Parameters).toEqual([{ Name: 'Version', Value: ['1.2.3'] }]);
    expect(stack.resolve(resource.Properties.Components[1].ComponentArn)).toEqual(stack.resolve(tools.componentArn));
    expect(recipe.platform).toBe(Platform.LINUX);
    expectValidTemplate(stack);
  });

  test('all properties', () => {
    const key = new kms.Key(stack, 'Key');
    const userData = ec2.UserData.forLinux();
    userData.addCommands('dnf install -y amazon-ssm-agent', 'systemctl enable --now amazon-ssm-agent');
    newRecipe({
      imageRecipeName: 'golden-al2023',
      recipeVersion: '2.1.0',
      description: 'Golden Amazon Linux 2023',
      workingDirectory: '/opt/build',
      userDataOverride: userData,
      uninstallSsmAgentAfterBuild: true,
      amiTags: { team: 'platform' },
      tags: { cost: '42' },
      blockDevices: [
        RecipeBlockDevice.ebs('/dev/xvda', {
          volumeSize: Size.gibibytes(30), volumeType: EbsVolumeType.GP3, iops: 4000, throughput: 250, kmsKey: key, deleteOnTermination: true,
        }),
        RecipeBlockDevice.noDevice('/dev/sdb'),
        RecipeBlockDevice.ephemeral('/dev/sdc', 0),
      ],
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
      Name: 'golden-al2023',
      Version: '2.1.0',
      Description: 'Golden Amazon Linux 2023',
      WorkingDirectory: '/opt/build',
      AmiTags: { team: 'platform' },
      Tags: { cost: '42' },
      AdditionalInstanceConfiguration: {
        SystemsManagerAgent: { UninstallAfterBuild: true },
        UserDataOverride: { 'Fn::Base64': Match.stringLikeRegexp('amazon-ssm-agent') },
      },
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: {
            VolumeSize: 30,
            VolumeType: 'gp3',
            Iops: 4000,
            Throughput: 250,
            Encrypted: true,
            DeleteOnTermination: true,
            KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
          },
        },
        { DeviceName: '/dev/sdb', NoDevice: '' },
        { DeviceName: '/dev/sdc', VirtualName: 'ephemeral0' },
      ],
    });
    expectValidTemplate(stack);
  });

  test('addComponent appends after the components of the props', () => {
    const recipe = newRecipe();
    recipe.addComponent(AwsManagedComponent.reboot(stack, 'Reboot', { platform: Platform.LINUX }));

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'));
    expect(JSON.stringify(resource.Properties.Components[1])).toContain('reboot-linux');
  });

  test('components lists those of the props, then those added, with their parameters; changing the list changes nothing', () => {
    const update = linuxUpdate();
    const tools = new Component(stack, 'Tools', { platform: Platform.LINUX, data: ComponentData.fromInline(PARAMETERIZED) });
    const recipe = newRecipe({ components: [{ component: update }] });
    recipe.addComponent(tools, { Version: '1.2.3' });

    expect(recipe.components).toEqual([{ component: update, parameters: undefined }, { component: tools, parameters: { Version: '1.2.3' } }]);
    recipe.components.pop();
    expect(recipe.components).toHaveLength(2);
  });

  test('attributes: ARN, name, version read from the ARN, latest-version ARN', () => {
    const recipe = newRecipe();
    const logicalId = stack.getLogicalId(recipe.node.defaultChild as CfnImageRecipe);

    expect(stack.resolve(recipe.imageRecipeArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(recipe.imageRecipeName)).toEqual({ 'Fn::GetAtt': [logicalId, 'Name'] });
    expect(stack.resolve(recipe.imageRecipeVersion)).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId, 'Arn'] }] }] });
    expect(stack.resolve(recipe.imageRecipeLatestVersionArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'LatestVersion.Arn'] });
    expect(newRecipe({ recipeVersion: '3.0.0' }, 'Pinned').imageRecipeVersion).toBe('3.0.0');
    expect(ImageRecipe.isImageRecipe(recipe)).toBe(true);
  });

  test('a version read from the ARN is made once: every read returns the same token', () => {
    const recipe = newRecipe();

    expect(recipe.imageRecipeVersion).toBe(recipe.imageRecipeVersion);
  });

  describe('grants cover the version ARNs IAM checks', () => {
    const PREFIX = 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe';
    const inStack = (rest: string) => imageBuilderArnInStack('image-recipe', rest);

    /** The resources of the one statement `grantRead` on `recipe` gives a new role. */
    const grantReadResources = (recipe: IImageRecipe) => grantedResources(stack, (grantee) => recipe.grantRead(grantee), 'imagebuilder:GetImageRecipe');

    test('a created recipe with a wildcard version: the version this deployment created, alone', () => {
      const recipe = newRecipe({ recipeVersion: '1.0.x' });
      expect(grantReadResources(recipe)).toEqual({ 'Fn::GetAtt': [logicalIdOf(recipe), 'Arn'] });
      expectValidTemplate(stack);
    });

    test('fromImageRecipeName: every version of the name, as the ARN writes it', () => {
      expect(grantReadResources(ImageRecipe.fromImageRecipeName(stack, 'Imported', 'My Recipe')))
        .toEqual([inStack('my-recipe/x.x.x'), inStack('my-recipe/*')]);
      expectValidTemplate(stack);
    });

    test('a version by name: that version ARN alone', () => {
      const imported = ImageRecipe.fromImageRecipeAttributes(stack, 'Imported', { imageRecipeName: 'my-recipe', imageRecipeVersion: '1.2.3' });
      expect(grantReadResources(imported)).toEqual(inStack('my-recipe/1.2.3'));
      expectValidTemplate(stack);
    });

    test('a wildcard version by name: every version of the name', () => {
      const imported = ImageRecipe.fromImageRecipeAttributes(stack, 'Imported', { imageRecipeName: 'my-recipe', imageRecipeVersion: '1.x.x' });
      expect(grantReadResources(imported)).toEqual([inStack('my-recipe/1.x.x'), inStack('my-recipe/*')]);
      expectValidTemplate(stack);
    });

    test('a version ARN: that ARN alone', () => {
      const arn = `${PREFIX}/golden/1.2.3`;
      expect(grantReadResources(ImageRecipe.fromImageRecipeArn(stack, 'Imported', arn))).toEqual(arn);
      expectValidTemplate(stack);
    });

    test('a wildcard version ARN: every version of the name, in literal ARNs', () => {
      const arn = `${PREFIX}/golden/x.x.x`;
      expect(grantReadResources(ImageRecipe.fromImageRecipeArn(stack, 'Imported', arn))).toEqual([arn, `${PREFIX}/golden/*`]);
      expectValidTemplate(stack);
    });

    test('an ARN known only at deployment: every version of the name in it', () => {
      const parameter = new CfnParameter(stack, 'RecipeArn');
      const segments = { 'Fn::Split': ['/', { Ref: 'RecipeArn' }] };
      expect(grantReadResources(ImageRecipe.fromImageRecipeArn(stack, 'Imported', parameter.valueAsString))).toEqual([
        { Ref: 'RecipeArn' },
        { 'Fn::Join': ['', [{ 'Fn::Join': ['/', [{ 'Fn::Select': [0, segments] }, { 'Fn::Select': [1, segments] }]] }, '/*']] },
      ]);
      expectValidTemplate(stack);
    });
  });

  test('an import by a name with capitals and spaces gets the ARN the service writes for it', () => {
    const recipe = ImageRecipe.fromImageRecipeName(stack, 'Spaced', 'Golden Base_Recipe');
    expect(recipe.imageRecipeName).toBe('Golden Base_Recipe');
    expect(stack.resolve(recipe.imageRecipeArn)['Fn::Join'][1][2]).toBe(':imagebuilder:us-east-1:123456789012:image-recipe/golden-base-recipe/x.x.x');
  });

  test('imports', () => {
    const byArn = ImageRecipe.fromImageRecipeArn(stack, 'ByArn', 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/golden/1.2.3');
    const byName = ImageRecipe.fromImageRecipeName(stack, 'ByName', 'golden');

    expect(byArn.imageRecipeName).toBe('golden');
    expect(byArn.imageRecipeVersion).toBe('1.2.3');
    expect(byName.imageRecipeVersion).toBe('x.x.x');
    expect(ImageRecipe.isImageRecipe(byArn)).toBe(false);
    expect(() => ImageRecipe.fromImageRecipeAttributes(stack, 'Both', { imageRecipeArn: byArn.imageRecipeArn, imageRecipeName: 'golden' }))
      .toThrow('give imageRecipeArn, or imageRecipeName with imageRecipeVersion, not both; ' +
        "got imageRecipeArn 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/golden/1.2.3' and imageRecipeName 'golden'");
  });

  test('components of an unknown parent image must agree with each other', () => {
    expect(() => new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0'),
      components: [
        { component: linuxUpdate() },
        { component: AwsManagedComponent.updateOs(stack, 'Windows', { platform: Platform.WINDOWS }) },
      ],
    })).toThrow("components must all run on Linux, got component 'update-windows' for Windows");
  });

  describe('validation', () => {
    describe('the supportedOsVersions of components against the parent image, which Image Builder matches by prefix', () => {
      const forOs = (id: string, platform: Platform, ...supportedOsVersions: OsVersion[]) =>
        new Component(stack, id, {
          platform,
          data: ComponentData.fromInline(platform === Platform.WINDOWS ? BUILD_ONLY.replace('ExecuteBash', 'ExecutePowerShell') : BUILD_ONLY),
          supportedOsVersions,
        });

      test('fails for a component none of whose versions is the parent image\'s', () => {
        expect(() => newRecipe({ components: [{ component: forOs('Ubuntu', Platform.LINUX, OsVersion.UBUNTU_24_04, OsVersion.RHEL) }] }))
          .toThrow("components must support the parent image's operating system, Amazon Linux 2023, got component Stack/Ubuntu " +
            "with supportedOsVersions 'Ubuntu 24', 'Red Hat Enterprise Linux'");
        expect(() => new ImageRecipe(stack, 'Windows', {
          parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL),
          components: [{ component: forOs('Windows2019', Platform.WINDOWS, OsVersion.WINDOWS_SERVER_2019) }],
        })).toThrow(/components must support the parent image's operating system, Microsoft Windows Server 2022, got component Stack\/Windows2019/);
      });

      test('takes a version that is a prefix of the parent\'s or the parent\'s itself, any component on a parent of unknown OS, and names of OsVersion.of', () => {
        newRecipe({ components: [{ component: forOs('AnyAmazonLinux', Platform.LINUX, OsVersion.AMAZON_LINUX) }] }, 'Prefix');
        newRecipe({ components: [{ component: forOs('Both', Platform.LINUX, OsVersion.UBUNTU_24_04, OsVersion.AMAZON_LINUX_2023) }] }, 'Listed');
        newRecipe({
          parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0', { platform: Platform.LINUX }),
          components: [{ component: forOs('UbuntuOnly', Platform.LINUX, OsVersion.UBUNTU_24_04) }],
        }, 'UnknownOs');
        // The library does not know how a name of OsVersion.of is written, so it does not compare it.
        newRecipe({ components: [{ component: forOs('Custom', Platform.LINUX, OsVersion.of(Platform.LINUX, 'SUSE Linux Enterprise Server 15')) }] }, 'CustomName');
        expect(Object.keys(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'))).toHaveLength(4);
      });
    });

    test('fails when a component does not match the parent image platform', () => {
      expect(() => newRecipe({ components: [{ component: AwsManagedComponent.updateOs(stack, 'Win', { platform: Platform.WINDOWS }) }] }))
        .toThrow("components must all run on Linux, the platform of the parent image, got component 'update-windows' for Windows");
    });

    test('fails with no component', () => {
      newRecipe({ components: [] });
      expect(() => app.synth()).toThrow(/components must hold at least one build component, got none/);
    });

    test('fails with only test components', () => {
      const check = new Component(stack, 'Check', { platform: Platform.LINUX, data: ComponentData.fromInline(TEST_ONLY) });
      newRecipe({ components: [{ component: check }] });
      expect(() => app.synth()).toThrow(/components must hold at least one build component, got only test components \(1\)/);
    });

    test('fails with more than 20 components', () => {
      const recipe = newRecipe({ components: [] });
      for (let i = 0; i < 20; i++) recipe.addComponent(linuxUpdate(`U${i}`));
      expect(() => recipe.addComponent(linuxUpdate('U20'))).toThrow('components must be at most 20, got 21');
    });

    test('fails on a parameter the component does not declare', () => {
      const tools = new Component(stack, 'Tools', { platform: Platform.LINUX, data: ComponentData.fromInline(PARAMETERIZED) });
      expect(() => newRecipe({ components: [{ component: tools, parameters: { Version: '1', Colour: 'red' } }] }))
        .toThrow(/parameters of component .* must be among those its document declares \(Version, Channel\), got 'Colour'/);
    });

    test('fails when a parameter without default is missing', () => {
      const tools = new Component(stack, 'Tools', { platform: Platform.LINUX, data: ComponentData.fromInline(PARAMETERIZED) });
      expect(() => newRecipe({ components: [{ component: tools }] })).toThrow(/must give 'Version', which has no default/);
    });

    test('fails on a parameter a component without document validation does not declare', () => {
      const tools = new Component(stack, 'Tools', {
        platform: Platform.LINUX, data: ComponentData.fromInline(PARAMETERIZED), validateDocument: false,
      });
      expect(() => newRecipe({ components: [{ component: tools, parameters: { Version: '1', Colour: 'red' } }] }))
        .toThrow(/must be among those its document declares \(Version, Channel\), got 'Colour'/);
    });

    test('leaves the parameters of an unchecked component to the service when its text is not a document', () => {
      // With validateDocument: false nothing has checked the text; what it declares is unknown.
      const raw = new Component(stack, 'Raw', {
        platform: Platform.LINUX, data: ComponentData.fromInline('- not\n- a document\n'), validateDocument: false,
      });
      expect(() => newRecipe({ components: [{ component: raw, parameters: { Anything: 'x' } }] })).not.toThrow();
    });

    test('reads the parameters from the parse that validated the component: the text is parsed once', () => {
      const parse = jest.spyOn(simpleYaml, 'parseSimpleYaml');
      try {
        const tools = new Component(stack, 'Tools', { platform: Platform.LINUX, data: ComponentData.fromInline(PARAMETERIZED) });
        newRecipe({ components: [{ component: tools, parameters: { Version: '1' } }] });
        app.synth();
        expect(parse.mock.calls.filter(([text]) => text === PARAMETERIZED)).toHaveLength(1);
      } finally {
        parse.mockRestore();
      }
    });

    test('fails on a missing parameter of a document built in code, without parsing its YAML', () => {
      const document = new ComponentDocument({ name: 'tools' });
      document.addParameter('Version');
      document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('Install', { commands: ['echo {{ Version }}'] }));
      const parse = jest.spyOn(simpleYaml, 'parseSimpleYaml');
      try {
        const tools = new Component(stack, 'Tools', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) });
        expect(() => newRecipe({ components: [{ component: tools }] })).toThrow(/must give 'Version', which has no default/);
        expect(parse).not.toHaveBeenCalled();
      } finally {
        parse.mockRestore();
      }
    });

    test('fails on a malformed name', () => {
      expect(() => newRecipe({ imageRecipeName: 'a' })).toThrow(/imageRecipeName .*got 'a'/);
    });

    test('fails on a malformed version', () => {
      expect(() => newRecipe({ recipeVersion: '1.0' })).toThrow(/recipeVersion .*got '1\.0'/);
    });

    test('fails on a wildcard outside the patch number', () => {
      expect(() => newRecipe({ recipeVersion: '1.x.x' })).toThrow("recipeVersion may use x only for the patch number, e.g. 1.0.x, got '1.x.x'");
    });

    test('fails on a description that is too long', () => {
      expect(() => newRecipe({ description: 'd'.repeat(1025) })).toThrow('description must be 1 to 1024 characters, got 1025');
    });

    test('description is counted in characters, so 1024 emoji are accepted', () => {
      newRecipe({ description: '😀'.repeat(1024) });
      expect(() => newRecipe({ description: '😀'.repeat(1025) }, 'Longer')).toThrow('description must be 1 to 1024 characters, got 1025');
    });

    test('fails on an empty working directory', () => {
      expect(() => newRecipe({ workingDirectory: '' })).toThrow('workingDirectory must be 1 to 1024 characters, got 0');
    });

    test('fails on too many AMI tags', () => {
      const amiTags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      expect(() => newRecipe({ amiTags })).toThrow('amiTags must have at most 50 tags, got 51');
    });

    test('fails on an AMI tag key starting with aws:', () => {
      expect(() => newRecipe({ amiTags: { 'aws:owner': 'me' } })).toThrow("amiTags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:owner'");
    });

    test('fails on an AMI tag value that is too long', () => {
      expect(() => newRecipe({ amiTags: { owner: 'v'.repeat(257) } })).toThrow("amiTags values must be at most 256 characters, got 257 for 'owner'");
    });

    test('AMI tag values are counted in characters, so 256 emoji are accepted', () => {
      newRecipe({ amiTags: { owner: '😀'.repeat(256) } });
      expect(() => newRecipe({ amiTags: { owner: '😀'.repeat(257) } }, 'Longer')).toThrow("amiTags values must be at most 256 characters, got 257 for 'owner'");
    });

    test('fails on an instance store volume index EC2 does not name', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ephemeral('/dev/sdc', 24)] }))
        .toThrow("blockDevices '/dev/sdc': volumeIndex must be a whole number from 0 to 23, got 24");
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ephemeral('/dev/sdc', -1)] }, 'Second'))
        .toThrow("blockDevices '/dev/sdc': volumeIndex must be a whole number from 0 to 23, got -1");
    });

    test('fails on IOPS for a volume type without them', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP2, iops: 3000 })] }))
        .toThrow("blockDevices '/dev/xvda': iops is only for io1, io2 and gp3 volumes, got volumeType 'gp2'");
    });

    test('fails on io2 without IOPS', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.IO2 })] }))
        .toThrow("blockDevices '/dev/xvda': io2 volumes need iops");
    });

    test('accepts throughput without a volume type: the parent image\'s type may be gp3', () => {
      newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { throughput: 250 })] });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Throughput: 250 }) }],
      });
    });

    test('fails on throughput for a volume type other than gp3', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.IO1, iops: 1000, throughput: 500 })] }))
        .toThrow("blockDevices '/dev/xvda': throughput is only for gp3 volumes, got volumeType 'io1'");
    });

    test('fails on IOPS below 100', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.IO1, iops: 99 })] }))
        .toThrow("blockDevices '/dev/xvda': iops must be a whole number from 100 to 64000, got 99");
    });

    test('fails on IOPS above 64000', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.IO2, iops: 64_001 })] }))
        .toThrow("blockDevices '/dev/xvda': iops must be a whole number from 100 to 64000, got 64001");
    });

    test('fails on IOPS that are not a whole number', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.IO1, iops: 150.5 })] }))
        .toThrow("blockDevices '/dev/xvda': iops must be a whole number from 100 to 64000, got 150.5");
    });

    test('fails on gp3 IOPS below 3000', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, iops: 2_999 })] }))
        .toThrow("blockDevices '/dev/xvda': iops must be a whole number from 3000 to 64000 for gp3 volumes, got 2999");
    });

    test.each([
      [EbsVolumeType.GP3, 8, 16_000, '500 per GiB for gp3 volumes (4000 for 8 GiB)'],
      [EbsVolumeType.GP3, 4, 3_100, '500 per GiB for gp3 volumes (3000 for 4 GiB, the baseline)'],
      [EbsVolumeType.IO1, 8, 3_000, '50 per GiB for io1 volumes (400 for 8 GiB)'],
      [EbsVolumeType.IO2, 8, 10_000, '1000 per GiB for io2 volumes (8000 for 8 GiB)'],
    ])('fails on more IOPS per GiB than EC2 allows for %s (%d GiB, %d IOPS)', (volumeType, gib, iops, limit) => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType, volumeSize: Size.gibibytes(gib), iops })] }))
        .toThrow(`blockDevices '/dev/xvda': iops must be at most ${limit}, got ${iops}`);
    });

    test('IOPS at the per-GiB limit pass, and a gp3 volume of any size may have the 3000 IOPS baseline', () => {
      newRecipe({
        blockDevices: [
          RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, volumeSize: Size.gibibytes(8), iops: 4_000 }),
          RecipeBlockDevice.ebs('/dev/xvdb', { volumeType: EbsVolumeType.GP3, volumeSize: Size.gibibytes(1), iops: 3_000 }),
          RecipeBlockDevice.ebs('/dev/xvdc', { volumeType: EbsVolumeType.IO1, volumeSize: Size.gibibytes(8), iops: 400 }),
          RecipeBlockDevice.ebs('/dev/xvdd', { volumeType: EbsVolumeType.IO2, volumeSize: Size.gibibytes(8), iops: 8_000 }),
        ],
      });
      const [recipe] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'));
      expect(recipe.Properties.BlockDeviceMappings.map((m: any) => m.Ebs.Iops)).toEqual([4_000, 3_000, 400, 8_000]);
    });

    test.each([
      [undefined, 1_000, '750 for the baseline 3000 IOPS'],
      [3_200, 801, '800 for 3200 IOPS'],
    ])('fails on more gp3 throughput per IOPS than EC2 allows (iops %s, throughput %d)', (iops, throughput, limit) => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, iops, throughput })] }))
        .toThrow(`blockDevices '/dev/xvda': throughput must be at most 0.25 MiB/s per IOPS for gp3 volumes (${limit}), got ${throughput}`);
    });

    test('gp3 throughput at 0.25 MiB/s per IOPS passes, and ratios are not checked when a value is known only at deployment', () => {
      const iops = new CfnParameter(stack, 'Iops', { type: 'Number' }).valueAsNumber;
      newRecipe({
        blockDevices: [
          RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, throughput: 750 }),
          RecipeBlockDevice.ebs('/dev/xvdb', { volumeType: EbsVolumeType.GP3, iops, throughput: 1_000 }),
          RecipeBlockDevice.ebs('/dev/xvdc', { volumeType: EbsVolumeType.IO1, iops: 64_000 }),
        ],
      });
      const [recipe] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'));
      expect(recipe.Properties.BlockDeviceMappings.map((m: any) => m.Ebs.Throughput)).toEqual([750, 1_000, undefined]);
    });

    test('fails on throughput below 125 or above 1000', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, throughput: 124 })] }))
        .toThrow("blockDevices '/dev/xvda': throughput must be a whole number from 125 to 1000, got 124");
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, throughput: 1_001 })] }, 'High'))
        .toThrow("blockDevices '/dev/xvda': throughput must be a whole number from 125 to 1000, got 1001");
    });

    test('fails on a volume size below 1 GiB', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeSize: Size.mebibytes(512) })] }))
        .toThrow("blockDevices '/dev/xvda': volumeSize must be a whole number of GiB from 1 to 16000, got 0.5 GiB");
    });

    test('fails on a volume size above 16000 GiB', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeSize: Size.gibibytes(16_001) })] }))
        .toThrow("blockDevices '/dev/xvda': volumeSize must be a whole number of GiB from 1 to 16000, got 16001 GiB");
    });

    test('fails on an io2 volume below 4 GiB', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvdb', { volumeType: EbsVolumeType.IO2, iops: 100, volumeSize: Size.gibibytes(3) })] }))
        .toThrow("blockDevices '/dev/xvdb': volumeSize must be a whole number of GiB from 4 to 16000 for io2 volumes, got 3 GiB");
    });

    test('fails on an st1 volume below 125 GiB', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvdb', { volumeType: EbsVolumeType.ST1, volumeSize: Size.gibibytes(124) })] }))
        .toThrow("blockDevices '/dev/xvdb': volumeSize must be a whole number of GiB from 125 to 16000 for st1 volumes, got 124 GiB");
    });

    test('fails on a magnetic volume above 1024 GiB', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvdb', { volumeType: EbsVolumeType.STANDARD, volumeSize: Size.gibibytes(1_025) })] }))
        .toThrow("blockDevices '/dev/xvdb': volumeSize must be a whole number of GiB from 1 to 1024 for standard volumes, got 1025 GiB");
    });

    test('accepts EBS values at the edges of their ranges, and tokens', () => {
      newRecipe({
        blockDevices: [
          RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, iops: 3_000, throughput: 125, volumeSize: Size.gibibytes(16_000) }),
          RecipeBlockDevice.ebs('/dev/xvdb', { volumeType: EbsVolumeType.GP3, iops: 64_000, throughput: 1_000, volumeSize: Size.gibibytes(128) }),
          RecipeBlockDevice.ebs('/dev/xvdc', { volumeType: EbsVolumeType.IO1, iops: 100, volumeSize: Size.gibibytes(4) }),
          RecipeBlockDevice.ebs('/dev/xvdd', { volumeType: EbsVolumeType.IO2, iops: 64_000, volumeSize: Size.gibibytes(64) }),
          RecipeBlockDevice.ebs('/dev/xvde', { volumeType: EbsVolumeType.ST1, volumeSize: Size.gibibytes(125) }),
          RecipeBlockDevice.ebs('/dev/xvdf', { volumeType: EbsVolumeType.SC1, volumeSize: Size.gibibytes(125) }),
          RecipeBlockDevice.ebs('/dev/xvdg', { volumeType: EbsVolumeType.STANDARD, volumeSize: Size.gibibytes(1_024) }),
          RecipeBlockDevice.ebs('/dev/xvdh', {
            volumeType: EbsVolumeType.IO2,
            iops: Token.asNumber(Lazy.number({ produce: () => 50 })),
            volumeSize: Size.gibibytes(Token.asNumber(Lazy.number({ produce: () => 2 }))),
          }),
        ],
      });

      const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'));
      expect(resource.Properties.BlockDeviceMappings.map((device: any) => device.Ebs.VolumeSize)).toEqual([16000, 128, 4, 64, 125, 125, 1024, 2]);
      expect(resource.Properties.BlockDeviceMappings.map((device: any) => device.Ebs.Iops))
        .toEqual([3000, 64000, 100, 64000, undefined, undefined, undefined, 50]);
    });

    test('fails on a KMS key with encryption off', () => {
      const key = new kms.Key(stack, 'Key');
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { kmsKey: key, encrypted: false })] }))
        .toThrow("blockDevices '/dev/xvda': a kmsKey needs encrypted true, got encrypted false");
    });

    test('fails on a malformed snapshot ID', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { snapshotId: 'snapshot-1' })] }))
        .toThrow("blockDevices '/dev/xvda': snapshotId must be 'snap-' and 8 or 17 hexadecimal digits, got 'snapshot-1'");
    });

    test('warns on uninstallSsmAgentAfterBuild true for a Windows parent image, and takes false as it is', () => {
      const windows = (id: string, uninstallSsmAgentAfterBuild: boolean) => new ImageRecipe(stack, id, {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_CORE),
        components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.WINDOWS }) }],
        uninstallSsmAgentAfterBuild,
      });
      windows('Uninstall', true);
      windows('Keep', false);
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Stack/Uninstall', Match.stringLikeRegexp(
        '^uninstallSsmAgentAfterBuild is true with a Windows parent image: Image Builder installs the SSM agent, and so can remove it, only on Linux'));
      annotations.hasNoWarning('/Stack/Keep', Match.anyValue());
      const recipes = Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe');
      expect(Object.values(recipes).map((r: any) => r.Properties.AdditionalInstanceConfiguration?.SystemsManagerAgent))
        .toEqual([{ UninstallAfterBuild: true }, { UninstallAfterBuild: false }]);
    });

    test('accepts uninstallSsmAgentAfterBuild for Linux, macOS and parent images of unknown platform', () => {
      const recipes = [
        newRecipe({ uninstallSsmAgentAfterBuild: true }, 'Linux'),
        new ImageRecipe(stack, 'Mac', {
          parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.MACOS_15),
          components: [{ component: new Component(stack, 'MacTools', { platform: Platform.MACOS, data: ComponentData.fromInline(BUILD_ONLY) }) }],
          uninstallSsmAgentAfterBuild: true,
        }),
        newRecipe({ parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0'), uninstallSsmAgentAfterBuild: false }, 'Unknown'),
      ];

      const resources = Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe');
      expect(recipes.map((r) => resources[stack.getLogicalId(r.node.defaultChild as CfnImageRecipe)].Properties.AdditionalInstanceConfiguration))
        .toEqual([
          { SystemsManagerAgent: { UninstallAfterBuild: true } },
          { SystemsManagerAgent: { UninstallAfterBuild: true } },
          { SystemsManagerAgent: { UninstallAfterBuild: false } },
        ]);
      expect(Object.keys(resources)).toHaveLength(3);
    });

    test('fails on user data over 16383 bytes, counted in UTF-8', () => {
      expect(() => newRecipe({ userDataOverride: ec2.UserData.custom('x'.repeat(16_384)) }))
        .toThrow('userDataOverride must be 1 to 16383 bytes (UTF-8) so that it fits in 21847 base64 characters, got 16384 bytes');
      expect(() => newRecipe({ userDataOverride: ec2.UserData.custom('é'.repeat(8_192)) }, 'Accents'))
        .toThrow('userDataOverride must be 1 to 16383 bytes (UTF-8) so that it fits in 21847 base64 characters, got 16384 bytes');
    });

    test('fails on empty user data', () => {
      expect(() => newRecipe({ userDataOverride: ec2.UserData.custom('') }))
        .toThrow('userDataOverride must be 1 to 16383 bytes (UTF-8) so that it fits in 21847 base64 characters, got 0 bytes');
    });

    test('accepts user data of 16383 bytes, and user data known only at deployment', () => {
      newRecipe({ userDataOverride: ec2.UserData.custom('x'.repeat(16_383)) });
      newRecipe({ userDataOverride: ec2.UserData.custom(Lazy.string({ produce: () => 'x'.repeat(20_000) })) }, 'Token');

      const recipes = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'));
      expect(recipes.map((r) => r.Properties.AdditionalInstanceConfiguration.UserDataOverride['Fn::Base64'].length)).toEqual([16_383, 20_000]);
    });

    test('fails on a tag key with characters tags do not allow', () => {
      expect(() => newRecipe({ tags: { 'team#1': 'platform' } }))
        .toThrow("tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
    });

    test('addBlockDevice adds devices after those of the props, checked as they are', () => {
      const recipe = newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeSize: Size.gibibytes(30) })] });
      recipe.addBlockDevice(RecipeBlockDevice.noDevice('/dev/sdb'));

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30 } }, { DeviceName: '/dev/sdb', NoDevice: '' }],
      });
      expectValidTemplate(stack);
      expect(() => recipe.addBlockDevice(RecipeBlockDevice.ebs('/dev/sdb'))).toThrow("blockDevices must name each device once, got '/dev/sdb' twice");
      expect(() => recipe.addBlockDevice(RecipeBlockDevice.ebs('/dev/sdc', { volumeType: EbsVolumeType.IO2 })))
        .toThrow("blockDevices '/dev/sdc': io2 volumes need iops");
    });

    test('without block devices the recipe has no mappings', () => {
      newRecipe();
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImageRecipe', { BlockDeviceMappings: Match.absent() });
    });

    test('fails on a device named twice', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.ebs('/dev/xvda'), RecipeBlockDevice.noDevice('/dev/xvda')] }))
        .toThrow("blockDevices must name each device once, got '/dev/xvda' twice");
    });

    test('fails on an empty device name', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.noDevice('')] })).toThrow("blockDevices deviceName must be a device name such as '/dev/xvda', got ''");
    });

    test('fails on a blank device name, showing it', () => {
      expect(() => newRecipe({ blockDevices: [RecipeBlockDevice.noDevice('  ')] }))
        .toThrow("blockDevices deviceName must be a device name such as '/dev/xvda', got '  '");
    });
  });
});
