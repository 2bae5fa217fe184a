import { App, Aws, Errors, Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ImageBuilderResourceType,
  VersionWildcards,
  arnSafeName,
  generateResourceName,
  parseImageBuilderArn,
  validateAccountId,
  validateImageBuilderArn,
  validateOrganizationArn,
  validateOrganizationalUnitArn,
  validateRegion,
  validateResourceName,
  validateResourceTags,
  validateSemanticVersion,
  validateTagMap,
  validateTextLength,
} from '../../src/private/validation';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

const token = () => Lazy.string({ produce: () => 'x' });

describe('errors', () => {
  test('are ValidationErrors carrying the construct path', () => {
    const scope = new Construct(stack, 'Thing');
    let error: unknown;
    try {
      validateAccountId(scope, 'account', '123');
    } catch (e) {
      error = e;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error).toEqual(expect.objectContaining({ constructPath: 'Stack/Thing' }));
  });

  test('are thrown by every check with the scope given', () => {
    const scope = new Construct(stack, 'Thing');
    const expected = expect.objectContaining({ constructPath: 'Stack/Thing' });
    expect(() => validateResourceName(scope, 'name', 'a')).toThrow(expected);
    expect(() => validateSemanticVersion(scope, 'version', '1', VersionWildcards.NONE)).toThrow(expected);
    expect(() => validateImageBuilderArn(scope, 'arn', 'arn', ImageBuilderResourceType.IMAGE)).toThrow(expected);
    expect(() => validateRegion(scope, 'region', 'mars')).toThrow(expected);
    expect(() => validateOrganizationArn(scope, 'org', 'o-1')).toThrow(expected);
    expect(() => validateOrganizationalUnitArn(scope, 'ou', 'ou-1')).toThrow(expected);
  });
});

describe('validateResourceName', () => {
  const validate = (value: string | undefined) => () => validateResourceName(stack, 'componentName', value);

  test.each([
    'abc',
    'my-component',
    'My Component_2',
    '-_-',
    'a'.repeat(128),
    `a${' '.repeat(126)}b`,
  ])('accepts %p', (value) => {
    expect(validate(value)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    expect(validate(undefined)).not.toThrow();
    expect(validate(token())).not.toThrow();
    expect(validate(`${Aws.STACK_NAME}!!`)).not.toThrow();
  });

  test('fails when a name is too short', () => {
    expect(validate('ab')).toThrow(
      'componentName must be 3 to 128 characters of letters, numbers, hyphens, underscores and spaces, ' +
      "starting and ending with a letter, number, hyphen or underscore, got 'ab'");
  });

  test('fails when a name is empty', () => {
    expect(validate('')).toThrow(/^componentName must be 3 to 128 characters .*, got ''$/);
  });

  test.each(['bad/name', 'dots.are.not.allowed', 'ünïcode', 'tab\there'])('fails when a name has a bad character: %p', (value) => {
    expect(validate(value)).toThrow(/^componentName must be 3 to 128 characters of letters, numbers, hyphens, underscores and spaces,/);
  });

  test.each([' leading', 'trailing ', ' both '])('fails when a name starts or ends with a space: %p', (value) => {
    expect(validate(value)).toThrow(/starting and ending with a letter, number, hyphen or underscore, got '/);
  });

  test('fails when a name is too long, saying so on its own', () => {
    expect(validate('a'.repeat(129))).toThrow(/^componentName must be at most 128 characters, got 129 characters: 'a+…'$/);
  });

  test('fails when a very long name is shown cut short', () => {
    const value = 'b'.repeat(130);
    expect(validate(value)).toThrow(`componentName must be at most 128 characters, got 130 characters: '${'b'.repeat(40)}…'`);
  });
});

describe('arnSafeName', () => {
  test.each([
    ['my-component', 'my-component'],
    ['My Component', 'my-component'],
    ['snake_Case name', 'snake-case-name'],
    ['--A__B  C--', '--a--b--c--'],
  ])('writes %p as %p', (name, expected) => {
    expect(arnSafeName(name)).toBe(expected);
  });

  test('returns tokens as they are', () => {
    const name = token();
    expect(arnSafeName(name)).toBe(name);
  });
});

describe('generateResourceName', () => {
  test('is deterministic for the same construct path', () => {
    const first = generateResourceName(new Construct(stack, 'Component'));
    const otherApp = new App();
    const otherStack = new Stack(otherApp, 'Stack');
    expect(generateResourceName(new Construct(otherStack, 'Component'))).toBe(first);
  });

  test('is unique for different construct ids', () => {
    const names = new Set([
      generateResourceName(new Construct(stack, 'A')),
      generateResourceName(new Construct(stack, 'B')),
      generateResourceName(new Construct(new Construct(stack, 'Outer'), 'A')),
      generateResourceName(new Construct(new Construct(stack, 'OuterA'), 'Inner')),
      generateResourceName(new Construct(stack, 'a-b')),
      generateResourceName(new Construct(stack, 'ab')),
    ]);
    expect(names.size).toBe(6);
  });

  test.each([
    ['a short id', (s: Stack) => new Construct(s, 'C')],
    ['a nested id', (s: Stack) => new Construct(new Construct(s, 'Pipeline'), 'Component')],
    ['an id with special characters', (s: Stack) => new Construct(s, 'My Component_1!')],
    ['an id of special characters only', (s: Stack) => new Construct(s, '!!')],
    ['a very long id', (s: Stack) => new Construct(s, 'Long'.repeat(100))],
    ['a deep path', (s: Stack) => {
      let scope: Construct = s;
      for (let i = 0; i < 20; i++) {
        scope = new Construct(scope, `Level${i}WithAFairlyLongId`);
      }
      return scope;
    }],
  ])('is a valid, lowercase, ARN-safe name for %s', (_, make) => {
    const scope = make(stack);
    const name = generateResourceName(scope);
    expect(() => validateResourceName(scope, 'name', name)).not.toThrow();
    expect(name).toBe(name.toLowerCase());
    expect(arnSafeName(name)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(128);
  });

  test('is valid for a Default child of a stack with a short id', () => {
    const shortStack = new Stack(app, 'S');
    const scope = new Construct(shortStack, 'Default');
    const name = generateResourceName(scope);
    expect(() => validateResourceName(scope, 'name', name)).not.toThrow();
    expect(arnSafeName(name)).toBe(name);
    expect(name).toBe(generateResourceName(scope));
  });
});

describe('validateSemanticVersion', () => {
  const none = (value: string | undefined) => () => validateSemanticVersion(stack, 'componentVersion', value, VersionWildcards.NONE);
  const trailing = (value: string | undefined) => () => validateSemanticVersion(stack, 'componentVersion', value, VersionWildcards.TRAILING);

  test.each(['0.0.0', '1.0.0', '10.20.30', '1073741823.1073741823.1073741823'])('accepts %p without wildcards', (value) => {
    expect(none(value)).not.toThrow();
    expect(trailing(value)).not.toThrow();
  });

  test.each(['x.x.x', '1.x.x', '1.2.x', '0.0.x'])('accepts %p with trailing wildcards', (value) => {
    expect(trailing(value)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    for (const check of [none, trailing]) {
      expect(check(undefined)).not.toThrow();
      expect(check(token())).not.toThrow();
      expect(check(`1.0.${Aws.ACCOUNT_ID}`)).not.toThrow();
    }
  });

  test.each(['1.0', '1', '1.0.0.0', ''])('fails when a version does not have three nodes: %p', (value) => {
    expect(none(value)).toThrow(new RegExp(`^componentVersion must be major\\.minor\\.patch with numbers, got '${literal(value)}'$`));
  });

  test('fails with the example message for 1.0', () => {
    expect(none('1.0')).toThrow("componentVersion must be major.minor.patch with numbers, got '1.0'");
  });

  // The user guide's semantic versioning page suggests dates such as 2021.01.01; the API pattern is ^[0-9]+\.[0-9]+\.[0-9]+$.
  test.each(['2021.01.01', '01.0.0', '1.00.0', '1.0.007', '00.00.00', '01073741823.0.0'])('accepts %p with leading zeros', (value) => {
    expect(none(value)).not.toThrow();
    expect(trailing(value)).not.toThrow();
  });

  test.each(['2021.01.x', '2025.06.x', '07.x.x'])('accepts %p with leading zeros and trailing wildcards', (value) => {
    expect(trailing(value)).not.toThrow();
  });

  test.each(['1..0', 'a.b.c', '1.0.-1', '1.0.1e3', '1.0. 1', 'v1.0.0', 'X.X.X', '+1.0.0', '0x1.0.0'])('fails when a node is not a whole number: %p', (value) => {
    expect(none(value)).toThrow(new RegExp(`^componentVersion must be major\\.minor\\.patch with numbers, each a whole number, got '${literal(value)}'$`));
  });

  test('fails when a node is above 2^30-1', () => {
    expect(none('1.0.1073741824')).toThrow(
      "componentVersion must be major.minor.patch with numbers, each at most 1073741823, got '1.0.1073741824'");
    expect(trailing('99999999999999999999.x.x')).toThrow(/each at most 1073741823, got '99999999999999999999\.x\.x'/);
  });

  test('fails when a node with leading zeros is above 2^30-1', () => {
    expect(none('2021.01.001073741824')).toThrow(
      "componentVersion must be major.minor.patch with numbers, each at most 1073741823, got '2021.01.001073741824'");
  });

  test.each(['x.x.x', '1.0.x', '1.x.3'])('fails when a wildcard is given where none is allowed: %p', (value) => {
    expect(none(value)).toThrow(/^componentVersion does not allow x wildcards: it must be major\.minor\.patch with numbers, got '/);
  });

  test.each(['x.2.x', '1.x.3', 'x.x.0', 'x.0.0'])('fails when a wildcard is followed by a number: %p', (value) => {
    expect(trailing(value)).toThrow(
      new RegExp('^componentVersion must be major\\.minor\\.patch with numbers or trailing x wildcards \\(e\\.g\\. 1\\.2\\.x, x\\.x\\.x\\); ' +
      `every node after the first x must be x too, got '${literal(value)}'$`));
  });

  test('fails when a version has only two nodes, even with wildcards allowed', () => {
    expect(trailing('1.x')).toThrow(/^componentVersion must be major\.minor\.patch with numbers or trailing x wildcards .*, got '1\.x'$/);
  });

  test.each(['1.0.0/1', '1.0.0/', 'x.x.x/1'])('fails when a version has a build number: %p', (value) => {
    expect(none(value)).toThrow(/^componentVersion must be major\.minor\.patch with numbers, without a \/build number, got '/);
    expect(trailing(value)).toThrow(/with numbers or trailing x wildcards .*, without a \/build number, got '/);
  });
});

describe('parseImageBuilderArn', () => {
  test('splits a component ARN', () => {
    expect(parseImageBuilderArn('arn:aws:imagebuilder:us-east-1:123456789012:component/my-component/1.0.0')).toEqual({
      partition: 'aws', region: 'us-east-1', account: '123456789012', resourceType: 'component', name: 'my-component', version: '1.0.0',
    });
  });

  test('splits an image ARN with a build number', () => {
    expect(parseImageBuilderArn('arn:aws-us-gov:imagebuilder:us-gov-west-1:123456789012:image/my_image/2.3.4/7')).toEqual({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      account: '123456789012',
      resourceType: 'image',
      name: 'my_image',
      version: '2.3.4',
      build: '7',
    });
  });

  test('splits an AWS-owned component ARN with wildcards', () => {
    expect(parseImageBuilderArn('arn:aws:imagebuilder:eu-west-1:aws:component/update-linux/x.x.x')).toEqual({
      partition: 'aws', region: 'eu-west-1', account: 'aws', resourceType: 'component', name: 'update-linux', version: 'x.x.x',
    });
  });

  test('splits a workflow ARN', () => {
    expect(parseImageBuilderArn('arn:aws:imagebuilder:us-east-1:aws:workflow/test/test-image/1.0.0/1')).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      account: 'aws',
      resourceType: 'workflow',
      workflowType: 'test',
      name: 'test-image',
      version: '1.0.0',
      build: '1',
    });
  });

  test('splits an unversioned ARN', () => {
    expect(parseImageBuilderArn('arn:aws-cn:imagebuilder:cn-north-1:123456789012:image-pipeline/nightly')).toEqual({
      partition: 'aws-cn', region: 'cn-north-1', account: '123456789012', resourceType: 'image-pipeline', name: 'nightly',
    });
  });

  test('splits an image ARN whose version is a date with leading zeros', () => {
    expect(parseImageBuilderArn('arn:aws:imagebuilder:us-west-2:123456789012:image/my-example-image/2019.12.03/1')).toEqual({
      partition: 'aws',
      region: 'us-west-2',
      account: '123456789012',
      resourceType: 'image',
      name: 'my-example-image',
      version: '2019.12.03',
      build: '1',
    });
  });

  test.each([
    'arn:aws:s3:::bucket',
    'arn:aws:imagebuilder:us-east-1:123456789012:widget/my-widget',
    'arn:aws:imagebuilder:us-east-1:123456789012:component/my-component',
    'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/nightly/1.0.0',
    'arn:aws:imagebuilder:us-east-1:123456789012:workflow/deploy/my-workflow/1.0.0',
    'not an arn',
  ])('returns undefined for %p', (arn) => {
    expect(parseImageBuilderArn(arn)).toBeUndefined();
  });
});

describe('validateImageBuilderArn', () => {
  const validate = (value: string | undefined, type: ImageBuilderResourceType) => () => validateImageBuilderArn(stack, 'arn', value, type);
  const arn = (resource: string, account = '123456789012', partition = 'aws', region = 'us-east-1') =>
    `arn:${partition}:imagebuilder:${region}:${account}:${resource}`;

  test.each([
    [ImageBuilderResourceType.COMPONENT, arn('component/my-component/1.0.0')],
    [ImageBuilderResourceType.COMPONENT, arn('component/update-linux/x.x.x', 'aws')],
    [ImageBuilderResourceType.COMPONENT, arn('component/my_component/1.2.x')],
    [ImageBuilderResourceType.COMPONENT, arn('component/my-component/1.0.0/1')],
    [ImageBuilderResourceType.COMPONENT, arn('component/vendor-tool/1.0.0', 'aws-marketplace')],
    [ImageBuilderResourceType.COMPONENT, arn('component/vendor-tool/1.0.0', 'third-party')],
    [ImageBuilderResourceType.IMAGE, arn('image/my-image/1.0.0/12')],
    [ImageBuilderResourceType.IMAGE, arn('image/amazon-linux-2023-x86/x.x.x', 'aws', 'aws-cn', 'cn-north-1')],
    [ImageBuilderResourceType.IMAGE_RECIPE, arn('image-recipe/my-recipe/1.0.0', '123456789012', 'aws-iso', 'us-iso-east-1')],
    [ImageBuilderResourceType.CONTAINER_RECIPE, arn('container-recipe/my-recipe/1.0.0', '123456789012', 'aws-iso-b', 'us-isob-east-1')],
    [ImageBuilderResourceType.IMAGE_PIPELINE, arn('image-pipeline/my-pipeline')],
    [ImageBuilderResourceType.INFRASTRUCTURE_CONFIGURATION, arn('infrastructure-configuration/my-infrastructure')],
    [ImageBuilderResourceType.DISTRIBUTION_CONFIGURATION, arn('distribution-configuration/my-distribution')],
    [ImageBuilderResourceType.WORKFLOW, arn('workflow/build/build-image/1.0.0/1', 'aws')],
    [ImageBuilderResourceType.WORKFLOW, arn('workflow/test/my-tests/x.x.x')],
    [ImageBuilderResourceType.WORKFLOW, arn('workflow/distribution/my-distribution/2.0.0')],
    [ImageBuilderResourceType.LIFECYCLE_POLICY, arn('lifecycle-policy/my-policy')],
    [ImageBuilderResourceType.IMAGE, arn('image/my-example-image/2019.12.03/1')],
    [ImageBuilderResourceType.IMAGE, arn('image/amazon-linux-2023-x86/2025.06.x', 'aws')],
    [ImageBuilderResourceType.COMPONENT, arn('component/my-component/2021.01.01')],
    [ImageBuilderResourceType.IMAGE_RECIPE, arn('image-recipe/my-recipe/2021.01.x')],
    [ImageBuilderResourceType.WORKFLOW, arn('workflow/test/my-tests/01.0.0/01')],
  ])('accepts a %s ARN %p', (type, value) => {
    expect(validate(value, type)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    expect(validate(undefined, ImageBuilderResourceType.COMPONENT)).not.toThrow();
    expect(validate(token(), ImageBuilderResourceType.COMPONENT)).not.toThrow();
    expect(validate(arn(`component/${Aws.STACK_NAME}/1.0.0`), ImageBuilderResourceType.COMPONENT)).not.toThrow();
  });

  test('fails when the ARN is of another service, naming the expected type', () => {
    expect(validate('arn:aws:s3:::bucket', ImageBuilderResourceType.COMPONENT)).toThrow(
      'arn must be an Image Builder component ARN like arn:aws:imagebuilder:us-east-1:123456789012:component/my-component/1.0.0, ' +
      "got 'arn:aws:s3:::bucket'");
  });

  test('fails when the ARN is of another Image Builder type', () => {
    expect(validate(arn('image-recipe/my-recipe/1.0.0'), ImageBuilderResourceType.COMPONENT))
      .toThrow(/^arn must be an Image Builder component ARN like .*, got 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe\/my-recipe\/1\.0\.0'$/);
    expect(validate(arn('component/my-component/1.0.0'), ImageBuilderResourceType.IMAGE))
      .toThrow(/^arn must be an Image Builder image ARN like arn:aws:imagebuilder:us-east-1:123456789012:image\/my-image\/1\.0\.0\/1, got '/);
  });

  test.each([
    ['no version', arn('component/my-component')],
    ['a two-node version', arn('component/my-component/1.0')],
    ['a wildcard followed by a number', arn('component/my-component/x.1.x')],
    ['a build number after a wildcard', arn('component/my-component/1.0.x/1')],
    ['a build number that is not a number', arn('component/my-component/1.0.0/one')],
    ['too many parts', arn('component/my-component/1.0.0/1/2')],
    ['an uppercase name', arn('component/My-Component/1.0.0')],
    ['a name with a space', arn('component/my component/1.0.0')],
    ['an empty name', arn('component//1.0.0')],
    ['an 11-digit account', arn('component/my-component/1.0.0', '12345678901')],
    ['an unknown owner', arn('component/my-component/1.0.0', 'amazon')],
    ['an unknown partition', arn('component/my-component/1.0.0', '123456789012', 'azure')],
    ['no region', arn('component/my-component/1.0.0', '123456789012', 'aws', '')],
  ])('fails when a component ARN has %s', (_, value) => {
    expect(validate(value, ImageBuilderResourceType.COMPONENT))
      .toThrow(new RegExp(`^arn must be an Image Builder component ARN like .*, got '${literal(value)}'$`));
  });

  test.each([
    ['no version', arn('component/my-component'), 'version is missing after the name'],
    ['a two-node version', arn('component/my-component/1.0'),
      'version must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x)'],
    ['a wildcard followed by a number', arn('component/my-component/x.1.x'),
      'version must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x); every node after the first x must be x too'],
    ['a version node above 2^30-1', arn('component/my-component/2021.01.1073741824'),
      'version must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x), each at most 1073741823'],
    ['a version node that is not a number', arn('component/my-component/1.0.a'),
      'version must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x), each a whole number'],
    ['a build number after a wildcard', arn('component/my-component/1.0.x/1'), 'build number may only follow a version without x wildcards'],
    ['a build number that is not a number', arn('component/my-component/1.0.0/one'), 'build number must be a whole number'],
  ])('fails when a component ARN has %s, saying why', (_, value, why) => {
    expect(validate(value, ImageBuilderResourceType.COMPONENT)).toThrow(
      'arn must be an Image Builder component ARN like arn:aws:imagebuilder:us-east-1:123456789012:component/my-component/1.0.0; ' +
      `its ${why}, got '${value}'`);
  });

  test('fails without a version reason when the ARN is of another type', () => {
    expect(validate(arn('image-recipe/my-recipe/1.0'), ImageBuilderResourceType.COMPONENT)).toThrow(
      'arn must be an Image Builder component ARN like arn:aws:imagebuilder:us-east-1:123456789012:component/my-component/1.0.0, ' +
      `got '${arn('image-recipe/my-recipe/1.0')}'`);
  });

  test.each([
    ['a version', ImageBuilderResourceType.IMAGE_PIPELINE, arn('image-pipeline/my-pipeline/1.0.0')],
    ['no name', ImageBuilderResourceType.LIFECYCLE_POLICY, arn('lifecycle-policy/')],
    ['a workflow without its type', ImageBuilderResourceType.WORKFLOW, arn('workflow/my-workflow/1.0.0')],
    ['a workflow with an unknown type', ImageBuilderResourceType.WORKFLOW, arn('workflow/deploy/my-workflow/1.0.0')],
  ])('fails when an ARN has %s', (_, type, value) => {
    expect(validate(value, type)).toThrow(new RegExp(`^arn must be an Image Builder ${type} ARN like .*, got '${literal(value)}'$`));
  });

  test('fails when an ARN is very long, showing it cut short', () => {
    const value = arn(`component/${'N'.repeat(200)}/1.0.0`);
    expect(validate(value, ImageBuilderResourceType.COMPONENT)).toThrow(new RegExp(`, got '${literal(value.slice(0, 40))}…'$`));
  });
});

describe('validateAccountId', () => {
  const validate = (value: string | undefined) => () => validateAccountId(stack, 'account', value);

  test.each(['123456789012', '000000000000'])('accepts %p', (value) => {
    expect(validate(value)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    expect(validate(undefined)).not.toThrow();
    expect(validate(Aws.ACCOUNT_ID)).not.toThrow();
    expect(validate(token())).not.toThrow();
  });

  test.each(['12345678901', '1234567890123', '12345678901a', '', ' 123456789012', '1234-5678-9012'])('fails when an account ID is not 12 digits: %p', (value) => {
    expect(validate(value)).toThrow(`account must be an AWS account ID of exactly 12 digits, e.g. 123456789012, got '${value}'`);
  });
});

describe('validateRegion', () => {
  const validate = (value: string | undefined) => () => validateRegion(stack, 'region', value);

  test.each([
    'us-east-1', 'eu-central-2', 'ap-southeast-4', 'us-gov-west-1', 'cn-north-1',
    'us-iso-east-1', 'us-isob-east-1', 'il-central-1', 'mx-central-1', 'ap-northeast-10', 'eusc-de-east-1',
  ])('accepts %p', (value) => {
    expect(validate(value)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    expect(validate(undefined)).not.toThrow();
    expect(validate(Aws.REGION)).not.toThrow();
  });

  test.each(['us-east', 'US-EAST-1', 'useast1', 'us-east-100', 'usa-east-1', 'us-east-1a', '', 'us-foo-east-1', 'eusc-east-1'])('fails when a region code is malformed: %p', (value) => {
    expect(validate(value)).toThrow(
      `region must be a region code such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1 or eusc-de-east-1, got '${value}'`);
  });
});

describe('validateTagMap', () => {
  const validate = (tags: { [key: string]: string } | undefined) => () => validateTagMap(stack, 'tags', tags);

  test.each([
    [{ team: 'x' }], [{ 'cost center': 'x' }], [{ 'a_b.c:d/e=f+g-h@i': 'x' }], [{ Name: 'x'.repeat(256) }],
    [{ [Lazy.string({ produce: () => 'aws:x' })]: 'x' }], [undefined], [{}],
  ])('accepts %j', (tags) => {
    expect(validate(tags)).not.toThrow();
  });

  test.each(['team#1', 'café', 'a,b', 'team!', 'x\u00a0y'])('fails on a key with other characters: %p', (key) => {
    expect(validate({ [key]: 'x' })).toThrow(`tags keys may hold letters, digits, white space and _ . : / = + - @, got '${key}'`);
  });

  test('fails on aws: keys, long keys and long values, and more than 50 tags', () => {
    expect(validate({ 'aws:owner': 'x' })).toThrow("tags keys must be 1 to 128 characters and not start with 'aws:', got 'aws:owner'");
    expect(validate({ ['k'.repeat(129)]: 'x' })).toThrow('tags keys must be 1 to 128 characters');
    expect(validate({ k: 'v'.repeat(257) })).toThrow("tags values must be at most 256 characters, got 257 for 'k'");
    expect(validate(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])))).toThrow('tags must have at most 50 tags, got 51');
  });
});

describe('validateResourceTags', () => {
  const validate = (tags: { [key: string]: string } | undefined) => () => validateResourceTags(stack, 'resourceTags', tags);

  test('accepts up to 30 tags of the tag map form', () => {
    expect(validate(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v'])))).not.toThrow();
  });

  test('fails on more than 30 tags and on keys a tag map refuses', () => {
    expect(validate(Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v'])))).toThrow('resourceTags must have at most 30 tags, got 31');
    expect(validate({ 'a#b': 'x' })).toThrow("resourceTags keys may hold letters, digits, white space and _ . : / = + - @, got 'a#b'");
  });
});

describe('validateOrganizationArn', () => {
  const validate = (value: string | undefined) => () => validateOrganizationArn(stack, 'organizationArn', value);

  test.each([
    'arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5',
    `arn:aws-us-gov:organizations::123456789012:organization/o-${'a'.repeat(32)}`,
    'arn:aws-cn:organizations::123456789012:organization/o-0123456789',
  ])('accepts %p', (value) => {
    expect(validate(value)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    expect(validate(undefined)).not.toThrow();
    expect(validate(`arn:aws:organizations::${Aws.ACCOUNT_ID}:organization/o-a1b2c3d4e5`)).not.toThrow();
  });

  test.each([
    'o-a1b2c3d4e5',
    'arn:aws:organizations::123456789012:organization/o-a1b2c3d4',
    'arn:aws:organizations::123456789012:organization/o-A1B2C3D4E5',
    `arn:aws:organizations::123456789012:organization/o-${'a'.repeat(33)}`,
    'arn:aws:organizations:us-east-1:123456789012:organization/o-a1b2c3d4e5',
    'arn:aws:organizations::1234567890:organization/o-a1b2c3d4e5',
    'arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56',
  ])('fails when an organization ARN is malformed: %p', (value) => {
    expect(validate(value)).toThrow(new RegExp(
      `^organizationArn must be an organization ARN like arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5, got '${literal(value)}'$`));
  });
});

describe('validateOrganizationalUnitArn', () => {
  const validate = (value: string | undefined) => () => validateOrganizationalUnitArn(stack, 'organizationalUnitArn', value);

  test.each([
    'arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56',
    'arn:aws-cn:organizations::123456789012:ou/o-0123456789/ou-0a1b2c3d-abcdef0123456789',
  ])('accepts %p', (value) => {
    expect(validate(value)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    expect(validate(undefined)).not.toThrow();
    expect(validate(token())).not.toThrow();
  });

  test.each([
    'ou-ab12-cd34ef56',
    'arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab1-cd34ef56',
    'arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cd34ef5',
    'arn:aws:organizations::123456789012:ou/ou-ab12-cd34ef56',
    'arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5',
    'arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-AB12-cd34ef56',
  ])('fails when an organizational unit ARN is malformed: %p', (value) => {
    expect(validate(value)).toThrow(new RegExp(
      '^organizationalUnitArn must be an organizational unit ARN like ' +
      `arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56, got '${literal(value)}'$`));
  });
});

/** The value as a literal part of a regular expression. */
function literal(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('validateTextLength', () => {
  test.each(['a', 'x'.repeat(1024)])('accepts %#', (value) => {
    expect(() => validateTextLength(stack, 'description', value)).not.toThrow();
  });

  test('skips undefined and tokens', () => {
    expect(() => validateTextLength(stack, 'description', undefined)).not.toThrow();
    expect(() => validateTextLength(stack, 'description', Lazy.string({ produce: () => '' }))).not.toThrow();
  });

  test('fails when empty', () => {
    expect(() => validateTextLength(stack, 'description', '')).toThrow('description must be 1 to 1024 characters, got 0');
  });

  test('fails when over 1024 characters', () => {
    expect(() => validateTextLength(stack, 'workingDirectory', 'x'.repeat(1025))).toThrow('workingDirectory must be 1 to 1024 characters, got 1025');
  });
});
