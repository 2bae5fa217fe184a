import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as yaml from 'yaml';
import {
  AwsManagedComponent, Component, ComponentData, ComponentDocument, ComponentFile, ComponentPhaseName, ComponentStep, ContainerParentImage,
  ContainerRecipe,
  DockerfileTemplate, Platform,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';

const FIXTURE = path.join(__dirname, 'fixtures', 'hello-component.yml');
const HELLO = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n        action: ExecuteBash\n        inputs:\n          commands: [echo hello]\n';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function componentWith(data: ComponentData, id = 'Component') {
  return new Component(stack, id, { platform: Platform.LINUX, data });
}

describe('ComponentData', () => {
  test('fromInline puts the text in Data', () => {
    const component = componentWith(ComponentData.fromInline(HELLO));

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', {
      Data: HELLO,
      Uri: Match.absent(),
    });
    expect(component.documentText).toBe(HELLO);
    expectValidTemplate(stack);
  });

  test('fromInline with a value known only at deployment passes it to Data unchecked, with no document text', () => {
    const document = new CfnParameter(stack, 'Document', { type: 'String' }).valueAsString;
    const component = componentWith(ComponentData.fromInline(document));

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', {
      Data: { Ref: 'Document' },
      Uri: Match.absent(),
    });
    expect(component.documentText).toBeUndefined();
    expectValidTemplate(stack);
  });

  test('fromJsonObject renders YAML that parses back to the object', () => {
    const document = {
      name: 'from-object',
      schemaVersion: 1.0,
      phases: [{ name: 'build', steps: [{ name: 'Hello', action: 'ExecuteBash', inputs: { commands: ['echo "a: b"'] } }] }],
    };
    componentWith(ComponentData.fromJsonObject(document));

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'));
    expect(resource.Properties.Data).toMatch(/^name: from-object\nschemaVersion: 1\.0\n/);
    expect(yaml.parse(resource.Properties.Data)).toEqual(document);
    expectValidTemplate(stack);
  });

  test('fromJsonObject writes out an object used twice in full, with no YAML anchor or alias', () => {
    const inputs = { commands: ['echo hello'] };
    componentWith(ComponentData.fromJsonObject({
      schemaVersion: '1.0',
      phases: [{ name: 'build', steps: [{ name: 'A', action: 'ExecuteBash', inputs }, { name: 'B', action: 'ExecuteBash', inputs }] }],
    }));

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'));
    expect(resource.Properties.Data).not.toMatch(/[&*]a1/);
    expect(resource.Properties.Data.match(/commands:\n {12}- echo hello\n/g)).toHaveLength(2);
  });

  test('fromJsonObject renders schemaVersion: 1.0 for the number 1 and for the string 1.0, as AWS writes it', () => {
    const phases = [{ name: 'build', steps: [{ name: 'Hello', action: 'ExecuteBash', inputs: { commands: ['echo hello'] } }] }];
    componentWith(ComponentData.fromJsonObject({ schemaVersion: 1, phases }), 'Number');
    componentWith(ComponentData.fromJsonObject({ schemaVersion: '1.0', phases }), 'String');

    const data = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component')).map((r) => r.Properties.Data);
    expect(data).toEqual([
      'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n        action: ExecuteBash\n        inputs:\n          commands:\n            - echo hello\n',
      'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Hello\n        action: ExecuteBash\n        inputs:\n          commands:\n            - echo hello\n',
    ]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('fromInline text with schemaVersion: 1 synthesizes with a warning to write 1.0', () => {
    componentWith(ComponentData.fromInline(HELLO.replace('schemaVersion: 1.0', 'schemaVersion: 1')));

    Annotations.fromStack(stack).hasWarning('/Stack/Component', Match.stringLikeRegexp(
      'document \\(line 1\\): schemaVersion is written 1; AWSTOE documents use 1.0, and its string field may read 1 as "1": write schemaVersion: 1.0'));
  });

  test('fromAsset uploads the file and points Uri at it', () => {
    const component = componentWith(ComponentData.fromAsset(FIXTURE));

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::Component', {
      Uri: Match.stringLikeRegexp('^s3://cdk-[a-z0-9]+-assets-123456789012-us-east-1/[0-9a-f]{64}\\.yml$'),
      Data: Match.absent(),
    });
    expect(component.documentText).toContain('hello-from-file');
    expectValidTemplate(stack);
  });

  test('one asset data can serve two components', () => {
    const data = ComponentData.fromAsset(FIXTURE);
    componentWith(data, 'First');
    componentWith(data, 'Second');

    Template.fromStack(stack).resourceCountIs('AWS::ImageBuilder::Component', 2);
  });

  test('fromS3 points Uri at the object', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-components');
    componentWith(ComponentData.fromS3(bucket, 'linux/hello.yml'));

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', {
      Uri: 's3://my-components/linux/hello.yml',
    });
    expectValidTemplate(stack);
  });

  test('fromS3 with a bucket of this stack references it', () => {
    const bucket = new s3.Bucket(stack, 'Bucket');
    componentWith(ComponentData.fromS3(bucket, 'hello.yml'));

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', {
      Uri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Bucket') }, '/hello.yml']] },
    });
  });

  test('fails when inline data is empty', () => {
    expect(() => componentWith(ComponentData.fromInline('  \n'))).toThrow('data must be a component document, got an empty string');
  });

  test('fails when inline data is over the service size limit', () => {
    const big = `${HELLO}# ${'x'.repeat(16_000)}\n`;
    expect(() => componentWith(ComponentData.fromInline(big)))
      .toThrow(`data must be at most 16000 characters when inline, got ${big.length}; put larger documents in S3`);
  });

  test('inline data of exactly 16000 characters is accepted', () => {
    const text = `${HELLO}#`;
    expect(() => componentWith(ComponentData.fromInline(text + 'x'.repeat(16_000 - text.length)))).not.toThrow();
  });

  test('inline data is counted in characters, so 16000 characters of emoji are accepted', () => {
    const text = `${HELLO}#`;
    const document = text + '😀'.repeat(16_000 - text.length);
    expect(document.length).toBeGreaterThan(16_000); // UTF-16 code units
    componentWith(ComponentData.fromInline(document));

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', { Data: document });
    expectValidTemplate(stack);
  });

  test('inline data of 8178 characters, mostly emoji, is accepted', () => {
    const text = `${HELLO}#`;
    const document = text + '😀'.repeat(8_178 - text.length);
    expect([...document]).toHaveLength(8_178);
    expect(document.length).toBeGreaterThan(16_000);
    expect(() => componentWith(ComponentData.fromInline(document))).not.toThrow();
    expectValidTemplate(stack);
  });

  test('fromDocument keeps a document inline when it has at most 16000 characters, however many UTF-16 code units', () => {
    const document = new ComponentDocument({ name: 'emoji' });
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('Hello', { commands: [`echo ${'😀'.repeat(9_000)}`] }));
    const text = document.toYaml();
    expect([...text].length).toBeLessThanOrEqual(16_000);
    expect(text.length).toBeGreaterThan(16_000);
    componentWith(ComponentData.fromDocument(document));

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', { Data: text, Uri: Match.absent() });
  });

  describe('a document model over 16000 characters', () => {
    const longScript = `echo ${'x'.repeat(16_000)}`;

    test('is uploaded as a file', () => {
      componentWith(ComponentData.fromShellScript(longScript));
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', { Data: Match.absent(), Uri: Match.stringLikeRegexp('^s3://') });
    });

    test('fails when it holds a value known only at deployment, which a file cannot', () => {
      const agnostic = new Stack(new App(), 'Agnostic');
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'long-')), 'tool.sh');
      fs.writeFileSync(file, 'echo tool\n');
      expect(() => new Component(agnostic, 'Component', {
        platform: Platform.LINUX, data: ComponentData.fromShellScript(longScript), files: [ComponentFile.fromAsset(file, '/opt/tool.sh')],
      })).toThrow(/^data is a document of \d+ characters, more than the 16000 sent inline, so it is uploaded as a file, which cannot hold values known /);
    });

    test('fails when it names a resource of the app, in a stack with an account and region too', () => {
      const bucket = new s3.Bucket(stack, 'Artifacts');
      const document = new ComponentDocument({ name: 'long' });
      document.addSteps(ComponentPhaseName.BUILD,
        ComponentStep.s3Download('Fetch', { downloads: [{ source: `s3://${bucket.bucketName}/tool.sh`, destination: '/opt/tool.sh' }] }),
        ComponentStep.executeBash('Run', { commands: [longScript] }));
      expect(() => componentWith(ComponentData.fromDocument(document))).toThrow(new RegExp(
        'and it holds some: keep the document under the inline limit, or take such values out of it \\(pass them as component parameters ' +
        'from the recipe; the S3 URLs of files are known at synth in a stack with an account and region\\)$'));
    });
  });

  test('fails when inline data is over 16000 characters of emoji, reporting the characters', () => {
    const text = `${HELLO}#`;
    const document = text + '😀'.repeat(16_001 - text.length);
    expect(() => componentWith(ComponentData.fromInline(document)))
      .toThrow('data must be at most 16000 characters when inline, got 16001; put larger documents in S3');
  });

  test('inline data is counted as the characters JavaScript iterates: a surrogate without its pair is one character', () => {
    const text = `${HELLO}# \udc00\ud800`; // a low surrogate, then a high one: no pair
    const withCharacters = (count: number) => text + '😀'.repeat(count - [...text].length);
    expect([...withCharacters(16_000)]).toHaveLength(16_000);
    expect(() => componentWith(ComponentData.fromInline(withCharacters(16_000)))).not.toThrow();
    expect(() => componentWith(ComponentData.fromInline(withCharacters(16_001)), 'Other'))
      .toThrow('data must be at most 16000 characters when inline, got 16001; put larger documents in S3');
  });

  test('fails when inline data contains a NUL character', () => {
    expect(() => componentWith(ComponentData.fromInline('schemaVersion: 1.0\0'))).toThrow('data must not contain NUL characters');
  });

  test('fails when the asset file is missing', () => {
    expect(() => componentWith(ComponentData.fromAsset('does/not/exist.yml')))
      .toThrow(/data asset file 'does\/not\/exist\.yml' does not exist/);
  });

  test('fails when the asset is a directory', () => {
    expect(() => componentWith(ComponentData.fromAsset(__dirname))).toThrow(/must be a file, got a directory/);
  });

  test('fails when the asset file is empty', () => {
    expect(() => componentWith(ComponentData.fromAsset(path.join(__dirname, 'fixtures', 'empty.yml'))))
      .toThrow(/data asset '.*empty\.yml' must be a component document, got an empty string/);
  });

  test('fails when the S3 key is empty', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-components');
    expect(() => componentWith(ComponentData.fromS3(bucket, ''))).toThrow("data S3 key must be a non-empty object key without a leading '/', got ''");
  });

  test('fails when the S3 key ends with a slash, as a folder does, for component data and a Dockerfile template', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-components');
    expect(() => componentWith(ComponentData.fromS3(bucket, 'documents/'))).toThrow("data S3 key must name one object, got 'documents/', which ends with '/'");
    expect(() => new ContainerRecipe(stack, 'Container', {
      parentImage: ContainerParentImage.fromDockerHub('amazonlinux'),
      targetRepository: ecr.Repository.fromRepositoryName(stack, 'Repository', 'app'),
      dockerfileTemplate: DockerfileTemplate.fromS3(bucket, 'dockerfiles/'),
      components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
    })).toThrow("dockerfileTemplate S3 key must name one object, got 'dockerfiles/', which ends with '/'");
  });

  test('fails when the S3 key starts with a slash', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-components');
    expect(() => componentWith(ComponentData.fromS3(bucket, '/hello.yml'))).toThrow(/got '\/hello\.yml'/);
  });

  test('fails when the S3 bucket name is not one S3 allows', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'My_Components');
    expect(() => componentWith(ComponentData.fromS3(bucket, 'hello.yml')))
      .toThrow("data S3 bucket name must be 3 to 63 lowercase letters, numbers, dots and hyphens, got 'My_Components'");
  });
});
